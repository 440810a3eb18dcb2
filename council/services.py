"""Every change to meetings, stances, positions, minutes and the agreement goes through these functions.

Each one checks the permission predicate, locks the meeting row (`select_for_update`), checks the
meeting's status, validates, writes with the acting user in the audit trail, and moves initiatives only
through `initiatives.services.initiative_transition`. Once the minutes are signed they refuse any change
— and so does the database (triggers in migration 0003).
"""

from datetime import date, datetime
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.language import in_swedish
from core.money import format_amount
from council import permissions
from council.consensus import Rules, compute_outcome
from council.models import (
    AgendaItem,
    Agreement,
    AgreementAdoption,
    Attendance,
    BlockResolution,
    Body,
    ItemDocument,
    Meeting,
    MeetingStatus,
    MinutesAdjuster,
    Outcome,
    Paragraph,
    ParagraphCounter,
    Position,
    Proposal,
    RulesOfProcedure,
    Stance,
    StanceKind,
)
from initiatives.models import Initiative, Status
from initiatives.services import initiative_transition
from people.models import Party, User
from people.roles import Role


def _save(obj, *, user: User, reason: str) -> None:
    obj.full_clean()
    obj._history_user = user
    obj._change_reason = reason[:100]
    obj.save()


def _notify(users, subject: str, body: str) -> None:
    """Mail after commit (never for a change that rolled back), one message per person."""
    recipients = sorted({u.email for u in users if u.is_active and u.email})
    if not recipients:
        return

    def send():
        for recipient in recipients:
            send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [recipient], fail_silently=True)

    transaction.on_commit(send)


def _meeting_path(meeting: Meeting) -> str:
    return reverse("council:meeting-detail", args=[meeting.pk])


def _require_manager(user: User) -> None:
    if not permissions.can_manage_meetings(user):
        raise PermissionDenied(_("Bara sekretariatet leder sammanträden."))


def _lock(meeting: Meeting, *allowed: str) -> Meeting:
    locked = Meeting.objects.select_for_update().select_related("body").get(pk=meeting.pk)
    if locked.status == MeetingStatus.MINUTES_SIGNED:
        raise ValidationError(
            _(
                "Protokollet är justerat och kan inte ändras. "
                "Rätta i en ny paragraf vid ett senare sammanträde."
            ),
            code="locked",
        )
    if allowed and locked.status not in allowed:
        raise ValidationError(
            _("Det går inte när sammanträdet har status ”%(status)s”."),
            code="wrong_status",
            params={"status": MeetingStatus(locked.status).label},
        )
    return locked


def rules_in_force(*, body: Body, on: date) -> RulesOfProcedure:
    rules = (
        body.rules.filter(valid_from__lte=on).order_by("-version").first()
        or body.rules.order_by("version").first()
    )
    if rules is None:
        raise ValidationError(_("Organet saknar arbetsordning."), code="no_rules")
    return rules


OPEN_FOR_AGENDA = (MeetingStatus.PLANNED, MeetingStatus.AGENDA_PUBLISHED)


@transaction.atomic
def meeting_create(
    *,
    body: Body,
    starts_at: datetime,
    place: str,
    user: User,
    chair: str = "",
    secretary: str = "",
    per_capsulam: bool = False,
) -> Meeting:
    _require_manager(user)
    if per_capsulam and not rules_in_force(body=body, on=timezone.localdate(starts_at)).per_capsulam_allowed:
        raise ValidationError(
            {"per_capsulam": _("Arbetsordningen tillåter inte ställningstaganden per capsulam.")},
            code="per_capsulam_not_allowed",
        )
    if not per_capsulam and not place.strip():
        raise ValidationError({"place": _("Ange var sammanträdet hålls.")}, code="required")
    meeting = Meeting(
        body=body,
        starts_at=starts_at,
        place=place.strip() or _("Per capsulam"),
        per_capsulam=per_capsulam,
        chair=chair,
        secretary=secretary,
        created_by=user,
    )
    _save(meeting, user=user, reason="sammanträde planerat")
    return meeting


