"""Every change to meetings, stances, positions, minutes and the agreement goes through these functions.

Each one checks the permission predicate, locks the meeting row (`select_for_update`), checks the
meeting's status (and, for what is recorded at the meeting, that its agenda is published and its day has
come: `_under_way`), validates, writes with the acting user in the audit trail, and moves initiatives only
through `initiatives.services.initiative_transition`. Once the minutes are signed they refuse any change
— and so does the database (triggers in migration 0003).
"""

from datetime import date, datetime, time
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core import uploads
from core.language import in_swedish
from core.mail import absolute_url, mail_queue
from core.money import format_amount
from council import permissions, protocol, sealing
from council.consensus import Rules, compute_outcome
from council.membership import parties_counted
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
    Recusal,
    RulesOfProcedure,
    Stance,
    StanceKind,
)
from council.notices import notice_queue
from initiatives.changes import change_request_summary, change_request_transition
from initiatives.models import ChangeRequest, ChangeStatus, Initiative, Status
from initiatives.services import initiative_transition, notifications_held
from people.models import Party, User


def _save(obj, *, user: User, reason: str) -> None:
    obj.full_clean()
    obj._history_user = user
    obj._change_reason = reason[:100]
    obj.save()


def _notify(users, subject: str, body: str, *, event: str) -> None:
    """Queued in the change's transaction (never sent for a change that rolled back), one message per
    person, as each has chosen for this kind of event (core/notifications.py)."""
    mail_queue(
        subject=subject,
        body=body,
        recipients={u.email for u in users if u.is_active and u.email},
        event=event,
    )


def _meeting_path(meeting: Meeting) -> str:
    """The meeting's address as a mail gives it: absolute, to be clicked outside DGR."""
    return absolute_url(reverse("council:meeting-detail", args=[meeting.pk]))


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


def _under_way(meeting: Meeting) -> None:
    """What is recorded *at* a meeting (attendance, stances, outcomes, positions, the meeting held) needs
    its notice and agenda published and its day come: a position dated on a day that has not yet been
    would be a false record. Per capsulam the day is the day the position is taken."""
    if meeting.status == MeetingStatus.PLANNED:
        raise ValidationError(
            _("Publicera kallelsen och föredragningslistan först: sammanträdet är ännu bara planerat."),
            code="agenda_not_published",
        )
    day = timezone.localdate(meeting.starts_at)
    if timezone.localdate() < day:
        raise ValidationError(
            _(
                "Sammanträdet hålls %(day)s. Närvaro, ställningstaganden och utfall registreras "
                "först den dagen."
            )
            % {"day": day.isoformat()},
            code="before_meeting_day",
        )


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


def _expected_change_status(body: Body) -> str:
    """A change request for more money goes to VRAU as handed in, to Värmlandsrådet as VRAU proposed it."""
    return ChangeStatus.SUBMITTED if body.makes_proposals else ChangeStatus.PROPOSED


def _change_request_for_agenda(change_request: ChangeRequest, body: Body) -> ChangeRequest:
    change_request = (
        ChangeRequest.objects.select_for_update().select_related("initiative").get(pk=change_request.pk)
    )
    if not change_request.needs_council:
        raise ValidationError(
            {
                "change_request": _(
                    "Bara en begäran om utökad finansiering tas upp i VRAU och Värmlandsrådet; "
                    "andra ändringar beslutar Region Värmland direkt."
                )
            },
            code="not_for_council",
        )
    expected = _expected_change_status(body)
    if change_request.status != expected:
        raise ValidationError(
            {
                "change_request": _(
                    "Ändringsbegäran måste ha status ”%(status)s” för att tas upp i %(body)s."
                )
                % {"status": ChangeStatus(expected).label, "body": body.short_name}
            },
            code="wrong_change_status",
        )
    if AgendaItem.objects.filter(change_request=change_request, outcome="").exists():
        raise ValidationError(
            {"change_request": _("Ändringsbegäran står redan på en föredragningslista som inte är avgjord.")},
            code="already_on_agenda",
        )
    return change_request


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
    information: bool = False,
    change_request: ChangeRequest | None = None,
) -> AgendaItem:
    """An item on the agenda: an initiative in the status the body takes it up in, a change request for
    more money (the initiative's item, naming the request), or another matter."""
    _require_manager(user)
    meeting = _lock(meeting, *OPEN_FOR_AGENDA)
    if change_request is not None:
        change_request = _change_request_for_agenda(change_request, meeting.body)
        initiative = change_request.initiative
        title = title or change_request.agenda_title
        description = description or change_request_summary(change_request)
    elif initiative is not None:
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
        kind=AgendaItem.Kind.INITIATIVE
        if initiative
        else (AgendaItem.Kind.INFORMATION if information else AgendaItem.Kind.OTHER),
        initiative=initiative,
        change_request=change_request,
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
    # Every member of the body, ordinary and substitute, gets the notice PDF and a calendar invitation,
    # mailed by a worker (council/notices.py).
    notice_queue(meeting=meeting)
    return meeting


