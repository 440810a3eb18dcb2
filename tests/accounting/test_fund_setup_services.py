"""Opening a fund through the services: the fund, its parts, the founding capital and its first year."""

import uuid
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from accounting import selectors, services
from accounting.models import Account, CapitalPart, FiscalYear, Fund, Kind, Verification

pytestmark = pytest.mark.django_db
D = Decimal

DGR_PARTS = [
    services.FoundingPart("Kommunalförbundet", "Region Värmlands kommunalförbund.", 1, D("55000000.00")),
    services.FoundingPart("Värmlandstrafik", "Värmlandstrafik AB.", 2, D("101000000.00")),
    services.FoundingPart("Övrigt", "", 3, D("44000000.00")),
]


def open_dgr(user, **overrides):
    kwargs = {
        "name": "De gemensamma resurserna",
        "slug": "dgr",
        "organisation": "Region Värmland",
        "opened_on": date(2022, 1, 1),
        "description": "Gemensamt ägd fond.",
        "parts": DGR_PARTS,
        "user": user,
    }
    return services.fund_open(**{**kwargs, **overrides})


def _nothing_created():
    return not (Fund.objects.exists() or Verification.objects.exists() or CapitalPart.objects.exists())


def test_fund_open_books_each_parts_founding_capital_on_the_opening_date(finance):
    fund = open_dgr(finance)

    parts = list(fund.capital_parts.order_by("number"))
    assert [(p.number, p.name) for p in parts] == [
        (1, "Kommunalförbundet"),
        (2, "Värmlandstrafik"),
        (3, "Övrigt"),
    ]
    assert fund.organisation == "Region Värmland" and fund.description == "Gemensamt ägd fond."
    assert Account.objects.filter(fund=fund).count() == 7  # settlement + available/reserved per part
    (year,) = FiscalYear.objects.filter(fund=fund)
    assert (year.year, year.is_open) == (2022, True)
    verifications = list(Verification.objects.filter(fund=fund).order_by("number"))
    assert [(v.number, v.kind, v.booking_date, v.author) for v in verifications] == [
        (n, Kind.CAPITAL, date(2022, 1, 1), finance) for n in (1, 2, 3)
    ]
    assert verifications[1].text == "Ingående kapital, Värmlandstrafik"
    assert [services.available(p) for p in parts] == [D("55000000.00"), D("101000000.00"), D("44000000.00")]
    assert selectors.founding_capital(fund) == {
        parts[0].pk: D("55000000.00"),
        parts[1].pk: D("101000000.00"),
        parts[2].pk: D("44000000.00"),
    }


def test_fund_open_leaves_history_with_the_acting_user(finance):
    fund = open_dgr(finance)
    assert fund.history.get().history_user == finance
    assert {h.history_user for h in CapitalPart.history.filter(fund_id=fund.pk)} == {finance}
    assert FiscalYear.history.get(fund_id=fund.pk).history_user == finance


def test_fund_open_numbers_parts_by_the_order_given(finance):
    fund = open_dgr(
        finance,
        parts=[
            services.FoundingPart("Tredje", "", 30, D("3.00")),
            services.FoundingPart("Första", "", 10, D("1.00")),
            services.FoundingPart("Andra", "", 20, D("2.00")),
        ],
    )
    assert [(p.number, p.name) for p in fund.capital_parts.order_by("number")] == [
        (1, "Första"),
        (2, "Andra"),
        (3, "Tredje"),
    ]
    assert services.available(fund.capital_parts.get(number=3)) == D("3.00")


