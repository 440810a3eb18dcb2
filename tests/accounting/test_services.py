import uuid
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from accounting import services
from accounting.models import Commitment, FiscalYear, Kind, Verification, VerificationLine
from initiatives.models import Status
from tests.accounting.factories import decide, supported_initiative

D = Decimal
pytestmark = pytest.mark.django_db


def lines_sum(verification):
    return sum(line.amount for line in verification.lines.all())


def test_fund_create_makes_parts_accounts_and_an_open_year(fund):
    assert fund.capital_parts.count() == 3
    assert fund.accounts.count() == 7  # available + reserved per part, one settlement
    assert fund.fiscal_years.get().status == FiscalYear.Status.OPEN


def test_capital_add_posts_a_balanced_verification_and_raises_available(funded, parts):
    assert services.available(parts[0]) == D("55000000.00")
    assert services.available(parts[1]) == D("101000000.00")
    assert services.available(parts[2]) == D("44000000.00")
    first = Verification.objects.order_by("number").first()
    assert (first.series, first.number, first.kind) == ("A", 1, Kind.CAPITAL)
    assert lines_sum(first) == 0


def test_capital_add_refuses_zero_negative_and_third_decimal(fund, parts, finance):
    for amount, message in (("0", "större än noll"), ("-5", "större än noll"), ("1.005", "två decimaler")):
        with pytest.raises(ValidationError) as error:
            services.capital_add(
                capital_part=parts[0], amount=D(amount), booking_date=date(2026, 1, 2), text="x", user=finance
            )
        assert message in error.value.message_dict["amount"][0]
    assert not Verification.objects.exists()


def test_posting_is_refused_to_anyone_but_finance(fund, parts, secretariat, auditor):
    for user in (secretariat, auditor):
        with pytest.raises(PermissionDenied):
            services.capital_add(
                capital_part=parts[0], amount=D(1), booking_date=date(2026, 1, 2), text="x", user=user
            )


def test_decision_record_requires_consensus_and_moves_the_initiative_to_decided(
    funded, karlstad, initiator, finance
):
    initiative = supported_initiative(party=karlstad, user=initiator)
    decision = decide(fund=funded, initiative=initiative, user=finance)
    initiative.refresh_from_db()
    assert initiative.status == Status.DECIDED
    assert decision.history.count() == 1
    with pytest.raises(ValidationError, match="tillstyrkt"):
        decide(fund=funded, initiative=initiative, user=finance)


def test_decision_record_refuses_an_initiative_without_consensus(funded, karlstad, initiator, finance):
    from initiatives.models import Initiative

    draft = Initiative.objects.create(party=karlstad, title="Utkast", created_by=initiator)
    with pytest.raises(ValidationError, match="tillstyrkt"):
        decide(fund=funded, initiative=draft, user=finance)


def test_decision_record_refuses_a_supported_initiative_without_a_consensus_position(
    funded, karlstad, initiator, finance
):
    from initiatives.models import Initiative
    from initiatives.services import initiative_transition

    # SUPPORTED through the status table alone, with no Värmlandsrådet position behind it.
    initiative = Initiative.objects.create(
        party=karlstad,
        title="Utan ställningstagande",
        created_by=initiator,
        registration_year=2026,
        registration_serial=9901,
    )
    for status in (Status.SUBMITTED, Status.PREPARED, Status.PROPOSED, Status.SUPPORTED):
        initiative_transition(initiative=initiative, to=status, user=initiator)
    with pytest.raises(ValidationError, match="saknar ett ställningstagande i konsensus"):
        decide(fund=funded, initiative=initiative, user=finance)
    initiative.refresh_from_db()
    assert initiative.status == Status.SUPPORTED
    assert not initiative.decisions.exists()


def test_decision_record_refuses_more_than_the_council_supported(funded, karlstad, initiator, finance):
    initiative = supported_initiative(party=karlstad, user=initiator, supported_amount="4000000.00")
    with pytest.raises(ValidationError) as refused:
        decide(fund=funded, initiative=initiative, user=finance, amount="4000000.01")
    assert refused.value.message_dict["amount"] == [
        "Beslutet kan inte överstiga det belopp Värmlandsrådet tillstyrkt: 4\u00a0000\u00a0000,00\u00a0kr "
        "(VR 2026-01-15)."
    ]
    decision = decide(fund=funded, initiative=initiative, user=finance, amount="4000000.00")
    assert decision.amount == D("4000000.00")


