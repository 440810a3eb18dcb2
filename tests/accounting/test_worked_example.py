"""A fund year told as a story, from the opening capital to the closing balance."""

from datetime import date
from decimal import Decimal

import pytest

from accounting import selectors, services
from tests.accounting.factories import decide, make_fund, supported_initiative

D = Decimal


@pytest.mark.django_db
def test_a_fund_year_from_opening_capital_to_closing_balance(
    finance, karlstad, arvika, initiator, other_initiator
):
    # 1 January 2026: the fund opens with its three capital parts, 55 + 101 + 44 MSEK.
    fund = make_fund(finance)
    kommunalforbundet, vt, ovrigt = fund.capital_parts.order_by("number")
    for part, msek in ((kommunalforbundet, "55"), (vt, "101"), (ovrigt, "44")):
        services.capital_add(
            capital_part=part,
            amount=D(msek + "000000"),
            booking_date=date(2026, 1, 1),
            text="Ingående",
            user=finance,
        )
    assert selectors.fund_overview(fund).total.available == D("200000000.00")

    # Värmlandsrådet supports two initiatives by consensus; Region Värmland decides on both.
    bredband = supported_initiative(party=karlstad, user=initiator, title="Bredband i hela Värmland")
    tag = supported_initiative(party=arvika, user=other_initiator, title="Fler tåg Arvika–Karlstad")
    bredband_decision = decide(fund=fund, initiative=bredband, user=finance, amount="12000000.00")
    tag_decision = decide(fund=fund, initiative=tag, user=finance, amount="3000000.00")

    # Finance commits the money: broadband split over two parts and two years, the trains from one part.
    services.commitment_create(
        decision=bredband_decision,
        shares=[
            services.Share(kommunalforbundet, D("8000000.00"), 2026),
            services.Share(vt, D("4000000.00"), 2027),
        ],
        booking_date=date(2026, 3, 1),
        text="Bredband",
        user=finance,
    )
    trains = services.commitment_create(
        decision=tag_decision,
        shares=[services.Share(vt, D("3000000.00"), 2026)],
        booking_date=date(2026, 3, 15),
        text="Tåg",
        user=finance,
    ).commitment
    overview = selectors.fund_overview(fund)
    assert overview.total.reserved == D("15000000.00")
    assert overview.total.available == D("185000000.00")

    # The money goes out in parts; the trains need less than granted and pay some back.
    broadband_first = bredband_decision.commitments.get(capital_part=kommunalforbundet)
    services.disbursement_record(
        commitment=broadband_first,
        amount=D("5000000.00"),
        booking_date=date(2026, 6, 1),
        text="Del 1",
        user=finance,
    )
    services.disbursement_record(
        commitment=trains, amount=D("2500000.00"), booking_date=date(2026, 9, 1), text="Tåg", user=finance
    )
    services.repayment_record(
        commitment=trains,
        amount=D("100000.00"),
        booking_date=date(2026, 11, 1),
        text="Överskott",
        user=finance,
    )
    services.commitment_release(
        commitment=trains,
        amount=D("500000.00"),
        booking_date=date(2026, 12, 1),
        text="Avslutat",
        user=finance,
    )

    # A wrong transfer is corrected by a reversal, never an edit.
    wrong = services.capital_transfer(
        from_part=ovrigt,
        to_part=vt,
        amount=D("1000000.00"),
        booking_date=date(2026, 12, 10),
        text="Fel",
        user=finance,
    )
    services.verification_reverse(
        verification=wrong, booking_date=date(2026, 12, 11), text="Rättelse", user=finance
    )

    # Finance closes the year: the snapshot holds the closing balance, and 2027 opens.
    services.fiscal_year_close(fiscal_year=fund.fiscal_years.get(year=2026), user=finance)
    overview = selectors.fund_overview(fund)
    year = overview.years[0]
    # The capital booked on the opening day is the fund's founding capital: the first year opens with it.
    assert (year.opening, year.capital, year.disbursed, year.repaid) == (
        D("200000000.00"),
        D("0.00"),
        D("7500000.00"),
        D("100000.00"),
    )
    assert year.closing == D("192600000.00")
    assert overview.total.fund_capital == year.closing
    parts = {row.part.number: row.figures for row in overview.parts}
    assert parts[1].available == D("47000000.00")  # 55 − 8
    assert parts[2].available == D("94600000.00")  # 101 − 4 − 3 + 0.5 released + 0.1 repaid
    assert parts[3].available == D("44000000.00")  # the transfer undone
    assert overview.total.reserved == D("7000000.00")  # 3 + 4 of broadband still to pay
    assert overview.years[1].fiscal_year.year == 2027 and overview.years[1].opening == year.closing

    money = selectors.initiative_money(tag)
    assert (money.total.granted, money.total.disbursed, money.total.reserved, money.total.repaid) == (
        D("3000000.00"),
        D("2500000.00"),
        D("0.00"),
        D("100000.00"),
    )