def test_an_administrator_may_open_a_fund_and_other_roles_may_not(
    administrator, secretariat, auditor, initiator
):
    assert open_dgr(administrator).slug == "dgr"
    for user in (secretariat, auditor, initiator):
        with pytest.raises(PermissionDenied):
            open_dgr(user, slug=f"x-{user.username}", name=f"X {user.username}")
    assert Fund.objects.count() == 1


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"parts": []}, "parts", "Ange minst en kapitaldel"),
        (
            {"parts": [services.FoundingPart("Del", "", 1, D("0"))]},
            "parts.0.capital",
            "Beloppet måste vara större än noll.",
        ),
        (
            {"parts": [services.FoundingPart("Del", "", 1, D("-5"))]},
            "parts.0.capital",
            "Beloppet måste vara större än noll.",
        ),
        (
            {"parts": [services.FoundingPart("Del", "", 1, D("1.005"))]},
            "parts.0.capital",
            "högst två decimaler",
        ),
        (
            {"parts": [services.FoundingPart("A", "", 1, D("1")), services.FoundingPart("B", "", 1, D("1"))]},
            "parts.1.order",
            "samma ordning",
        ),
        (
            {"parts": [services.FoundingPart("A", "", 1, D("1")), services.FoundingPart("a", "", 2, D("1"))]},
            "parts.1.name",
            "samma namn",
        ),
        ({"parts": [services.FoundingPart(" ", "", 1, D("1"))]}, "parts.0.name", "Ange kapitaldelens namn."),
        ({"slug": "ny"}, "slug", "reserverat"),
        ({"slug": "Inte ett kortnamn!"}, "slug", ""),
        ({"name": ""}, "name", ""),
    ],
)
def test_fund_open_refuses_bad_input_and_creates_nothing(finance, overrides, field, message):
    with pytest.raises(ValidationError) as refused:
        open_dgr(finance, **overrides)
    assert field in refused.value.message_dict
    assert message in " ".join(refused.value.message_dict[field])
    assert _nothing_created()


def test_fund_open_reports_every_problem_at_once(finance):
    with pytest.raises(ValidationError) as refused:
        open_dgr(finance, slug="ny", name="", parts=[services.FoundingPart("", "", 0, D("0"))])
    assert set(refused.value.message_dict) == {
        "slug",
        "name",
        "parts.0.name",
        "parts.0.order",
        "parts.0.capital",
    }


def test_a_second_fund_needs_its_own_short_name_and_name(finance):
    open_dgr(finance)
    with pytest.raises(ValidationError) as refused:
        open_dgr(finance, name="De gemensamma resurserna")
    assert refused.value.message_dict["slug"] == ["Kortnamnet används redan av en annan fond."]
    assert refused.value.message_dict["name"] == ["Det finns redan en fond med det namnet."]
    assert Fund.objects.count() == 1


def test_a_second_fund_runs_side_by_side_with_its_own_ledger(finance):
    dgr = open_dgr(finance)
    keolis = open_dgr(
        finance,
        name="Förlikningsmedel från Keolis",
        slug="keolis",
        opened_on=date(2023, 6, 15),
        parts=[services.FoundingPart("Förlikningsmedel", "Förlikning med Keolis.", 1, D("7500000.00"))],
    )
    (verification,) = Verification.objects.filter(fund=keolis)
    assert (verification.number, verification.fiscal_year.year, verification.booking_date) == (
        1,
        2023,
        date(2023, 6, 15),
    )
    assert selectors.fund_overview(keolis).total.available == D("7500000.00")
    assert selectors.fund_overview(dgr).total.available == D("200000000.00")


def test_fund_open_with_a_used_idempotency_key_opens_nothing_twice(finance):
    key = uuid.uuid4()
    first = open_dgr(finance, idempotency_key=key)
    again = open_dgr(finance, idempotency_key=key)
    assert again == first
    assert Fund.objects.count() == 1 and Verification.objects.count() == 3


def test_fund_update_changes_the_description_with_history(finance, administrator):
    fund = open_dgr(finance)
    services.fund_update(
        fund=fund,
        name="DGR-fonden",
        organisation="Region Värmland, ekonomi",
        description="Ny text.",
        user=administrator,
    )
    fund.refresh_from_db()
    assert (fund.name, fund.organisation, fund.description, fund.slug) == (
        "DGR-fonden",
        "Region Värmland, ekonomi",
        "Ny text.",
        "dgr",
    )
    latest = fund.history.first()
    assert (latest.history_user, latest.history_change_reason) == (
        administrator,
        "ändrade uppgifter om fonden",
    )
    # Saving what is already there writes no history row that says nothing.
    services.fund_update(
        fund=fund,
        name="DGR-fonden",
        organisation="Region Värmland, ekonomi",
        description="Ny text.",
        user=finance,
    )
    assert fund.history.count() == 2


def test_fund_update_refuses_a_taken_name_an_empty_name_and_other_roles(finance, secretariat):
    fund = open_dgr(finance)
    open_dgr(finance, name="Keolis", slug="keolis")
    with pytest.raises(ValidationError) as refused:
        services.fund_update(
            fund=fund, name="keolis", organisation="Region Värmland", description="", user=finance
        )
    assert "name" in refused.value.message_dict
    with pytest.raises(ValidationError):
        services.fund_update(
            fund=fund, name=" ", organisation="Region Värmland", description="", user=finance
        )
    with pytest.raises(PermissionDenied):
        services.fund_update(
            fund=fund, name="Annat", organisation="Region Värmland", description="", user=secretariat
        )
    fund.refresh_from_db()
    assert fund.name == "De gemensamma resurserna" and fund.history.count() == 1