def _expected_initiative_status(body: Body) -> str:
    return Status.PREPARED if body.makes_proposals else Status.PROPOSED


@transaction.atomic
def item_add(
    *,
    meeting: Meeting,
    user: User,
    initiative: Initiative | None = None,
    title: str = "",
    description: str = "",
    presenter: str = "",
    corrects: Paragraph | None = None,
    deferred_from: AgendaItem | None = None,
) -> AgendaItem:
    _require_manager(user)
    meeting = _lock(meeting, *OPEN_FOR_AGENDA)
    if initiative is not None:
        initiative = Initiative.objects.select_for_update().get(pk=initiative.pk)
        expected = _expected_initiative_status(meeting.body)
        if initiative.status != expected:
            raise ValidationError(
                {
                    "initiative": _("Initiativet måste ha status ”%(status)s” för att tas upp i %(body)s.")
                    % {"status": Status(expected).label, "body": meeting.body.short_name}
                },
                code="wrong_initiative_status",
            )
        if AgendaItem.objects.filter(initiative=initiative, outcome="").exists():
            raise ValidationError(
                {"initiative": _("Initiativet står redan på en föredragningslista som inte är avgjord.")},
                code="already_on_agenda",
            )
        title = title or initiative.title
    if corrects is not None and (
        corrects.body_id != meeting.body_id or corrects.meeting.status != MeetingStatus.MINUTES_SIGNED
    ):
        raise ValidationError(
            {"corrects": _("Bara en paragraf i ett justerat protokoll från samma organ kan rättas.")},
            code="bad_correction",
        )
    if not title:
        raise ValidationError({"title": _("Ange en rubrik för ärendet.")}, code="required")
    last = meeting.items.aggregate(last=Max("order"))["last"] or 0
    item = AgendaItem(
        meeting=meeting,
        order=last + 1,
        kind=AgendaItem.Kind.INITIATIVE if initiative else AgendaItem.Kind.OTHER,
        initiative=initiative,
        title=title,
        description=description,
        presenter=presenter,
        corrects=corrects,
        deferred_from=deferred_from,
    )
    _save(item, user=user, reason="ärende på föredragningslistan")
    return item


@transaction.atomic
def item_move(*, item: AgendaItem, up: bool, user: User) -> AgendaItem:
    """Swap an item with its neighbour on the agenda (the order stays 1, 2, 3 … without gaps)."""
    _require_manager(user)
    meeting = _lock(item.meeting, MeetingStatus.PLANNED)
    items = list(meeting.items.select_for_update().order_by("order"))
    index = next(i for i, candidate in enumerate(items) if candidate.pk == item.pk)
    other_index = index - 1 if up else index + 1
    if not 0 <= other_index < len(items):
        return items[index]
    first, second = items[index], items[other_index]
    first_order, second_order = first.order, second.order
    first.order = 0  # out of the way of the unique (meeting, order) constraint
    _save(first, user=user, reason="ordning")
    second.order = first_order
    _save(second, user=user, reason="ordning")
    first.order = second_order
    _save(first, user=user, reason="ordning")
    return first


@transaction.atomic
def meeting_publish_agenda(*, meeting: Meeting, user: User) -> Meeting:
    _require_manager(user)
    meeting = _lock(meeting, MeetingStatus.PLANNED)
    if not meeting.items.exists():
        raise ValidationError(_("Föredragningslistan är tom."), code="empty_agenda")
    meeting.status = MeetingStatus.AGENDA_PUBLISHED
    _save(meeting, user=user, reason="kallelse utskickad")
    if meeting.body.takes_positions:
        # Värmlandsrådet's representatives get the notice (kallelse); VRAU's members are not modelled.
        when = f"{timezone.localtime(meeting.starts_at):%Y-%m-%d %H:%M}"
        with in_swedish():
            subject = _("Kallelse: %(body)s %(when)s") % {"body": meeting.body.name, "when": when}
            body = _("Kallelse och föredragningslista till %(body)s %(when)s, %(place)s: %(path)s") % {
                "body": meeting.body.name,
                "when": when,
                "place": meeting.place,
                "path": _meeting_path(meeting),
            }
        _notify(User.objects.filter(groups__name=Role.COUNCIL_REPRESENTATIVE, is_active=True), subject, body)
    return meeting