def test_decision_record_refuses_a_date_before_the_position(funded, karlstad, initiator, finance):
    initiative = supported_initiative(party=karlstad, user=initiator, meeting_day=date(2026, 3, 12))
    with pytest.raises(ValidationError) as refused:
        decide(fund=funded, initiative=initiative, user=finance, decided_on=date(2026, 3, 11))
    assert "decided_on" in refused.value.message_dict
    assert "2026-03-12" in refused.value.message_dict["decided_on"][0]
    assert decide(fund=funded, initiative=initiative, user=finance, decided_on=date(2026, 3, 12))


def test_decision_rests_on_the_initiatives_consensus_position(funded, karlstad, initiator, finance):
    initiative = supported_initiative(party=karlstad, user=initiator)
    position = initiative.council_positions.get()
    decision = decide(fund=funded, initiative=initiative, user=finance)
    assert decision.position == position
    assert position.outcome == "consensus" and position.initiative == initiative
    assert list(position.decisions.all()) == [decision]
    assert decision.history.get().position_id == position.pk


def test_commitment_create_moves_money_from_available_to_reserved(decision, parts, finance):
    verification = services.commitment_create(
        decision=decision,
        shares=[
            services.Share(parts[0], D("1000000.00"), 2026),
            services.Share(parts[1], D("1500000.00"), 2027),
        ],
        booking_date=date(2026, 3, 1),
        text="Beviljat i två delar",
        user=finance,
    )
    assert verification.lines.count() == 4
    assert lines_sum(verification) == 0
    assert services.available(parts[0]) == D("54000000.00")
    assert services.available(parts[1]) == D("99500000.00")
    assert Commitment.objects.filter(decision=decision).count() == 2


def test_commitment_create_refuses_without_a_decision(funded, parts, finance):
    with pytest.raises(ValidationError) as error:
        services.commitment_create(
            decision=None,
            shares=[services.Share(parts[0], D(1))],
            booking_date=date(2026, 3, 1),
            text="x",
            user=finance,
        )
    assert "beslut" in error.value.message_dict["decision"][0]


def test_commitment_create_refuses_more_than_the_decision(decision, parts, finance):
    with pytest.raises(ValidationError) as error:
        services.commitment_create(
            decision=decision,
            shares=[services.Share(parts[0], D("5000000.01"))],
            booking_date=date(2026, 3, 1),
            text="x",
            user=finance,
        )
    assert "Beslutet gäller" in error.value.message_dict["amount"][0]
    assert not Commitment.objects.exists()


def test_commitment_create_refuses_more_than_available(funded, karlstad, initiator, finance, parts):
    initiative = supported_initiative(party=karlstad, user=initiator, title="Stort")
    decision = decide(fund=funded, initiative=initiative, user=finance, amount="60000000.00")
    with pytest.raises(ValidationError) as error:
        services.commitment_create(
            decision=decision,
            shares=[services.Share(parts[0], D("55000000.01"))],
            booking_date=date(2026, 3, 1),
            text="x",
            user=finance,
        )
    assert "bara 55\u00a0000\u00a0000,00\u00a0kr tillgängligt" in error.value.message_dict["amount"][0]


def test_disbursement_and_release_and_repayment(commitment, parts, finance):
    services.disbursement_record(
        commitment=commitment,
        amount=D("800000.00"),
        booking_date=date(2026, 4, 1),
        text="Utbetalning 1",
        user=finance,
    )
    services.repayment_record(
        commitment=commitment,
        amount=D("50000.00"),
        booking_date=date(2026, 9, 1),
        text="Återbetalt",
        user=finance,
    )
    services.commitment_release(
        commitment=commitment,
        amount=D("1200000.00"),
        booking_date=date(2026, 12, 1),
        text="Frigörs",
        user=finance,
    )
    figures = services.commitment_figures(commitment)
    assert figures == {
        "granted": D("2000000.00"),
        "disbursed": D("800000.00"),
        "released": D("1200000.00"),
        "remaining": D("0.00"),
        "repaid": D("50000.00"),
    }
    # 55 M − 2 M committed + 1.2 M released + 0.05 M repaid
    assert services.available(parts[0]) == D("54250000.00")