def test_the_first_year_opens_with_the_founding_capital_in_the_overview(finance):
    fund = open_dgr(finance)
    part = fund.capital_parts.get(number=1)
    services.capital_add(
        capital_part=part,
        amount=D("250000.00"),
        booking_date=date(2022, 5, 2),
        text="Tillskott",
        user=finance,
    )
    services.fiscal_year_close(fiscal_year=fund.fiscal_years.get(year=2022), user=finance)
    services.capital_add(
        capital_part=part, amount=D("1000.00"), booking_date=date(2023, 2, 1), text="Tillskott", user=finance
    )
    first, second = selectors.fund_overview(fund).years
    assert (first.opening, first.capital, first.change, first.closing) == (
        D("200000000.00"),
        D("250000.00"),
        D("250000.00"),
        D("200250000.00"),
    )
    assert (second.opening, second.capital, second.closing) == (
        D("200250000.00"),
        D("1000.00"),
        D("200251000.00"),
    )


def test_the_year_close_snapshot_keeps_the_founding_capital_as_the_first_years_movement(finance):
    """The ledger is unchanged by the report's view: the founding verifications belong to the first year
    (the SIE export's #VER), so the snapshot opens at zero and the next year opens at its closing."""
    fund = open_dgr(finance)
    services.fiscal_year_close(fiscal_year=fund.fiscal_years.get(year=2022), user=finance)
    first = {r["account"].code: r for r in selectors.year_balances(fund.fiscal_years.get(year=2022))}
    second = {r["account"].code: r for r in selectors.year_balances(fund.fiscal_years.get(year=2023))}
    assert (first["2091"]["opening"], first["2091"]["movement"], first["2091"]["closing"]) == (
        D("0.00"),
        D("-55000000.00"),
        D("-55000000.00"),
    )
    assert second["2091"]["opening"] == D("-55000000.00")
    assert second["1680"]["opening"] == D("200000000.00")


@pytest.mark.django_db(transaction=True)
def test_concurrent_openings_of_one_short_name_open_one_fund(finance):
    from concurrent.futures import ThreadPoolExecutor

    from django.db import connections

    def attempt(i: int) -> str:
        try:
            open_dgr(finance, name=f"Keolis {i}", slug="keolis", idempotency_key=uuid.uuid4())
            return "ok"
        except ValidationError as error:
            return "refused" if "slug" in error.message_dict else repr(error)
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=4) as pool:
        outcomes = list(pool.map(attempt, range(8)))
    assert sorted(outcomes) == ["ok"] + ["refused"] * 7, outcomes
    fund = Fund.objects.get()
    assert Verification.objects.filter(fund=fund).count() == 3 and not Verification.objects.exclude(fund=fund)


@pytest.mark.django_db(transaction=True)
def test_a_double_click_on_open_fund_opens_it_once(finance):
    from concurrent.futures import ThreadPoolExecutor

    from django.db import connections

    key = uuid.uuid4()

    def attempt(_i: int) -> int:
        try:
            return open_dgr(finance, idempotency_key=key).pk
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=4) as pool:
        ids = set(pool.map(attempt, range(6)))
    assert len(ids) == 1 and Fund.objects.count() == 1 and Verification.objects.count() == 3


def test_capital_part_update_renames_with_history_and_keeps_its_number(finance, auditor):
    fund = open_dgr(finance)
    part = fund.capital_parts.get(number=2)
    services.capital_part_update(
        capital_part=part, name="Värmlandstrafik AB", origin="Bolaget.", user=finance
    )
    part.refresh_from_db()
    assert (part.number, part.name, part.origin) == (2, "Värmlandstrafik AB", "Bolaget.")
    assert part.history.first().history_user == finance
    with pytest.raises(ValidationError) as refused:
        services.capital_part_update(capital_part=part, name="övrigt", origin="", user=finance)
    assert refused.value.message_dict["name"] == ["Två kapitaldelar kan inte ha samma namn."]
    with pytest.raises(PermissionDenied):
        services.capital_part_update(capital_part=part, name="X", origin="", user=auditor)
    part.refresh_from_db()
    assert part.name == "Värmlandstrafik AB"