@transaction.atomic
def attendance_record(
    *, meeting: Meeting, rows: list[tuple[Party, bool, str]], user: User
) -> list[Attendance]:
    """rows: (party, present, represented by). A party with stances at this meeting stays present."""
    _require_manager(user)
    meeting = _lock(meeting, *OPEN_FOR_AGENDA)
    existing = {a.party_id: a for a in meeting.attendance.select_for_update()}
    with_stances = set(
        Stance.objects.filter(item__meeting=meeting)
        .exclude(kind=StanceKind.CONFLICT_OF_INTEREST)
        .values_list("party_id", flat=True)
    )
    saved = []
    for party, present, represented_by in rows:
        represented_by = (represented_by or "").strip()
        if present and not represented_by:
            raise ValidationError(
                _("Ange vem som företräder %(party)s.") % {"party": party.name}, code="present_without_name"
            )
        if not present and party.pk in with_stances:
            raise ValidationError(
                _(
                    "%(party)s har redan tagit ställning vid sammanträdet "
                    "och kan inte markeras som frånvarande."
                )
                % {"party": party.name},
                code="absent_with_stance",
            )
        attendance = existing.get(party.pk) or Attendance(meeting=meeting, party=party)
        if (
            attendance.pk
            and attendance.present == present
            and attendance.represented_by == (represented_by if present else "")
        ):
            saved.append(attendance)
            continue
        attendance.present = present
        attendance.represented_by = represented_by if present else ""
        _save(attendance, user=user, reason="närvaro")
        saved.append(attendance)
    return saved


@transaction.atomic
def stances_record(*, item: AgendaItem, stances: dict[Party, tuple[str, str]], user: User) -> list[Stance]:
    """Record each party's stance once. Refuses (and records nothing) on the first bad one."""
    _require_manager(user)
    meeting = _lock(item.meeting, *OPEN_FOR_AGENDA)
    item = AgendaItem.objects.select_for_update().get(pk=item.pk)
    if item.is_decided:
        raise ValidationError(_("Ärendet är redan avgjort."), code="decided")
    present = set(meeting.attendance.filter(present=True).values_list("party_id", flat=True))
    already = set(item.stances.values_list("party_id", flat=True))
    created = []
    for party, (kind, reason) in stances.items():
        reason = (reason or "").strip()
        if party.pk in already:
            raise ValidationError(
                _("%(party)s har redan ett registrerat ställningstagande i ärendet.") % {"party": party.name},
                code="stance_twice",
            )
        if party.pk not in present:
            raise ValidationError(
                _("%(party)s är inte närvarande och kan inte ta ställning.") % {"party": party.name},
                code="absent_party",
            )
        if kind == StanceKind.OBJECTS and not reason:
            raise ValidationError(
                _("%(party)s motsätter sig: ange skälet.") % {"party": party.name},
                code="objection_without_reason",
            )
        stance = Stance(item=item, party=party, kind=kind, reason=reason, recorded_by=user)
        _save(stance, user=user, reason="ställningstagande")
        created.append(stance)
    return created


def _party_names(party_ids) -> str:
    names = dict(Party.objects.filter(pk__in=party_ids).values_list("pk", "name"))
    return ", ".join(names[p] for p in party_ids)


