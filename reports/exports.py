"""The reports' data as CSV (semicolon-separated, comma decimals: what Swedish Excel opens) and Excel.

Built by a worker (reports/tasks.py), kept as a PreparedReport and offered by the report's page: the
figures of 2 000 initiatives take seconds to build, too long for a web request."""

import csv
import io
from decimal import Decimal

from openpyxl import Workbook

from reports.selectors import BalanceReport


def balance_rows(report: BalanceReport) -> list[list]:
    rows: list[list] = [
        ["Balansrapport", report.fund_name, report.year, "slutlig" if report.is_final else "PRELIMINÄR"],
        [],
        [
            "Kapitaldel",
            "Ingående kapital" if report.opens_with_founding_capital else "Utgående balans föregående år",
            "Tillfört kapital",
            "Överföringar",
            "Utbetalningar",
            "Återbetalningar",
            "Rättelser",
            "Förändring",
            "Utgående balans",
            "Reserverat",
            "Tillgängligt",
        ],
    ]
    for p in report.parts:
        c = p.change
        rows.append(
            [
                f"{p.number}. {p.name}",
                p.previous_closing,
                c.capital_added,
                c.transfers,
                -c.disbursed,
                c.repaid,
                c.corrections,
                p.difference,
                p.closing,
                p.reserved,
                p.available,
            ]
        )
    c = report.change
    rows.append(
        [
            "Summa",
            report.previous_closing,
            c.capital_added,
            c.transfers,
            -c.disbursed,
            c.repaid,
            c.corrections,
            report.difference,
            report.closing,
            report.reserved,
            report.available,
        ]
    )
    rows += [
        [],
        ["Utestående åtaganden"],
        ["Diarienummer", "Titel", "Part", "Beviljat", "Utbetalt", "Frigjort", "Återstår"],
    ]
    rows += [
        [o.registration_number, o.title, o.party, o.granted, o.disbursed, o.released, o.remaining]
        for o in report.outstanding
    ]
    rows += [[], ["Årets beslut"], ["Datum", "Beslut", "Diarienummer", "Titel", "Part", "Belopp"]]
    rows += [
        [d.decided_on.isoformat(), d.reference, d.registration_number, d.title, d.party, d.amount]
        for d in report.decisions
    ]
    rows += [
        [],
        ["Medfinansiering", report.co_financing],
        ["Medfinansiering per krona", report.leverage or ""],
    ]
    return rows


def _csv_cell(value) -> str:
    if isinstance(value, Decimal):
        return f"{value:.2f}".replace(".", ",")
    text = str(value)
    # A cell starting with =, +, - or @ is a formula to a spreadsheet: user text must stay text.
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text


def csv_bytes(rows: list[list]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    for row in rows:
        writer.writerow([_csv_cell(v) for v in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")  # the BOM: Excel then reads UTF-8


def xlsx_bytes(rows: list[list]) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "Rapport"
    for row in rows:
        sheet.append([v if isinstance(v, Decimal | int) else _csv_cell(v) for v in row])
        for cell in sheet[sheet.max_row]:
            if isinstance(cell.value, Decimal):
                cell.number_format = "#,##0.00"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def outcome_rows(report) -> list[list]:
    rows: list[list] = [
        ["Utfallsrapport", report.fund_name, report.year, "slutlig" if report.is_final else "PRELIMINÄR"],
        [],
        [
            "Insatsområde",
            "Diarienummer",
            "Titel",
            "Part",
            "Status",
            "Beviljat",
            "Utbetalt",
            "Frigjort",
            "Återstår",
            "Återbetalt",
            "Medfinansiering",
            "Medfinansiering per krona",
            "Lägesbedömning",
            "Utfall",
            "Indikatorer",
        ],
    ]
    for area in report.areas:
        for r in area.rows:
            indicators = "; ".join(f"{i['name']}: {i['actual']} av {i['target']}" for i in r.indicators)
            rows.append(
                [
                    area.name,
                    r.registration_number,
                    r.title,
                    r.party,
                    r.status,
                    r.granted,
                    r.disbursed,
                    r.released,
                    r.remaining,
                    r.repaid,
                    r.leverage.co_financing,
                    _ratio(r.leverage),
                    r.outcome_status,
                    r.summary,
                    indicators,
                ]
            )
    rows.append(
        [
            "Summa",
            "",
            "",
            "",
            "",
            report.granted,
            report.disbursed,
            report.released,
            report.remaining,
            report.repaid,
            report.leverage.co_financing,
            _ratio(report.leverage),
        ]
    )
    return rows


def _ratio(leverage) -> Decimal | str:
    return "" if leverage.ratio is None else leverage.ratio
