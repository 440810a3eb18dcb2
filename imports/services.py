"""Importing existing records: a dry run that executes the real import and rolls it back, then the real run.

Each kind's rows go through the other apps' own services (`initiative_import`, `position_import`,
`decision_record`, `commitment_create`, `disbursement_record`, `commitment_release`, `repayment_record`,
`capital_transfer`, `initiative_complete_imported`), so the import is held to exactly the rules and database
guarantees of the UI. The dry run and the real run are the same code: the dry run only rolls back at the
end, so what it reports is what the real run will do.

- Every row runs in its own savepoint: a refused row is rolled back and reported (sheet, row, column, a
  Swedish message) and the next row is tried, so one run lists every problem.
- The whole file runs in one more savepoint: any problem (or a dry run) rolls all of it back. All or
  nothing per file.
- Natural keys make a second run create nothing twice: registration number, body + year + paragraph,
  decision reference, and each posting row's import key (turned into the ledger's idempotency key).
- No mail is sent for replayed history (`notifications_held`), and the audit trail names the importer.
- `progress(done, total)` is called after every row: the management command prints it; the background
  jobs (imports/tasks.py) write it through a connection of their own (imports/progress.py), so the page
  shows it while the import's transaction is still open.
"""

import hashlib
import math
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import DatabaseError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounting import services as ledger
from accounting.models import CapitalPart, Decision, FiscalYear, Fund, Verification
from accounting.models import Kind as LedgerKind
from core.history import acting_as
from core.language import in_swedish
from core.money import format_amount, parse_amount
from core.uploads import check_upload, display_name
from council.models import BlockResolution, Body, Outcome, Paragraph, StanceKind
from council.services import position_import
from imports import permissions
from imports.kinds import (
    EVENT_VALUES,
    MAKER_VALUES,
    OUTCOME_VALUES,
    RESOLUTION_VALUES,
    SPECS,
    STANCE_VALUES,
    STATUS_VALUES,
)
from imports.models import Import, ImportKind, ImportProgress
from imports.workbook import Problem, Row, Sheet, as_date, read
from initiatives.models import ActionArea, Initiative, Status, parse_registration_number
from initiatives.models import Kind as InitiativeKind
from initiatives.services import (
    IMPORT_PATHS,
    initiative_complete_imported,
    initiative_import,
    notifications_held,
)
from people.models import Party, User

MAX_BYTES = 10 * 1024 * 1024
XLSX_ONLY = frozenset({"xlsx"})
# Natural keys become UUIDs for the ledger's idempotency keys: the same fund and key give the same UUID.
KEY_NAMESPACE = uuid.UUID("6f1d8a52-6d0e-4c59-9a55-0d6a1c3b2e10")

Progress = Callable[[int, int], None]

# The Swedish words in the templates, mapped to the stored values. Fixed, like the headers: files are read
# the same whatever language the reader's interface is in.
STATUSES = dict(
    zip(
        STATUS_VALUES,
        [
            Status.SUBMITTED,
            Status.COMPLEMENT_REQUESTED,
            Status.PREPARED,
            Status.NOT_ELIGIBLE,
            Status.PROPOSED,
            Status.SUPPORTED,
            Status.NOT_SUPPORTED,
            Status.DECIDED,
            Status.COMPLETED,
            Status.WITHDRAWN,
        ],
        strict=True,
    )
)
OUTCOMES = dict(zip(OUTCOME_VALUES, [Outcome.CONSENSUS, Outcome.NO_CONSENSUS], strict=True))
RESOLUTIONS = dict(
    zip(RESOLUTION_VALUES, [BlockResolution.BACK_TO_PREPARATION, BlockResolution.CLOSE], strict=True)
)
STANCES = dict(
    zip(
        STANCE_VALUES,
        [StanceKind.SUPPORTS, StanceKind.STANDS_ASIDE, StanceKind.OBJECTS, StanceKind.CONFLICT_OF_INTEREST],
        strict=True,
    )
)
MAKERS = dict(
    zip(
        MAKER_VALUES,
        [Decision.MakerKind.BOARD, Decision.MakerKind.COMMITTEE, Decision.MakerKind.DELEGATE],
        strict=True,
    )
)
EVENTS = dict(
    zip(
        EVENT_VALUES,
        [
            LedgerKind.COMMITMENT,
            LedgerKind.DISBURSEMENT,
            LedgerKind.RELEASE,
            LedgerKind.REPAYMENT,
            LedgerKind.TRANSFER,
            "completion",
        ],
        strict=True,
    )
)
INITIATIVE_KINDS = {
    "Projekt": InitiativeKind.PROJECT,
    "Verksamhet": InitiativeKind.OPERATION,
    "Investering": InitiativeKind.INVESTMENT,
}