@in_swedish()
def _describe(result, stances: dict, rules: RulesOfProcedure) -> str:
    counts = {kind: sum(1 for k in stances.values() if k == kind) for kind in StanceKind.values}
    tally = _("%(supports)d står bakom, %(aside)d avstår, %(objects)d motsätter sig, %(conflict)d jäv") % {
        "supports": counts[StanceKind.SUPPORTS],
        "aside": counts[StanceKind.STANDS_ASIDE],
        "objects": counts[StanceKind.OBJECTS],
        "conflict": counts[StanceKind.CONFLICT_OF_INTEREST],
    }
    if result.outcome == Outcome.NOT_DECIDABLE:
        return _(
            "Ej beslutbart: %(taking)d av %(required)d parter som krävs deltog (arbetsordning v%(version)d)."
        ) % {
            "taking": result.taking_part,
            "required": result.required,
            "version": rules.version,
        }
    if result.outcome == Outcome.NO_CONSENSUS:
        if result.blocked_by:
            return _("Ingen konsensus, blockerat av %(parties)s (%(tally)s).") % {
                "parties": _party_names(result.blocked_by),
                "tally": tally,
            }
        return _("Ingen konsensus: ingen part står bakom (%(tally)s).") % {"tally": tally}
    return _("Konsensus (%(tally)s).") % {"tally": tally}


@transaction.atomic
def item_decide(
    *,
    item: AgendaItem,
    user: User,
    stances: dict[Party, tuple[str, str]] | None = None,
    statement: str = "",
    supported_amount: Decimal | None = None,
    resolution: str = "",
) -> AgendaItem:
    """Record the stances (if given) and store the outcome computed from all stances and the rules.

    On Värmlandsrådet, an initiative's outcome is also its Position: consensus moves it to SUPPORTED
    with the supported amount; a block sends it back to preparation or closes it, as chosen.
    """
    if stances:
        stances_record(item=item, stances=stances, user=user)
    _require_manager(user)
    meeting = _lock(item.meeting, *OPEN_FOR_AGENDA)
    item = AgendaItem.objects.select_for_update(of=("self",)).select_related("initiative").get(pk=item.pk)
    if item.is_decided:
        raise ValidationError(_("Ärendet är redan avgjort."), code="decided")
    rules = rules_in_force(body=meeting.body, on=timezone.localdate(meeting.starts_at))
    recorded = dict(item.stances.values_list("party_id", "kind"))
    parties = list(Party.objects.active().values_list("pk", flat=True))
    present = set(meeting.attendance.filter(present=True).values_list("party_id", flat=True))
    result = compute_outcome(
        parties=parties,
        present=present,
        stances=recorded,
        rules=Rules(quorum=rules.quorum, stand_aside_is_consent=rules.stand_aside_is_consent),
    )
    if result.outcome == Outcome.NOT_DECIDABLE and result.missing_stances:
        raise ValidationError(
            _("Ställningstagande saknas för %(parties)s.")
            % {"parties": _party_names(result.missing_stances)},
            code="missing_stances",
        )
    takes_position = meeting.body.takes_positions and item.initiative is not None
    if takes_position and result.outcome == Outcome.CONSENSUS and supported_amount is None:
        raise ValidationError(
            {"supported_amount": _("Ange det belopp som Värmlandsrådet står bakom.")}, code="required"
        )
    if takes_position and result.outcome == Outcome.NO_CONSENSUS and resolution not in BlockResolution.values:
        raise ValidationError(
            {"resolution": _("Välj om initiativet går åter till beredning eller avslutas.")}, code="required"
        )
    item.outcome = result.outcome
    item.outcome_detail = _describe(result, recorded, rules)
    item.statement = statement.strip()
    item.rules = rules
    item.decided_at = timezone.now()
    _save(item, user=user, reason=f"utfall: {result.outcome}")
    if takes_position and result.outcome in (Outcome.CONSENSUS, Outcome.NO_CONSENSUS):
        reasons = "; ".join(
            f"{s.party.name}: {s.reason}"
            for s in item.stances.select_related("party").filter(kind=StanceKind.OBJECTS)
        )
        position = Position(
            initiative=item.initiative,
            meeting=meeting,
            item=item,
            outcome=result.outcome,
            supported_amount=supported_amount if result.outcome == Outcome.CONSENSUS else None,
            resolution=resolution if result.outcome == Outcome.NO_CONSENSUS else "",
            reason=reasons or item.outcome_detail,
            rules=rules,
            taken_at=item.decided_at,
            recorded_by=user,
        )
        _save(position, user=user, reason=f"ställningstagande: {result.outcome}")
        if result.outcome == Outcome.CONSENSUS:
            initiative_transition(
                initiative=item.initiative,
                to=Status.SUPPORTED,
                user=user,
                reason=f"Värmlandsrådet {meeting.starts_at:%Y-%m-%d}: {format_amount(supported_amount)}",
            )
        else:
            target = (
                Status.SUBMITTED
                if resolution == BlockResolution.BACK_TO_PREPARATION
                else Status.NOT_SUPPORTED
            )
            initiative_transition(
                initiative=item.initiative,
                to=target,
                user=user,
                reason=f"Ingen konsensus: {position.reason}"[:100],
            )
    return item