@transaction.atomic
def attendance_record(
    *, meeting: Meeting, rows: list[tuple[Party, bool, str]], user: User
) -> list[Attendance]:
    """rows: (party, present, represented by). A party with stances at this meeting stays present.
    Once an item is recorded the attendance is fixed until reopened (council.minutes.attendance_reopen)."""
    _require_manager(user)
    meeting = _lock(meeting, *OPEN_FOR_AGENDA)
    _under_way(meeting)
    if protocol.attendance_fixed(meeting):
        raise ValidationError(
            _(
                "Närvaron är fastställd sedan ett ärende registrerades. Öppna närvaron igen, "
                "med skäl, för att ändra den."
            ),
            code="attendance_fixed",
        )
    existing = {a.party_id: a for a in meeting.attendance.select_for_update()}
    with_stances = set(
        Stance.objects.filter(item__meeting=meeting, in_advance=False, item__annulled_at__isnull=True)
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
    _under_way(meeting)
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
    not_decidable_confirmed: bool = False,
) -> AgendaItem:
    """Record the stances (if given) and store the outcome computed from all stances and the rules.

    On Värmlandsrådet, an initiative's outcome is also its Position: consensus moves it to SUPPORTED
    with the supported amount; a block sends it back to preparation or closes it, as chosen. An outcome
    that is not decidable (too few parties) is recorded only when the secretariat confirms it
    (`not_decidable_confirmed`), after the item page's quorum warning.
    """
    if stances:
        stances_record(item=item, stances=stances, user=user)
    _require_manager(user)
    meeting = _lock(item.meeting, *OPEN_FOR_AGENDA)
    _under_way(meeting)
    item = AgendaItem.objects.select_for_update(of=("self",)).select_related("initiative").get(pk=item.pk)
    if item.is_decided:
        raise ValidationError(_("Ärendet är redan avgjort."), code="decided")
    day = timezone.localdate(meeting.starts_at)
    rules = rules_in_force(body=meeting.body, on=day)
    recorded = dict(item.stances.values_list("party_id", "kind"))
    parties = list(Party.objects.active().values_list("pk", flat=True))
    counted = parties_counted(body=meeting.body, on=day)  # VRAU: the parties seated in it that day
    if counted is not None:
        parties = [pk for pk in parties if pk in counted]
    present = set(meeting.attendance.filter(present=True).values_list("party_id", flat=True))
    # A stance entered in advance (per capsulam) is the party's written participation.
    present |= set(item.stances.filter(in_advance=True).values_list("party_id", flat=True))
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
    if result.outcome == Outcome.NOT_DECIDABLE and not not_decidable_confirmed:
        raise ValidationError(
            {
                "not_decidable_confirmed": _(
                    "%(taking)d av %(required)d parter som krävs deltar – beslut kan inte fattas. "
                    "Kryssa i att ärendet registreras som ej beslutbart, eller ändra närvaron först."
                )
                % {"taking": result.taking_part, "required": result.required}
            },
            code="not_decidable",
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
            change_request_id=item.change_request_id,
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
        if item.change_request_id:
            _change_request_position(item=item, outcome=result.outcome, resolution=resolution, user=user)
        elif result.outcome == Outcome.CONSENSUS:
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


def _change_request_position(*, item: AgendaItem, outcome: str, resolution: str, user: User) -> None:
    """Värmlandsrådet's position on a change request moves the request, never the (decided) initiative:
    consensus → supported (Region Värmland decides next); a block → back to the secretariat or closed."""
    if outcome == Outcome.CONSENSUS:
        to = ChangeStatus.SUPPORTED
    elif resolution == BlockResolution.BACK_TO_PREPARATION:
        to = ChangeStatus.SUBMITTED
    else:
        to = ChangeStatus.NOT_SUPPORTED
    change_request_transition(
        change_request=item.change_request,
        to=to,
        user=user,
        reason=f"Värmlandsrådet {timezone.localdate(item.meeting.starts_at).isoformat()}: {outcome}",
    )


@transaction.atomic
def proposal_record(
    *,
    item: AgendaItem,
    proposed_amount: Decimal | None,
    text: str,
    user: User,
    recommendation: str = Proposal.Recommendation.SUPPORT,
) -> Proposal:
    """VRAU proposes a position to Värmlandsrådet, support with an amount or rejection without one: the
    initiative moves PREPARED → PROPOSED either way, and Värmlandsrådet takes its position."""
    _require_manager(user)
    meeting = _lock(item.meeting, *OPEN_FOR_AGENDA)
    _under_way(meeting)
    item = AgendaItem.objects.select_for_update(of=("self",)).select_related("initiative").get(pk=item.pk)
    if not meeting.body.makes_proposals or item.initiative is None:
        raise ValidationError(
            _("Förslag till Värmlandsrådet lämnas av VRAU i ett initiativärende."), code="not_vrau"
        )
    if item.is_decided:
        raise ValidationError(_("Ärendet är redan avgjort."), code="decided")
    if recommendation not in Proposal.Recommendation.values:
        raise ValidationError({"recommendation": _("Välj vad VRAU föreslår.")}, code="invalid")
    rejects = recommendation == Proposal.Recommendation.REJECT
    if rejects and proposed_amount is not None:
        raise ValidationError(
            {"proposed_amount": _("Ett förslag om avslag har inget belopp: lämna fältet tomt.")},
            code="amount_with_rejection",
        )
    if not rejects and (proposed_amount is None or proposed_amount <= 0):
        raise ValidationError(
            {"proposed_amount": _("Beloppet måste vara större än noll.")}, code="not_positive"
        )
    if not text.strip():
        raise ValidationError({"text": _("Skriv förslaget.")}, code="required")
    if item.change_request_id and rejects:
        raise ValidationError(
            {
                "recommendation": _(
                    "En begäran om utökad finansiering som VRAU inte står bakom avslås av Region Värmland; "
                    "VRAU föreslår här bara ett belopp att stå bakom."
                )
            },
            code="change_rejection",
        )
    proposal = Proposal(
        item=item,
        initiative=item.initiative,
        recommendation=recommendation,
        proposed_amount=proposed_amount,
        text=text.strip(),
        recorded_by=user,
    )
    _save(proposal, user=user, reason="förslag till Värmlandsrådet")
    item.outcome = Outcome.PROPOSED
    with in_swedish():
        if rejects:
            item.outcome_detail = _("VRAU föreslår att Värmlandsrådet inte står bakom initiativet (avslag).")
        elif item.change_request_id:
            item.outcome_detail = _(
                "VRAU föreslår att Värmlandsrådet står bakom den utökade finansieringen med %(amount)s."
            ) % {"amount": format_amount(proposed_amount)}
        else:
            item.outcome_detail = _(
                "VRAU föreslår att Värmlandsrådet står bakom initiativet med %(amount)s."
            ) % {"amount": format_amount(proposed_amount)}
    item.statement = text.strip()
    item.rules = rules_in_force(body=meeting.body, on=timezone.localdate(meeting.starts_at))
    item.decided_at = timezone.now()
    _save(item, user=user, reason="förslag till Värmlandsrådet")
    if item.change_request_id:
        change_request_transition(
            change_request=item.change_request, to=ChangeStatus.PROPOSED, user=user, reason="VRAU:s förslag"
        )
        return proposal
    initiative_transition(
        initiative=item.initiative,
        to=Status.PROPOSED,
        user=user,
        reason="VRAU:s förslag till Värmlandsrådet: avslag"
        if rejects
        else "VRAU:s förslag till Värmlandsrådet",
    )
    return proposal


@transaction.atomic
def item_note(*, item: AgendaItem, statement: str, user: User) -> AgendaItem:
    """Another matter taken note of (information, reports): no stances, no position. An information
    item (anmälningsärende) is placed on file, "läggs till handlingarna"; a note is then optional."""
    _require_manager(user)
    _under_way(_lock(item.meeting, *OPEN_FOR_AGENDA))
    item = AgendaItem.objects.select_for_update().get(pk=item.pk)
    if item.is_decided:
        raise ValidationError(_("Ärendet är redan avgjort."), code="decided")
    if item.initiative_id:
        raise ValidationError(_("Ett initiativ avgörs med parternas ställningstaganden."), code="initiative")
    information = item.kind == AgendaItem.Kind.INFORMATION
    if not information and not statement.strip():
        raise ValidationError({"statement": _("Skriv vad som noterades.")}, code="required")
    item.outcome = Outcome.NOTED
    with in_swedish():
        item.outcome_detail = _("Anmälan läggs till handlingarna.") if information else _("Noterat.")
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
    if meeting.status == MeetingStatus.AGENDA_PUBLISHED:
        # Before the notice the secretariat may still move an item to a later meeting; once the agenda is
        # out, deferring is the meeting's own decision, taken on its day.
        _under_way(meeting)
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
            initiative=None if item.change_request_id else item.initiative,
            change_request=item.change_request,
            title=item.title,
            description=item.description,
            presenter=item.presenter,
            deferred_from=item,
        )
    return item


