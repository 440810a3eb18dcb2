"""The notice (kallelse) of a meeting, as its members receive it: the notice PDF with a calendar invitation.

When the secretariat publishes the notice, changes the meeting's time or place after that, or cancels
it, the service queues one job (council/tasks.py) in its own transaction. The worker — rendering a PDF
takes too long for a web request — renders the notice PDF, writes one calendar file per member
(RFC 5545 through the `icalendar` library: one UID per meeting, SEQUENCE counted up with every change,
METHOD:REQUEST for the invitation and its updates, METHOD:CANCEL with STATUS:CANCELLED for a
cancellation, times in Europe/Stockholm) and queues one mail per member through core.mail, with a
NoticeMailing row per sequence, so a retried job never mails anyone twice and a job overtaken by a newer
change sends nothing (the newer one will).

The recipients are the body's members on the meeting's day, ordinary members and substitutes
(council.membership.members).
"""

import datetime
from dataclasses import dataclass
from email.utils import parseaddr
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.language import in_swedish
from core.mail import MailAttachment, absolute_url, mail_is_held, mail_queue
from core.money import format_amount
from core.pdf import render_pdf
from council import permissions, selectors
from council.membership import members
from council.models import (
    AgendaItem,
    Meeting,
    MeetingStatus,
    MembershipRole,
    NoticeMailing,
    Outcome,
    Proposal,
)
from initiatives.models import Preparation
from people.models import User

STOCKHOLM = ZoneInfo("Europe/Stockholm")
# A meeting has a start, not an end: the invitation books this long.
MEETING_LENGTH = datetime.timedelta(hours=2)


# --- What the notice says ------------------------------------------------------------------------------


@in_swedish()
def proposed_decisions(*, meeting: Meeting, items) -> dict[int, str]:
    """Each initiative item's proposed decision, as the notice states it: at Värmlandsrådet VRAU's
    proposal, at VRAU the secretariat's (VRAG's) proposed position from the preparation. Read with the
    meeting page's items, or in one query."""
    initiative_ids = [item.initiative_id for item in items if item.initiative_id]
    texts: dict[int, str] = {}
    if not initiative_ids:
        return texts
    # The meeting page's items carry the proposal and the preparation read with them
    # (selectors.meeting_page); a single item (the stance form) is looked up here.
    read_with_items = all(hasattr(item, "latest_proposal_text") for item in items)
    if meeting.body.takes_positions:
        if read_with_items:
            latest = {
                item.initiative_id: (
                    item.latest_proposal_recommendation,
                    item.latest_proposal_amount,
                    item.latest_proposal_text,
                )
                for item in items
                if item.latest_proposal_text is not None
            }
        else:
            latest = {}
            for proposal in Proposal.objects.current().filter(initiative_id__in=initiative_ids):
                latest.setdefault(
                    proposal.initiative_id,
                    (proposal.recommendation, proposal.proposed_amount, proposal.text),
                )
        for item in items:
            if item.initiative_id not in latest:
                continue
            recommendation, amount, text = latest[item.initiative_id]
            # A proposal to reject has no amount: the notice must not read as support for nothing.
            if recommendation == Proposal.Recommendation.REJECT:
                texts[item.pk] = _(
                    "VRAU föreslår att Värmlandsrådet inte står bakom initiativet (avslag). %(text)s"
                ) % {"text": text}
            else:
                texts[item.pk] = _(
                    "VRAU föreslår att Värmlandsrådet står bakom initiativet med %(amount)s. %(text)s"
                ) % {"amount": format_amount(amount), "text": text}
    else:
        if read_with_items:
            preparations = {
                item.initiative_id: (item.preparation_position, item.preparation_amount) for item in items
            }
        else:
            preparations = {
                p.initiative_id: (p.proposed_position, p.proposed_amount)
                for p in Preparation.objects.filter(initiative_id__in=initiative_ids)
            }
        for item in items:
            position, amount = preparations.get(item.initiative_id, (None, None))
            if not position:
                continue
            if position == Preparation.Position.SUPPORT:
                texts[item.pk] = _("VRAG föreslår att VRAU tillstyrker initiativet med %(amount)s.") % {
                    "amount": format_amount(amount)
                }
            else:
                texts[item.pk] = _("VRAG föreslår att VRAU avstyrker initiativet.")
    return texts


def notice_page(*, meeting: Meeting, proposals: bool = True) -> selectors.MeetingPage:
    """The meeting page's data with each item's proposed decision (`item.proposed_decision`; none with
    `proposals=False`, for a page that shows none)."""
    page = selectors.meeting_page(meeting=meeting, proposals=proposals)
    items = [view.item for view in page.items]
    texts = proposed_decisions(meeting=meeting, items=items) if proposals else {}
    for view in page.items:
        view.item.proposed_decision = texts.get(view.item.pk, "")
    return page


