"""Change requests after the decision (ändringsbegäran, issue 13: 2): each kind from the party's request to
Region Värmland's decision and what it changes, and the refusals on the way."""

import datetime
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from accounting import services
from accounting.models import Decision
from accounting.todo import change_requests_awaiting_decision, decisions_awaiting_commitment
from core.models import OutgoingMail
from council import minutes
from council import services as council_services
from council.models import Body, StanceKind
from council.todo import change_requests_for_vrau
from initiatives import changes
from initiatives.models import ChangeKind, ChangeRequest, ChangeStatus, Initiative, Status
from people.models import Party
from tests.council.factories import MeetingFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def running(commitment):
    """The decided initiative, running 2026–2027, with 2 MSEK committed for 2026 under its decision."""
    Initiative.objects.filter(pk=commitment.initiative_id).update(
        start_date=date(2026, 3, 1), end_date=date(2027, 12, 31)
    )
    return Initiative.objects.get(pk=commitment.initiative_id)


def _decide_change(change, user, *, approved=True, decided_on=date(2026, 4, 1), **extra):
    return services.change_decision_record(
        change_request=change,
        maker_kind="board",
        maker_name="Regionstyrelsen",
        delegation_point=None,
        decided_on=decided_on,
        reference="RS 2026/40 § 3",
        approved=approved,
        user=user,
        **extra,
    )


def _remaining(initiative) -> Decimal:
    return sum(
        (left for _c, left in services.change_commitments(ChangeRequest(initiative=initiative))), Decimal(0)
    )


# --- asking -------------------------------------------------------------------------------------------


def test_the_party_asks_for_a_longer_period_and_finance_and_the_secretariat_are_told(
    running, initiator, finance, secretariat
):
    change = changes.change_request_submit(
        initiative=running,
        kind=ChangeKind.EXTENDED_PERIOD,
        reason="Leveranser försenade.",
        new_end_date=date(2028, 6, 30),
        user=initiator,
    )
    assert (change.number, change.status) == (1, ChangeStatus.SUBMITTED)
    assert change.history.get().history_user == initiator
    mail = OutgoingMail.objects.filter(subject__contains="ändringsbegäran 1")
    assert {m.recipient for m in mail} >= {finance.email, secretariat.email}
    assert initiator.email not in {m.recipient for m in mail}


def test_only_a_decided_initiative_of_ones_own_party_can_be_changed(
    running, initiator, other_initiator, secretariat, karlstad
):
    for user in (other_initiator, secretariat):
        with pytest.raises(PermissionDenied):
            changes.change_request_submit(
                initiative=running, kind=ChangeKind.ADDITIONAL_FUNDING, reason="x", amount="1", user=user
            )
    supported = Initiative.objects.create(
        party=karlstad,
        title="Inte beslutat",
        created_by=initiator,
        status=Status.SUPPORTED,
        registration_year=2026,
        registration_serial=9001,
    )
    with pytest.raises(ValidationError) as refused:
        changes.change_request_submit(
            initiative=supported, kind=ChangeKind.ADDITIONAL_FUNDING, reason="x", amount="1", user=initiator
        )
    assert refused.value.code == "not_decided"
    assert not ChangeRequest.objects.exists()


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"kind": ChangeKind.EXTENDED_PERIOD, "new_end_date": date(2027, 6, 30)}, "new_end_date"),
        ({"kind": ChangeKind.EXTENDED_PERIOD}, "new_end_date"),
        (
            {"kind": ChangeKind.MOVE_BETWEEN_YEARS, "from_year": 2026, "to_year": 2029, "amount": "10"},
            "to_year",
        ),
        (
            {"kind": ChangeKind.MOVE_BETWEEN_YEARS, "from_year": 2026, "to_year": 2026, "amount": "10"},
            "to_year",
        ),
        ({"kind": ChangeKind.REDUCED_SCOPE}, "amount"),
        ({"kind": ChangeKind.ADDITIONAL_FUNDING, "amount": "10.005"}, "amount"),
    ],
)
def test_a_request_missing_or_contradicting_its_kinds_values_is_refused_next_to_the_field(
    running, initiator, values, field
):
    with pytest.raises(ValidationError) as refused:
        changes.change_request_submit(initiative=running, reason="Skäl.", user=initiator, **values)
    assert field in refused.value.message_dict
    assert not ChangeRequest.objects.exists()