# The services' field names, as the template's columns.
FIELD_COLUMNS = {
    "registration_serial": "number",
    "registration_year": "number",
    "requested_amount": "requested",
    "initiative": "number",
    "to_part": "to_capital_part",
    "from_part": "capital_part",
    "decision": "reference",
    "kind": "initiative_kind",
    "decided_on": "decided_on",
    "completed_on": "booking_date",
}


class RowRefused(Exception):
    """Problems of one row, each with its column key."""

    def __init__(self, problems: list[tuple[str, str]]):
        super().__init__(problems)
        self.problems = problems


@dataclass
class Result:
    rows: list[dict] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    total: int = 0
    created: int = 0
    skipped: int = 0


# --- reading cell values ------------------------------------------------------------------------------


class Cells:
    """One row's values, converted with a Swedish message per bad cell (collected, then raised together)."""

    def __init__(self, row: Row):
        self.row = row
        self.problems: list[tuple[str, str]] = []

    def refuse(self, key: str, message: str) -> None:
        self.problems.append((key, message))

    def done(self) -> None:
        if self.problems:
            raise RowRefused(self.problems)

    def text(self, key: str, *, required: bool = False, max_length: int | None = None) -> str:
        value = self.row.values.get(key)
        text = "" if value is None else str(value).strip()
        if isinstance(value, float) and value.is_integer():
            text = str(int(value))
        if required and not text:
            self.refuse(key, _("Fältet måste fyllas i."))
        if max_length and len(text) > max_length:
            self.refuse(key, _("Högst %(max)s tecken.") % {"max": max_length})
        return text

    def date(self, key: str, *, required: bool = False) -> date | None:
        value = self.row.values.get(key)
        try:
            parsed = as_date(value)
        except (TypeError, ValueError):
            self.refuse(key, _("Skriv datumet som ÅÅÅÅ-MM-DD (till exempel 2022-03-15)."))
            return None
        if parsed is None and required:
            self.refuse(key, _("Fältet måste fyllas i."))
        return parsed

    def amount(self, key: str, *, required: bool = False) -> Decimal | None:
        value = self.row.values.get(key)
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                self.refuse(key, _("Ange ett belopp."))
            return None
        if isinstance(value, bool):  # a TRUE/FALSE cell; bool is an int to Python
            self.refuse(key, _("Skriv ett belopp, till exempel 1 250 000,50."))
            return None
        if isinstance(value, float):
            if not math.isfinite(value):
                self.refuse(key, _("Skriv ett belopp, till exempel 1 250 000,50."))
                return None
            # A number cell (Excel shows 1 234,50, openpyxl gives 1234.5): the shortest digits that are
            # that float, as Excel stored them, never through float arithmetic. parse_amount reads the
            # Decimal as it is (still refusing a third decimal); only text goes the Swedish way.
            value = Decimal(repr(value))
        try:
            amount = parse_amount(value)
        except ValidationError as exc:
            self.refuse(key, exc.messages[0])
            return None
        if amount <= 0:
            self.refuse(key, _("Beloppet måste vara större än noll."))
            return None
        return amount

    def integer(self, key: str, *, required: bool = False) -> int | None:
        value = self.row.values.get(key)
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                self.refuse(key, _("Fältet måste fyllas i."))
            return None
        try:
            number = Decimal(str(value).strip())
        except ArithmeticError:
            number = None
        if number is None or number != number.to_integral_value() or number < 1:
            self.refuse(key, _("Skriv ett heltal, till exempel 12."))
            return None
        return int(number)

    def choice(self, key: str, choices: dict, *, required: bool = False):
        text = self.text(key, required=required)
        if not text:
            return None
        folded = {label.casefold(): value for label, value in choices.items()}
        if text.casefold() not in folded:
            self.refuse(
                key,
                _("Okänt värde ”%(value)s”. Välj bland: %(values)s.")
                % {"value": text, "values": ", ".join(choices)},
            )
            return None
        return folded[text.casefold()]