@transaction.atomic
def proposal_record(*, item: AgendaItem, proposed_amount: Decimal, text: str, user: User) -> Proposal:
    """VRAU proposes a position to Värmlandsrådet: the initiative moves PREPARED → PROPOSED."""
    _require_manager(user)
    meeting = _lock(item.meeting, *OPEN_FOR_AGENDA)
    item = AgendaItem.objects.select_for_update(of=("self",)).select_related("initiative").get(pk=item.pk)
    if not meeting.body.makes_proposals or item.initiative is None:
        raise ValidationError(
            _("Förslag till Värmlandsrådet lämnas av VRAU i ett initiativärende."), code="not_vrau"
        )
    if item.is_decided:
        raise ValidationError(_("Ärendet är redan avgjort."), code="decided")
    if proposed_amount is None or proposed_amount <= 0:
        raise ValidationError(
            {"proposed_amount": _("Beloppet måste vara större än noll.")}, code="not_positive"
        )
    if not text.strip():
        raise ValidationError({"text": _("Skriv förslaget.")}, code="required")
    proposal = Proposal(
        item=item,
        initiative=item.initiative,
        proposed_amount=proposed_amount,
        text=text.strip(),
        recorded_by=user,
    )
    _save(proposal, user=user, reason="förslag till Värmlandsrådet")
    item.outcome = Outcome.PROPOSED
    with in_swedish():
        item.outcome_detail = _("VRAU föreslår att Värmlandsrådet står bakom initiativet med %(amount)s.") % {
            "amount": format_amount(proposed_amount)
        }
    item.statement = text.strip()
    item.rules = rules_in_force(body=meeting.body, on=timezone.localdate(meeting.starts_at))
    item.decided_at = timezone.now()
    _save(item, user=user, reason="förslag till Värmlandsrådet")
    initiative_transition(
        initiative=item.initiative, to=Status.PROPOSED, user=user, reason="VRAU:s förslag till Värmlandsrådet"
    )
    return proposal


@transaction.atomic
def item_note(*, item: AgendaItem, statement: str, user: User) -> AgendaItem:
    """Another matter taken note of (information, reports): no stances, no position."""
    _require_manager(user)
    _lock(item.meeting, *OPEN_FOR_AGENDA)
    item = AgendaItem.objects.select_for_update().get(pk=item.pk)
    if item.is_decided:
        raise ValidationError(_("Ärendet är redan avgjort."), code="decided")
    if item.initiative_id:
        raise ValidationError(_("Ett initiativ avgörs med parternas ställningstaganden."), code="initiative")
    if not statement.strip():
        raise ValidationError({"statement": _("Skriv vad som noterades.")}, code="required")
    item.outcome = Outcome.NOTED
    with in_swedish():
        item.outcome_detail = _("Noterat.")
    item.statement = statement.strip()
    item.decided_at = timezone.now()
    _save(item, user=user, reason="noterat")
    return item