def notice_pdf(*, meeting: Meeting, base_url: str) -> bytes:
    """The notice and agenda as a PDF (the page's download and the members' mail are this one file)."""
    page = notice_page(meeting=meeting)
    with in_swedish():
        html = render_to_string(
            "council/pdf/agenda.html",
            {"page": page, "meeting": meeting, "generated_at": timezone.localtime()},
        )
        return render_pdf(html, base_url=base_url)


def notice_filename(meeting: Meeting) -> str:
    return f"kallelse-{meeting.body.slug}-{timezone.localtime(meeting.starts_at):%Y-%m-%d}"


def _uid(meeting: Meeting) -> str:
    host = urlsplit(settings.DGR_BASE_URL).hostname or "dgr.invalid"
    return f"dgr-sammantrade-{meeting.pk}@{host}"


def notice_ics(*, meeting: Meeting, method: str, person: User, role: str) -> bytes:
    """The calendar file for one member: an invitation (REQUEST) or a cancellation (CANCEL)."""
    from icalendar import Calendar, Event, vCalAddress, vText

    calendar = Calendar()
    calendar.add("prodid", "-//Region Värmland//DGR//SV")
    calendar.add("version", "2.0")
    calendar.add("method", method)
    event = Event()
    event.add("uid", _uid(meeting))
    event.add("sequence", meeting.notice_sequence)
    event.add("dtstamp", timezone.now().astimezone(datetime.UTC))
    starts_at = meeting.starts_at.astimezone(STOCKHOLM)
    event.add("dtstart", starts_at)
    event.add("dtend", starts_at + MEETING_LENGTH)
    with in_swedish():
        event.add("summary", _("%(body)s: sammanträde") % {"body": meeting.body.name})
        event.add("description", _("Kallelse och handlingar: %(url)s") % {"url": _meeting_url(meeting)})
    event.add("location", meeting.place)
    event.add("url", _meeting_url(meeting))
    event.add("status", "CANCELLED" if method == NoticeMailing.Method.CANCEL else "CONFIRMED")
    organizer = vCalAddress("mailto:" + parseaddr(settings.DEFAULT_FROM_EMAIL)[1])
    organizer.params["cn"] = vText("Region Värmland – DGR")
    event.add("organizer", organizer)
    attendee = vCalAddress("mailto:" + person.email)
    attendee.params["cn"] = vText(person.get_full_name() or person.username)
    attendee.params["role"] = vText(
        "REQ-PARTICIPANT" if role == MembershipRole.ORDINARY else "OPT-PARTICIPANT"
    )
    attendee.params["partstat"] = vText("NEEDS-ACTION")
    attendee.params["rsvp"] = vText("TRUE")
    event.add("attendee", attendee)
    calendar.add_component(event)
    calendar.add_missing_timezones()
    return calendar.to_ical()


def _meeting_url(meeting: Meeting) -> str:
    return absolute_url(reverse("council:meeting-detail", args=[meeting.pk]))


# --- Writes: the secretariat's changes that the members are told of -------------------------------------


def notice_queue(*, meeting: Meeting) -> None:
    """Queue the notice job for the meeting's current sequence, in the caller's transaction (a change that
    rolls back mails nobody)."""
    from council.tasks import notice_send

    if mail_is_held():  # the demo data: its meetings mail nobody
        return
    notice_send.defer(meeting_id=meeting.pk, sequence=meeting.notice_sequence)


def _require_manager(user: User) -> None:
    if not permissions.can_manage_meetings(user):
        raise PermissionDenied(_("Bara sekretariatet leder sammanträden."))


def _lock_open(meeting: Meeting) -> Meeting:
    meeting = Meeting.objects.select_for_update().select_related("body").get(pk=meeting.pk)
    if meeting.status not in (MeetingStatus.PLANNED, MeetingStatus.AGENDA_PUBLISHED):
        raise ValidationError(
            _("Det går inte när sammanträdet har status ”%(status)s”."),
            code="wrong_status",
            params={"status": MeetingStatus(meeting.status).label},
        )
    return meeting


def _save(obj, *, user: User, reason: str) -> None:
    obj.full_clean()
    obj._history_user = user
    obj._change_reason = reason
    obj.save()


@transaction.atomic
def meeting_change(*, meeting: Meeting, starts_at: datetime.datetime, place: str, user: User) -> Meeting:
    """Move a meeting not yet held to another time or place. After the notice has gone out, the
    members get an updated invitation (the same UID, the next SEQUENCE)."""
    _require_manager(user)
    meeting = _lock_open(meeting)
    if not meeting.per_capsulam and not place.strip():
        raise ValidationError({"place": _("Ange var sammanträdet hålls.")}, code="required")
    if meeting.items.exclude(outcome="").exists() or meeting.attendance.exists():
        raise ValidationError(
            _("Sammanträdet har börjat: närvaro eller utfall är redan registrerade."), code="under_way"
        )
    place = place.strip() or meeting.place
    if starts_at == meeting.starts_at and place == meeting.place:
        return meeting
    meeting.starts_at, meeting.place = starts_at, place
    published = meeting.status == MeetingStatus.AGENDA_PUBLISHED
    if published:
        meeting.notice_sequence += 1
    _save(meeting, user=user, reason="ny tid eller plats")
    if published:
        notice_queue(meeting=meeting)
    return meeting


