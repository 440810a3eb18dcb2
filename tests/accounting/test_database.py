"""The ledger's guarantees tested against PostgreSQL itself: raw SQL, real commits, many connections."""

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from decimal import Decimal

import psycopg
import pytest
from django.core.exceptions import ValidationError
from django.db import DatabaseError, IntegrityError, connection, connections, transaction

from accounting import services
from accounting.models import Commitment, FiscalYear, Verification
from tests.accounting.factories import decide, make_fund, supported_initiative

D = Decimal


def _fund_with(finance, amount="10000000.00"):
    fund = make_fund(finance)
    part = fund.capital_parts.get(number=1)
    services.capital_add(
        capital_part=part, amount=D(amount), booking_date=date(2026, 1, 1), text="Kapital", user=finance
    )
    return fund, part


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE accounting_verificationline SET amount = amount * 2",
        "DELETE FROM accounting_verificationline",
        "UPDATE accounting_verification SET text = 'ändrad'",
        "DELETE FROM accounting_verification",
    ],
)
def test_the_journal_refuses_update_and_delete_to_the_app_and_the_owner(finance, owner_connection, statement):
    _fund_with(finance)
    # The app's role has no UPDATE or DELETE on the journal at all (core/dbroles.py) …
    with pytest.raises(DatabaseError, match="permission denied"), connection.cursor() as cursor:
        cursor.execute(statement)
    # … and the trigger refuses even the role that owns the table.
    with pytest.raises(psycopg.Error, match="append-only"):
        owner_connection.execute(statement)
    assert Verification.objects.count() == 1


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    "table", ["accounting_verificationline", "accounting_verification", "accounting_commitment"]
)
def test_the_journal_refuses_truncate_to_the_app_and_to_the_owner_without_the_test_switch(
    finance, owner_connection, table
):
    _fund_with(finance)
    with pytest.raises(DatabaseError, match="permission denied"), connection.cursor() as c:
        # The switch that lets the test suite's flush empty the tables does nothing for the app's role.
        c.execute("SET dgr.allow_truncate = 'on'")
        c.execute(f"TRUNCATE {table} CASCADE")
    with pytest.raises(psycopg.Error, match="TRUNCATE refused"):
        owner_connection.execute(f"TRUNCATE {table} CASCADE")
    assert Verification.objects.count() == 1


@pytest.mark.django_db
def test_commitments_and_year_snapshots_refuse_changes(finance, karlstad, initiator):
    fund, part = _fund_with(finance)
    decision = decide(
        fund=fund, initiative=supported_initiative(party=karlstad, user=initiator), user=finance
    )
    services.commitment_create(
        decision=decision,
        shares=[services.Share(part, D(100))],
        booking_date=date(2026, 2, 1),
        text="x",
        user=finance,
    )
    services.fiscal_year_close(fiscal_year=fund.fiscal_years.get(year=2026), user=finance)
    for statement in (
        "UPDATE accounting_commitment SET amount = 1",
        "DELETE FROM accounting_commitment",
        "UPDATE accounting_yearbalance SET opening = 0, closing = movement",
        "DELETE FROM accounting_yearbalance",
        "UPDATE accounting_fiscalyear SET status = 'open' WHERE year = 2026",
        "DELETE FROM accounting_fiscalyear",
    ):
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(statement)


@pytest.mark.django_db
def test_the_database_refuses_a_verification_in_a_closed_year_or_outside_its_dates(finance):
    fund, _part = _fund_with(finance)
    year = fund.fiscal_years.get(year=2026)
    insert = (
        "INSERT INTO accounting_verification (fund_id, fiscal_year_id, series, number, booking_date,"
        " registered_at, author_id, text, kind) VALUES (%s, %s, 'Z', 1, %s, now(), %s, 'rå', 'capital')"
    )
    with (
        pytest.raises(IntegrityError, match="outside fiscal year"),
        transaction.atomic(),
        connection.cursor() as c,
    ):
        c.execute(insert, [fund.pk, year.pk, date(2027, 1, 1), finance.pk])
    services.fiscal_year_close(fiscal_year=year, user=finance)
    with pytest.raises(IntegrityError, match="is closed"), transaction.atomic(), connection.cursor() as c:
        c.execute(insert, [fund.pk, year.pk, date(2026, 6, 1), finance.pk])


