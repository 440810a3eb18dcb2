"""The reports' data as CSV (semicolon-separated, comma decimals: what Swedish Excel opens) and Excel."""

import csv
import io
from decimal import Decimal

from django.http import HttpResponse
from openpyxl import Workbook

from reports.selectors import BalanceReport


def balance_rows(report: BalanceReport) -> list[list]:
    rows: list[list] = [
        ["Balansrapport", report.fund_name, report.year, "slutlig" if report.is_final else "PRELIMINÄR"],
        [],
        [
            "Kapitaldel",
            "Utgående balans föregående år",
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


def csv_response(rows: list[list], stem: str) -> HttpResponse:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    for row in rows:
        writer.writerow([_csv_cell(v) for v in row])
    response = HttpResponse("\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{stem}.csv"'
    return response


def xlsx_response(rows: list[list], stem: str) -> HttpResponse:
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
    response = HttpResponse(
        out.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="{stem}.xlsx"'
    return response


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
            "Återstår",
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
                    r.remaining,
                    r.outcome_status,
                    r.summary,
                    indicators,
                ]
            )
    rows.append(["Summa", "", "", "", "", report.granted, report.disbursed, report.remaining])
    return rows
