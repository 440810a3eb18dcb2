"""A worked fund year for the report tests (and the browser journey)."""

from datetime import date
from decimal import Decimal

from accounting import services
from initiatives.models import ActionArea, AreaAlignment
from tests.accounting.factories import decide, make_fund, supported_initiative


def worked_year(*, finance, karlstad, arvika, initiator, other_initiator):
    """A worked fund year: 2026 opened with 55 + 101 + 44 MSEK, two initiatives granted, money paid out,
    some repaid, one payment reversed (a correction), 2026 closed; 2027 open with one more payment."""
    fund = make_fund(finance)
    parts = list(fund.capital_parts.order_by("number"))
    for part, amount in zip(parts, ["55000000.00", "101000000.00", "44000000.00"], strict=True):
        services.capital_add(
            capital_part=part,
            amount=Decimal(amount),
            booking_date=date(2026, 1, 1),
            text="Ingående kapital",
            user=finance,
        )
    cycle = supported_initiative(party=karlstad, user=initiator, title="Cykelstråk <b>fet</b>")
    bus = supported_initiative(party=arvika, user=other_initiator, title="Pendelbussar")
    areas = {a.name: a for a in ActionArea.objects.all()}
    AreaAlignment.objects.create(
        initiative=cycle, action_area=areas["Utveckla attraktiva platser"], motivation="m"
    )
    AreaAlignment.objects.create(
        initiative=bus, action_area=areas["Stärka konkurrenskraften"], motivation="m"
    )
    d1 = decide(fund=fund, initiative=cycle, user=finance, amount="3000000.00")
    d2 = decide(fund=fund, initiative=bus, user=finance, amount="2500000.50", decided_on=date(2026, 3, 1))
    c1 = services.commitment_create(
        decision=d1,
        shares=[services.Share(parts[0], Decimal("3000000.00"), 2026)],
        booking_date=date(2026, 2, 10),
        text="Beviljat",
        user=finance,
    ).commitment
    c2 = services.commitment_create(
        decision=d2,
        shares=[services.Share(parts[1], Decimal("2500000.50"), 2026)],
        booking_date=date(2026, 3, 10),
        text="Beviljat",
        user=finance,
    ).commitment
    services.disbursement_record(
        commitment=c1,
        amount=Decimal("1200000.25"),
        booking_date=date(2026, 4, 1),
        text="Utbetalning 1",
        user=finance,
    )
    wrong = services.disbursement_record(
        commitment=c2,
        amount=Decimal("999.99"),
        booking_date=date(2026, 5, 1),
        text="Fel belopp",
        user=finance,
    )
    services.verification_reverse(
        verification=wrong, booking_date=date(2026, 5, 2), text="Rättelse", user=finance
    )
    services.disbursement_record(
        commitment=c2,
        amount=Decimal("800000.00"),
        booking_date=date(2026, 5, 3),
        text="Utbetalning",
        user=finance,
    )
    services.repayment_record(
        commitment=c1,
        amount=Decimal("100000.10"),
        booking_date=date(2026, 11, 1),
        text="Återbetalt",
        user=finance,
    )
    year = fund.fiscal_years.get(year=2026)
    services.fiscal_year_close(fiscal_year=year, user=finance)
    services.disbursement_record(
        commitment=c1,
        amount=Decimal("500000.00"),
        booking_date=date(2027, 2, 1),
        text="Utbetalning 2",
        user=finance,
    )
    return fund
