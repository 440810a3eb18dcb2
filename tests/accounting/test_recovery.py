"""Early termination and recovery claims (issue 13: 3): a decided initiative ended early releases its
unused reservation and tells its party; paid-out money is claimed back (återkrav), repayments book against
the claim until it is repaid, never above what is outstanding, also when they arrive at once."""

import threading
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connections, transaction
from django.utils import timezone

from accounting import selectors, services
from accounting.models import Kind, RecoveryClaim, Verification
from core.models import OutgoingMail
from initiatives.models import Status
from tests.accounting.factories import decide, make_fund, supported_initiative

pytestmark = pytest.mark.django_db

D = Decimal


def _pay(commitment, finance, amount="500000.00", day=date(2026, 3, 1)):
    return services.disbursement_record(
        commitment=commitment, amount=D(amount), booking_date=day, text="Utbetalning", user=finance
    )


def _terminate(initiative, user, **extra):
    return services.initiative_terminate(
        initiative=initiative,
        terminated_on=extra.pop("terminated_on", date(2026, 6, 1)),
        reason=extra.pop("reason", "Projektet kunde inte genomföras."),
        reference=extra.pop("reference", "RS 2026/99 § 3"),
        user=user,
        **extra,
    )


def _claim(initiative, finance, amount="300000.00", **extra):
    return services.recovery_claim_create(
        initiative=initiative,
        amount=D(amount),
        reason=extra.pop("reason", "Pengarna användes inte enligt beslutet."),
        decided_on=extra.pop("decided_on", date(2026, 6, 15)),
        due_on=extra.pop("due_on", date(2026, 7, 31)),
        user=finance,
        **extra,
    )


def _repay(claim, commitment, finance, amount, **extra):
    return services.repayment_record(
        commitment=commitment,
        amount=D(amount),
        booking_date=extra.pop("booking_date", date(2026, 7, 1)),
        text="Återbetalning",
        user=finance,
        claim=claim,
        **extra,
    )


# --- termination -------------------------------------------------------------------------------------


def test_termination_releases_the_unused_reservation_and_mails_the_party(
    commitment, initiative, initiator, finance
):
    _pay(commitment, finance)
    result = _terminate(initiative, finance)
    initiative.refresh_from_db()
    assert initiative.status == Status.TERMINATED
    assert (initiative.terminated_on, initiative.termination_reference) == (
        date(2026, 6, 1),
        "RS 2026/99 § 3",
    )
    assert result.released == D("1500000.00")
    assert result.note.startswith("Det oanvända beloppet 1\u00a0500\u00a0000,00\u00a0kr har frigjorts")
    figures = selectors.initiative_money_figures(initiative)
    assert (figures.disbursed, figures.released, figures.reserved) == (D("500000.00"), D("1500000.00"), 0)
    assert (
        Verification.objects.filter(kind=Kind.RELEASE, text__startswith="Frigjort vid avbrott").count() == 1
    )
    mail = OutgoingMail.objects.get(recipient=initiator.email, subject__endswith="har avbrutits")
    # One mail with the reason and the money, not also the plain status-change mail.
    assert not OutgoingMail.objects.filter(recipient=initiator.email, subject__endswith=": Avbrutet").exists()
    assert "Projektet kunde inte genomföras." in mail.body
    assert "1\u00a0500\u00a0000,00\u00a0kr, har frigjorts" in mail.body
    # The status, day and reason are one history row, made by finance.
    last = initiative.history.order_by("-history_id").first()
    assert (last.status, last.termination_reason, last.history_user) == (
        Status.TERMINATED,
        "Projektet kunde inte genomföras.",
        finance,
    )


