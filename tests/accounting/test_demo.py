import io

import pytest

from accounting import demo, selectors
from accounting.models import Fund, Verification
from core.history import acting_as
from council import demo as council_demo
from initiatives import demo as initiatives_demo
from initiatives.models import Initiative, Status
from people import demo as people_demo


@pytest.mark.django_db
def test_demo_ledger_loads_once_with_closed_years_and_a_waiting_initiative(administrator):
    out = io.StringIO()
    with acting_as(administrator, "demo"):
        people_demo.load(password="x", stdout=out)
        initiatives_demo.load(password="x", stdout=out)
        council_demo.load(password="x", stdout=out)
        demo.load(password="x", stdout=out)
        count = Verification.objects.count()
        demo.load(password="x", stdout=out)
    assert Verification.objects.count() == count
    fund = Fund.objects.get(slug="dgr")
    assert [(y.year, y.status) for y in fund.fiscal_years.order_by("year")] == [
        (2022, "closed"),
        (2023, "closed"),
        (2024, "closed"),
        (2025, "closed"),
        (2026, "open"),
    ]
    overview = selectors.fund_overview(fund)
    assert overview.total.capital == 200_000_000
    assert overview.total.fund_capital == overview.years[-1].closing
    assert Verification.objects.filter(kind="reversal").count() == 1
    waiting = Initiative.objects.get(title="Värmländsk innovationsarena för skogsindustrin")
    assert waiting.status == Status.SUPPORTED and not waiting.decisions.exists()