def test_one_open_request_of_a_kind_at_a_time_and_the_party_may_withdraw_it(
    running, initiator, other_initiator
):
    first = changes.change_request_submit(
        initiative=running, kind=ChangeKind.REDUCED_SCOPE, reason="Mindre.", amount="100000", user=initiator
    )
    with pytest.raises(ValidationError) as refused:
        changes.change_request_submit(
            initiative=running, kind=ChangeKind.REDUCED_SCOPE, reason="Igen.", amount="1", user=initiator
        )
    assert "kind" in refused.value.message_dict
    with pytest.raises(PermissionDenied):
        changes.change_request_withdraw(change_request=first, user=other_initiator)
    changes.change_request_withdraw(change_request=first, user=initiator)
    first.refresh_from_db()
    assert first.status == ChangeStatus.WITHDRAWN and first.closed_at is not None
    second = changes.change_request_submit(
        initiative=running, kind=ChangeKind.REDUCED_SCOPE, reason="Igen.", amount="1", user=initiator
    )
    assert second.number == 2


# --- decided by Region Värmland -----------------------------------------------------------------------


def test_an_approved_longer_period_moves_the_end_date_with_a_decision_amending_the_first(
    running, initiator, finance, decision
):
    change = changes.change_request_submit(
        initiative=running,
        kind=ChangeKind.EXTENDED_PERIOD,
        reason="Försenat.",
        new_end_date=date(2028, 6, 30),
        user=initiator,
    )
    assert list(change_requests_awaiting_decision(finance, date.today())) == [change]
    made = _decide_change(change, finance)
    assert (made.outcome, made.amount, made.amends, made.change_request) == (
        Decision.Outcome.CHANGED,
        Decimal("0.00"),
        decision,
        change,
    )
    assert made.position == decision.position
    running.refresh_from_db()
    assert running.end_date == date(2028, 6, 30) and running.status == Status.DECIDED
    assert running.history.first().history_user == finance
    change.refresh_from_db()
    assert change.status == ChangeStatus.APPROVED
    assert OutgoingMail.objects.filter(recipient=initiator.email, subject__contains="beviljad").exists()
    # Nothing to commit from a change within the frame; the planned years reach the new end.
    assert made not in decisions_awaiting_commitment(finance, date.today())
    assert 2028 in services.planned_years(decision)
    assert not list(change_requests_awaiting_decision(finance, date.today()))


def test_a_refused_change_changes_nothing_but_its_status(running, initiator, finance):
    change = changes.change_request_submit(
        initiative=running,
        kind=ChangeKind.EXTENDED_PERIOD,
        reason="x",
        new_end_date=date(2028, 6, 30),
        user=initiator,
    )
    made = _decide_change(change, finance, approved=False)
    assert made.outcome == Decision.Outcome.REJECTED
    running.refresh_from_db()
    change.refresh_from_db()
    assert running.end_date == date(2027, 12, 31) and change.status == ChangeStatus.REJECTED
    with pytest.raises(ValidationError) as again:
        _decide_change(change, finance)
    assert again.value.code == "wrong_change_status"


def test_only_finance_records_the_regions_decision(running, initiator, secretariat):
    change = changes.change_request_submit(
        initiative=running,
        kind=ChangeKind.EXTENDED_PERIOD,
        reason="x",
        new_end_date=date(2028, 6, 30),
        user=initiator,
    )
    for user in (secretariat, initiator):
        with pytest.raises(PermissionDenied):
            _decide_change(change, user)
    assert not Decision.objects.filter(change_request=change).exists()


