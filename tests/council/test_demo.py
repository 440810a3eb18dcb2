import io

from django.core.management import call_command

from council.models import AgreementAdoption, Meeting, MeetingStatus, Outcome, Position
from initiatives.models import Status


def test_the_demo_loads_twice_and_tells_the_story(db, settings):
    settings.DEBUG = True
    call_command("demo_data", stdout=io.StringIO())
    call_command("demo_data", stdout=io.StringIO())
    assert Meeting.objects.filter(status=MeetingStatus.MINUTES_SIGNED).count() == 2
    assert Meeting.objects.filter(status=MeetingStatus.PLANNED).count() == 1
    assert AgreementAdoption.objects.count() == 17
    consensus = Position.objects.consensus().get()
    assert consensus.initiative.status == Status.SUPPORTED
    blocked = Position.objects.get(outcome=Outcome.NO_CONSENSUS)
    assert blocked.initiative.status == Status.SUBMITTED
    assert blocked.reason.startswith("Kil: Satsningen gynnar främst en del av länet")
    assert (
        Meeting.objects.get(status=MeetingStatus.PLANNED).items.get().deferred_from.outcome
        == Outcome.DEFERRED
    )
