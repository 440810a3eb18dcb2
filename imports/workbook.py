"""Excel in and out for the import: the downloadable template of each kind, and reading a filled-in file
back into rows of cell values, with every structural problem (wrong kind, missing or renamed columns) named
by its place. Values are converted per row by the import itself (services.py), where the messages are."""

import io
from dataclasses import dataclass, field
from datetime import date, datetime

from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from imports.kinds import BY_MARKER, INSTRUCTIONS_SHEET, MARKER_PREFIX, POSITIONS, SPECS, STANCE_VALUES, Spec
from imports.models import ImportKind

MAX_ROWS = 20000


@dataclass(frozen=True)
class Problem:
    sheet: str
    row: int | None
    column: str
    message: str

    def as_dict(self) -> dict:
        return {"sheet": self.sheet, "row": self.row, "column": self.column, "message": self.message}


@dataclass
class Row:
    number: int  # the row's number in Excel (the header is row 1)
    values: dict[str, object]
    stances: dict[str, object] = field(default_factory=dict)  # party column header -> cell (positions)


@dataclass
class Sheet:
    spec: Spec
    rows: list[Row]
    problems: list[Problem]
    letters: dict[str, str]  # column key (or party header) -> letter

    def place(self, key: str) -> str:
        """'D (Titel)': the column as the person sees it in Excel."""
        if not key:
            return ""
        header = next((c.header for c in self.spec.columns if c.key == key), key)
        letter = self.letters.get(key, "")
        return f"{letter} ({header})" if letter else header


def party_headers(parties) -> list[str]:
    return [p.name for p in parties]


def template(kind: str, parties=()) -> Workbook:
    """The empty template: an instructions sheet carrying the marker, and the data sheet with its headers."""
    spec = SPECS[kind]
    book = Workbook()
    info = book.active
    info.title = INSTRUCTIONS_SHEET
    info["A1"] = spec.marker
    info["A1"].font = Font(bold=True)
    info["A2"] = _(
        "Fyll i bladet ”%(sheet)s”, en rad per post. Ändra inte rubrikerna eller den här cellen A1."
    ) % {"sheet": spec.sheet}
    info["A3"] = _(
        "Ladda upp filen under Import i DGR. En provkörning visar rad för rad vad som skapas "
        "och alla problem; först därefter importeras filen, allt eller inget."
    )
    line = 5
    for text in spec.instructions:
        info.cell(row=line, column=1, value=text)
        line += 1
    line += 1
    info.cell(row=line, column=1, value=_("Kolumn")).font = Font(bold=True)
    info.cell(row=line, column=2, value=_("Krävs")).font = Font(bold=True)
    info.cell(row=line, column=3, value=_("Förklaring")).font = Font(bold=True)
    for column in spec.columns:
        line += 1
        info.cell(row=line, column=1, value=column.header)
        info.cell(row=line, column=2, value=_("ja") if column.required else "")
        explanation = column.help
        if column.choices:
            explanation = f"{explanation} {_('Värden')}: {', '.join(column.choices)}."
        info.cell(row=line, column=3, value=explanation.strip())
    info.column_dimensions["A"].width = 30
    info.column_dimensions["B"].width = 8
    info.column_dimensions["C"].width = 100

    data = book.create_sheet(spec.sheet)
    headers = [c.header for c in spec.columns]
    if kind == ImportKind.POSITIONS:
        headers += party_headers(parties)
    data.append(headers)
    for index, header in enumerate(headers, start=1):
        data.cell(row=1, column=index).font = Font(bold=True)
        width = next((c.width for c in spec.columns if c.header == header), 16)
        data.column_dimensions[get_column_letter(index)].width = width
    data.freeze_panes = "A2"
    choices = [(i, c.choices) for i, c in enumerate(spec.columns, start=1) if c.choices]
    if kind == ImportKind.POSITIONS:
        choices += [(len(spec.columns) + i, tuple(STANCE_VALUES)) for i in range(1, len(parties) + 1)]
    for index, values in choices:
        letter = get_column_letter(index)
        validation = DataValidation(type="list", formula1='"' + ",".join(values) + '"', allow_blank=True)
        validation.error = _("Välj ett av värdena i listan.")
        data.add_data_validation(validation)
        validation.add(f"{letter}2:{letter}{MAX_ROWS}")
    book.active = 1
    return book