class Lookups:
    """Parties, areas, bodies and capital parts by the names people write, read once per run."""

    def __init__(self, fund: Fund | None):
        self.parties = list(Party.objects.all())
        self.by_party = {p.name.casefold(): p for p in self.parties} | {p.code: p for p in self.parties}
        self.areas = {a.name.casefold(): a for a in ActionArea.objects.all()}
        self.bodies = {}
        for body in Body.objects.all():
            for name in (body.name, body.short_name, body.slug):
                self.bodies[name.casefold()] = body
        self.parts = {}
        if fund is not None:
            for part in CapitalPart.objects.filter(fund=fund):
                self.parts[str(part.number)] = part
                self.parts[part.name.casefold()] = part
                self.parts[str(part).casefold()] = part

    def party(self, cells: Cells, key: str, text: str) -> Party | None:
        party = self.by_party.get(text.strip().casefold()) or self.by_party.get(text.strip())
        if party is None:
            cells.refuse(key, _("Okänd part ”%(name)s”.") % {"name": text.strip()})
        return party

    def part(self, cells: Cells, key: str, text: str) -> CapitalPart | None:
        part = self.parts.get(text.strip().casefold())
        if part is None:
            cells.refuse(key, _("Okänd kapitaldel ”%(name)s” (ange numret eller namnet).") % {"name": text})
        return part


def _split(text: str) -> list[str]:
    return [part.strip() for part in text.replace(",", ";").split(";") if part.strip()]


def _initiative(cells: Cells, key: str = "number") -> Initiative | None:
    text = cells.text(key, required=True)
    if not text:
        return None
    if parse_registration_number(text) is None:
        cells.refuse(key, _("Skriv diarienumret som DGR ÅÅÅÅ/NNNN, till exempel DGR 2022/0007."))
        return None
    initiative = Initiative.objects.with_registration_number(text).first()
    if initiative is None:
        cells.refuse(key, _("Det finns inget initiativ med diarienumret %(number)s.") % {"number": text})
    return initiative


def _noon(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(12, 0)))


def _key(fund: Fund, kind: str, text: str) -> uuid.UUID:
    return uuid.uuid5(KEY_NAMESPACE, f"{fund.pk}:{kind}:{text.strip().casefold()}")


# --- the four kinds -----------------------------------------------------------------------------------


