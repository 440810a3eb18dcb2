"""Demo data for outcome reporting: outcome reports on the ledger's decided initiatives.

The accounting demo makes the fund DGR (2022–2025 closed, 2026 open) and Region Värmland's decisions for the
four initiatives Värmlandsrådet supported in 2022. This demo reports only on the demo's own initiatives (the
titles of initiatives/demo.py's council story) that have decisions: an initiative a user has since taken to a
decision in the running demo is theirs, and a later `demo_data` must not invent reports on it. It reports
on them through the real outcome services, as their initiators and the secretariat
would: approved progress reports for the years behind, one approved final report that completes the
initiative that has had all its money (DECIDED → COMPLETED, done by the review service), and one progress
report left for the secretariat to review (the most recently decided initiative's). Idempotent: a report
slot already handed in is left alone.
"""

import datetime
from decimal import Decimal

from django.db.models import Min, Sum

from accounting.models import VerificationLine
from accounting.selectors import Figures, initiative_money_figures
from initiatives.demo import COUNCIL_STORY
from initiatives.models import Initiative, Status
from outcomes import services
from outcomes.models import OutcomeKind
from outcomes.selectors import DueReport, outcome_schedule
from people.models import User
from people.roles import Role


def _spent(initiative: Initiative, until: datetime.date) -> Decimal:
    """Disbursed less repaid up to a date: what the initiative has had to spend in its report period."""
    figures = Figures()
    for r in (
        VerificationLine.objects.filter(initiative=initiative, verification__booking_date__lte=until)
        .values("account__kind", "event")
        .annotate(total=Sum("amount"))
        .order_by()
    ):
        figures.add(r["account__kind"], r["event"], r["total"])
    return max(figures.disbursed - figures.repaid, Decimal("0.00"))


def _submit(due: DueReport, reporter: User, *, final: bool):
    initiative = due.initiative
    spent = _spent(initiative, due.period_end)
    year = due.period_end.year
    return services.outcome_report_submit(
        initiative=initiative,
        user=reporter,
        kind=due.kind,
        due_on=due.due_on,
        data={
            "period_start": due.period_start,
            "period_end": due.period_end,
            "activities": (
                f"Slutredovisning av {initiative.title}: genomförda delprojekt, uppföljning med parterna."
                if final
                else f"{initiative.title} {year}: upphandling, samverkan med parterna, första delprojekt."
            ),
            "summary": (
                "Satsningen är genomförd enligt beslutet; medlen är använda."
                if final
                else f"Arbetet {year} följer planen."
            ),
            "status": "on_track",
            "spent": spent,
            "co_financing_received": (spent / 4).quantize(Decimal("0.01")),
            "overspend_explanation": "",
        },
        indicators=[
            {
                "name": "Genomförda delprojekt",
                "unit": "st",
                "target": Decimal("4"),
                "actual": Decimal("4") if final else Decimal("2"),
            },
            {"name": "Deltagande kommuner", "unit": "st", "target": Decimal("8"), "actual": Decimal("6")},
        ],
    )


def _outcomes(secretariat: User, stdout) -> None:
    funded = list(
        Initiative.objects.filter(
            status__in=[Status.DECIDED, Status.COMPLETED],
            decisions__isnull=False,
            title__in=[title for title, _year, _what in COUNCIL_STORY],
        )
        .annotate(first_decision=Min("decisions__decided_on"))
        .order_by("first_decision", "id")
    )
    if not funded:
        stdout.write("  (outcomes demo: no decided initiatives to report on)")
        return
    # The one to complete: fully disbursed or released (nothing reserved), whose period ended first.
    done = [i for i in funded if i.end_date and initiative_money_figures(i).reserved == 0]
    completing = min(done, key=lambda i: (i.end_date, i.first_decision, i.pk)) if done else None
    waiting = funded[-1] if funded[-1] != completing else None
    submitted = approved = 0
    for initiative in funded:
        reporter = (
            User.objects.filter(is_active=True, party=initiative.party_id, groups__name=Role.INITIATOR)
            .order_by("id")
            .first()
        )
        if reporter is None:
            continue
        for due in outcome_schedule(initiative):
            final = due.kind == OutcomeKind.FINAL
            if due.is_done or (final and initiative != completing):
                continue
            report = _submit(due, reporter, final=final)
            submitted += 1
            if initiative == waiting:
                continue  # left for the secretariat's review
            services.outcome_report_review(report=report, user=secretariat, approve=True)
            approved += 1
    if submitted:
        stdout.write(
            f"  {submitted} utfallsrapporter ({approved} godkända, {submitted - approved} att granska)"
        )


def load(*, password: str, stdout) -> None:
    secretariat = User.objects.filter(username="vrag").first()
    if secretariat is not None:
        _outcomes(secretariat, stdout)
