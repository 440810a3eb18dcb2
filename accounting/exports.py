"""Exports of the ledger: Excel for people, SIE 4 for the region's ERP.

SIE 4 (the Swedish accounting exchange format): text in CP437 ("PC8"), dates YYYYMMDD, amounts with a
decimal point, debit positive and credit negative; every #VER sums to zero. 4I carries the year's
verifications (what a sub-ledger sends to an ERP); 4E adds opening (#IB) and closing (#UB) balances.
Accounts are written with the region's own account numbers (the mapping finance edits) and the capital
part as an object of dimension 20 (a user-defined dimension in SIE).
"""

import io
from collections import defaultdict
from decimal import Decimal

from django.db.models import Prefetch
from django.http import HttpResponse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Font

from accounting import selectors
from accounting.models import Account, CapitalPart, FiscalYear, Kind, Verification, VerificationLine

PART_DIMENSION = 20
MONEY_FORMAT = "#,##0.00"


# --- Excel ----------------------------------------------------------------------------------------


def xlsx_response(workbook: Workbook, filename: str) -> HttpResponse:
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(
        buffer.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _sheet(workbook: Workbook, title: str, header: list[str], first: bool = False):
    sheet = workbook.active if first else workbook.create_sheet()
    sheet.title = title
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    return sheet


def _money(sheet, columns: list[int]) -> None:
    for row in sheet.iter_rows(min_row=2):
        for index in columns:
            row[index].number_format = MONEY_FORMAT


def journal_workbook(fund, verifications) -> Workbook:
    workbook = Workbook()
    sheet = _sheet(
        workbook,
        "Huvudbok",
        [
            "Verifikation",
            "Bokföringsdag",
            "Typ",
            "Text",
            "Konto",
            "Regionens konto",
            "Kapitaldel",
            "Initiativ",
            "Debet",
            "Kredit",
            "Rättar",
            "Registrerad av",
        ],
        first=True,
    )
    kinds = dict(Kind.choices)
    for verification in verifications.iterator(chunk_size=500):
        for line in verification.lines.all():
            sheet.append(
                [
                    verification.number_label,
                    verification.booking_date,
                    str(kinds.get(verification.kind, verification.kind)),
                    verification.text,
                    line.account.code,
                    line.account.region_account,
                    str(line.capital_part),
                    str(line.initiative) if line.initiative else "",
                    line.amount if line.amount > 0 else None,
                    -line.amount if line.amount < 0 else None,
                    str(verification.reverses) if verification.reverses_id else "",
                    verification.author.get_full_name() or verification.author.username,
                ]
            )
    _money(sheet, [8, 9])
    for row in sheet.iter_rows(min_row=2):
        row[1].number_format = "yyyy-mm-dd"
    return workbook


def overview_workbook(overview: selectors.Overview) -> Workbook:
    workbook = Workbook()
    header = [
        "Kapitaldel",
        "Kapital",
        "Beviljat",
        "Utbetalt",
        "Frigjort",
        "Återbetalt",
        "Reserverat",
        "Tillgängligt",
        "Fondens kapital",
    ]
    sheet = _sheet(workbook, "Kapitaldelar", header, first=True)

    def figures_row(label, f):
        return [
            label,
            f.capital,
            f.granted,
            f.disbursed,
            f.released,
            f.repaid,
            f.reserved,
            f.available,
            f.fund_capital,
        ]

    for row in overview.parts:
        sheet.append(figures_row(str(row.part), row.figures))
    sheet.append(figures_row("Totalt", overview.total))
    _money(sheet, list(range(1, 9)))
    years = _sheet(
        workbook,
        "År",
        ["År", "Status", "Ingående", "Kapitaltillskott", "Utbetalt", "Återbetalt", "Förändring", "Utgående"],
    )
    for y in overview.years:
        years.append(
            [
                y.fiscal_year.year,
                y.fiscal_year.get_status_display(),
                y.opening,
                y.capital,
                y.disbursed,
                y.repaid,
                y.change,
                y.closing,
            ]
        )
    _money(years, list(range(2, 8)))
    return workbook


# --- SIE 4 ----------------------------------------------------------------------------------------


# CP437 has å, ä, ö but no typographic dashes or quotes: write their ASCII kin rather than "?".
_TYPOGRAPHY = str.maketrans(
    {"–": "-", "—": "-", "”": '"', "“": '"', "„": '"', "’": "'", "‘": "'", "\u00a0": " "}
)


def _quote(text: str) -> str:
    return (
        '"'
        + str(text).translate(_TYPOGRAPHY).replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ")
        + '"'
    )


def _amount(value: Decimal) -> str:
    return f"{value:.2f}"


def _date(value) -> str:
    return value.strftime("%Y%m%d")


def _object(part_number: int | None) -> str:
    return f'{{{PART_DIMENSION} "{part_number}"}}' if part_number else "{}"


def sie(fiscal_year: FiscalYear, *, with_balances: bool) -> bytes:
    """SIE 4I (verifications) or, with balances, SIE 4E for one fiscal year, encoded in CP437."""
    fund = fiscal_year.fund
    accounts = list(Account.objects.filter(fund=fund).order_by("code"))
    parts = list(CapitalPart.objects.filter(fund=fund).order_by("number"))
    part_number = {p.pk: p.number for p in parts}
    out = [
        "#FLAGGA 0",
        f"#PROGRAM {_quote('DGR')} {_quote('1.0')}",
        "#FORMAT PC8",
        f"#GEN {_date(timezone.localdate())}",
        "#SIETYP 4",
        f"#FNAMN {_quote(fund.name)}",
        f"#RAR 0 {_date(fiscal_year.starts_on)} {_date(fiscal_year.ends_on)}",
        "#VALUTA SEK",
        f"#DIM {PART_DIMENSION} {_quote('Kapitaldel')}",
    ]
    out += [f"#OBJEKT {PART_DIMENSION} {_quote(p.number)} {_quote(p.name)}" for p in parts]
    seen = set()
    for account in accounts:
        if account.export_code in seen:
            continue
        seen.add(account.export_code)
        out.append(f"#KONTO {account.export_code} {_quote(account.name)}")
        out.append(f"#KTYP {account.export_code} {'T' if account.kind == Account.Kind.SETTLEMENT else 'S'}")
    if with_balances:
        opening: dict[str, Decimal] = defaultdict(Decimal)
        closing: dict[str, Decimal] = defaultdict(Decimal)
        for row in selectors.year_balances(fiscal_year):
            opening[row["account"].export_code] += row["opening"]
            closing[row["account"].export_code] += row["closing"]
        out += [f"#IB 0 {code} {_amount(opening[code])}" for code in sorted(opening)]
        out += [f"#UB 0 {code} {_amount(closing[code])}" for code in sorted(closing)]
    verifications = (
        Verification.objects.filter(fiscal_year=fiscal_year)
        .order_by("series", "number")
        .prefetch_related(
            Prefetch("lines", queryset=VerificationLine.objects.select_related("account").order_by("id"))
        )
    )
    for v in verifications:
        out.append(
            f"#VER {_quote(v.series)} {_quote(v.number)} {_date(v.booking_date)} {_quote(v.text)} "
            f"{_date(timezone.localtime(v.registered_at))}"
        )
        out.append("{")
        line: VerificationLine
        for line in v.lines.all():
            out.append(
                f"   #TRANS {line.account.export_code} {_object(part_number.get(line.capital_part_id))} "
                f"{_amount(line.amount)}"
            )
        out.append("}")
    return ("\r\n".join(out) + "\r\n").encode("cp437", errors="replace")
