import io

from django.core.management import call_command

from council.models import AgreementAdoption, Meeting, MeetingStatus, Outcome, Position
from initiatives.models import Status


def test_the_demo_loads_twice_and_tells_the_story(db, settings):
    settings.DEBUG = True
    call_command("demo_data", stdout=io.StringIO())
    call_command("demo_data", stdout=io.StringIO())
    # VRAU and Värmlandsrådet in 2022 (the ledger's history) and in 2026, and a coming meeting.
    assert Meeting.objects.filter(status=MeetingStatus.MINUTES_SIGNED).count() == 4
    assert Meeting.objects.filter(status=MeetingStatus.PLANNED).count() == 1
    assert AgreementAdoption.objects.count() == 17
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