@transaction.atomic
def meeting_cancel(*, meeting: Meeting, reason: str, user: User) -> Meeting:
    """Cancel a meeting not yet held. Its items are deferred (they may go on another meeting's agenda);
    after the notice has gone out, the members get the cancellation (METHOD:CANCEL)."""
    _require_manager(user)
    meeting = _lock_open(meeting)
    if not reason.strip():
        raise ValidationError({"reason": _("Ange varför sammanträdet ställs in.")}, code="required")
    if meeting.items.exclude(outcome="").exists() or meeting.attendance.exists():
        raise ValidationError(
            _("Sammanträdet har börjat: närvaro eller utfall är redan registrerade."), code="under_way"
        )
    now = timezone.now()
    with in_swedish():
        detail = _("Sammanträdet ställdes in: %(reason)s") % {"reason": reason.strip()}
    for item in AgendaItem.objects.select_for_update().filter(meeting=meeting, outcome=""):
        item.outcome, item.outcome_detail, item.decided_at = Outcome.DEFERRED, detail[:500], now
        _save(item, user=user, reason="sammanträdet inställt")
    published = meeting.status == MeetingStatus.AGENDA_PUBLISHED
    meeting.status = MeetingStatus.CANCELLED
    if published:
        meeting.notice_sequence += 1
    _save(meeting, user=user, reason=f"inställt: {reason.strip()}"[:100])
    if published:
        notice_queue(meeting=meeting)
    return meeting


# --- The worker's part ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Sent:
    method: str
    recipients: int


def notice_send(*, meeting_id: int, sequence: int, base_url: str) -> Sent | None:
    """Mail the notice (or its update, or its cancellation) to the members. None when there is nothing
    to do: a newer change took over (its own job mails), or this sequence was mailed already."""
    meeting = Meeting.objects.select_related("body").get(pk=meeting_id)
    if (
        meeting.notice_sequence != sequence
        or NoticeMailing.objects.filter(meeting=meeting, sequence=sequence).exists()
    ):
        return None
    cancel = meeting.status == MeetingStatus.CANCELLED
    method = NoticeMailing.Method.CANCEL if cancel else NoticeMailing.Method.REQUEST
    # Rendered outside any transaction: seconds of work must not hold a snapshot or a lock.
    pdf = None if cancel else notice_pdf(meeting=meeting, base_url=base_url)
    day = timezone.localdate(meeting.starts_at)
    when = f"{timezone.localtime(meeting.starts_at):%Y-%m-%d %H:%M}"
    with in_swedish():
        if cancel:
            subject = _("Inställt: %(body)s %(when)s") % {"body": meeting.body.name, "when": when}
            text = _("Sammanträdet med %(body)s %(when)s är inställt. %(url)s")
        elif sequence:
            subject = _("Ändrad kallelse: %(body)s %(when)s") % {"body": meeting.body.name, "when": when}
            text = _(
                "Ny tid eller plats för %(body)s: %(when)s, %(place)s. Kallelsen och föredragningslistan "
                "finns i bifogad PDF och på %(url)s"
            )
        else:
            subject = _("Kallelse: %(body)s %(when)s") % {"body": meeting.body.name, "when": when}
            text = _(
                "Kallelse och föredragningslista till %(body)s %(when)s, %(place)s. "
                "Kallelsen finns i bifogad PDF och på %(url)s"
            )
        body = text % {
            "body": meeting.body.name,
            "when": when,
            "place": meeting.place,
            "url": _meeting_url(meeting),
        }
    try:
        with transaction.atomic():
            current = Meeting.objects.select_for_update().get(pk=meeting.pk)
            if current.notice_sequence != sequence:
                return None
            recipients = list(members(body=meeting.body, on=day).exclude(person__email=""))
            NoticeMailing.objects.create(
                meeting=meeting, sequence=sequence, method=method, recipients=len(recipients)
            )
            for membership in recipients:
                attachments = [
                    MailAttachment(
                        filename="kallelse.ics",
                        content=notice_ics(
                            meeting=meeting, method=method, person=membership.person, role=membership.role
                        ),
                        content_type=f"text/calendar; method={method}",
                    )
                ]
                if pdf is not None:
                    attachments.insert(
                        0, MailAttachment(f"{notice_filename(meeting)}.pdf", pdf, "application/pdf")
                    )
                mail_queue(
                    subject=subject, body=body, recipients=[membership.person.email], attachments=attachments
                )
    except IntegrityError:  # another worker mailed this sequence meanwhile
        return None
    return Sent(method=method, recipients=len(recipients))