@transaction.atomic
def item_defer(
    *, item: AgendaItem, user: User, to_meeting: Meeting | None = None, reason: str = ""
) -> AgendaItem:
    """Defer (bordlägg) an item; with a later meeting of the same body, the item is placed on its agenda."""
    _require_manager(user)
    meeting = _lock(item.meeting, *OPEN_FOR_AGENDA)
    item = AgendaItem.objects.select_for_update().get(pk=item.pk)
    if item.is_decided:
        raise ValidationError(_("Ärendet är redan avgjort."), code="decided")
    if item.stances.exists():
        raise ValidationError(_("Parterna har redan börjat ta ställning i ärendet."), code="has_stances")
    if to_meeting is not None and (
        to_meeting.body_id != meeting.body_id or to_meeting.starts_at <= meeting.starts_at
    ):
        raise ValidationError(
            {"to_meeting": _("Välj ett senare sammanträde i samma organ.")}, code="bad_meeting"
        )
    item.outcome = Outcome.DEFERRED
    with in_swedish():
        item.outcome_detail = (
            _("Bordlagt till sammanträdet %(date)s.")
            % {"date": f"{timezone.localtime(to_meeting.starts_at):%Y-%m-%d}"}
            if to_meeting
            else _("Bordlagt till ett senare sammanträde.")
        )
    item.statement = reason.strip()
    item.decided_at = timezone.now()
    _save(item, user=user, reason="bordlagt")
    if to_meeting is not None:
        item_add(
            meeting=to_meeting,
            user=user,
            initiative=item.initiative,
            title=item.title,
            description=item.description,
            presenter=item.presenter,
            deferred_from=item,
        )
    return item


def _paragraph_text(item: AgendaItem) -> str:
    return "\n\n".join(part for part in (item.statement, item.outcome_detail) if part)


@transaction.atomic
def meeting_hold(*, meeting: Meeting, adjusters: list[User], user: User) -> Meeting:
    """The meeting is held: every item decided, paragraphs numbered (gapless per body and year),
    adjusters chosen."""
    _require_manager(user)
    meeting = _lock(meeting, MeetingStatus.AGENDA_PUBLISHED)
    items = list(meeting.items.select_for_update().order_by("order"))
    if not items:
        raise ValidationError(_("Föredragningslistan är tom."), code="empty_agenda")
    undecided = [item.title for item in items if not item.is_decided]
    if undecided:
        raise ValidationError(
            _("Alla ärenden är inte avgjorda: %(items)s.") % {"items": ", ".join(undecided)}, code="undecided"
        )
    if meeting.attendance.count() == 0:
        raise ValidationError(_("Registrera närvaron först."), code="no_attendance")
    if not adjusters:
        raise ValidationError({"adjusters": _("Välj minst en justerare.")}, code="required")
    year = timezone.localtime(meeting.starts_at).year
    counter, _created = ParagraphCounter.objects.get_or_create(body=meeting.body, year=year)
    counter = ParagraphCounter.objects.select_for_update().get(pk=counter.pk)
    for item in items:
        counter.last_number += 1
        paragraph = Paragraph(
            meeting=meeting,
            item=item,
            body=meeting.body,
            year=year,
            number=counter.last_number,
            title=item.title,
            text=_paragraph_text(item) or item.title,
        )
        _save(paragraph, user=user, reason="paragraf")
    counter.save(update_fields=["last_number"])
    for adjuster in adjusters:
        _save(MinutesAdjuster(meeting=meeting, user=adjuster), user=user, reason="justerare vald")
    meeting.status = MeetingStatus.HELD
    _save(meeting, user=user, reason="sammanträdet genomfört")
    with in_swedish():
        subject = _("Justera protokollet: %(meeting)s") % {"meeting": meeting}
        body = _("Du är vald justerare. Läs och justera protokollet i DGR: %(path)s") % {
            "path": _meeting_path(meeting)
        }
    _notify(adjusters, subject, body)
    return meeting


@transaction.atomic
def paragraph_edit(*, paragraph: Paragraph, text: str, user: User) -> Paragraph:
    _require_manager(user)
    _lock(paragraph.meeting, MeetingStatus.HELD)
    paragraph = Paragraph.objects.select_for_update().get(pk=paragraph.pk)
    if paragraph.meeting.adjusters.filter(signed_at__isnull=False).exists():
        raise ValidationError(_("Justeringen har börjat: paragrafen kan inte ändras."), code="signing")
    paragraph.text = text.strip()
    _save(paragraph, user=user, reason="protokollstext")
    return paragraph


