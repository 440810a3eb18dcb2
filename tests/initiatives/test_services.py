import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from initiatives import services
from initiatives.models import TRANSITIONS, BudgetYear, Initiative, Message, Preparation, Revision, Status
from tests.factories import TERMINATION_FIELDS, initiative_draft, initiative_in, initiative_submitted

pytestmark = pytest.mark.django_db

ALL_PAIRS = [(a, b) for a in Status for b in Status]


@pytest.mark.parametrize(("start", "to"), ALL_PAIRS, ids=[f"{a.value}->{b.value}" for a, b in ALL_PAIRS])
def test_initiative_transition_follows_the_table_and_refuses_everything_else(
    start, to, initiator, secretariat
):
    initiative = initiative_in(start, initiator, secretariat)
    if start == Status.DRAFT and to == Status.SUBMITTED:
        # A first submission needs its registration number: the database refuses it otherwise.
        with pytest.raises(IntegrityError), transaction.atomic():
            services.initiative_transition(initiative=initiative, to=to, user=initiator)
        services.initiative_submit(initiative=initiative, user=initiator, token=initiative.submission_token)
        assert Initiative.objects.get(pk=initiative.pk).status == to
    elif start == Status.DECIDED and to == Status.TERMINATED:
        # An early termination needs its day and reason: the database refuses it otherwise.
        with pytest.raises(IntegrityError), transaction.atomic():
            services.initiative_transition(initiative=initiative, to=to, user=secretariat)
        services.initiative_transition(
            initiative=initiative, to=to, user=secretariat, fields=TERMINATION_FIELDS
        )
        initiative.refresh_from_db()
        assert initiative.status == to and initiative.termination_reason == "Projektet lades ned."
    elif to in TRANSITIONS[start]:
        services.initiative_transition(initiative=initiative, to=to, user=secretariat, reason="test")
        initiative.refresh_from_db()
        assert initiative.status == to
        assert initiative.history.first().history_user == secretariat
    else:
        with pytest.raises(ValidationError) as error:
            services.initiative_transition(initiative=initiative, to=to, user=secretariat)
        assert error.value.code == "invalid_transition"
        initiative.refresh_from_db()
        assert initiative.status == start


def test_initiative_submit_issues_the_next_number_of_the_year_and_freezes_a_revision(initiator):
    first = initiative_submitted(initiator, title="Ett")
    second = initiative_submitted(initiator, title="Två")
    year = first.registration_year
    assert first.registration_number == f"DGR {year}/0001"
    assert second.registration_number == f"DGR {year}/0002"
    assert second.status == Status.SUBMITTED and second.submitted_at is not None
    revision = Revision.objects.get(initiative=first)
    assert revision.number == 1
    assert revision.content["title"] == "Ett"
    assert revision.content["budget"][0] == {
        "year": 2027,
        "total_cost": "1000000.00",
        "requested_amount": "400000.00",
    }


def test_a_repeated_submit_form_creates_nothing_twice(initiator):
    draft = initiative_draft(initiator)
    token = draft.submission_token
    submitted = services.initiative_submit(initiative=draft, user=initiator, token=token)
    again = services.initiative_submit(
        initiative=Initiative.objects.get(pk=draft.pk), user=initiator, token=token
    )
    assert again.registration_number == submitted.registration_number
    assert Revision.objects.filter(initiative=draft).count() == 1
    assert draft.history.filter(history_change_reason="submitted").count() == 1


def test_initiative_submit_refuses_an_incomplete_draft_field_by_field(initiator):
    draft = initiative_draft(initiator, complete=False)
    with pytest.raises(ValidationError) as error:
        services.initiative_submit(initiative=draft, user=initiator, token=draft.submission_token)
    problems = error.value.message_dict
    assert {"description", "whole_varmland_motivation", "alignment", "budget", "start_date"} <= set(problems)
    assert "Ange minst en koppling" in problems["alignment"][0]
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT and draft.registration_serial is None