class Run:
    def __init__(self, *, sheet: Sheet, user: User, fund: Fund | None, progress: Progress | None):
        self.sheet = sheet
        self.user = user
        self.fund = fund
        self.progress = progress
        self.lookups = Lookups(fund)
        self.result = Result(total=len(sheet.rows))
        self.seen: dict[str, int] = {}

    def once(self, cells: Cells, key: str, natural: str) -> bool:
        """The same natural key twice in one file is a mistake, not a repeat. True if it is the first."""
        first = self.seen.setdefault(natural.casefold(), cells.row.number)
        if first != cells.row.number:
            cells.refuse(key, _("Finns redan på rad %(row)s i filen.") % {"row": first})
        return first == cells.row.number

    def execute(self, rows: list[Row], handle) -> None:
        for done, row in enumerate(rows, start=1):
            cells = Cells(row)
            try:
                with transaction.atomic():
                    action, text = handle(cells)
            except RowRefused as exc:
                self._refused(row, exc.problems)
            except ValidationError as exc:
                self._refused(row, self._from_validation(exc))
            except PermissionDenied as exc:
                self._refused(row, [("", str(exc) or _("Du har inte behörighet."))])
            except DatabaseError as exc:
                self._refused(
                    row, [("", _("Databasen vägrade raden: %(error)s") % {"error": str(exc).strip()[:300]})]
                )
            else:
                self.result.rows.append(
                    {"sheet": self.sheet.spec.sheet, "row": row.number, "action": action, "text": text}
                )
                if action == "create":
                    self.result.created += 1
                else:
                    self.result.skipped += 1
            if self.progress:
                self.progress(done, len(rows))

    def _from_validation(self, exc: ValidationError) -> list[tuple[str, str]]:
        if not hasattr(exc, "error_dict"):
            return [("", message) for message in exc.messages]
        columns = {c.key for c in self.sheet.spec.columns}
        problems = []
        for name, messages in exc.message_dict.items():
            key = FIELD_COLUMNS.get(name, name)
            for message in messages:
                problems.append((key if key in columns else "", message))
        return problems

    def _refused(self, row: Row, problems: list[tuple[str, str]]) -> None:
        for key, message in problems:
            self.result.problems.append(
                Problem(self.sheet.spec.sheet, row.number, self.sheet.place(key), message)
            )

    # Initiatives -------------------------------------------------------------------------------------

    def initiative(self, cells: Cells) -> tuple[str, str]:
        number_text = cells.text("number", required=True)
        numbers = parse_registration_number(number_text) if number_text else None
        if number_text and numbers is None:
            cells.refuse("number", _("Skriv diarienumret som DGR ÅÅÅÅ/NNNN, till exempel DGR 2022/0007."))
        first = bool(numbers) and self.once(cells, "number", f"{numbers[0]}/{numbers[1]}")
        submitted_on = cells.date("submitted_on", required=True)
        party_text = cells.text("party", required=True)
        party = self.lookups.party(cells, "party", party_text) if party_text else None
        title = cells.text("title", required=True, max_length=200)
        co_parties = [self.lookups.party(cells, "co_parties", t) for t in _split(cells.text("co_parties"))]
        areas = []
        for name in _split(cells.text("areas")):
            area = self.lookups.areas.get(name.casefold())
            if area is None:
                cells.refuse("areas", _("Okänt insatsområde ”%(name)s”.") % {"name": name})
            areas.append(area)
        start_date, end_date = cells.date("start_date"), cells.date("end_date")
        total, requested = cells.amount("total_cost"), cells.amount("requested")
        if (total is None) != (requested is None) and not cells.problems:
            cells.refuse(
                "requested" if requested is None else "total_cost",
                _("Ange både total kostnad och sökt belopp, eller inget av dem."),
            )
        kind = cells.choice("initiative_kind", INITIATIVE_KINDS)
        status = cells.choice("status", STATUSES, required=True)
        data = {
            "title": title,
            "summary": cells.text("summary", max_length=2000),
            "kind": kind or "",
            "start_date": start_date,
            "end_date": end_date,
            "contact_name": cells.text("contact_name", max_length=150),
            "contact_email": cells.text("contact_email"),
        }
        if first:
            existing = Initiative.objects.filter(
                registration_year=numbers[0], registration_serial=numbers[1]
            ).first()
            if existing is not None:
                if existing.title != title or (party and existing.party_id != party.pk):
                    cells.refuse(
                        "number",
                        _("Diarienumret finns redan för ett annat initiativ: ”%(title)s”.")
                        % {"title": existing.title},
                    )
                cells.done()
                return "skip", _("%(number)s finns redan; skapas inte igen.") % {
                    "number": existing.registration_number
                }
        cells.done()
        placed = status if status in IMPORT_PATHS else Status.PROPOSED
        budget_year = (start_date or submitted_on).year
        initiative = initiative_import(
            user=self.user,
            party=party,
            registration_year=numbers[0],
            registration_serial=numbers[1],
            submitted_at=_noon(submitted_on),
            status=placed,
            data=data,
            co_parties=co_parties,
            alignments={a.pk: _("Uppgift ur tidigare handläggning (importerad).") for a in areas},
            budget=[(budget_year, total, requested)] if total else [],
        )
        text = _("%(number)s ”%(title)s” (%(party)s), status %(status)s") % {
            "number": initiative.registration_number,
            "title": title,
            "party": party.name,
            "status": Status(placed).label,
        }
        if placed != status:
            text += " " + _("(”%(status)s” nås när ställningstagande, beslut och avslut importeras)") % {
                "status": Status(status).label
            }
        return "create", text

    # Positions ---------------------------------------------------------------------------------------

    def position(self, cells: Cells) -> tuple[str, str]:
        body_text = cells.text("body", required=True)
        body = self.lookups.bodies.get(body_text.casefold()) if body_text else None
        if body_text and body is None:
            cells.refuse("body", _("Okänt organ ”%(name)s”.") % {"name": body_text})
        day = cells.date("meeting_day", required=True)
        number = cells.integer("paragraph", required=True)
        if body and day and number:
            self.once(cells, "paragraph", f"{body.pk}/{day.year}/{number}")
        initiative = _initiative(cells)
        outcome = cells.choice("outcome", OUTCOMES, required=True)
        supported = cells.amount("supported_amount")
        resolution = cells.choice("resolution", RESOLUTIONS) or ""
        reason = cells.text("objection_reason")
        stances = {}
        for name, value in cells.row.stances.items():
            if value is None or not str(value).strip():
                continue
            folded = {label.casefold(): kind for label, kind in STANCES.items()}
            kind = folded.get(str(value).strip().casefold())
            if kind is None:
                cells.refuse(
                    name,
                    _("Okänt ställningstagande ”%(value)s”. Välj bland: %(values)s.")
                    % {"value": value, "values": ", ".join(STANCES)},
                )
                continue
            stances[self.lookups.by_party[name.casefold()]] = (
                kind,
                reason if kind == StanceKind.OBJECTS else "",
            )
        if body and day and number:
            existing = (
                Paragraph.objects.filter(body=body, year=day.year, number=number)
                .select_related("item")
                .first()
            )
            if existing is not None:
                if initiative and existing.item.initiative_id != initiative.pk:
                    cells.refuse("paragraph", _("Paragrafen finns redan för ett annat ärende."))
                cells.done()
                return "skip", _("%(body)s %(year)s § %(number)s finns redan; skapas inte igen.") % {
                    "body": body.short_name,
                    "year": day.year,
                    "number": number,
                }
        cells.done()
        position_import(
            body=body,
            meeting_day=day,
            paragraph_number=number,
            initiative=initiative,
            outcome=outcome,
            supported_amount=supported,
            resolution=resolution,
            stances=stances,
            statement=cells.text("statement"),
            user=self.user,
        )
        text = _("%(body)s %(day)s § %(number)s: %(outcome)s för %(initiative)s") % {
            "body": body.short_name,
            "day": day.isoformat(),
            "number": number,
            "outcome": Outcome(outcome).label,
            "initiative": initiative.registration_number,
        }
        if outcome == Outcome.CONSENSUS:
            text += f", {format_amount(supported)}"
        return "create", text

    # Decisions ---------------------------------------------------------------------------------------

    def decision(self, cells: Cells) -> tuple[str, str]:
        reference = cells.text("reference", required=True, max_length=100)
        if reference:
            self.once(cells, "reference", reference)
        initiative = _initiative(cells)
        decided_on = cells.date("decided_on", required=True)
        maker_kind = cells.choice("maker_kind", MAKERS, required=True)
        maker_name = cells.text("maker_name", required=True, max_length=200)
        delegation_point = cells.text("delegation_point", max_length=50)
        amount = cells.amount("amount", required=True)
        if (
            reference
            and Decision.objects.filter(
                Q(idempotency_key=_key(self.fund, "decision", reference)) | Q(reference__iexact=reference),
                fund=self.fund,
            ).exists()
        ):
            cells.done()
            return "skip", _("Beslut %(reference)s finns redan; skapas inte igen.") % {"reference": reference}
        cells.done()
        ledger.decision_record(
            fund=self.fund,
            initiative=initiative,
            maker_kind=maker_kind,
            maker_name=maker_name,
            delegation_point=ledger.delegation_point_for_record(
                code=delegation_point,
                decided_on=decided_on,
                maker_kind=maker_kind,
                maker_name=maker_name,
                user=self.user,
            ),
            decided_on=decided_on,
            reference=reference,
            amount=amount,
            user=self.user,
            idempotency_key=_key(self.fund, "decision", reference),
        )
        return "create", _("Beslut %(reference)s den %(day)s: %(amount)s till %(initiative)s") % {
            "reference": reference,
            "day": decided_on.isoformat(),
            "amount": format_amount(amount),
            "initiative": initiative.registration_number,
        }

    # Postings ----------------------------------------------------------------------------------------

    def _year_for(self, cells: Cells, day: date) -> None:
        """Open the fiscal years up to the booking's (a closed year stays closed: the ledger refuses)."""
        if day < self.fund.opened_on:
            cells.refuse(
                "booking_date",
                _("Bokföringsdagen ligger före fondens öppningsdag %(day)s.")
                % {"day": self.fund.opened_on.isoformat()},
            )
        elif day > timezone.localdate():
            cells.refuse("booking_date", _("Bokföringsdagen ligger i framtiden."))
        cells.done()
        existing = set(FiscalYear.objects.filter(fund=self.fund).values_list("year", flat=True))
        for year in range(self.fund.opened_on.year, day.year + 1):
            if year not in existing:
                ledger.fiscal_year_open(fund=self.fund, year=year, user=self.user)

    def _commitment(self, cells: Cells):
        key_text = cells.text("commitment_key", required=True)
        if not key_text:
            return None
        verification = (
            Verification.objects.filter(
                idempotency_key=_key(self.fund, "posting", key_text), kind=LedgerKind.COMMITMENT
            )
            .select_related("commitment")
            .first()
        )
        if verification is None or verification.commitment is None:
            cells.refuse(
                "commitment_key",
                _(
                    "Inget åtagande med importnyckeln ”%(key)s” "
                    "(det ska stå på en rad före, eller redan vara importerat)."
                )
                % {"key": key_text},
            )
            return None
        return verification.commitment

    def posting(self, cells: Cells) -> tuple[str, str]:
        key_text = cells.text("key", required=True, max_length=100)
        if key_text:
            self.once(cells, "key", key_text)
        event = cells.choice("event", EVENTS, required=True)
        day = cells.date("booking_date", required=True)
        label = next((k for k, v in EVENTS.items() if v == event), "")
        if event == "completion":
            initiative = _initiative(cells)
            cells.done()
            if initiative.status == Status.COMPLETED:
                return "skip", _("%(number)s är redan avslutat.") % {"number": initiative.registration_number}
            initiative_complete_imported(initiative=initiative, completed_on=day, user=self.user)
            return "create", _("%(number)s avslutas (%(day)s)") % {
                "number": initiative.registration_number,
                "day": day.isoformat(),
            }
        amount = cells.amount("amount", required=True)
        if not key_text or event is None or day is None:
            cells.done()
        idempotency_key = _key(self.fund, "posting", key_text)
        if Verification.objects.filter(idempotency_key=idempotency_key).exists():
            cells.done()
            return "skip", _("Rad med importnyckel %(key)s är redan bokförd; bokförs inte igen.") % {
                "key": key_text
            }
        text = cells.text("text", max_length=200) or f"{label} (import {key_text})"
        common = {
            "amount": amount,
            "booking_date": day,
            "text": text,
            "user": self.user,
            "idempotency_key": idempotency_key,
        }
        if event == LedgerKind.COMMITMENT:
            reference = cells.text("reference", required=True)
            decision = None
            if reference:
                decision = Decision.objects.filter(fund=self.fund, reference__iexact=reference).first()
                if decision is None:
                    cells.refuse(
                        "reference",
                        _("Det finns inget beslut %(reference)s i fonden.") % {"reference": reference},
                    )
            part_text = cells.text("capital_part", required=True)
            part = self.lookups.part(cells, "capital_part", part_text) if part_text else None
            planned_year = cells.integer("planned_year")
            self._year_for(cells, day)
            ledger.commitment_create(
                decision=decision,
                shares=[ledger.Share(part, amount, planned_year)],
                booking_date=day,
                text=text,
                user=self.user,
                idempotency_key=idempotency_key,
            )
            what = _("åtagande för %(initiative)s ur %(part)s") % {
                "initiative": decision.initiative.registration_number,
                "part": part,
            }
        elif event == LedgerKind.TRANSFER:
            from_text, to_text = (
                cells.text("capital_part", required=True),
                cells.text("to_capital_part", required=True),
            )
            from_part = self.lookups.part(cells, "capital_part", from_text) if from_text else None
            to_part = self.lookups.part(cells, "to_capital_part", to_text) if to_text else None
            self._year_for(cells, day)
            ledger.capital_transfer(from_part=from_part, to_part=to_part, **common)
            what = _("överföring från %(from)s till %(to)s") % {"from": from_part, "to": to_part}
        else:
            commitment = self._commitment(cells)
            self._year_for(cells, day)
            service = {
                LedgerKind.DISBURSEMENT: ledger.disbursement_record,
                LedgerKind.RELEASE: ledger.commitment_release,
                LedgerKind.REPAYMENT: ledger.repayment_record,
            }[event]
            service(commitment=commitment, **common)
            what = _("%(event)s, %(initiative)s") % {
                "event": label.lower(),
                "initiative": commitment.initiative.registration_number,
            }
        return "create", _("%(day)s %(amount)s: %(what)s") % {
            "day": day.isoformat(),
            "amount": format_amount(amount),
            "what": what,
        }