@pytest.mark.django_db(transaction=True)
def test_an_unbalanced_verification_fails_at_commit(finance):
    fund, part = _fund_with(finance)
    year = fund.fiscal_years.get(year=2026)
    settlement = fund.accounts.get(kind="settlement")
    available = fund.accounts.get(kind="available", capital_part=part)
    with (
        pytest.raises(IntegrityError, match="does not balance"),
        transaction.atomic(),
        connection.cursor() as c,
    ):
        c.execute(
            "INSERT INTO accounting_verification (fund_id, fiscal_year_id, series, number, booking_date,"
            " registered_at, author_id, text, kind)"
            " VALUES (%s, %s, 'Z', 1, '2026-03-01', now(), %s, 'rå', 'capital')"
            " RETURNING id",
            [fund.pk, year.pk, finance.pk],
        )
        verification_id = c.fetchone()[0]
        line = (
            "INSERT INTO accounting_verificationline"
            " (verification_id, account_id, capital_part_id, event, amount)"
            " VALUES (%s, %s, %s, 'capital', %s)"
        )
        c.execute(line, [verification_id, settlement.pk, part.pk, D("100.00")])
        c.execute(line, [verification_id, available.pk, part.pk, D("-99.00")])
        # Inside the transaction the half-written entry is allowed; COMMIT checks it.
    assert not Verification.objects.filter(series="Z").exists()


@pytest.mark.django_db(transaction=True)
def test_a_raw_line_taking_available_capital_below_zero_fails_at_commit(finance):
    fund, part = _fund_with(finance, amount="100.00")
    year = fund.fiscal_years.get(year=2026)
    available = fund.accounts.get(kind="available", capital_part=part)
    other = fund.accounts.get(kind="available", capital_part__number=2)
    with pytest.raises(IntegrityError, match="below zero"), transaction.atomic(), connection.cursor() as c:
        c.execute(
            "INSERT INTO accounting_verification (fund_id, fiscal_year_id, series, number, booking_date,"
            " registered_at, author_id, text, kind)"
            " VALUES (%s, %s, 'Z', 1, '2026-03-01', now(), %s, 'rå', 'transfer')"
            " RETURNING id",
            [fund.pk, year.pk, finance.pk],
        )
        verification_id = c.fetchone()[0]
        line = (
            "INSERT INTO accounting_verificationline"
            " (verification_id, account_id, capital_part_id, event, amount)"
            " VALUES (%s, %s, %s, 'transfer', %s)"
        )
        c.execute(line, [verification_id, available.pk, part.pk, D("100.01")])
        c.execute(line, [verification_id, other.pk, other.capital_part_id, D("-100.01")])


@pytest.mark.django_db(transaction=True)
def test_numbering_is_gapless_when_a_posting_rolls_back(finance):
    _fund, part = _fund_with(finance)
    with pytest.raises(RuntimeError), transaction.atomic():
        services.capital_add(
            capital_part=part, amount=D(5), booking_date=date(2026, 2, 1), text="x", user=finance
        )
        raise RuntimeError("the request failed after posting")
    services.capital_add(
        capital_part=part, amount=D(5), booking_date=date(2026, 2, 1), text="y", user=finance
    )
    assert list(Verification.objects.order_by("number").values_list("number", flat=True)) == [1, 2]


@pytest.mark.django_db(transaction=True)
def test_two_hundred_concurrent_commitments_never_overcommit(finance, karlstad, initiator):
    """200 requests, each its own connection and real commit, try to commit 1 MSEK against 10 MSEK."""
    fund, part = _fund_with(finance)
    decision = decide(
        fund=fund,
        initiative=supported_initiative(party=karlstad, user=initiator),
        user=finance,
        amount="300000000.00",
    )
    start = threading.Barrier(8)
    outcomes: list[str] = []
    lock = threading.Lock()

    def attempt(i: int) -> None:
        if i < 8:
            start.wait()
        try:
            services.commitment_create(
                decision=decision,
                shares=[services.Share(part, D("1000000.00"))],
                booking_date=date(2026, 3, 1),
                text=f"Försök {i}",
                user=finance,
            )
            result = "ok"
        except ValidationError as error:
            result = "refused" if "tillgängligt" in str(error) else f"other: {error}"
        except Exception as error:
            result = f"error: {type(error).__name__}: {error}"
        finally:
            connections.close_all()
        with lock:
            outcomes.append(result)

    with ThreadPoolExecutor(max_workers=8) as pool:
        list(pool.map(attempt, range(200)))

    assert outcomes.count("ok") == 10, [o for o in outcomes if o not in ("ok", "refused")][:3]
    assert outcomes.count("refused") == 190
    assert Commitment.objects.count() == 10
    assert services.available(part) == D("0.00")
    numbers = sorted(Verification.objects.filter(fiscal_year__year=2026).values_list("number", flat=True))
    assert numbers == list(range(1, 12))  # 1 capital + 10 commitments, gapless despite 190 refusals


