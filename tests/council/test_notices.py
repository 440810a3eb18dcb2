"""The notice mailed to the members: the notice PDF and a calendar invitation per member, through the mail
queue, a real worker (`run_jobs`) and a real SMTP server; the update when the meeting moves, the
cancellation; and the refusals."""

import datetime
import shutil
import subprocess
from email.header import decode_header, make_header

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from icalendar import Calendar

from council import notices, services
from council.membership import membership_add
from council.models import MeetingStatus, MembershipRole, NoticeMailing, Outcome
from initiatives.models import Preparation
from people.roles import Role
from tests.council.conftest import all_present
from tests.council.factories import InitiativeFactory, MeetingFactory, body
from tests.factories import UserFactory
from tests.test_permission_matrix import PDF

pytestmark = pytest.mark.django_db(transaction=True)

D = datetime.date


@pytest.fixture
def vrau(secretariat, karlstad, arvika, filipstad):
    """A VRAU meeting with a prepared initiative (VRAG proposes support) and its document; two members on
    the meeting's day (an ordinary member, a substitute) and one whose term ended before it."""
    meeting = MeetingFactory(body=body("vrau"), created_by=secretariat)
    initiative = InitiativeFactory(title="Laddinfrastruktur i Värmland")
    Preparation.objects.create(
        initiative=initiative, proposed_position="support", proposed_amount="2500000.00", assessment="Bra."
    )
    item = services.item_add(meeting=meeting, user=secretariat, initiative=initiative)
    services.document_add(
        item=item, title="Projektplan", file=SimpleUploadedFile("plan.pdf", PDF), user=secretariat
    )
    people = {
        "ordinary": UserFactory(
            party=karlstad, first_name="Karin", last_name="Stad", email="karin@karlstad.se"
        ),
        "substitute": UserFactory(party=arvika, first_name="Arne", last_name="Vik", email="arne@arvika.se"),
        "former": UserFactory(party=filipstad, email="fia@filipstad.se"),
    }
    vr_rep = UserFactory(party=karlstad, roles=[Role.COUNCIL_REPRESENTATIVE], email="vr@karlstad.se")
    for key, role, ends_on in (
        ("ordinary", MembershipRole.ORDINARY, None),
        ("substitute", MembershipRole.SUBSTITUTE, None),
        ("former", MembershipRole.ORDINARY, D(2026, 2, 28)),
    ):
        person = people[key]
        membership_add(
            body=body("vrau"),
            party=person.party,
            person=person,
            role=role,
            starts_on=D(2026, 1, 1),
            ends_on=ends_on,
            user=secretariat,
        )
    return meeting, people, vr_rep


@pytest.fixture
def filipstad():
    from tests.factories import party

    return party("filipstad")


def parts(message):
    """(the mail's text, the PDF's bytes or None, the parsed calendar)."""
    text, pdf, calendar = "", None, None
    for part in message.walk():
        kind = part.get_content_type()
        if kind == "text/plain" and not part.get_filename():
            text = part.get_payload(decode=True).decode()
        elif kind == "application/pdf":
            pdf = part.get_payload(decode=True)
        elif kind == "text/calendar":
            assert part.get_param("method") in ("REQUEST", "CANCEL")
            calendar = Calendar.from_ical(part.get_payload(decode=True))
    return text, pdf, calendar


def subject(message) -> str:
    return str(make_header(decode_header(message["Subject"]))).replace("\n", "").replace("\r", "")


def event_of(calendar):
    [event] = calendar.walk("VEVENT")
    return event