def test_a_change_is_not_decided_before_the_decision_it_amends(running, initiator, finance):
    change = changes.change_request_submit(
        initiative=running,
        kind=ChangeKind.EXTENDED_PERIOD,
        reason="x",
        new_end_date=date(2028, 6, 30),
        user=initiator,
    )
    with pytest.raises(ValidationError) as refused:
        _decide_change(change, finance, decided_on=date(2026, 1, 20))
    assert "decided_on" in refused.value.message_dict


def test_money_moved_between_years_is_replanned_without_granting_or_freeing_anything(
    running, initiator, finance, decision, commitment, parts
):
    available_before = services.available(parts[0])
    change = changes.change_request_submit(
        initiative=running,
        kind=ChangeKind.MOVE_BETWEEN_YEARS,
        reason="Etapp 2 flyttas.",
        from_year=2026,
        to_year=2027,
        amount="500000.00",
        user=initiator,
    )
    made = _decide_change(change, finance)
    moved = running.commitments.get(planned_year=2027)
    assert (moved.amount, moved.decision, moved.capital_part) == (Decimal("500000.00"), decision, parts[0])
    assert services.commitment_figures(commitment)["remaining"] == Decimal("1500000.00")
    assert services.commitment_figures(moved)["remaining"] == Decimal("500000.00")
    # Nothing granted anew, nothing freed: the decision's committed total and the part's capital stand.
    assert services.decision_committed(decision) == Decimal("2000000.00")
    assert services.available(parts[0]) == available_before
    verification = made.verifications.get()
    assert sum(line.amount for line in verification.lines.all()) == 0
    assert "2026 → 2027" in verification.text


def test_money_is_moved_only_to_a_year_of_the_period_and_only_what_is_planned(
    running, initiator, finance, commitment
):
    change = changes.change_request_submit(
        initiative=running,
        kind=ChangeKind.MOVE_BETWEEN_YEARS,
        reason="x",
        from_year=2026,
        to_year=2027,
        amount="2500000.00",
        user=initiator,
    )
    with pytest.raises(ValidationError) as refused:
        _decide_change(change, finance)
    assert refused.value.message_dict["amount"] == [
        "Bara 2\u00a0000\u00a0000,00\u00a0kr återstår att betala ut av det som är planerat för 2026."
    ]
    # The period was shortened after the request: 2027 is no longer a year the decision may plan for.
    Initiative.objects.filter(pk=running.pk).update(end_date=date(2026, 12, 31))
    ChangeRequest.objects.filter(pk=change.pk).update(amount=Decimal("100.00"))
    change.refresh_from_db()
    with pytest.raises(ValidationError) as outside:
        _decide_change(change, finance)
    assert "to_year" in outside.value.message_dict
    change.refresh_from_db()
    assert change.status == ChangeStatus.SUBMITTED  # refused: nothing of it stays
    assert not Decision.objects.filter(change_request=change).exists()
    assert not running.commitments.filter(planned_year=2027).exists()


def test_a_reduced_scope_frees_the_amount_but_never_below_what_is_paid_out(
    running, initiator, finance, commitment, parts
):
    services.disbursement_record(
        commitment=commitment,
        amount=Decimal("1500000.00"),
        booking_date=date(2026, 3, 1),
        text="Utbetalt",
        user=finance,
    )
    too_far = changes.change_request_submit(
        initiative=running,
        kind=ChangeKind.REDUCED_SCOPE,
        reason="Mindre.",
        amount="600000.00",
        user=initiator,
    )
    with pytest.raises(ValidationError) as refused:
        _decide_change(too_far, finance)
    assert refused.value.message_dict["amount"][0].startswith("Bara 500")
    too_far.refresh_from_db()
    assert too_far.status == ChangeStatus.SUBMITTED
    changes.change_request_withdraw(change_request=too_far, user=initiator)
    available_before = services.available(parts[0])
    change = changes.change_request_submit(
        initiative=running,
        kind=ChangeKind.REDUCED_SCOPE,
        reason="Mindre.",
        amount="500000.00",
        user=initiator,
    )
    _decide_change(change, finance)
    figures = services.commitment_figures(commitment)
    assert (figures["released"], figures["remaining"]) == (Decimal("500000.00"), Decimal("0.00"))
    assert services.available(parts[0]) == available_before + Decimal("500000.00")