def test_termination_when_no_year_is_open_puts_the_reservation_on_finances_list(
    commitment, initiative, finance, fund
):
    services.fiscal_year_close(fiscal_year=fund.fiscal_years.get(year=2026), user=finance)
    # Today (2026) has no open year now: nothing can be posted today, so finance's list holds it.
    result = _terminate(initiative, finance)
    assert result.released == 0
    assert "Att frigöra" in result.note
    assert [(r.initiative, r.reserved) for r in selectors.reservations_to_release()] == [
        (initiative, D("2000000.00"))
    ]


@pytest.mark.parametrize("who", ["initiator", "secretariat", "auditor"])
def test_only_finance_terminates(request, commitment, initiative, who):
    with pytest.raises(PermissionDenied):
        _terminate(initiative, request.getfixturevalue(who))
    initiative.refresh_from_db()
    assert initiative.status == Status.DECIDED


def test_termination_refuses_an_initiative_not_running(commitment, initiative, finance):
    _terminate(initiative, finance)
    with pytest.raises(ValidationError, match="Bara ett initiativ som Region Värmland har beviljat"):
        _terminate(initiative, finance)
    supported = supported_initiative(party=initiative.party, user=finance, title="Inte beslutat")
    with pytest.raises(ValidationError, match="status nu ”Tillstyrkt av Värmlandsrådet”"):
        _terminate(supported, finance)


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        ({"reason": "  "}, "reason"),
        ({"terminated_on": date(2026, 1, 20)}, "terminated_on"),  # before the decision of 2026-02-01
        ({"terminated_on": timezone.localdate() + timedelta(days=1)}, "terminated_on"),
    ],
)
def test_termination_refuses_bad_input_and_changes_nothing(commitment, initiative, finance, extra, field):
    with pytest.raises(ValidationError) as caught:
        _terminate(initiative, finance, **extra)
    assert field in caught.value.error_dict
    initiative.refresh_from_db()
    assert initiative.status == Status.DECIDED
    assert selectors.initiative_money_figures(initiative).reserved == D("2000000.00")


def test_the_database_refuses_a_terminated_initiative_without_reason(commitment, initiative):
    from initiatives.models import Initiative

    with pytest.raises(IntegrityError), transaction.atomic():
        Initiative.objects.filter(pk=initiative.pk).update(status=Status.TERMINATED, terminated_on=None)


def test_a_terminated_initiative_gets_no_new_money(commitment, initiative, finance):
    _terminate(initiative, finance)
    with pytest.raises(ValidationError, match="Avbrutet"):
        _pay(commitment, finance, "1.00")


# --- recovery claims ---------------------------------------------------------------------------------


def test_a_claim_asks_back_at_most_what_was_paid_out_net_and_not_yet_claimed(
    commitment, initiative, initiator, finance
):
    _pay(commitment, finance, "500000.00")
    services.repayment_record(
        commitment=commitment, amount=D("100000.00"), booking_date=date(2026, 4, 1), text="r", user=finance
    )
    _terminate(initiative, finance)
    with pytest.raises(ValidationError) as caught:
        _claim(initiative, finance, "400000.01")
    assert "Högst 400\u00a0000,00\u00a0kr" in caught.value.message_dict["amount"][0]
    claim = _claim(initiative, finance, "300000.00")
    assert (claim.status, claim.repaid, claim.outstanding) == ("open", 0, D("300000.00"))
    assert OutgoingMail.objects.filter(recipient=initiator.email, subject__startswith="Återkrav för").exists()
    # A second claim: only what the first does not already ask for.
    with pytest.raises(ValidationError, match="Högst 100"):
        _claim(initiative, finance, "100000.01")
    _claim(initiative, finance, "100000.00")
    assert RecoveryClaim.objects.filter(initiative=initiative).count() == 2


def test_a_claim_can_be_made_for_a_running_initiative_but_not_one_never_decided(
    commitment, initiative, finance, karlstad, initiator
):
    _pay(commitment, finance, "1000.00")
    assert _claim(initiative, finance, "1000.00").status == "open"
    supported = supported_initiative(party=karlstad, user=initiator, title="Bara tillstyrkt")
    with pytest.raises(ValidationError, match="Återkrav gäller initiativ"):
        _claim(supported, finance, "1.00")