def pdf_text(content: bytes, tmp_path) -> str:
    path = tmp_path / "kallelse.pdf"
    path.write_bytes(content)
    return subprocess.run(  # noqa: S603 - our own file, a fixed program
        [shutil.which("pdftotext"), str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def test_publishing_mails_each_member_the_notice_pdf_and_an_invitation(
    smtp, run_jobs, vrau, secretariat, tmp_path
):
    meeting, _people, _rep = vrau
    services.meeting_publish_agenda(meeting=meeting, user=secretariat)
    run_jobs()
    messages = sorted(smtp.mailbox.messages, key=lambda m: m["To"])
    # The members on the meeting's day, one message each; not the former member, not Värmlandsrådet's.
    assert [m["To"] for m in messages] == ["arne@arvika.se", "karin@karlstad.se"]
    assert subject(messages[0]) == "Kallelse: Värmlandsrådets arbetsutskott 2026-03-12 09:00"
    text, pdf, calendar = parts(messages[1])
    assert f"http://testserver/sammantraden/{meeting.pk}/" in text
    content = pdf_text(pdf, tmp_path)
    assert "Laddinfrastruktur i Värmland" in content
    assert "Förslag till beslut" in content and "2 500 000,00 kr" in content.replace("\u00a0", " ")
    assert "Projektplan" in content  # the item's documents are listed
    assert calendar["METHOD"] == "REQUEST"
    event = event_of(calendar)
    assert str(event["UID"]) == f"dgr-sammantrade-{meeting.pk}@testserver"
    assert event["SEQUENCE"] == 0
    assert event.decoded("DTSTART") == timezone.make_aware(datetime.datetime(2026, 3, 12, 9, 0))
    assert str(event.decoded("DTSTART").tzinfo) == "Europe/Stockholm"
    assert str(event["ATTENDEE"]) == "mailto:karin@karlstad.se"
    assert event["ATTENDEE"].params["ROLE"] == "REQ-PARTICIPANT"
    assert str(event["LOCATION"]) == "Residenset, Karlstad"
    assert event_of(parts(messages[0])[2])["ATTENDEE"].params["ROLE"] == "OPT-PARTICIPANT"  # the substitute
    [mailing] = NoticeMailing.objects.filter(meeting=meeting)
    assert (mailing.sequence, mailing.method, mailing.recipients) == (0, "REQUEST", 2)
    # A job run again for the same sequence mails nobody twice.
    notices.notice_send(meeting_id=meeting.pk, sequence=0, base_url="http://testserver/")
    assert NoticeMailing.objects.filter(meeting=meeting).count() == 1


def test_a_move_sends_an_update_and_a_cancellation_cancels(smtp, run_jobs, vrau, secretariat):
    meeting, _people, _rep = vrau
    services.meeting_publish_agenda(meeting=meeting, user=secretariat)
    run_jobs()
    smtp.mailbox.messages.clear()
    later = timezone.make_aware(datetime.datetime(2026, 3, 19, 13, 0))
    # Moved twice before the worker runs: the members get only the latest (one update each).
    notices.meeting_change(meeting=meeting, starts_at=later, place="Kommunhuset, Arvika", user=secretariat)
    notices.meeting_change(
        meeting=meeting, starts_at=later, place="Bibliotekshuset, Arvika", user=secretariat
    )
    run_jobs()
    updates = sorted(smtp.mailbox.messages, key=lambda m: m["To"])
    assert [m["To"] for m in updates] == ["arne@arvika.se", "karin@karlstad.se"]
    assert subject(updates[0]) == "Ändrad kallelse: Värmlandsrådets arbetsutskott 2026-03-19 13:00"
    _text, pdf, calendar = parts(updates[0])
    event = event_of(calendar)
    assert calendar["METHOD"] == "REQUEST" and pdf.startswith(b"%PDF-")
    assert (str(event["UID"]), event["SEQUENCE"]) == (f"dgr-sammantrade-{meeting.pk}@testserver", 2)
    assert event.decoded("DTSTART") == later
    assert str(event["LOCATION"]) == "Bibliotekshuset, Arvika"
    smtp.mailbox.messages.clear()

    notices.meeting_cancel(meeting=meeting, reason="Inga beslutsärenden.", user=secretariat)
    run_jobs()
    cancellations = sorted(smtp.mailbox.messages, key=lambda m: m["To"])
    assert [m["To"] for m in cancellations] == ["arne@arvika.se", "karin@karlstad.se"]
    assert subject(cancellations[0]).startswith("Inställt: Värmlandsrådets arbetsutskott")
    _text, pdf, calendar = parts(cancellations[0])
    event = event_of(calendar)
    assert pdf is None
    assert (calendar["METHOD"], event["STATUS"], event["SEQUENCE"]) == ("CANCEL", "CANCELLED", 3)
    assert str(event["UID"]) == f"dgr-sammantrade-{meeting.pk}@testserver"
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.CANCELLED
    # The item is deferred: the initiative may go on another agenda.
    item = meeting.items.get()
    assert item.outcome == Outcome.DEFERRED
    assert item.outcome_detail == "Sammanträdet ställdes in: Inga beslutsärenden."
    assert list(NoticeMailing.objects.filter(meeting=meeting).values_list("sequence", "method")) == [
        (0, "REQUEST"),
        (2, "REQUEST"),
        (3, "CANCEL"),
    ]


def test_a_planned_meeting_moves_and_is_cancelled_without_mail(smtp, run_jobs, vrau, secretariat):
    meeting, _people, _rep = vrau
    later = timezone.make_aware(datetime.datetime(2026, 3, 19, 13, 0))
    notices.meeting_change(meeting=meeting, starts_at=later, place="Arvika", user=secretariat)
    notices.meeting_cancel(meeting=meeting, reason="Flyttas till hösten.", user=secretariat)
    run_jobs()
    assert smtp.mailbox.messages == []
    meeting.refresh_from_db()
    assert (meeting.notice_sequence, meeting.status) == (0, MeetingStatus.CANCELLED)


def test_changes_are_refused_once_the_meeting_is_under_way_or_by_others(vrau, secretariat, parties):
    meeting, people, vr_rep = vrau
    later = timezone.make_aware(datetime.datetime(2026, 3, 19, 13, 0))
    with pytest.raises(PermissionDenied):
        notices.meeting_change(meeting=meeting, starts_at=later, place="Arvika", user=people["ordinary"])
    with pytest.raises(PermissionDenied):
        notices.meeting_cancel(meeting=meeting, reason="x", user=vr_rep)
    with pytest.raises(ValidationError) as refused:
        notices.meeting_cancel(meeting=meeting, reason="  ", user=secretariat)
    assert refused.value.message_dict == {"reason": ["Ange varför sammanträdet ställs in."]}
    services.meeting_publish_agenda(meeting=meeting, user=secretariat)
    all_present(meeting, secretariat, parties)
    with pytest.raises(ValidationError, match="Sammanträdet har börjat"):
        notices.meeting_change(meeting=meeting, starts_at=later, place="Arvika", user=secretariat)
    with pytest.raises(ValidationError, match="Sammanträdet har börjat"):
        notices.meeting_cancel(meeting=meeting, reason="Sjukdom.", user=secretariat)
    meeting.refresh_from_db()
    assert (meeting.status, meeting.notice_sequence) == (MeetingStatus.AGENDA_PUBLISHED, 0)
