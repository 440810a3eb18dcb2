"""`manage.py demo_data` tells one story: every status an initiative shows has the council's and the
ledger's records behind it, and loading it again changes nothing."""

import datetime
import io

import pytest
from django.core.management import call_command

from accounting.models import Commitment, Decision, FiscalYear, RecoveryClaim, Verification
from accounting.selectors import initiative_money_figures
from council.models import Meeting, MeetingStatus, Outcome, Position, Proposal
from initiatives.models import Initiative, Status
from outcomes.models import OutcomeKind, OutcomeReport, OutcomeReview
from payments.models import PaymentRequest

pytestmark = pytest.mark.django_db


def counts() -> dict[str, int]:
    return {
        model.__name__: model.objects.count()
        for model in (
            Initiative,
            Meeting,
            Proposal,
            Position,
            Decision,
            Commitment,
            Verification,
            RecoveryClaim,
            OutcomeReport,
            PaymentRequest,
            PaymentRequest.history.model,
        )
    }


def test_demo_data_tells_one_consistent_story_and_loads_twice_without_change(settings):
    settings.DEBUG = True
    call_command("demo_data", stdout=io.StringIO())
    first = counts()
    call_command("demo_data", stdout=io.StringIO())
    assert counts() == first

    # Every decided (or since completed) initiative rests on its own consensus position, for no more than
    # was supported.
    decided = Initiative.objects.filter(status__in=[Status.DECIDED, Status.COMPLETED])
    assert decided.count() == 4
    for initiative in decided:
        decision = Decision.objects.select_related("position__meeting").get(initiative=initiative)
        position = decision.position
        assert position.outcome == Outcome.CONSENSUS and position.initiative_id == initiative.pk
        assert position.supported_amount >= decision.amount
        assert decision.decided_on >= position.meeting.starts_at.date()
        assert position.meeting.status == MeetingStatus.MINUTES_SIGNED
        assert initiative.registration_year == position.meeting.starts_at.year == 2022

    # Outcome reports through the real services: one initiative completed by its approved final report,
    # approved progress reports for the others' earlier years, one progress report awaiting review.
    completed = Initiative.objects.get(status=Status.COMPLETED)
    assert completed.outcome_reports.filter(kind=OutcomeKind.FINAL, review=OutcomeReview.APPROVED).exists()
    assert initiative_money_figures(completed).reserved == 0  # all its money paid out (or released)
    assert OutcomeReport.objects.filter(kind=OutcomeKind.FINAL).count() == 1
    progress = OutcomeReport.objects.filter(kind=OutcomeKind.PROGRESS)
    assert progress.filter(review=OutcomeReview.APPROVED).count() >= 2
    waiting = progress.get(review=OutcomeReview.SUBMITTED)
    assert waiting.initiative.status == Status.DECIDED
    for report in OutcomeReport.objects.select_related("initiative"):
        assert report.initiative.decisions.exists()
        assert report.due_on < datetime.date(2026, 1, 1)  # only reports the story's past already owed
        assert report.submitted_by.party_id == report.initiative.party_id

    # Supported, not supported and proposed initiatives have the council's record behind them.
    for initiative in Initiative.objects.filter(status=Status.SUPPORTED):
        assert initiative.council_positions.consensus().exists()
        assert not initiative.decisions.exists()
    for initiative in Initiative.objects.filter(status=Status.NOT_SUPPORTED):
        assert initiative.council_positions.filter(outcome=Outcome.NO_CONSENSUS, resolution="close").exists()
    for initiative in Initiative.objects.filter(status=Status.PROPOSED):
        assert Proposal.objects.filter(initiative=initiative).exists()
        assert initiative.agenda_items.filter(outcome="").exists()  # deferred to the coming meeting
    assert Initiative.objects.filter(status=Status.SUPPORTED).count() == 1
    assert Initiative.objects.filter(status=Status.NOT_SUPPORTED).count() == 1
    assert Initiative.objects.filter(status=Status.PROPOSED).count() == 1
    # No initiative past preparation without the council having seen it.
    past_council = [Status.SUPPORTED, Status.NOT_SUPPORTED, Status.DECIDED, Status.COMPLETED]
    assert not Initiative.objects.filter(status__in=past_council, council_positions__isnull=True).exists()

    # Payment requests through the real services: one approved, whose disbursement pays the party's
    # bankgiro; one waiting for finance; one finance asked the initiative to complete.
    requests = {r.status: r for r in PaymentRequest.objects.select_related("verification", "initiative")}
    assert sorted(requests) == sorted(
        [
            PaymentRequest.Status.APPROVED,
            PaymentRequest.Status.SUBMITTED,
            PaymentRequest.Status.COMPLEMENT_REQUESTED,
        ]
    )
    paid = requests[PaymentRequest.Status.APPROVED]
    assert paid.verification.kind == "disbursement"
    assert paid.verification.bank_account_number == paid.bank_account_number
    assert paid.initiative.status == Status.DECIDED

    # Every commitment has its decision, on the same initiative.
    assert Commitment.objects.exists()
    for commitment in Commitment.objects.select_related("decision"):
        assert commitment.decision.initiative_id == commitment.initiative_id

    # Registration numbers are gapless per year.
    for year in (2022, 2026):
        serials = sorted(
            Initiative.objects.filter(registration_year=year).values_list("registration_serial", flat=True)
        )
        assert serials == list(range(1, len(serials) + 1))

    years = FiscalYear.objects.filter(fund__slug="dgr").order_by("year")
    assert [(y.year, y.status) for y in years] == [
        (2022, "closed"),
        (2023, "closed"),
        (2024, "closed"),
        (2025, "closed"),
        (2026, "open"),
    ]

    # One recovery claim (återkrav), on a decided initiative, for no more than was paid out to it; not yet
    # repaid, so finance has it to follow up.
    claim = RecoveryClaim.objects.select_related("initiative").get()
    assert claim.initiative.status == Status.DECIDED
    assert claim.status == RecoveryClaim.Status.OPEN and claim.repaid == 0
    assert claim.amount <= initiative_money_figures(claim.initiative).disbursed
