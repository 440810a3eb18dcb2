"""Demo data for the annual reports: a fund year that is closed, outcome reports, an archived report.

If no fund exists yet (the ledger's own demo may make one), a DGR fund opened 2025-01-01 is built through
the ledger's services: the 55 + 101 + 44 MSEK, Region Värmland's decisions for the two demo initiatives
Värmlandsrådet supported, commitments, payments and a repayment; 2025 is closed (its snapshot is what the
final balance report reads) and 2026 is open (a preliminary report). An approved final outcome report
follows, and the final balance report for the last closed year is archived. Idempotent.
"""

import datetime
from decimal import Decimal

from accounting import services as ledger
from accounting.models import Fund
from initiatives import services as initiatives
from initiatives.models import Initiative, OutcomeReport, Status
from initiatives.outcome_selectors import outcome_schedule
from people.models import User
from reports import selectors
from reports.models import ReportKind
from reports.rendering import render_balance_pdf
from reports.services import report_issue

PARTS = [
    ("Kommunalförbundet Region Värmland", "Ackumulerat kapital i kommunalförbundet Region Värmland."),
    ("Värmlandstrafik AB", "Ackumulerat kapital i Värmlandstrafik AB."),
    ("Övrigt gemensamt kapital", "Övrigt kapital som parterna byggt upp gemensamt."),
]
D = datetime.date


def _ledger(finance: User, stdout) -> Fund | None:
    arena = Initiative.objects.filter(title="Värmländsk innovationsarena för skogsindustrin").first()
    charging = Initiative.objects.filter(title="Laddinfrastruktur längs Värmlands stråk").first()
    if not arena or not charging or arena.status != Status.SUPPORTED or charging.status != Status.SUPPORTED:
        stdout.write("  (reports demo: the demo initiatives are not where the ledger demo needs them)")
        return None
    fund = ledger.fund_create(
        slug="dgr",
        name="De gemensamma resurserna",
        opened_on=D(2025, 1, 1),
        parts=PARTS,
        user=finance,
        description="Region Värmlands och de 16 kommunernas gemensamma resurser.",
    )
    parts = list(fund.capital_parts.order_by("number"))
    for part, amount in zip(parts, ["55000000.00", "101000000.00", "44000000.00"], strict=True):
        ledger.capital_add(
            capital_part=part,
            amount=Decimal(amount),
            booking_date=D(2025, 1, 2),
            text="Ingående kapital",
            user=finance,
        )
    grants = []
    for initiative, part, amount, decided, reference in (
        (arena, parts[1], "4000000.00", D(2025, 5, 15), "RS 2025/211 § 88"),
        (charging, parts[0], "2400000.00", D(2025, 3, 1), "RD 2025/34"),
    ):
        decision = ledger.decision_record(
            fund=fund,
            initiative=initiative,
            maker_kind="board",
            maker_name="Regionstyrelsen",
            delegation_point="3.2.1",
            decided_on=decided,
            reference=reference,
            amount=Decimal(amount),
            user=finance,
        )
        grants.append(
            ledger.commitment_create(
                decision=decision,
                shares=[ledger.Share(part, Decimal(amount), decided.year)],
                booking_date=decided + datetime.timedelta(days=7),
                text=f"Beviljat enligt {reference}",
                user=finance,
            ).commitment
        )
    arena_grant, charging_grant = grants
    for commitment, amount, booked in (
        (arena_grant, "1500000.00", D(2025, 9, 1)),
        (charging_grant, "800000.00", D(2025, 6, 1)),
    ):
        ledger.disbursement_record(
            commitment=commitment,
            amount=Decimal(amount),
            booking_date=booked,
            text="Utbetalning",
            user=finance,
        )
    ledger.repayment_record(
        commitment=arena_grant,
        amount=Decimal("100000.00"),
        booking_date=D(2025, 12, 1),
        text="Återbetalning av outnyttjade medel",
        user=finance,
    )
    ledger.fiscal_year_close(fiscal_year=fund.fiscal_years.get(year=2025), user=finance)
    ledger.disbursement_record(
        commitment=arena_grant,
        amount=Decimal("700000.00"),
        booking_date=D(2026, 3, 2),
        text="Utbetalning 2",
        user=finance,
    )
    return fund


def _outcomes(secretariat: User, stdout) -> None:
    charging = Initiative.objects.filter(title="Laddinfrastruktur längs Värmlands stråk").first()
    reporter = User.objects.filter(username="karlstad").first()
    if not charging or not reporter or OutcomeReport.objects.filter(initiative=charging).exists():
        return
    first = next(iter(outcome_schedule(charging)), None)
    if first is None:
        return
    report = initiatives.outcome_report_submit(
        initiative=charging,
        user=reporter,
        kind=first.kind,
        due_on=first.due_on,
        data={
            "period_start": first.period_start,
            "period_end": first.period_end,
            "activities": "Gemensam upphandling av snabbladdare, markavtal med sex kommuner, "
            "ansökan om Klimatklivet.",
            "summary": "Tolv snabbladdare i drift längs E18, E45 och riksväg 61; "
            "Klimatklivet medfinansierade.",
            "status": "on_track",
            "spent": Decimal("780000.00"),
            "co_financing_received": Decimal("950000.00"),
            "overspend_explanation": "",
        },
        indicators=[
            {"name": "Snabbladdare i drift", "unit": "st", "target": Decimal("12"), "actual": Decimal("12")},
            {"name": "Kommuner med markavtal", "unit": "st", "target": Decimal("8"), "actual": Decimal("6")},
        ],
    )
    initiatives.outcome_report_review(report=report, user=secretariat, approve=True)
    stdout.write("  outcome report: an approved final report (the initiative is completed)")


def load(*, password: str, stdout) -> None:
    finance = User.objects.filter(username="ekonomi").first()
    secretariat = User.objects.filter(username="vrag").first()
    if finance is None or secretariat is None:
        return
    fund = Fund.objects.order_by("opened_on", "id").first() or _ledger(finance, stdout)
    _outcomes(secretariat, stdout)
    if fund is None:
        return
    closed = fund.fiscal_years.filter(status="closed").order_by("-year").first()
    if closed:
        report_issue(
            kind=ReportKind.BALANCE,
            fund=fund,
            year=closed.year,
            is_final=True,
            render=lambda: render_balance_pdf(
                selectors.balance_report(fund, closed.year), base_url="http://localhost/"
            ),
            user=finance,
        )
        stdout.write(f"  archived: the balance report {closed.year} of {fund.name}")