def _posting_order(row: Row) -> tuple:
    """Booking-date order, money before the completion of the same day; unreadable dates first (refused)."""
    try:
        day = as_date(row.values.get("booking_date")) or date.min
    except (TypeError, ValueError):
        day = date.min
    completion = str(row.values.get("event") or "").strip().casefold() == "avslut"
    return (day, completion, row.number)


def _checked_content(upload) -> bytes:
    """The upload's bytes, after the one upload checker (core.uploads) has found it one whole .xlsx whose
    parts unpack within limits, read in chunks: a small file that unpacks to gigabytes is refused before
    openpyxl sees it."""
    size = getattr(upload, "size", None)
    if size is not None and size > MAX_BYTES:
        raise ValidationError({"file": _("Filen är större än 10 MB.")}, code="too_large")
    try:
        check_upload(upload, allowed=XLSX_ONLY)
    except ValidationError as exc:
        raise ValidationError({"file": exc.error_list}) from exc
    content = upload.read(MAX_BYTES + 1)
    if len(content) > MAX_BYTES:
        raise ValidationError({"file": _("Filen är större än 10 MB.")}, code="too_large")
    if not content:
        raise ValidationError({"file": _("Filen är tom.")}, code="empty")
    return content


def _parse(content: bytes, kind: str) -> Sheet:
    """The workbook's rows. Called before any transaction opens: parsing a large file takes time, and the
    app role's session is ended when a transaction stays idle for 60 s (core/dbroles.py)."""
    parties = list(Party.objects.active().in_swedish_order())
    with in_swedish():  # the report is a record of the cooperation, in Swedish
        return read(content, kind, parties)