def _paragraph_text(item: AgendaItem) -> str:
    """Imported minutes' text as it stood on paper: the statement and the outcome."""
    return "\n\n".join(part for part in (item.statement, item.outcome_detail) if part)


@transaction.atomic
def meeting_hold(*, meeting: Meeting, user: User) -> Meeting:
    """The meeting is closed: every item decided, paragraphs numbered (gapless per body and year) — first
    the choice of chair and adjusters (council.minutes.meeting_open), then the items, each with the
    decision derived from its outcome — and those chosen asked to sign."""
    _require_manager(user)
    meeting = _lock(meeting, MeetingStatus.AGENDA_PUBLISHED)
    _under_way(meeting)
    items = list(
        meeting.items.select_for_update(of=("self",))
        .filter(annulled_at__isnull=True)
        .select_related("meeting__body", "position")
        .order_by("order")
    )
    if not items:
        raise ValidationError(_("Föredragningslistan är tom."), code="empty_agenda")
    undecided = [item.title for item in items if not item.is_decided]
    if undecided:
        raise ValidationError(
            _("Alla ärenden är inte avgjorda: %(items)s.") % {"items": ", ".join(undecided)}, code="undecided"
        )
    if meeting.attendance.count() == 0:
        raise ValidationError(_("Registrera närvaron först."), code="no_attendance")
    signers = protocol.signers(meeting)
    chairs = [s for s in signers if s.role == MinutesAdjuster.Role.CHAIR]
    adjusters = [s for s in signers if s.role == MinutesAdjuster.Role.ADJUSTER]
    if not chairs or not adjusters:
        raise ValidationError(
            {"adjusters": _("Välj ordförande och justerare först: sammanträdet öppnas med det valet.")},
            code="not_opened",
        )
    year = timezone.localtime(meeting.starts_at).year
    counter, _created = ParagraphCounter.objects.get_or_create(body=meeting.body, year=year)
    counter = ParagraphCounter.objects.select_for_update().get(pk=counter.pk)
    for kind, chosen in ((Paragraph.Opening.CHAIR, chairs), (Paragraph.Opening.ADJUSTERS, adjusters)):
        counter.last_number += 1
        with in_swedish():
            title = str(Paragraph.Opening(kind).label)
        paragraph = Paragraph(
            meeting=meeting,
            opening=kind,
            body=meeting.body,
            year=year,
            number=counter.last_number,
            title=title,
            text=protocol.opening_paragraph_text(kind, chosen),
            derived=True,
        )
        _save(paragraph, user=user, reason="paragraf")
    for item in items:
        counter.last_number += 1
        paragraph = Paragraph(
            meeting=meeting,
            item=item,
            body=meeting.body,
            year=year,
            number=counter.last_number,
            title=item.title,
            text=protocol.decision_text(item) or item.title,
            addition=item.statement,
            derived=True,
        )
        _save(paragraph, user=user, reason="paragraf")
    counter.save(update_fields=["last_number"])
    meeting.status = MeetingStatus.HELD
    _save(meeting, user=user, reason="sammanträdet genomfört")
    with in_swedish():
        subject = _("Justera protokollet: %(meeting)s") % {"meeting": meeting}
        body = _("Du är vald att justera protokollet. Läs och justera det i DGR: %(path)s") % {
            "path": _meeting_path(meeting)
        }
    _notify([s.user for s in signers], subject, body, event="minutes-to-sign")
    return meeting