def test_disbursement_refuses_more_than_remains(commitment, finance):
    with pytest.raises(ValidationError) as error:
        services.disbursement_record(
            commitment=commitment,
            amount=D("2000000.01"),
            booking_date=date(2026, 4, 1),
            text="x",
            user=finance,
        )
    assert "återstår bara 2\u00a0000\u00a0000,00\u00a0kr" in error.value.message_dict["amount"][0]
    assert not Verification.objects.filter(kind=Kind.DISBURSEMENT).exists()


def test_repayment_refuses_more_than_disbursed(commitment, finance):
    with pytest.raises(ValidationError, match="betalas tillbaka"):
        services.repayment_record(
            commitment=commitment, amount=D(1), booking_date=date(2026, 4, 1), text="x", user=finance
        )


def test_capital_transfer_moves_available_between_parts_and_refuses_more(funded, parts, finance):
    services.capital_transfer(
        from_part=parts[2],
        to_part=parts[0],
        amount=D("4000000.00"),
        booking_date=date(2026, 5, 1),
        text="Omfördelning",
        user=finance,
    )
    assert services.available(parts[2]) == D("40000000.00")
    assert services.available(parts[0]) == D("59000000.00")
    with pytest.raises(ValidationError, match="tillgängligt"):
        services.capital_transfer(
            from_part=parts[2],
            to_part=parts[0],
            amount=D("40000000.01"),
            booking_date=date(2026, 5, 1),
            text="x",
            user=finance,
        )


def test_reversal_mirrors_every_line_and_is_refused_twice(commitment, parts, finance):
    paid = services.disbursement_record(
        commitment=commitment,
        amount=D("100000.00"),
        booking_date=date(2026, 4, 1),
        text="Fel belopp",
        user=finance,
    )
    reversal = services.verification_reverse(
        verification=paid, booking_date=date(2026, 4, 2), text="Rättelse", user=finance
    )
    assert reversal.reverses == paid
    assert sorted(line.amount for line in reversal.lines.all()) == sorted(
        -line.amount for line in paid.lines.all()
    )
    assert services.commitment_figures(commitment)["remaining"] == D("2000000.00")
    with pytest.raises(ValidationError, match="redan rättad"):
        services.verification_reverse(
            verification=paid, booking_date=date(2026, 4, 3), text="Igen", user=finance
        )
    with pytest.raises(ValidationError, match="kan inte rättas"):
        services.verification_reverse(
            verification=reversal, booking_date=date(2026, 4, 3), text="x", user=finance
        )


def test_reversal_of_a_commitment_already_paid_is_refused(commitment, finance):
    services.disbursement_record(
        commitment=commitment,
        amount=D("100000.00"),
        booking_date=date(2026, 4, 1),
        text="Utbetalt",
        user=finance,
    )
    original = Verification.objects.get(kind=Kind.COMMITMENT)
    with pytest.raises(ValidationError, match="redan betalats ut"):
        services.verification_reverse(
            verification=original, booking_date=date(2026, 4, 2), text="x", user=finance
        )


def test_idempotent_replay_returns_the_original_and_posts_once(funded, parts, finance):
    key = uuid.uuid4()
    kwargs = {
        "capital_part": parts[0],
        "amount": D("10.00"),
        "booking_date": date(2026, 6, 1),
        "text": "Tillskott",
        "user": finance,
    }
    first = services.capital_add(idempotency_key=key, **kwargs)
    again = services.capital_add(idempotency_key=key, **kwargs)
    assert again.pk == first.pk
    assert Verification.objects.filter(kind=Kind.CAPITAL).count() == 4


def test_posting_into_a_closed_year_or_a_missing_year_is_refused(funded, parts, finance):
    year = FiscalYear.objects.get(year=2026)
    services.fiscal_year_close(fiscal_year=year, user=finance)
    with pytest.raises(ValidationError) as error:
        services.capital_add(
            capital_part=parts[0], amount=D(1), booking_date=date(2026, 12, 31), text="x", user=finance
        )
    assert "stängt" in error.value.message_dict["booking_date"][0]
    with pytest.raises(ValidationError, match="inget verksamhetsår 2030"):
        services.capital_add(
            capital_part=parts[0], amount=D(1), booking_date=date(2030, 1, 1), text="x", user=finance
        )