def test_more_money_is_not_decided_without_the_councils_position(running, initiator, finance, funded):
    change = changes.change_request_submit(
        initiative=running,
        kind=ChangeKind.ADDITIONAL_FUNDING,
        reason="Fler orter.",
        amount="800000.00",
        user=initiator,
    )
    with pytest.raises(ValidationError) as wrong_path:
        _decide_change(change, finance)
    assert wrong_path.value.code == "wrong_path"
    with pytest.raises(ValidationError) as not_yet:
        services.decision_record(
            fund=funded,
            initiative=running,
            change_request=change,
            maker_kind="board",
            maker_name="Regionstyrelsen",
            delegation_point=None,
            decided_on=date(2026, 4, 1),
            reference="RS 2026/50",
            amount=Decimal("800000.00"),
            user=finance,
        )
    assert not_yet.value.code == "wrong_change_status"
    assert change_requests_for_vrau(finance, date.today()) is None  # the secretariat's work, not finance's


# --- more money: VRAU, Värmlandsrådet, Region Värmland, finance ------------------------------------------


def _meeting(body_slug, day, secretariat):
    meeting = MeetingFactory(
        body=Body.objects.get(slug=body_slug),
        starts_at=timezone.make_aware(datetime.datetime.combine(day, datetime.time(9))),
        created_by=secretariat,
    )
    return meeting


def _to_council(change, secretariat, *, objects=None):
    """VRAU proposes the amount asked for; Värmlandsrådet takes its position (all support, or one party
    objects and the matter is closed)."""
    parties = list(Party.objects.active())
    vrau = _meeting("vrau", date(2026, 3, 5), secretariat)
    item = council_services.item_add(meeting=vrau, change_request=change, user=secretariat)
    council_services.meeting_publish_agenda(meeting=vrau, user=secretariat)
    council_services.proposal_record(
        item=item, proposed_amount=change.amount, text="VRAU står bakom.", user=secretariat
    )
    change.refresh_from_db()
    assert change.status == ChangeStatus.PROPOSED
    vr = _meeting("varmlandsradet", date(2026, 3, 12), secretariat)
    item = council_services.item_add(meeting=vr, change_request=change, user=secretariat)
    council_services.meeting_publish_agenda(meeting=vr, user=secretariat)
    council_services.attendance_record(
        meeting=vr, rows=[(p, True, f"Ledamot {p.name}") for p in parties], user=secretariat
    )
    stances = dict.fromkeys(parties, (StanceKind.SUPPORTS, ""))
    if objects:
        stances[Party.objects.get(slug=objects)] = (StanceKind.OBJECTS, "Inte nu.")
    council_services.item_decide(
        item=item,
        user=secretariat,
        stances=stances,
        supported_amount=change.amount if not objects else None,
        resolution="close" if objects else "",
    )
    change.refresh_from_db()
    return item