@pytest.mark.parametrize("who", ["initiator", "secretariat", "auditor"])
def test_only_finance_makes_claims(request, commitment, initiative, finance, who):
    _pay(commitment, finance)
    with pytest.raises(PermissionDenied):
        _claim(initiative, request.getfixturevalue(who))
    assert not RecoveryClaim.objects.exists()


def test_claim_dates_are_checked(commitment, initiative, finance):
    _pay(commitment, finance)
    with pytest.raises(ValidationError) as caught:
        _claim(initiative, finance, decided_on=date(2026, 6, 15), due_on=date(2026, 6, 14))
    assert "due_on" in caught.value.error_dict
    with pytest.raises(ValidationError) as caught:
        _claim(initiative, finance, decided_on=date(2026, 1, 5))
    assert "decided_on" in caught.value.error_dict


def test_repayments_book_against_the_claim_until_it_is_repaid(commitment, initiative, finance):
    _pay(commitment, finance)
    _terminate(initiative, finance)
    claim = _claim(initiative, finance, "300000.00")
    first = _repay(claim, commitment, finance, "100000.00")
    claim.refresh_from_db()
    assert (claim.status, claim.repaid, claim.outstanding) == (
        "partly_repaid",
        D("100000.00"),
        D("200000.00"),
    )
    assert first.kind == Kind.REPAYMENT and first.recovery_claim == claim
    with pytest.raises(ValidationError) as caught:
        _repay(claim, commitment, finance, "200000.01")
    assert "Det återstår bara 200\u00a0000,00\u00a0kr av återkravet" in caught.value.message_dict["amount"][0]
    _repay(claim, commitment, finance, "200000.00")
    claim.refresh_from_db()
    assert (claim.status, claim.outstanding) == ("repaid", 0)
    # The ledger agrees: the repayments are the initiative's repayments.
    assert selectors.initiative_money_figures(initiative).repaid == D("300000.00")
    assert [v.repaid for v in selectors.recovery_claim_repayments(claim)] == [D("100000.00"), D("200000.00")]
    with pytest.raises(ValidationError, match="Återbetalt"):
        _repay(claim, commitment, finance, "1.00")
    # Each step is in the claim's history, by finance.
    assert list(claim.history.order_by("history_id").values_list("status", flat=True)) == [
        "open",
        "partly_repaid",
        "repaid",
    ]


def test_a_repeated_repayment_form_books_once(commitment, initiative, finance):
    _pay(commitment, finance)
    claim = _claim(initiative, finance, "300000.00")
    key = uuid.uuid4()
    first = _repay(claim, commitment, finance, "100000.00", idempotency_key=key)
    again = _repay(claim, commitment, finance, "100000.00", idempotency_key=key)
    assert first.pk == again.pk
    claim.refresh_from_db()
    assert claim.repaid == D("100000.00")


def test_reversing_a_repayment_gives_the_claim_its_outstanding_back(commitment, initiative, finance):
    _pay(commitment, finance)
    claim = _claim(initiative, finance, "300000.00")
    repayment = _repay(claim, commitment, finance, "300000.00")
    claim.refresh_from_db()
    assert claim.status == "repaid"
    reversal = services.verification_reverse(
        verification=repayment, booking_date=date(2026, 7, 2), text="Fel belopp", user=finance
    )
    claim.refresh_from_db()
    assert (claim.status, claim.repaid) == ("open", 0)
    assert reversal.recovery_claim == claim
    assert [v.repaid for v in selectors.recovery_claim_repayments(claim)] == [D("300000.00"), D("-300000.00")]