def test_the_transport_plan_alone_is_an_alignment(initiator):
    draft = initiative_draft(initiator)
    services.initiative_update(
        initiative=draft,
        user=initiator,
        data={"transport_plan": True, "transport_plan_motivation": "Målbild 2040."},
        alignments={},
    )
    submitted = services.initiative_submit(initiative=draft, user=initiator, token=draft.submission_token)
    assert submitted.status == Status.SUBMITTED


def test_only_the_own_party_edits_and_submits(initiator, other_initiator, secretariat):
    draft = initiative_draft(initiator)
    for user in (other_initiator, secretariat):
        with pytest.raises(PermissionDenied):
            services.initiative_update(initiative=draft, user=user, data={"title": "Kapat"})
        with pytest.raises((PermissionDenied, ValidationError)):
            services.initiative_submit(initiative=draft, user=user, token=draft.submission_token)
    draft.refresh_from_db()
    assert draft.title == "Cykelstråk mellan kommunerna"


def test_submitted_content_is_frozen(initiator):
    submitted = initiative_submitted(initiator)
    with pytest.raises(PermissionDenied):
        services.initiative_update(initiative=submitted, user=initiator, data={"title": "Ändrad"})
    with pytest.raises(PermissionDenied):
        services.budget_year_add(
            initiative=submitted,
            user=initiator,
            year=2027,
            total_cost=Decimal("1.00"),
            requested_amount=Decimal("1.00"),
        )


def test_budget_years_outside_the_period_are_refused(initiator):
    draft = initiative_draft(initiator)
    with pytest.raises(ValidationError) as error:
        services.budget_year_add(
            initiative=draft,
            user=initiator,
            year=2030,
            total_cost=Decimal("10.00"),
            requested_amount=Decimal("5.00"),
        )
    assert "inom perioden 2027–2028" in error.value.message_dict["year"][0]
    assert not BudgetYear.objects.filter(initiative=draft, year=2030).exists()


def test_shortening_the_period_leaves_budget_years_outside_it_and_blocks_submission(initiator):
    draft = initiative_draft(initiator)
    services.initiative_update(
        initiative=draft, user=initiator, data={"end_date": datetime.date(2027, 6, 30)}
    )
    problems = services.submission_problems(Initiative.objects.get(pk=draft.pk))
    assert "2028" in problems["budget"][0]


def test_the_complement_loop_keeps_the_number_and_keeps_each_revision(initiator, secretariat):
    submitted = initiative_submitted(initiator)
    number = submitted.registration_number
    services.initiative_request_complement(
        initiative=submitted, user=secretariat, message="Lägg till tidplan."
    )
    assert submitted.status == Status.COMPLEMENT_REQUESTED
    assert Message.objects.get(initiative=submitted).kind == Message.Kind.COMPLEMENT_REQUEST
    services.initiative_update(initiative=submitted, user=initiator, data={"description": "Med tidplan."})
    resubmitted = services.initiative_submit(
        initiative=submitted, user=initiator, token=submitted.submission_token
    )
    assert resubmitted.status == Status.SUBMITTED
    assert resubmitted.registration_number == number
    revisions = list(Revision.objects.filter(initiative=submitted).order_by("number"))
    assert [r.number for r in revisions] == [1, 2]
    assert revisions[1].content["description"] == "Med tidplan."
    assert revisions[0].content["description"] != "Med tidplan."


def test_only_the_secretariat_prepares(initiator, other_initiator, finance, auditor, representative):
    submitted = initiative_submitted(initiator)
    for user in (initiator, other_initiator, finance, auditor, representative):
        with pytest.raises(PermissionDenied):
            services.initiative_request_complement(initiative=submitted, user=user, message="x")
        with pytest.raises(PermissionDenied):
            services.initiative_mark_not_eligible(initiative=submitted, user=user, reason="x")
    assert Initiative.objects.get(pk=submitted.pk).status == Status.SUBMITTED