def _execute(*, record: Import, sheet: Sheet, user: User, commit: bool, progress: Progress | None) -> Result:
    """Run the parsed rows through the services in one savepoint; roll it back after a dry run or any
    problem."""
    if sheet.problems:
        return Result(problems=sheet.problems, total=len(sheet.rows))
    run = Run(sheet=sheet, user=user, fund=record.fund, progress=progress)
    handle, rows = {
        ImportKind.INITIATIVES: (run.initiative, sheet.rows),
        ImportKind.POSITIONS: (run.position, sheet.rows),
        ImportKind.DECISIONS: (run.decision, sheet.rows),
        ImportKind.POSTINGS: (run.posting, sorted(sheet.rows, key=_posting_order)),
    }[record.kind]
    with transaction.atomic():
        with in_swedish(), notifications_held(), acting_as(user, "import"):
            run.execute(rows, handle)
        if run.result.problems or not commit:
            transaction.set_rollback(True)
    run.result.problems.sort(key=lambda p: p.row or 0)
    return run.result


def _store(record: Import, result: Result) -> None:
    record.rows = result.rows
    record.problems = [p.as_dict() for p in result.problems]
    record.total_rows = result.total
    record.created_count = result.created
    record.skipped_count = result.skipped
    record.error = ""


# --- the steps ------------------------------------------------------------------------------------------
# The page keeps the file and queues the dry run (`import_receive`); a worker dry-runs it (`import_check`);
# the page asks for the real run (`import_run_request`); a worker runs it (`import_run`). The management
# command calls `import_upload` (keep and dry-run at once) and `import_run` itself. Each run reads and
# parses the stored file first, outside any transaction (see `_parse`), then writes in one transaction:
# the record, and the rows run through the services in a savepoint.


