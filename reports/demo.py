"""Demo data for the annual reports: the final balance report of the last closed year, archived. It runs
after outcomes/demo.py (INSTALLED_APPS order), so the report's leverage counts the demo's outcome reports.
"""

from accounting.models import Fund
from core.seal import seal_pdf
from people.models import User
from reports import selectors
from reports.models import ReportKind
from reports.rendering import render_balance_pdf
from reports.services import report_issue


def load(*, password: str, stdout) -> None:
    finance = User.objects.filter(username="ekonomi").first()
    if finance is None:
        return
    fund = Fund.objects.filter(slug="dgr").first()
    if fund is None:
        return
    closed = fund.fiscal_years.filter(status="closed").order_by("-year").first()
    if closed:
        report_issue(
            kind=ReportKind.BALANCE,
            fund=fund,
            year=closed.year,
            is_final=True,
            render=lambda: seal_pdf(  # sealed as the worker seals it (with the test certificate in make run)
                render_balance_pdf(selectors.balance_report(fund, closed.year), base_url="http://localhost/"),
                reason=f"Slutlig balansrapport {closed.year}",
            ),
            user=finance,
        )
        stdout.write(f"  archived: the balance report {closed.year} of {fund.name}")