@pytest.mark.django_db(transaction=True)
def test_concurrent_replays_of_one_key_post_once(finance):
    import uuid

    _fund, part = _fund_with(finance)
    key = uuid.uuid4()

    def attempt(_i):
        try:
            return services.capital_add(
                capital_part=part,
                amount=D(7),
                booking_date=date(2026, 2, 1),
                text="Dubbelklick",
                user=finance,
                idempotency_key=key,
            ).pk
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=4) as pool:
        ids = set(pool.map(attempt, range(12)))
    assert len(ids) == 1
    assert Verification.objects.filter(idempotency_key=key).count() == 1


@pytest.mark.django_db(transaction=True)
def test_year_close_commits_a_locked_year(finance):
    fund, _part = _fund_with(finance)
    services.fiscal_year_close(fiscal_year=fund.fiscal_years.get(year=2026), user=finance)
    assert FiscalYear.objects.get(fund=fund, year=2026).status == "closed"


@pytest.mark.django_db(transaction=True)
def test_concurrent_disbursements_never_take_a_commitment_below_zero(finance, karlstad, initiator):
    fund, part = _fund_with(finance)
    decision = decide(
        fund=fund, initiative=supported_initiative(party=karlstad, user=initiator), user=finance
    )
    commitment = services.commitment_create(
        decision=decision,
        shares=[services.Share(part, D("1000000.00"))],
        booking_date=date(2026, 3, 1),
        text="Beviljat",
        user=finance,
    ).commitment

    def attempt(i: int) -> str:
        try:
            services.disbursement_record(
                commitment=commitment,
                amount=D("100000.00"),
                booking_date=date(2026, 4, 1),
                text=f"{i}",
                user=finance,
            )
            return "ok"
        except ValidationError as error:
            return "refused" if "återstår bara" in str(error) else f"other: {error}"
        except Exception as error:
            return f"error: {type(error).__name__}: {error}"
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=8) as pool:
        outcomes = list(pool.map(attempt, range(40)))
    assert outcomes.count("ok") == 10 and outcomes.count("refused") == 30, set(outcomes)
    assert services.commitment_figures(commitment)["remaining"] == D("0.00")


@pytest.mark.django_db
def test_a_commitment_must_match_its_decision(finance, karlstad, arvika, initiator, other_initiator):
    fund, part = _fund_with(finance)
    decision = decide(
        fund=fund, initiative=supported_initiative(party=karlstad, user=initiator), user=finance
    )
    other = supported_initiative(party=arvika, user=other_initiator, title="Ett annat")
    with pytest.raises(IntegrityError, match="decision's fund and initiative"), transaction.atomic():
        Commitment.objects.create(
            fund=fund, decision=decision, initiative=other, capital_part=part, amount=D("1.00")
        )


@pytest.mark.django_db(transaction=True)
def test_year_close_waits_for_a_posting_in_flight_and_includes_it(finance):
    from accounting.models import YearBalance

    fund, part = _fund_with(finance)
    posted, release, errors = threading.Event(), threading.Event(), []

    def post():
        try:
            with transaction.atomic():
                services.capital_add(
                    capital_part=part,
                    amount=D(5),
                    booking_date=date(2026, 6, 1),
                    text="I farten",
                    user=finance,
                )
                posted.set()
                release.wait(10)
        except Exception as error:
            errors.append(error)
        finally:
            connections.close_all()

    def close():
        try:
            services.fiscal_year_close(fiscal_year=FiscalYear.objects.get(fund=fund, year=2026), user=finance)
        except Exception as error:
            errors.append(error)
        finally:
            connections.close_all()

    poster = threading.Thread(target=post)
    poster.start()
    assert posted.wait(10)
    closer = threading.Thread(target=close)
    closer.start()
    closer.join(1.0)
    assert closer.is_alive()  # the close waits for the posting's transaction
    release.set()
    poster.join(10)
    closer.join(10)
    assert not errors and not closer.is_alive()
    settlement = YearBalance.objects.filter(
        fiscal_year__fund=fund, fiscal_year__year=2026, account__kind="settlement"
    )
    assert sum(b.closing for b in settlement) == D("10000005.00")