def test_more_money_goes_through_vrau_and_varmlandsradet_then_region_varmland_and_finance(
    running, initiator, secretariat, finance, funded, decision, parts
):
    change = changes.change_request_submit(
        initiative=running,
        kind=ChangeKind.ADDITIONAL_FUNDING,
        reason="Fler orter.",
        amount="800000.00",
        user=initiator,
    )
    assert list(change_requests_for_vrau(secretariat, date.today())) == [change]
    item = _to_council(change, secretariat)
    assert item.title.startswith("Ändringsbegäran: utökad finansiering")
    assert change.status == ChangeStatus.SUPPORTED
    running.refresh_from_db()
    assert running.status == Status.DECIDED  # the initiative itself is not re-decided
    # The initiative's own position is still the one its first decision rests on.
    assert services.consensus_position(running) == decision.position
    assert services.consensus_position(running, change) == item.position
    assert item.position.change_request == change
    # Before Region Värmland's decision the extra money has nothing to be committed under.
    with pytest.raises(ValidationError) as over:
        services.commitment_create(
            decision=decision,
            shares=[services.Share(parts[0], Decimal("3800000.00"), 2026)],
            booking_date=date(2026, 3, 20),
            text="Extra",
            user=finance,
        )
    assert "högst 3\u00a0000\u00a0000,00\u00a0kr kan beviljas" in over.value.message_dict["amount"][0]
    extra = services.decision_record(
        fund=funded,
        initiative=running,
        change_request=change,
        maker_kind="board",
        maker_name="Regionstyrelsen",
        delegation_point=None,
        decided_on=date(2026, 3, 20),
        reference="RS 2026/55 § 2",
        amount=Decimal("800000.00"),
        user=finance,
    )
    assert (extra.amends, extra.position, extra.outcome) == (
        decision,
        item.position,
        Decision.Outcome.GRANTED,
    )
    change.refresh_from_db()
    assert change.status == ChangeStatus.APPROVED
    assert extra in decisions_awaiting_commitment(finance, date.today())
    services.commitment_create(
        decision=extra,
        shares=[services.Share(parts[1], Decimal("800000.00"), 2027)],
        booking_date=date(2026, 3, 20),
        text="Utökad finansiering",
        user=finance,
    )
    assert services.decision_committed(extra) == Decimal("800000.00")
    assert _remaining(running) == Decimal("2800000.00")


def test_the_region_cannot_grant_more_than_varmlandsradet_supported_for_the_change(
    running, initiator, secretariat, finance, funded
):
    change = changes.change_request_submit(
        initiative=running, kind=ChangeKind.ADDITIONAL_FUNDING, reason="x", amount="800000.00", user=initiator
    )
    _to_council(change, secretariat)
    with pytest.raises(ValidationError) as refused:
        services.decision_record(
            fund=funded,
            initiative=running,
            change_request=change,
            maker_kind="board",
            maker_name="Regionstyrelsen",
            delegation_point=None,
            decided_on=date(2026, 3, 20),
            reference="RS 2026/55",
            amount=Decimal("900000.00"),
            user=finance,
        )
    assert "amount" in refused.value.message_dict


def test_a_block_at_varmlandsradet_closes_the_change_request_not_the_initiative(
    running, initiator, secretariat
):
    change = changes.change_request_submit(
        initiative=running, kind=ChangeKind.ADDITIONAL_FUNDING, reason="x", amount="800000.00", user=initiator
    )
    _to_council(change, secretariat, objects="arvika")
    assert change.status == ChangeStatus.NOT_SUPPORTED
    running.refresh_from_db()
    assert running.status == Status.DECIDED


def test_an_annulled_recording_puts_the_change_request_back_where_the_meeting_found_it(
    running, initiator, secretariat
):
    change = changes.change_request_submit(
        initiative=running, kind=ChangeKind.ADDITIONAL_FUNDING, reason="x", amount="800000.00", user=initiator
    )
    item = _to_council(change, secretariat)
    replacement = minutes.item_annul(item=item, reason="Fel belopp registrerat.", user=secretariat)
    change.refresh_from_db()
    assert change.status == ChangeStatus.PROPOSED
    assert replacement.change_request == change
    assert services.consensus_position(running, change) is None


def test_only_more_money_goes_on_the_councils_agenda(running, initiator, secretariat):
    change = changes.change_request_submit(
        initiative=running,
        kind=ChangeKind.EXTENDED_PERIOD,
        reason="x",
        new_end_date=date(2028, 6, 30),
        user=initiator,
    )
    vrau = _meeting("vrau", date(2026, 3, 5), secretariat)
    with pytest.raises(ValidationError) as refused:
        council_services.item_add(meeting=vrau, change_request=change, user=secretariat)
    assert "change_request" in refused.value.message_dict