def test_a_repayment_must_come_from_the_claims_own_initiative(
    commitment, initiative, finance, funded, parts, arvika, other_initiator
):
    _pay(commitment, finance)
    claim = _claim(initiative, finance, "1000.00")
    other = decide(
        fund=funded, initiative=supported_initiative(party=arvika, user=other_initiator), user=finance
    )
    other_commitment = services.commitment_create(
        decision=other,
        shares=[services.Share(parts[0], D("1000.00"), 2026)],
        booking_date=date(2026, 2, 10),
        text="Beviljat",
        user=finance,
    ).commitment
    _pay(other_commitment, finance, "1000.00")
    with pytest.raises(ValidationError, match="hör inte till återkravets initiativ"):
        _repay(claim, other_commitment, finance, "1.00")


def test_a_write_off_needs_a_reason_and_a_decision_and_ends_the_claim(commitment, initiative, finance):
    _pay(commitment, finance)
    claim = _claim(initiative, finance, "300000.00")
    _repay(claim, commitment, finance, "50000.00")
    with pytest.raises(ValidationError) as caught:
        services.recovery_claim_write_off(
            claim=claim, written_off_on=date(2026, 8, 1), reason="", reference="", user=finance
        )
    assert set(caught.value.error_dict) == {"reason", "reference"}
    written = services.recovery_claim_write_off(
        claim=claim,
        written_off_on=date(2026, 8, 1),
        reason="Föreningen är upplöst.",
        reference="RS 2026/120 § 4",
        user=finance,
    )
    assert (written.status, written.outstanding, written.written_off) == ("written_off", 0, D("250000.00"))
    with pytest.raises(ValidationError, match="Avskrivet"):
        _repay(claim, commitment, finance, "1.00")
    # Written off, it asks nothing more: the room for a new claim is the net paid out again.
    assert services.recovery_claim_room(initiative) == D("450000.00")


def test_the_database_refuses_repaid_above_the_amount_and_a_status_that_does_not_match(
    commitment, initiative, finance
):
    _pay(commitment, finance)
    claim = _claim(initiative, finance, "1000.00")
    for values in ({"repaid": D("1000.01"), "status": "repaid"}, {"repaid": D("10.00"), "status": "open"}):
        with pytest.raises(IntegrityError), transaction.atomic():
            RecoveryClaim.objects.filter(pk=claim.pk).update(**values)
    with pytest.raises(IntegrityError), transaction.atomic():
        RecoveryClaim.objects.filter(pk=claim.pk).update(amount=D("0.00"))


def test_overdue_claims_are_on_finances_todo_and_the_party_is_reminded_once(
    commitment, initiative, initiator, finance
):
    from accounting.todo import recovery_claims_outstanding

    _pay(commitment, finance)
    claim = _claim(initiative, finance, "1000.00", decided_on=date(2026, 6, 1), due_on=date(2026, 6, 30))
    today = date(2026, 7, 10)
    assert list(recovery_claims_outstanding(finance, today)) == [claim]
    assert recovery_claims_outstanding(initiator, today) is None
    from accounting.todo import _claim_entry

    entry = _claim_entry(claim, today)
    assert entry.overdue and entry.note.startswith("förföll 2026-06-30")
    assert services.recovery_claim_reminders_send(today=today, user=finance) == 1
    assert services.recovery_claim_reminders_send(today=today, user=finance) == 0  # the same day: no more
    assert services.recovery_claim_reminders_send(today=today + timedelta(days=13), user=finance) == 0
    assert services.recovery_claim_reminders_send(today=today + timedelta(days=14), user=finance) == 1
    reminders = OutgoingMail.objects.filter(
        recipient=initiator.email, subject__startswith="Påminnelse: återkrav"
    )
    assert reminders.count() == 2
    _repay(claim, commitment, finance, "1000.00")
    assert services.recovery_claim_reminders_send(today=today + timedelta(days=60), user=finance) == 0
    assert list(recovery_claims_outstanding(finance, today)) == []