def _queue(record: Import, user: User, task_name: str) -> None:
    """Queue the record's job in the caller's transaction (it disappears if that rolls back). One queueing
    lock per import: a second job for it cannot wait beside the first."""
    from imports import tasks

    task = {"check": tasks.import_check_job, "run": tasks.import_run_job}[task_name]
    task.configure(queueing_lock=import_lock(record)).defer(import_id=record.pk, user_id=user.pk)


def import_lock(record: Import) -> str:
    return f"import:{record.pk}"


def _progress_reset(record: Import, *, total: int = 0) -> None:
    ImportProgress.objects.update_or_create(
        record=record, defaults={"step": ImportProgress.Step.WAITING, "done": 0, "total": total}
    )


def _keep(*, kind: str, upload, user: User, fund: Fund | None) -> Import:
    """Check the upload and keep it as a record waiting for its dry run (in the caller's transaction). A
    file the upload checker refuses (not one whole .xlsx, or unpacking beyond the limits) is refused with
    its message and nothing is kept."""
    if kind not in SPECS or not permissions.can_import_kind(user, kind):
        raise PermissionDenied(_("Du har inte behörighet att importera den här typen av uppgifter."))
    if kind in (ImportKind.DECISIONS, ImportKind.POSTINGS) and fund is None:
        raise ValidationError({"fund": _("Välj fonden som beslut och bokföringar hör till.")})
    if kind in (ImportKind.INITIATIVES, ImportKind.POSITIONS):
        fund = None
    content = _checked_content(upload)
    record = Import(
        kind=kind,
        fund=fund,
        original_name=display_name(getattr(upload, "name", ""), fallback="import.xlsx")[-255:],
        sha256=hashlib.sha256(content).hexdigest(),
        status=Import.Status.CHECKING,
        uploaded_by=user,
    )
    record.file.save("import.xlsx", ContentFile(content), save=False)
    record.full_clean(exclude=["file", "uploaded_by"])
    record._history_user = user
    record._change_reason = "uppladdad"
    record.save()
    _progress_reset(record)
    return record


@transaction.atomic
def import_receive(*, kind: str, upload, user: User, fund: Fund | None = None) -> Import:
    """Keep the uploaded file and queue its dry run: a worker runs it (a file of 2 000 rows takes longer
    than a web request may), and the record's page shows how far it has come and then the report."""
    record = _keep(kind=kind, upload=upload, user=user, fund=fund)
    _queue(record, user, "check")
    return record


def import_upload(
    *, kind: str, upload, user: User, fund: Fund | None = None, progress: Progress | None = None
) -> Import:
    """Keep the uploaded file and dry-run it at once (the management command; tests): the record lists
    row by row what would be created and every problem. Nothing but the record (and its history) is
    written."""
    with transaction.atomic():
        record = _keep(kind=kind, upload=upload, user=user, fund=fund)
    return import_check(record=record, user=user, progress=progress)


def _stored_content(record: Import) -> bytes:
    with record.file.open("rb") as handle:
        content = handle.read()
    if hashlib.sha256(content).hexdigest() != record.sha256:
        raise ValidationError(_("Den sparade filen har ändrats sedan den laddades upp."), code="changed")
    return content