def template_bytes(kind: str, parties=()) -> bytes:
    buffer = io.BytesIO()
    template(kind, parties).save(buffer)
    return buffer.getvalue()


def _blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def read(content: bytes, kind: str, parties=()) -> Sheet:
    """The rows of an uploaded file of `kind`, or the problems that stop it from being read at all."""
    spec = SPECS[kind]
    sheet = Sheet(spec=spec, rows=[], problems=[], letters={})

    def refuse(where: str, row, column: str, message: str) -> Sheet:
        sheet.problems.append(Problem(where, row, column, message))
        return sheet

    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds (zip, XML, key errors) for a file that is not xlsx
        return refuse("", None, "", _("Filen kunde inte läsas som en Excel-fil (.xlsx)."))
    marker = None
    if INSTRUCTIONS_SHEET in book.sheetnames:
        marker = book[INSTRUCTIONS_SHEET]["A1"].value
    if not isinstance(marker, str) or not marker.startswith(MARKER_PREFIX):
        return refuse(
            INSTRUCTIONS_SHEET,
            1,
            "A",
            _("Filen är inte en DGR-importmall: cell A1 på bladet ”%(sheet)s” saknar mallens markering.")
            % {"sheet": INSTRUCTIONS_SHEET},
        )
    found = BY_MARKER.get(marker.strip())
    if found is None:
        return refuse(
            INSTRUCTIONS_SHEET, 1, "A", _("Mallens version känns inte igen: ladda ner mallen på nytt.")
        )
    if found.kind != kind:
        return refuse(
            INSTRUCTIONS_SHEET,
            1,
            "A",
            _("Filen är en mall för ”%(found)s”, inte för ”%(expected)s”.")
            % {"found": ImportKind(found.kind).label, "expected": ImportKind(kind).label},
        )
    if spec.sheet not in book.sheetnames:
        return refuse(spec.sheet, None, "", _("Bladet ”%(sheet)s” saknas.") % {"sheet": spec.sheet})
    data = book[spec.sheet]
    lines = data.iter_rows(values_only=True)
    header = next(lines, None) or ()
    positions: dict[str, int] = {}
    for index, value in enumerate(header):
        if not _blank(value):
            positions.setdefault(str(value).strip(), index)
    expected = {c.header: c.key for c in spec.columns}
    stance_headers = {p.name.casefold(): p.name for p in parties} if kind == POSITIONS.kind else {}
    for column in spec.columns:
        if column.header not in positions:
            refuse(
                spec.sheet,
                1,
                column.header,
                _("Kolumnen ”%(header)s” saknas (borttagen eller omdöpt).") % {"header": column.header},
            )
    stance_columns: dict[str, int] = {}
    for text, index in positions.items():
        letter = get_column_letter(index + 1)
        if text in expected:
            sheet.letters[expected[text]] = letter
        elif text.casefold() in stance_headers:
            stance_columns[stance_headers[text.casefold()]] = index
            sheet.letters[stance_headers[text.casefold()]] = letter
        else:
            refuse(
                spec.sheet,
                1,
                f"{letter} ({text})",
                _("Okänd kolumn ”%(header)s”: mallen har ingen sådan (omdöpt?).") % {"header": text},
            )
    if sheet.problems:
        return sheet
    for number, cells in enumerate(lines, start=2):
        if number > MAX_ROWS + 1:
            return refuse(spec.sheet, number, "", _("Filen har fler än %(max)s rader.") % {"max": MAX_ROWS})
        cells = tuple(cells) + (None,) * max(0, len(header) - len(cells))
        if all(_blank(value) for value in cells):
            continue
        values = {expected[text]: cells[index] for text, index in positions.items() if text in expected}
        stances = {name: cells[index] for name, index in stance_columns.items()}
        sheet.rows.append(Row(number=number, values=values, stances=stances))
    book.close()
    return sheet


def as_date(value) -> date | None:
    """A date cell (Excel's own or ISO text 2022-03-15); raises ValueError for anything else."""
    if _blank(value):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value).strip())