def test_year_close_writes_a_snapshot_and_opens_the_next_year(commitment, parts, finance):
    year = FiscalYear.objects.get(year=2026)
    services.fiscal_year_close(fiscal_year=year, user=finance)
    year.refresh_from_db()
    assert year.status == FiscalYear.Status.CLOSED
    assert FiscalYear.objects.get(year=2027).is_open
    assert sum(b.closing for b in year.balances.all()) == 0  # the books balance
    # Balances after the close come from the snapshot plus the open year's lines.
    assert services.available(parts[0]) == D("53000000.00")
    services.disbursement_record(
        commitment=commitment,
        amount=D("1.00"),
        booking_date=date(2027, 1, 5),
        text="Efter bokslut",
        user=finance,
    )
    assert services.commitment_figures(commitment)["remaining"] == D("1999999.00")
    with pytest.raises(ValidationError, match="redan stängt"):
        services.fiscal_year_close(fiscal_year=year, user=finance)


def test_year_close_refuses_out_of_order(funded, finance):
    services.fiscal_year_open(fund=funded, year=2027, user=finance)
    with pytest.raises(ValidationError, match="tur och ordning"):
        services.fiscal_year_close(fiscal_year=FiscalYear.objects.get(year=2027), user=finance)


def test_a_correction_after_close_is_posted_in_the_open_year_referring_to_the_original(commitment, finance):
    paid = services.disbursement_record(
        commitment=commitment, amount=D("300.00"), booking_date=date(2026, 11, 1), text="Fel", user=finance
    )
    services.fiscal_year_close(fiscal_year=FiscalYear.objects.get(year=2026), user=finance)
    reversal = services.verification_reverse(
        verification=paid, booking_date=date(2027, 1, 10), text="Rättelse av A", user=finance
    )
    assert reversal.fiscal_year.year == 2027 and reversal.reverses_id == paid.pk
    assert reversal.number == 1  # numbering starts again in the new year


def test_account_map_is_for_finance_and_recorded_in_history(fund, finance, auditor):
    account = fund.accounts.get(code="2091")
    services.account_map(account=account, region_account="2991", region_object="DGR1", user=finance)
    account.refresh_from_db()
    assert account.export_code == "2991"
    assert account.history.first().history_user == finance
    with pytest.raises(PermissionDenied):
        services.account_map(account=account, region_account="1", region_object="", user=auditor)


def test_lines_carry_the_initiative_and_commitment(commitment, initiative):
    assert VerificationLine.objects.filter(initiative=initiative, commitment=commitment).count() == 2


def test_a_second_fund_keeps_its_own_ledger_numbering_and_figures(funded, finance):
    from accounting import selectors
    from tests.accounting.factories import make_fund

    keolis = make_fund(finance, slug="keolis")
    part = keolis.capital_parts.get(number=1)
    first = services.capital_add(
        capital_part=part,
        amount=D("7500000.00"),
        booking_date=date(2026, 2, 1),
        text="Förlikning",
        user=finance,
    )
    assert first.number == 1  # its own series, not continuing DGR's
    assert selectors.fund_overview(keolis).total.available == D("7500000.00")
    assert selectors.fund_overview(funded).total.available == D("200000000.00")
    with pytest.raises(ValidationError):
        services.capital_transfer(
            from_part=part,
            to_part=funded.capital_parts.get(number=1),
            amount=D(1),
            booking_date=date(2026, 2, 2),
            text="Mellan fonder",
            user=finance,
        )


def test_reversing_capital_already_committed_is_refused(decision, parts, finance):
    capital = Verification.objects.filter(kind=Kind.CAPITAL).order_by("number").first()
    services.commitment_create(
        decision=decision,
        shares=[services.Share(parts[0], D("5000000.00"))],
        booking_date=date(2026, 3, 1),
        text="x",
        user=finance,
    )
    with pytest.raises(ValidationError, match="bara 50"):
        services.verification_reverse(
            verification=capital, booking_date=date(2026, 3, 2), text="x", user=finance
        )