# --- concurrency: real commits, several connections --------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_concurrent_repayments_never_overpay_a_claim(finance, karlstad, initiator):
    fund = make_fund(finance)
    part = fund.capital_parts.get(number=1)
    services.capital_add(
        capital_part=part, amount=D("1000000.00"), booking_date=date(2026, 1, 1), text="Kapital", user=finance
    )
    initiative = supported_initiative(party=karlstad, user=initiator)
    decision = decide(fund=fund, initiative=initiative, user=finance, amount="100000.00")
    commitment = services.commitment_create(
        decision=decision,
        shares=[services.Share(part, D("100000.00"), 2026)],
        booking_date=date(2026, 2, 10),
        text="Beviljat",
        user=finance,
    ).commitment
    _pay(commitment, finance, "100000.00")
    claim = _claim(initiative, finance, "10000.00")
    start = threading.Barrier(6)
    outcomes: list[str] = []
    lock = threading.Lock()

    def attempt(i: int) -> None:
        if i < 6:
            start.wait()
        try:
            _repay(RecoveryClaim.objects.get(pk=claim.pk), commitment, finance, "3000.00")
            result = "ok"
        except ValidationError as error:
            refused = "återkravet" in str(error) or "Återbetalt" in str(error)
            result = "refused" if refused else f"other: {error}"
        except Exception as error:
            result = f"error: {type(error).__name__}: {error}"
        finally:
            connections.close_all()
        with lock:
            outcomes.append(result)

    with ThreadPoolExecutor(max_workers=6) as pool:
        list(pool.map(attempt, range(12)))

    assert outcomes.count("ok") == 3, [o for o in outcomes if o not in ("ok", "refused")][:3]
    assert outcomes.count("refused") == 9
    claim.refresh_from_db()
    assert (claim.repaid, claim.status) == (D("9000.00"), "partly_repaid")
    assert Verification.objects.filter(recovery_claim=claim).count() == 3
    assert selectors.initiative_money_figures(initiative).repaid == D("9000.00")


def test_open_claims_never_ask_for_more_than_was_paid_out_net(commitment, initiative, finance):
    """A repayment not booked against the open claim, or a corrected disbursement, that would leave less
    paid out net than the claims ask for is refused: the money belongs to the claim."""
    payment = _pay(commitment, finance, "500000.00")
    _claim(initiative, finance, "400000.00")
    services.repayment_record(
        commitment=commitment, amount=D("100000.00"), booking_date=date(2026, 7, 1), text="r", user=finance
    )
    with pytest.raises(ValidationError) as caught:
        services.repayment_record(
            commitment=commitment, amount=D("0.01"), booking_date=date(2026, 7, 1), text="r", user=finance
        )
    assert "Bokför den mot återkravet" in caught.value.message_dict["amount"][0]
    with pytest.raises(ValidationError, match="Rättelsen skulle göra"):
        services.verification_reverse(
            verification=payment, booking_date=date(2026, 7, 2), text="Fel", user=finance
        )
    assert selectors.initiative_money_figures(initiative).repaid == D("100000.00")


def test_the_reminders_are_a_daily_periodic_task_sent_as_finance(commitment, initiative, initiator, finance):
    import datetime

    from procrastinate.contrib.django import app

    from accounting.tasks import recovery_claim_reminders

    periodic = {task.periodic_id: task for task in app.periodic_registry.periodic_tasks.values()}
    assert periodic["recovery-claim-reminders"].cron == "10 6 * * *"
    _pay(commitment, finance)
    claim = _claim(initiative, finance, "1000.00", decided_on=date(2026, 6, 1), due_on=date(2026, 6, 30))
    at = datetime.datetime(2026, 7, 10, 6, 10, tzinfo=datetime.UTC).timestamp()
    assert recovery_claim_reminders(timestamp=int(at)) == 1
    claim.refresh_from_db()
    assert claim.reminded_on == date(2026, 7, 10)
    assert claim.history.order_by("-history_id").first().history_user == finance