@transaction.atomic
def minutes_sign(*, meeting: Meeting, user: User) -> Meeting:
    """A chosen adjuster signs; when all have signed, the minutes are locked for ever."""
    meeting = _lock(meeting, MeetingStatus.HELD)
    adjuster = meeting.adjusters.select_for_update().filter(user=user).first()
    if adjuster is None:
        raise PermissionDenied(_("Du är inte vald justerare för det här protokollet."))
    if adjuster.signed_at is not None:
        raise ValidationError(_("Du har redan justerat protokollet."), code="signed_twice")
    adjuster.signed_at = timezone.now()
    _save(adjuster, user=user, reason="justerat")
    if not meeting.adjusters.filter(signed_at__isnull=True).exists():
        meeting.status = MeetingStatus.MINUTES_SIGNED
        meeting.signed_at = adjuster.signed_at
        _save(meeting, user=user, reason="protokollet justerat")
    return meeting


# Documents for the agenda: what a council secretariat sends out, checked by content, not by name.
DOCUMENT_TYPES = {
    "application/pdf": ".pdf",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ".docx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": ".xlsx",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": ".pptx",
    "application/vnd.oasis.opendocument.text": ".odt",
    "image/png": ".png",
    "image/jpeg": ".jpg",
}
DOCUMENT_MAX_BYTES = 20 * 1024 * 1024


@transaction.atomic
def document_add(*, item: AgendaItem, title: str, file, user: User) -> ItemDocument:
    import filetype

    _require_manager(user)
    _lock(item.meeting, *OPEN_FOR_AGENDA)
    if file.size > DOCUMENT_MAX_BYTES:
        raise ValidationError({"file": _("Filen är större än 20 MB.")}, code="too_large")
    head = file.read(8192)
    file.seek(0)
    kind = filetype.guess(head)
    if kind is None or kind.mime not in DOCUMENT_TYPES:
        raise ValidationError(
            {
                "file": _(
                    "Filtypen tas inte emot. Ladda upp PDF, Word, Excel, PowerPoint, ODT, PNG eller JPEG."
                )
            },
            code="file_type",
        )
    document = ItemDocument(
        item=item,
        title=title.strip(),
        file=file,
        original_name=str(file.name)[:200],
        content_type=kind.mime,
        uploaded_by=user,
    )
    _save(document, user=user, reason="handling")
    return document


def _agreement() -> Agreement:
    return Agreement.objects.select_for_update().order_by("pk").first()


@transaction.atomic
def adoption_record(*, party: Party, adopted_on: date, reference: str, user: User) -> AgreementAdoption:
    if not permissions.can_record_adoption(user):
        raise PermissionDenied(_("Bara sekretariatet registrerar antaganden."))
    agreement = _agreement()
    if agreement.adoptions.filter(party=party).exists():
        raise ValidationError(
            {"party": _("%(party)s har redan antagit avtalet.") % {"party": party.name}}, code="twice"
        )
    adoption = AgreementAdoption(
        agreement=agreement, party=party, adopted_on=adopted_on, reference=reference.strip(), recorded_by=user
    )
    _save(adoption, user=user, reason="antagande av fullmäktige")
    return adoption


@transaction.atomic
def agreement_end(*, ended_on: date, reason: str, note: str, user: User) -> Agreement:
    if not permissions.can_record_adoption(user):
        raise PermissionDenied(_("Bara sekretariatet registrerar att avtalet upphör."))
    agreement = _agreement()
    if agreement.ended_on:
        raise ValidationError(_("Avtalet har redan upphört."), code="ended")
    agreement.ended_on, agreement.end_reason, agreement.end_note = ended_on, reason, note.strip()
    _save(agreement, user=user, reason="avtalet upphör")
    return agreement