@transaction.atomic
def paragraph_edit(*, paragraph: Paragraph, text: str, user: User) -> Paragraph:
    """Until signing begins: the paragraph's free addition. A decision text derived from the outcome
    is not typed and stays as it is; a paragraph from before derived texts keeps its editable text."""
    _require_manager(user)
    _lock(paragraph.meeting, MeetingStatus.HELD)
    paragraph = Paragraph.objects.select_for_update().get(pk=paragraph.pk)
    if paragraph.meeting.adjusters.filter(signed_at__isnull=False).exists():
        raise ValidationError(_("Justeringen har börjat: paragrafen kan inte ändras."), code="signing")
    if paragraph.derived:
        paragraph.addition = text.strip()
    else:
        paragraph.text = text.strip()
    _save(paragraph, user=user, reason="protokollstext")
    return paragraph


@transaction.atomic
def minutes_sign(*, meeting: Meeting, user: User) -> Meeting:
    """The chair or a chosen adjuster signs, each for themself (`user` is the one signing); when all have
    signed, the minutes are locked for ever."""
    meeting = _lock(meeting, MeetingStatus.HELD)
    adjuster = meeting.adjusters.select_for_update().filter(user=user).first()
    if adjuster is None:
        raise PermissionDenied(_("Du är inte ordförande eller vald justerare för det här protokollet."))
    if adjuster.signed_at is not None:
        raise ValidationError(_("Du har redan justerat protokollet."), code="signed_twice")
    adjuster.signed_at = timezone.now()
    _save(adjuster, user=user, reason="justerat")
    if not meeting.adjusters.filter(signed_at__isnull=True).exists():
        meeting.status = MeetingStatus.MINUTES_SIGNED
        meeting.signed_at = adjuster.signed_at
        _save(meeting, user=user, reason="protokollet justerat")
        # Sealed once, by the worker: every download is then that one copy (council/sealing.py).
        sealing.minutes_seal_queue(meeting=meeting)
    return meeting