def test_initiative_mark_prepared_needs_the_checklist_an_assessment_and_a_position(initiator, secretariat):
    submitted = initiative_submitted(initiator)
    with pytest.raises(ValidationError) as error:
        services.initiative_mark_prepared(
            initiative=submitted,
            user=secretariat,
            checklist={"check_whole_varmland": True},
            assessment="",
            proposed_position="support",
            proposed_amount=None,
        )
    assert {"checklist", "assessment", "proposed_amount"} <= set(error.value.message_dict)
    with pytest.raises(ValidationError) as error:
        services.initiative_mark_prepared(
            initiative=submitted,
            user=secretariat,
            checklist=dict.fromkeys(services.CHECKLIST_FIELDS, True),
            assessment="Bra.",
            proposed_position="support",
            proposed_amount=Decimal("800000.01"),  # 800 000 requested in all
        )
    assert "större än det sökta" in error.value.message_dict["proposed_amount"][0]
    prepared = services.initiative_mark_prepared(
        initiative=submitted,
        user=secretariat,
        checklist=dict.fromkeys(services.CHECKLIST_FIELDS, True),
        assessment="Bra.",
        proposed_position="support",
        proposed_amount=Decimal("800000.00"),
    )
    assert prepared.status == Status.PREPARED
    preparation = Preparation.objects.get(initiative=submitted)
    assert preparation.proposed_amount == Decimal("800000.00")
    assert preparation.prepared_by == secretariat


def test_a_proposal_not_to_support_needs_no_amount(initiator, secretariat):
    submitted = initiative_submitted(initiator)
    services.initiative_mark_prepared(
        initiative=submitted,
        user=secretariat,
        checklist=dict.fromkeys(services.CHECKLIST_FIELDS, True),
        assessment="Ej förenligt.",
        proposed_position="not_support",
        proposed_amount=Decimal("5.00"),
    )
    assert Preparation.objects.get(initiative=submitted).proposed_amount is None


def test_not_eligible_keeps_the_reason(initiator, secretariat):
    submitted = initiative_submitted(initiator)
    with pytest.raises(ValidationError):
        services.initiative_mark_not_eligible(initiative=submitted, user=secretariat, reason="  ")
    services.initiative_mark_not_eligible(initiative=submitted, user=secretariat, reason="Gäller en kommun.")
    assert submitted.status == Status.NOT_ELIGIBLE
    assert submitted.preparation.not_eligible_reason == "Gäller en kommun."


@pytest.mark.parametrize(
    ("status", "may"),
    [
        (Status.DRAFT, True),
        (Status.SUBMITTED, True),
        (Status.COMPLEMENT_REQUESTED, True),
        (Status.PREPARED, True),
        (Status.PROPOSED, True),
        (Status.SUPPORTED, False),
        (Status.NOT_SUPPORTED, False),
        (Status.DECIDED, False),
    ],
)
def test_the_initiator_may_withdraw_until_the_council_has_taken_its_position(
    status, may, initiator, other_initiator, secretariat
):
    initiative = initiative_in(status, initiator, secretariat)
    with pytest.raises(PermissionDenied):
        services.initiative_withdraw(initiative=initiative, user=other_initiator)
    if may:
        services.initiative_withdraw(initiative=initiative, user=initiator, reason="Ändrade planer")
        assert Initiative.objects.get(pk=initiative.pk).status == Status.WITHDRAWN
    else:
        with pytest.raises(PermissionDenied):
            services.initiative_withdraw(initiative=initiative, user=initiator)


@pytest.mark.django_db(transaction=True)
def test_every_transition_mails_those_concerned_one_message_each(initiator, secretariat, run_jobs):
    draft = initiative_draft(initiator)
    services.initiative_submit(initiative=draft, user=initiator, token=draft.submission_token)
    outbox = run_jobs()
    assert sorted(m.to for m in outbox) == sorted([[initiator.email], [secretariat.email]])
    assert all("Under beredning" in m.subject for m in outbox)
    assert f"http://testserver/initiativ/{draft.pk}/" in outbox[0].body
    services.initiative_request_complement(initiative=draft, user=secretariat, message="Mer.")
    outbox = run_jobs()
    assert outbox[-1].to == [initiator.email]
    assert "Komplettering begärd" in outbox[-1].subject


