"""Import test helpers: filled-in templates built with openpyxl, and a fund like DGR's opened in 2022."""

import io
from datetime import date
from decimal import Decimal

from accounting import services as ledger
from imports import workbook
from imports.kinds import SPECS
from people.models import Party
from tests.accounting.factories import make_fund


def filled(kind: str, rows: list[dict], *, rename: dict | None = None, marker: str | None = None) -> bytes:
    """The downloadable template of `kind` with `rows` (header -> value) filled in. `rename` changes
    headers (as a person might), `marker` overwrites the kind's marker."""
    parties = list(Party.objects.active().in_swedish_order())
    book = workbook.template(kind, parties)
    sheet = book[SPECS[kind].sheet]
    headers = [cell.value for cell in sheet[1]]
    for row in rows:
        unknown = set(row) - set(headers)
        assert not unknown, unknown
        sheet.append([row.get(header) for header in headers])
    for old, new in (rename or {}).items():
        sheet.cell(row=1, column=headers.index(old) + 1, value=new)
    if marker is not None:
        book[workbook.INSTRUCTIONS_SHEET]["A1"] = marker
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def zip_bomb(template: bytes) -> bytes:
    """A real template with one more part: 101 MB of zeros, about 100 kB packed (the checker's limit
    per part is 100 MB)."""
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(template)) as source, zipfile.ZipFile(buffer, "w") as bomb:
        for info in source.infolist():
            bomb.writestr(info, source.read(info))
        padding = zipfile.ZipInfo("xl/media/padding.bin")
        padding.compress_type = zipfile.ZIP_DEFLATED
        with bomb.open(padding, "w") as part:
            zeros = bytes(1024 * 1024)
            for _ in range(101):
                part.write(zeros)
    return buffer.getvalue()


def upload(content: bytes, name: str = "import.xlsx"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content)


def fund_since_2022(finance):
    """DGR opened 2022-01-01 with 10 MSEK in each capital part."""
    fund = make_fund(finance, opened_on=date(2022, 1, 1))
    for part in fund.capital_parts.all():
        ledger.capital_add(
            capital_part=part,
            amount=Decimal("10000000.00"),
            booking_date=date(2022, 1, 1),
            text="Ingående kapital",
            user=finance,
        )
    return fund


INITIATIVE_ROWS = [
    {
        "Diarienummer": "DGR 2022/0003",
        "Inlämnat": date(2022, 2, 1),
        "Part": "Karlstad",
        "Titel": "Kompetenslyft i besöksnäringen",
        "Sammanfattning": "Utbildning för hela länets besöksnäring.",
        "Typ av satsning": "Projekt",
        "Medverkande parter": "Arvika; 1737",
        "Insatsområden": "Höja kompetensen",
        "Startdatum": date(2022, 5, 1),
        "Slutdatum": date(2023, 12, 31),
        "Total kostnad (kr)": 5000000,
        "Sökt belopp ur DGR (kr)": "3 000 000,00",
        "Kontaktperson": "Anna Andersson",
        "Kontaktpersonens e-post": "anna@karlstad.invalid",
        "Status": "Avslutat",
    },
    {
        "Diarienummer": "2022/7",
        "Inlämnat": "2022-04-20",
        "Part": "Arvika",
        "Titel": "Laddinfrastruktur längs E18",
        "Status": "Beviljat av Region Värmland",
    },
    {
        "Diarienummer": "DGR 2023/0002",
        "Inlämnat": date(2023, 1, 10),
        "Part": "Region Värmland",
        "Titel": "Gemensam besöksapp",
        "Status": "Återkallat",
    },
    {
        "Diarienummer": "DGR 2024/0001",
        "Inlämnat": date(2024, 9, 1),
        "Part": "1715",
        "Titel": "Skogsnäringens kompetenscentrum",
        "Status": "Under beredning",
    },
]

POSITION_ROWS = [
    {
        "Organ": "Värmlandsrådet",
        "Sammanträdesdatum": date(2022, 3, 10),
        "Paragraf": 5,
        "Diarienummer": "DGR 2022/0003",
        "Utfall": "Konsensus",
        "Tillstyrkt belopp (kr)": 3000000,
        "Beslutstext": "Värmlandsrådet tillstyrker initiativet.",
        "Karlstad": "Står bakom",
        "Arvika": "Står bakom",
    },
    {
        "Organ": "VR",
        "Sammanträdesdatum": date(2022, 6, 1),
        "Paragraf": 12,
        "Diarienummer": "DGR 2022/0007",
        "Utfall": "Konsensus",
        "Tillstyrkt belopp (kr)": "2000000",
        "Arvika": "Jäv",
    },
]

DECISION_ROWS = [
    {
        "Beslutsnummer": "RS 2022/10 § 4",
        "Diarienummer": "DGR 2022/0003",
        "Beslutsdatum": date(2022, 4, 1),
        "Beslutsfattare": "Regionstyrelsen",
        "Beslutsfattarens namn": "Regionstyrelsen",
        "Punkt i delegationsordningen": "",
        "Beviljat belopp (kr)": 3000000,
    },
    {
        "Beslutsnummer": "RD 2022/20",
        "Diarienummer": "DGR 2022/0007",
        "Beslutsdatum": date(2022, 7, 1),
        "Beslutsfattare": "Delegat",
        "Beslutsfattarens namn": "Regiondirektören",
        "Punkt i delegationsordningen": "3.2.1",
        "Beviljat belopp (kr)": 2000000,
    },
]


def posting(key, event, day, amount=None, **more):
    row = {"Importnyckel": key, "Händelse": event, "Bokföringsdag": day, "Belopp (kr)": amount}
    row.update(more)
    return row


POSTING_ROWS = [
    # Deliberately not in date order: the import books them in booking-date order.
    posting("A-2023-4", "Utbetalning", date(2023, 2, 1), 1500000, **{"Åtagandets importnyckel": "A-2022-1"}),
    posting(
        "A-2022-1", "Åtagande", date(2022, 4, 15), 3000000, Beslutsnummer="RS 2022/10 § 4", Kapitaldel="1"
    ),
    posting(
        "A-2022-2",
        "Åtagande",
        date(2022, 7, 15),
        2000000,
        Beslutsnummer="RD 2022/20",
        Kapitaldel="Värmlandstrafik",
        **{"Planerat utbetalningsår": 2023},
    ),
    posting(
        "A-2022-3", "Utbetalning", date(2022, 5, 1), "1 000 000", **{"Åtagandets importnyckel": "A-2022-1"}
    ),
    posting("A-2023-9", "Frigörande", date(2023, 12, 1), 500000, **{"Åtagandets importnyckel": "A-2022-1"}),
    posting(
        "A-2024-1", "Återbetalning", date(2024, 1, 10), 200000, **{"Åtagandets importnyckel": "A-2022-1"}
    ),
    posting("A-2024-2", "Överföring", date(2024, 2, 1), 1000000, Kapitaldel="3", **{"Till kapitaldel": "1"}),
    posting("AVSLUT-1", "Avslut", date(2024, 3, 1), Diarienummer="DGR 2022/0003"),
]
