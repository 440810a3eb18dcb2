import datetime
import io

from django.core.management import call_command

from council.membership import members
from council.models import AgreementAdoption, Meeting, MeetingStatus, Outcome, Position, SealedCopy
from initiatives.models import Status


def test_the_demo_loads_twice_and_tells_the_story(db, settings):
    settings.DEBUG = True
    call_command("demo_data", stdout=io.StringIO())
    sealed = SealedCopy.objects.count()
    call_command("demo_data", stdout=io.StringIO())
    # VRAU and Värmlandsrådet in 2022 (the ledger's history) and in 2026, and a coming meeting.
    assert Meeting.objects.filter(status=MeetingStatus.MINUTES_SIGNED).count() == 4
    assert Meeting.objects.filter(status=MeetingStatus.PLANNED).count() == 1
    assert AgreementAdoption.objects.count() == 17
    # Each party's representative sits in Värmlandsrådet (once, however often the demo loads).
    council = Meeting.objects.filter(body__slug="varmlandsradet").first().body
    assert members(body=council, on=datetime.date(2026, 6, 11)).count() == 17
    consensus = Position.objects.consensus().get(meeting__starts_at__year=2026)
    assert consensus.initiative.status == Status.SUPPORTED
    assert Position.objects.consensus().filter(meeting__starts_at__year=2022).count() == 4
    blocked = Position.objects.get(outcome=Outcome.NO_CONSENSUS, meeting__starts_at__year=2026)
    assert blocked.initiative.status == Status.SUBMITTED
    assert blocked.reason.startswith("Kil: Satsningen gynnar främst en del av länet")
    closed = Position.objects.get(outcome=Outcome.NO_CONSENSUS, meeting__starts_at__year=2022)
    assert closed.initiative.status == Status.NOT_SUPPORTED
    assert (
        Meeting.objects.get(status=MeetingStatus.PLANNED).items.get().deferred_from.outcome
        == Outcome.DEFERRED
    )
    # Each signed meeting's minutes and each item's excerpt are sealed once (council/sealing.py), at once.
    for meeting in Meeting.objects.filter(status=MeetingStatus.MINUTES_SIGNED):
        items = meeting.paragraphs.filter(item__isnull=False).values_list("number", flat=True)
        assert set(meeting.sealed_copies.values_list("paragraph", flat=True)) == {None, *items}
    assert SealedCopy.objects.count() == sealed  # the second load seals nothing again