def test_no_new_money_goes_to_a_completed_initiative_but_releases_and_repayments_still_do(
    commitment, decision, initiative, parts, finance
):
    from initiatives.services import initiative_transition

    services.disbursement_record(
        commitment=commitment, amount=D("500000.00"), booking_date=date(2026, 4, 1), text="Ut", user=finance
    )
    initiative_transition(initiative=initiative, to=Status.COMPLETED, user=finance, reason="slutrapport")
    posted = Verification.objects.count()
    with pytest.raises(ValidationError) as error:
        services.disbursement_record(
            commitment=commitment, amount=D("1.00"), booking_date=date(2026, 5, 1), text="x", user=finance
        )
    assert error.value.code == "initiative_not_running"
    assert "”Avslutat”" in error.value.messages[0]
    with pytest.raises(ValidationError, match="inga nya pengar"):
        services.commitment_create(
            decision=decision,
            shares=[services.Share(parts[1], D("1.00"))],
            booking_date=date(2026, 5, 1),
            text="x",
            user=finance,
        )
    assert Verification.objects.count() == posted
    services.repayment_record(
        commitment=commitment, amount=D("100.00"), booking_date=date(2026, 5, 2), text="Åter", user=finance
    )
    services.commitment_release(
        commitment=commitment, amount=D("1500000.00"), booking_date=date(2026, 5, 3), text="Fri", user=finance
    )
    assert services.commitment_figures(commitment)["remaining"] == D("0.00")


def test_every_money_service_refuses_an_amount_above_the_funds_limit(commitment, decision, parts, finance):
    fund = decision.fund
    services.fund_amount_limit_set(fund=fund, amount_limit=D("1000.00"), user=finance)
    fund.refresh_from_db()
    commitment.fund.amount_limit = fund.amount_limit
    decision.fund.amount_limit = fund.amount_limit
    parts[0].fund.amount_limit = fund.amount_limit
    parts[1].fund.amount_limit = fund.amount_limit
    over = D("1000.01")
    day = {"booking_date": date(2026, 5, 1), "text": "x", "user": finance}
    attempts = [
        lambda: services.capital_add(capital_part=parts[0], amount=over, **day),
        lambda: services.capital_transfer(from_part=parts[0], to_part=parts[1], amount=over, **day),
        lambda: services.commitment_create(decision=decision, shares=[services.Share(parts[0], over)], **day),
        lambda: services.disbursement_record(commitment=commitment, amount=over, **day),
        lambda: services.commitment_release(commitment=commitment, amount=over, **day),
        lambda: services.repayment_record(commitment=commitment, amount=over, **day),
    ]
    posted = Verification.objects.count()
    for attempt in attempts:
        with pytest.raises(ValidationError) as error:
            attempt()
        assert error.value.error_dict["amount"][0].code == "over_amount_limit"
        assert "större än fondens beloppsgräns 1\u00a0000,00\u00a0kr" in error.value.message_dict["amount"][0]
    assert Verification.objects.count() == posted
    # At the limit is allowed.
    services.disbursement_record(commitment=commitment, amount=D("1000.00"), **day)


def test_a_decision_above_the_funds_limit_is_refused(funded, karlstad, initiator, finance):
    initiative = supported_initiative(party=karlstad, user=initiator, supported_amount="900000000.00")
    with pytest.raises(ValidationError) as error:
        decide(fund=funded, initiative=initiative, user=finance, amount="500000000.01")
    assert error.value.error_dict["amount"][0].code == "over_amount_limit"
    initiative.refresh_from_db()
    assert initiative.status == Status.SUPPORTED


def test_the_amount_limit_is_set_only_by_finance_or_administrators(fund, secretariat, auditor, administrator):
    for reader in (secretariat, auditor):
        with pytest.raises(PermissionDenied):
            services.fund_amount_limit_set(fund=fund, amount_limit=D("1.00"), user=reader)
    services.fund_amount_limit_set(fund=fund, amount_limit=D("2.00"), user=administrator)
    fund.refresh_from_db()
    assert fund.amount_limit == D("2.00")


def test_a_replay_of_a_posting_with_another_amount_is_refused_and_posts_nothing(funded, parts, finance):
    key = uuid.uuid4()
    kwargs = {"capital_part": parts[0], "booking_date": date(2026, 2, 1), "text": "Kapital", "user": finance}
    first = services.capital_add(amount=D("100.00"), idempotency_key=key, **kwargs)
    with pytest.raises(ValidationError) as error:
        services.capital_add(amount=D("1000.00"), idempotency_key=key, **kwargs)
    assert error.value.code == "key_used_for_another_request"
    assert services.capital_add(amount=D("100.00"), idempotency_key=key, **kwargs) == first
    assert Verification.objects.filter(idempotency_key=key).count() == 1