def import_check(*, record: Import, user: User, progress: Progress | None = None) -> Import:
    """Dry-run a kept file: run every row through the services and roll all of it back, storing row by
    row what would be created and every problem (status checked, or refused)."""
    stored = Import.objects.get(pk=record.pk)
    if not permissions.can_import_kind(user, stored.kind):
        raise PermissionDenied(_("Du har inte behörighet att importera den här typen av uppgifter."))
    _require_status(stored, Import.Status.CHECKING)
    sheet = _parse(_stored_content(stored), stored.kind)
    with transaction.atomic():
        locked = Import.objects.select_for_update().get(pk=record.pk)
        _require_status(locked, Import.Status.CHECKING)  # another worker may have dry-run it meanwhile
        result = _execute(record=locked, sheet=sheet, user=user, commit=False, progress=progress)
        _store(locked, result)
        locked.status = Import.Status.REFUSED if result.problems else Import.Status.CHECKED
        locked.checked_at = timezone.now()
        locked._history_user = user
        locked._change_reason = "provkörning"
        locked.save()
    return locked


@transaction.atomic
def import_run_request(*, record: Import, user: User) -> bool:
    """Ask for a dry-run file to be imported for real, by a worker. Returns False when its run is already
    waiting or running: pressing Importera twice, or in two tabs, runs the file once (the record's lock
    orders the two requests; the second sees the first one's status)."""
    locked = Import.objects.select_for_update().get(pk=record.pk)
    if not permissions.can_import_kind(user, locked.kind):
        raise PermissionDenied(_("Du har inte behörighet att importera den här typen av uppgifter."))
    if locked.status == Import.Status.IMPORTING:
        return False
    _require_status(locked, Import.Status.CHECKED)
    locked.status = Import.Status.IMPORTING
    locked.error = ""
    locked._history_user = user
    locked._change_reason = "import begärd"
    locked.save()
    _progress_reset(locked, total=locked.total_rows)
    _queue(locked, user, "run")
    return True


def import_run(*, record: Import, user: User, progress: Progress | None = None) -> Import:
    """Import a dry-run file for real, all or nothing (a checked file from the management command, or one
    whose run was requested, in the worker). If something changed since the dry run and a row is now
    refused, nothing is created and the record lists the problems.

    The stored file is read and parsed before the record is locked; under the lock its hash must still be
    the one the dry run recorded, so what runs is exactly what was checked."""
    runnable = (Import.Status.CHECKED, Import.Status.IMPORTING)
    stored = Import.objects.get(pk=record.pk)
    if not permissions.can_import_kind(user, stored.kind):
        raise PermissionDenied(_("Du har inte behörighet att importera den här typen av uppgifter."))
    _require_status(stored, *runnable)
    content = _stored_content(stored)
    sheet = _parse(content, stored.kind)
    with transaction.atomic():
        locked = Import.objects.select_for_update().get(pk=record.pk)
        _require_status(locked, *runnable)  # another run may have finished while this one parsed
        if locked.sha256 != stored.sha256:
            raise ValidationError(_("Den sparade filen har ändrats sedan provkörningen."), code="changed")
        result = _execute(record=locked, sheet=sheet, user=user, commit=True, progress=progress)
        _store(locked, result)
        if result.problems:
            locked.status = Import.Status.REFUSED
            reason = "import vägrad"
        else:
            locked.status = Import.Status.IMPORTED
            locked.imported_at = timezone.now()
            locked.imported_by = user
            reason = "importerat"
        locked._history_user = user
        locked._change_reason = reason
        locked.save()
    record.status = locked.status
    return locked


@transaction.atomic
def import_failed(*, record: Import, user: User, error: str) -> None:
    """A job broke off (its transaction is rolled back: nothing of it was created). The record goes back a
    step with the error in Swedish: a dry run that broke off is refused (upload the file again); a real
    run that broke off is a checked file again (press Importera again)."""
    locked = Import.objects.select_for_update().get(pk=record.pk)
    if locked.status not in Import.RUNNING:
        return  # it finished after all (a duplicate job found nothing to do)
    if locked.status == Import.Status.CHECKING:
        locked.status = Import.Status.REFUSED
        locked.checked_at = timezone.now()
    else:
        locked.status = Import.Status.CHECKED
    locked.error = error[:2000]
    locked._history_user = user
    locked._change_reason = "körning avbruten"
    locked.save()


def _require_status(record: Import, *allowed: str) -> None:
    if record.status in allowed:
        return
    if allowed == (Import.Status.CHECKING,):
        raise ValidationError(_("Filen är redan provkörd."), code="checked_already")
    raise ValidationError(
        _("Bara en provkörd fil utan problem kan importeras (status nu: %(status)s).")
        % {"status": record.status_label},
        code="not_checked",
    )