@transaction.atomic
def document_add(*, item: AgendaItem, title: str, file, user: User) -> ItemDocument:
    """A document for an agenda item (what the secretariat sends out), checked by content."""
    _require_manager(user)
    # Checked before the lock: reading a large archive must not hold up the meeting.
    try:
        checked = uploads.check_upload(file, allowed=uploads.DOCUMENTS)
    except ValidationError as error:
        raise ValidationError({"file": error.messages}) from error
    _lock(item.meeting, *OPEN_FOR_AGENDA)
    document = ItemDocument(
        item=item,
        title=title.strip(),
        original_name=checked.display_name,
        content_type=checked.content_type,
        uploaded_by=user,
    )
    document.file.save(uploads.stored_name(checked.extension), file, save=False)
    _save(document, user=user, reason="handling")
    return document


def _agreement() -> Agreement:
    return Agreement.objects.select_for_update().order_by("pk").first()


def _adoption_document(adoption: AgreementAdoption, document) -> None:
    """Check the minutes' PDF (core.uploads; the refusal is shown next to the field) and store it."""
    try:
        checked = uploads.check_upload(document, allowed=uploads.DECISION_DOCUMENTS)
    except ValidationError as error:
        raise ValidationError({"document": error.messages}) from error
    adoption.document_name = checked.display_name
    adoption.document_type = checked.content_type
    adoption.document.save(uploads.stored_name(checked.extension), document, save=False)


@transaction.atomic
def adoption_record(
    *, party: Party, adopted_on: date, reference: str, user: User, document=None
) -> AgreementAdoption:
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
    if document:
        _adoption_document(adoption, document)
    _save(adoption, user=user, reason="antagande av fullmäktige")
    return adoption


@transaction.atomic
def adoption_document_attach(*, adoption: AgreementAdoption, document, user: User) -> AgreementAdoption:
    """Attach the minutes of an adoption recorded without them (or replace them; the history keeps the
    earlier file's name)."""
    if not permissions.can_record_adoption(user):
        raise PermissionDenied(_("Bara sekretariatet registrerar antaganden."))
    locked = AgreementAdoption.objects.select_for_update().get(pk=adoption.pk)
    if not document:
        raise ValidationError({"document": _("Välj protokollsutdraget (PDF).")}, code="required")
    _adoption_document(locked, document)
    _save(locked, user=user, reason="protokollsutdrag för antagandet")
    return locked


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


