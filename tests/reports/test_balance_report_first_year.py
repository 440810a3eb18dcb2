"""The fund's first year in the balance report: the founding capital is its opening, not a change."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from accounting import services
from reports import selectors

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def dgr(finance):
    """DGR opened 2022-01-01 with 55 + 101 + 44 MSEK, and 250 000 kr added to part 1 in May 2022."""
    fund = services.fund_open(
        name="De gemensamma resurserna",
        slug="dgr",
        organisation="Region Värmland",
        opened_on=date(2022, 1, 1),
        description="",
        parts=[
            services.FoundingPart("Kommunalförbundet", "", 1, D("55000000.00")),
            services.FoundingPart("Värmlandstrafik", "", 2, D("101000000.00")),
            services.FoundingPart("Övrigt", "", 3, D("44000000.00")),
        ],
        user=finance,
    )
    p1 = fund.capital_parts.get(number=1)
    services.capital_add(
        capital_part=p1, amount=D("250000.00"), booking_date=date(2022, 5, 2), text="Tillskott", user=finance
    )
    return fund


def _close(fund, year, user):
    services.fiscal_year_close(fiscal_year=fund.fiscal_years.get(year=year), user=user)


def test_first_year_report_opens_with_the_founding_capital_and_changes_only_by_the_year(dgr, finance):
    for closed in (False, True):  # the open year's lines, then the closed year's snapshot: same figures
        if closed:
            _close(dgr, 2022, finance)
        report = selectors.balance_report(dgr, 2022)
        assert report.is_final is closed
        assert report.opens_with_founding_capital
        assert report.previous_closing == D("200000000.00")
        assert [p.previous_closing for p in report.parts] == [
            D("55000000.00"),
            D("101000000.00"),
            D("44000000.00"),
        ]
        assert report.change.capital_added == D("250000.00")
        assert [p.change.capital_added for p in report.parts] == [D("250000.00"), D("0.00"), D("0.00")]
        assert report.change.total == report.difference == D("250000.00")
        assert report.closing == D("200250000.00")


def test_a_later_years_capital_added_is_a_change_and_it_opens_at_last_years_closing(dgr, finance):
    _close(dgr, 2022, finance)
    p3 = dgr.capital_parts.get(number=3)
    services.capital_add(
        capital_part=p3, amount=D("1000.00"), booking_date=date(2023, 2, 1), text="Tillskott", user=finance
    )
    report = selectors.balance_report(dgr, 2023)
    assert not report.opens_with_founding_capital
    assert report.previous_closing == D("200250000.00")
    assert report.change.capital_added == report.difference == D("1000.00")
    assert [p.previous_closing for p in report.parts] == [
        D("55250000.00"),
        D("101000000.00"),
        D("44000000.00"),
    ]
    assert report.closing == D("200251000.00")


def test_capital_added_later_on_the_first_day_is_part_of_the_founding_capital(dgr, finance):
    """Founding capital is what is booked on the opening date, whichever page booked it."""
    p2 = dgr.capital_parts.get(number=2)
    services.capital_add(
        capital_part=p2, amount=D("5.00"), booking_date=date(2022, 1, 1), text="Rest", user=finance
    )
    report = selectors.balance_report(dgr, 2022)
    assert report.previous_closing == D("200000005.00")
    assert report.change.capital_added == D("250000.00")


def test_a_fund_opened_mid_year_opens_its_first_report_with_its_capital(finance, dgr):
    keolis = services.fund_open(
        name="Förlikningsmedel från Keolis",
        slug="keolis",
        organisation="Region Värmland",
        opened_on=date(2023, 6, 15),
        description="",
        parts=[services.FoundingPart("Förlikningsmedel", "", 1, D("7500000.00"))],
        user=finance,
    )
    report = selectors.balance_report(keolis, 2023)
    assert report.opens_with_founding_capital
    assert (report.previous_closing, report.change.capital_added, report.closing) == (
        D("7500000.00"),
        D("0.00"),
        D("7500000.00"),
    )


def test_report_page_names_the_first_years_opening_ingaende_kapital(client, dgr, finance):
    _close(dgr, 2022, finance)
    client.force_login(finance)
    first = client.get(reverse("reports:balance-detail", args=["dgr", 2022])).content.decode()
    later = client.get(reverse("reports:balance-detail", args=["dgr", 2023])).content.decode()
    assert "Ingående kapital" in first and "Förändring under fondens första år" in first
    assert "Utgående balans 2021" not in first
    assert "Utgående balans 2022" in later and "Förändring sedan föregående år" in later


def test_a_founding_slip_reversed_on_the_opening_day_is_neither_opening_nor_correction(finance):
    """The story: finance opens the fund with part 1 at 55 000 000 kr, a slip for 5 500 000 kr. The same
    day it reverses that entry and books 5 500 000 kr. The fund started with 5 500 000 + 44 000 000 kr:
    that is the first year's opening, and nothing changed during the year."""
    from accounting.models import Kind, Verification
    from accounting.selectors import fund_overview

    fund = services.fund_open(
        name="Förlikningsmedel",
        slug="forlikning",
        organisation="Region Värmland",
        opened_on=date(2022, 1, 1),
        description="",
        parts=[
            services.FoundingPart("Kommunalförbundet", "", 1, D("55000000.00")),  # the slip
            services.FoundingPart("Övrigt", "", 2, D("44000000.00")),
        ],
        user=finance,
    )
    p1 = fund.capital_parts.get(number=1)
    slip = Verification.objects.filter(fund=fund, kind=Kind.CAPITAL, lines__capital_part=p1).distinct().get()
    services.verification_reverse(
        verification=slip, booking_date=date(2022, 1, 1), text="Fel belopp vid öppningen", user=finance
    )
    services.capital_add(
        capital_part=p1,
        amount=D("5500000.00"),
        booking_date=date(2022, 1, 1),
        text="Rätt belopp",
        user=finance,
    )

    for closed in (False, True):  # the open year's lines, then the closed year's snapshot: same figures
        if closed:
            _close(fund, 2022, finance)
        report = selectors.balance_report(fund, 2022)
        assert report.previous_closing == D("49500000.00")  # Ingående kapital
        assert [p.previous_closing for p in report.parts] == [D("5500000.00"), D("44000000.00")]
        assert (report.change.capital_added, report.change.corrections, report.change.total) == (
            D("0.00"),
            D("0.00"),
            D("0.00"),
        )
        assert report.closing == D("49500000.00")
        assert report.previous_closing + report.change.total == report.closing
        first = fund_overview(fund).years[0]
        assert (first.opening, first.capital, first.closing) == (
            D("49500000.00"),
            D("0.00"),
            D("49500000.00"),
        )


def test_a_founding_entry_reversed_in_a_later_year_is_that_years_correction(finance, dgr):
    """The first year's report is final once the year is closed: it keeps the founding capital it showed,
    and the reversal is a correction of the year it was booked in."""
    from accounting.models import Kind, Verification

    _close(dgr, 2022, finance)
    p3 = dgr.capital_parts.get(number=3)
    founding = (
        Verification.objects.filter(fund=dgr, kind=Kind.CAPITAL, lines__capital_part=p3).distinct().get()
    )
    services.verification_reverse(
        verification=founding, booking_date=date(2023, 3, 1), text="Fel kapitaldel", user=finance
    )

    first = selectors.balance_report(dgr, 2022)
    later = selectors.balance_report(dgr, 2023)
    assert first.previous_closing == D("200000000.00")
    assert first.closing == later.previous_closing == D("200250000.00")
    assert later.change.corrections == D("-44000000.00")
    assert later.closing == D("156250000.00")
