"""`initiative_import`: an initiative from the diarium keeps its registration number and date."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from core.models import OutgoingMail
from initiatives.models import Initiative, RegistrationCounter, Status
from initiatives.services import (
    initiative_complete_imported,
    initiative_import,
    initiative_transition,
    notifications_held,
)
from tests.factories import initiative_in

pytestmark = pytest.mark.django_db

SUBMITTED = timezone.make_aware(datetime.datetime(2022, 2, 1, 12, 0))


def _import(user, party, serial, status=Status.PROPOSED, **data):
    return initiative_import(
        user=user,
        party=party,
        registration_year=2022,
        registration_serial=serial,
        submitted_at=SUBMITTED,
        status=status,
        data={"title": data.pop("title", "Ett äldre initiativ"), **data},
    )


def test_the_number_and_date_are_kept_and_every_step_is_in_the_history(secretariat, karlstad):
    initiative = _import(secretariat, karlstad, 12)

    assert initiative.registration_number == "DGR 2022/0012"
    assert initiative.submitted_at == SUBMITTED
    assert initiative.status == Status.PROPOSED
    steps = list(initiative.history.order_by("history_date").values_list("status", flat=True))
    assert steps == [Status.DRAFT, Status.SUBMITTED, Status.PREPARED, Status.PROPOSED]
    assert RegistrationCounter.objects.get(year=2022).last_serial == 12
    assert mail.outbox == []


def test_the_counter_is_raised_never_lowered(secretariat, karlstad):
    _import(secretariat, karlstad, 12)
    _import(secretariat, karlstad, 4, title="Ett ännu äldre")

    assert RegistrationCounter.objects.get(year=2022).last_serial == 12


def test_a_taken_number_a_status_reached_later_and_another_role_are_refused(secretariat, karlstad, initiator):
    _import(secretariat, karlstad, 12)

    with pytest.raises(ValidationError, match="DGR 2022/0012 finns redan"):
        _import(secretariat, karlstad, 12, title="Ett annat")
    with pytest.raises(ValidationError, match="kan inte importeras"):
        _import(secretariat, karlstad, 13, status=Status.DECIDED)
    with pytest.raises(PermissionDenied):
        _import(initiator, karlstad, 14)
    assert Initiative.objects.count() == 1


def test_notifications_are_held_only_inside_the_block(secretariat, karlstad, initiator):
    # Mail is queued in the change's own transaction (core.mail): count what each step queued.
    initiative = _import(secretariat, karlstad, 12, status=Status.SUBMITTED)
    imported = OutgoingMail.objects.count()
    with notifications_held():
        initiative_transition(initiative=initiative, to=Status.PREPARED, user=secretariat)
    held = OutgoingMail.objects.count() - imported
    initiative_transition(initiative=initiative, to=Status.PROPOSED, user=secretariat)
    sent = OutgoingMail.objects.count() - imported - held

    assert (imported, held) == (0, 0)
    assert sent >= 1
    assert initiator.email in set(OutgoingMail.objects.values_list("recipient", flat=True))


def _decided_import(secretariat, finance, karlstad, serial=12):
    initiative = _import(secretariat, karlstad, serial)
    with notifications_held():  # as the position and decision imports move it on
        for step in (Status.SUPPORTED, Status.DECIDED):
            initiative_transition(initiative=initiative, to=step, user=finance)
    return initiative


def test_an_imported_decided_initiative_is_completed_on_its_historical_day(
    secretariat, finance, karlstad, django_capture_on_commit_callbacks
):
    initiative = _decided_import(secretariat, finance, karlstad)

    with django_capture_on_commit_callbacks(execute=True) as after_commit:
        initiative_complete_imported(
            initiative=initiative, completed_on=datetime.date(2024, 3, 1), user=finance
        )

    initiative.refresh_from_db()
    assert initiative.status == Status.COMPLETED
    last = initiative.history.order_by("history_date").last()
    assert (last.history_user, last.history_change_reason) == (finance, "Avslutat 2024-03-01 (importerat)")
    assert after_commit == []  # history replayed: nobody is mailed …
    assert not OutgoingMail.objects.exists()  # … neither after commit nor in the transaction


def test_completing_an_imported_initiative_needs_finance_and_a_past_day(secretariat, finance, karlstad):
    initiative = _decided_import(secretariat, finance, karlstad)

    with pytest.raises(PermissionDenied):
        initiative_complete_imported(
            initiative=initiative, completed_on=datetime.date(2024, 3, 1), user=secretariat
        )
    with pytest.raises(ValidationError, match="i framtiden"):
        initiative_complete_imported(
            initiative=initiative,
            completed_on=timezone.localdate() + datetime.timedelta(days=1),
            user=finance,
        )
    initiative.refresh_from_db()
    assert initiative.status == Status.DECIDED


def test_an_initiative_handled_in_dgr_is_not_completed_as_an_import(finance, initiator, secretariat):
    live = initiative_in(Status.DECIDED, initiator, secretariat)

    with pytest.raises(ValidationError, match="avslutas när dess slutrapport godkänns"):
        initiative_complete_imported(initiative=live, completed_on=datetime.date(2026, 3, 1), user=finance)
    live.refresh_from_db()
    assert live.status == Status.DECIDED