def test_a_transition_that_rolls_back_queues_no_mail(initiator, secretariat):
    from django.db import transaction

    from core.models import OutgoingMail

    draft = initiative_draft(initiator)
    with pytest.raises(RuntimeError), transaction.atomic():
        services.initiative_submit(initiative=draft, user=initiator, token=draft.submission_token)
        assert OutgoingMail.objects.count() == 2  # queued inside the change's transaction…
        raise RuntimeError("the request failed after the submission")
    assert OutgoingMail.objects.count() == 0  # …and gone with it


@pytest.mark.django_db(transaction=True)
def test_messages_go_between_the_party_and_the_secretariat(initiator, other_initiator, secretariat, run_jobs):
    submitted = initiative_submitted(initiator)
    run_jobs()
    services.message_post(initiative=submitted, user=initiator, body="Fråga om tidplan.")
    assert [m.to for m in run_jobs()] == [[secretariat.email]]
    with pytest.raises(PermissionDenied):
        services.message_post(initiative=submitted, user=other_initiator, body="Inte min tråd.")
    with pytest.raises(ValidationError):
        services.message_post(initiative=submitted, user=secretariat, body="   ")
    assert submitted.messages.count() == 1


def test_the_history_names_both_the_initiator_and_the_secretariat(initiator, secretariat):
    from initiatives.selectors import initiative_history

    submitted = initiative_submitted(initiator)
    services.initiative_request_complement(initiative=submitted, user=secretariat, message="Mer.")
    services.initiative_update(initiative=submitted, user=initiator, data={"title": "Nytt namn"})
    entries = initiative_history(initiative=submitted, user=secretariat)
    who = {e.who for e in entries}
    assert str(initiator) in who and str(secretariat) in who
    title_change = next(c for e in entries for c in e.changes if c.label == "titel" and c.new == "Nytt namn")
    assert title_change.old == "Cykelstråk mellan kommunerna"
    status_changes = [c for e in entries for c in e.changes if c.label == "status"]
    assert any(c.old == "Under beredning" and c.new == "Komplettering begärd" for c in status_changes)


def test_the_secretariat_may_reopen_a_prepared_initiative(initiator, secretariat):
    prepared = initiative_in(Status.PREPARED, initiator, secretariat)
    with pytest.raises(PermissionDenied):
        services.initiative_reopen_preparation(initiative=prepared, user=initiator)
    services.initiative_reopen_preparation(initiative=prepared, user=secretariat)
    assert prepared.status == Status.SUBMITTED
    preparation = Preparation.objects.get(initiative=prepared)
    assert preparation.prepared_at is None and preparation.assessment == "Uppfyller kraven."
    with pytest.raises(PermissionDenied):
        services.initiative_reopen_preparation(initiative=prepared, user=secretariat)


def test_prepared_initiatives_are_ready_for_the_council_with_the_proposal(initiator, secretariat):
    from initiatives.selectors import initiatives_ready_for_council

    prepared = initiative_in(Status.PREPARED, initiator, secretariat, title="Klart")
    initiative_in(Status.SUBMITTED, initiator, secretariat, title="Inte klart")
    ready = list(initiatives_ready_for_council())
    assert ready == [prepared]
    assert ready[0].preparation.proposed_position == "support"
    assert ready[0].preparation.proposed_amount == Decimal("500000.00")


@pytest.mark.django_db(transaction=True)
def test_mails_are_written_in_swedish_whatever_language_the_actor_reads(initiator, secretariat, run_jobs):
    from django.utils import translation

    draft = initiative_draft(initiator)
    with translation.override("en"):
        services.initiative_submit(initiative=draft, user=initiator, token=draft.submission_token)
        services.message_post(initiative=draft, user=initiator, body="Fråga om tidplan.")
        assert str(Status.SUBMITTED.label) == "Under preparation"  # the actor does read English
    outbox = run_jobs()
    transition = next(m for m in outbox if "Under beredning" in m.subject)
    message = next(m for m in outbox if "nytt meddelande" in m.subject)
    assert "Under beredning" in transition.subject and "har gått från" in transition.body
    assert "nytt meddelande" in message.subject