# --- Import of existing records (going live) ------------------------------------------------------------


@transaction.atomic
def position_import(
    *,
    body: Body,
    meeting_day: date,
    paragraph_number: int,
    initiative: Initiative,
    outcome: str,
    supported_amount: Decimal | None,
    resolution: str,
    stances: dict[Party, tuple[str, str]],
    statement: str,
    user: User,
) -> Position:
    """A position Värmlandsrådet took before DGR, from its signed minutes: the meeting (created once per
    body and day, already signed, marked `imported`; a day with a meeting held in DGR, or a day still to
    come, is refused), the item, the known stances, the position and the paragraph with its
    original number. The outcome is the one in the minutes (stances may be unknown, so it cannot always be
    computed), but it must not contradict the stances that are known. The initiative moves on through
    `initiative_transition`, as at a meeting; the year's paragraph counter is raised to at least the number.
    """
    _require_manager(user)
    if not body.takes_positions:
        raise ValidationError(
            {"body": _("%(body)s tar inte ställning i konsensus.") % {"body": body.name}}, code="not_council"
        )
    if outcome not in (Outcome.CONSENSUS, Outcome.NO_CONSENSUS):
        raise ValidationError({"outcome": _("Utfallet är konsensus eller ingen konsensus.")})
    if paragraph_number < 1:
        raise ValidationError({"paragraph": _("Paragrafnumret måste vara minst 1.")})
    if meeting_day > timezone.localdate():
        # Imported minutes are signed minutes: a day still to come cannot have any.
        raise ValidationError(
            {"meeting_day": _("Sammanträdesdagen ligger i framtiden; bara justerade protokoll importeras.")},
            code="future_meeting",
        )
    errors = {}
    if outcome == Outcome.CONSENSUS and (supported_amount is None or supported_amount <= 0):
        errors["supported_amount"] = _("Ange det belopp som Värmlandsrådet står bakom.")
    if outcome == Outcome.NO_CONSENSUS and resolution not in BlockResolution.values:
        errors["resolution"] = _("Välj om initiativet går åter till beredning eller avslutas.")
    objecting = [party for party, (kind, _reason) in stances.items() if kind == StanceKind.OBJECTS]
    if outcome == Outcome.CONSENSUS and objecting:
        errors["outcome"] = _("%(parties)s motsätter sig, så utfallet kan inte vara konsensus.") % {
            "parties": ", ".join(p.name for p in objecting)
        }
    for party, (kind, reason) in stances.items():
        if kind == StanceKind.OBJECTS and not (reason or "").strip():
            errors["stances"] = _("%(party)s motsätter sig: ange skälet.") % {"party": party.name}
    if errors:
        raise ValidationError(errors)
    if Paragraph.objects.filter(body=body, year=meeting_day.year, number=paragraph_number).exists():
        raise ValidationError(
            {
                "paragraph": _("%(body)s § %(number)s år %(year)s finns redan.")
                % {"body": body.short_name, "number": paragraph_number, "year": meeting_day.year}
            },
            code="duplicate_paragraph",
        )
    initiative = Initiative.objects.select_for_update().get(pk=initiative.pk)
    if initiative.status != Status.PROPOSED:
        raise ValidationError(
            {
                "initiative": _("Initiativet måste ha status ”%(status)s” (nu ”%(now)s”).")
                % {"status": Status.PROPOSED.label, "now": Status(initiative.status).label}
            },
            code="wrong_initiative_status",
        )
    starts_at = timezone.make_aware(datetime.combine(meeting_day, time(9, 0)))
    # Only a meeting the import created takes imported positions: minutes signed in DGR never grow (a
    # trigger refuses it too), and a meeting not yet signed takes its positions at the meeting.
    meetings = list(Meeting.objects.select_for_update().filter(body=body, starts_at__date=meeting_day))
    if any(not m.imported for m in meetings):
        raise ValidationError(
            {
                "meeting_day": _(
                    "%(body)s har ett sammanträde den %(day)s som förs i DGR; ställningstaganden "
                    "importeras bara till protokoll från före DGR. Registrera ställningstagandet vid "
                    "sammanträdet (eller som rättelse vid ett senare sammanträde), eller kontrollera datumet."
                )
                % {"body": body.short_name, "day": meeting_day.isoformat()}
            },
            code="live_meeting",
        )
    meeting = min(meetings, key=lambda m: m.starts_at, default=None)
    if meeting is None:
        with in_swedish():
            place = _("Uppgift saknas (importerat ur protokollet)")
        meeting = Meeting(
            body=body,
            starts_at=starts_at,
            place=place,
            status=MeetingStatus.MINUTES_SIGNED,
            signed_at=starts_at,
            imported=True,
            created_by=user,
        )
        _save(meeting, user=user, reason="importerat sammanträde")
    rules = rules_in_force(body=body, on=meeting_day)
    with in_swedish():
        detail = _("Importerat ur protokollet: %(outcome)s.") % {"outcome": Outcome(outcome).label}
    last = meeting.items.aggregate(last=Max("order"))["last"] or 0
    taken_at = timezone.localtime(meeting.starts_at)
    item = AgendaItem(
        meeting=meeting,
        order=last + 1,
        kind=AgendaItem.Kind.INITIATIVE,
        initiative=initiative,
        title=initiative.title,
        outcome=outcome,
        outcome_detail=detail,
        statement=statement.strip(),
        rules=rules,
        decided_at=taken_at,
    )
    _save(item, user=user, reason=f"importerat utfall: {outcome}")
    for party, (kind, reason) in stances.items():
        stance = Stance(item=item, party=party, kind=kind, reason=(reason or "").strip(), recorded_by=user)
        _save(stance, user=user, reason="importerat ställningstagande")
    reasons = "; ".join(f"{party.name}: {stances[party][1].strip()}" for party in objecting)
    position = Position(
        initiative=initiative,
        meeting=meeting,
        item=item,
        outcome=outcome,
        supported_amount=supported_amount if outcome == Outcome.CONSENSUS else None,
        resolution=resolution if outcome == Outcome.NO_CONSENSUS else "",
        reason=reasons or detail,
        rules=rules,
        taken_at=taken_at,
        recorded_by=user,
    )
    _save(position, user=user, reason=f"importerat ställningstagande: {outcome}")
    paragraph = Paragraph(
        meeting=meeting,
        item=item,
        body=body,
        year=meeting_day.year,
        number=paragraph_number,
        title=item.title,
        text=_paragraph_text(item) or item.title,
    )
    _save(paragraph, user=user, reason="importerad paragraf")
    counter, _created = ParagraphCounter.objects.get_or_create(body=body, year=meeting_day.year)
    counter = ParagraphCounter.objects.select_for_update().get(pk=counter.pk)
    if counter.last_number < paragraph_number:
        counter.last_number = paragraph_number
        counter.save(update_fields=["last_number"])
    if outcome == Outcome.CONSENSUS:
        target = Status.SUPPORTED
        reason = f"Värmlandsrådet {meeting_day.isoformat()} § {paragraph_number} (importerat)"
    elif resolution == BlockResolution.BACK_TO_PREPARATION:
        target = Status.SUBMITTED
        reason = f"Ingen konsensus {meeting_day.isoformat()} § {paragraph_number} (importerat)"
    else:
        target = Status.NOT_SUPPORTED
        reason = f"Ingen konsensus {meeting_day.isoformat()} § {paragraph_number} (importerat)"
    with notifications_held():  # history replayed: nobody is mailed about a position of 2022
        initiative_transition(initiative=initiative, to=target, user=user, reason=reason)
    return position


# --- conflicts of interest of persons (jäv) ------------------------------------------------------------


@transaction.atomic
def recusal_record(*, item: AgendaItem, person: User, ground: str, user: User) -> Recusal:
    """At the meeting: a person declared jäv in the item and did not take part (kommunallagen 6 kap.
    28–32 §§). Recorded by the secretariat until the minutes are signed; printed in the minutes."""
    _require_manager(user)
    meeting = _lock(item.meeting, MeetingStatus.AGENDA_PUBLISHED, MeetingStatus.HELD)
    _under_way(meeting)
    if item.recusals.filter(person=person).exists():
        raise ValidationError(
            {"person": _("%(person)s har redan anmält jäv i ärendet.") % {"person": person.get_full_name()}},
            code="recusal_twice",
        )
    recusal = Recusal(item=item, person=person, ground=ground.strip(), recorded_by=user)
    _save(recusal, user=user, reason="anmält jäv")
    return recusal
