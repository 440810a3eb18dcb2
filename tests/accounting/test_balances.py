"""The one definition of an account's balance (accounting_account_balance, migration 0010): the last closed
year's snapshot plus the open years' lines must equal the plain sum over the whole journal, and must get
there without reading the closed years' lines (issue 16)."""

import json
from datetime import date
from decimal import Decimal

import pytest
from django.db import connection, transaction

from accounting import services
from accounting.models import Account, Verification, VerificationLine
from tests.accounting.factories import make_fund

D = Decimal


def _function_balance(account_id: int) -> Decimal:
    with connection.cursor() as cursor:
        cursor.execute("SELECT accounting_account_balance(%s)", [account_id])
        return cursor.fetchone()[0]


def _journal_sum(account_id: int) -> Decimal:
    """The naive figure: every line the account ever had, whatever year."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT coalesce(sum(amount), 0) FROM accounting_verificationline WHERE account_id = %s",
            [account_id],
        )
        return cursor.fetchone()[0]


def _capital(part, amount, day, user, text="Kapital"):
    return services.capital_add(capital_part=part, amount=D(amount), booking_date=day, text=text, user=user)


def _transfer(source, target, amount, day, user):
    return services.capital_transfer(
        from_part=source, to_part=target, amount=D(amount), booking_date=day, text="Omfördelning", user=user
    )


@pytest.fixture
def two_funds(finance):
    """A fund with two closed years and an open one, corrections reaching back into the closed years; a
    second fund with two years open at once and no closed year."""
    dgr = make_fund(finance, slug="dgr", opened_on=date(2024, 1, 1))
    one, two, three = dgr.capital_parts.order_by("number")
    year_2024 = services.fiscal_year_open(fund=dgr, year=2024, user=finance)
    founding = _capital(one, "55000000.00", date(2024, 1, 1), finance, "Ingående kapital")
    _capital(two, "101000000.00", date(2024, 1, 1), finance, "Ingående kapital")
    mistaken = _capital(three, "4400000.00", date(2024, 3, 1), finance, "Felaktigt belopp")
    _transfer(two, three, "1000000.00", date(2024, 6, 1), finance)
    services.fiscal_year_close(fiscal_year=year_2024, user=finance)
    _capital(three, "44000000.00", date(2025, 2, 1), finance)
    _transfer(one, two, "2500000.00", date(2025, 5, 1), finance)
    services.fiscal_year_close(fiscal_year=dgr.fiscal_years.get(year=2025), user=finance)
    # Corrections in the open year of verifications in closed years.
    services.verification_reverse(
        verification=mistaken, booking_date=date(2026, 1, 10), text="Rättelse", user=finance
    )
    moved = _transfer(three, one, "300000.00", date(2026, 2, 1), finance)
    services.verification_reverse(
        verification=moved, booking_date=date(2026, 2, 2), text="Rättelse", user=finance
    )
    _transfer(one, three, "125000.50", date(2026, 3, 1), finance)

    keolis = make_fund(finance, slug="keolis", opened_on=date(2025, 1, 1))
    k_one, k_two, _k_three = keolis.capital_parts.order_by("number")
    services.fiscal_year_open(fund=keolis, year=2025, user=finance)
    services.fiscal_year_open(fund=keolis, year=2026, user=finance)
    _capital(k_one, "7000000.00", date(2025, 1, 1), finance)
    _transfer(k_one, k_two, "1500000.00", date(2025, 9, 1), finance)
    _capital(k_two, "250000.25", date(2026, 1, 5), finance)
    _transfer(k_two, k_one, "50000.00", date(2026, 4, 1), finance)
    return dgr, keolis, founding


@pytest.mark.django_db
def test_every_balance_equals_the_sum_over_the_whole_journal(two_funds):
    dgr, keolis, _founding = two_funds
    assert dgr.fiscal_years.filter(status="closed").count() == 2
    assert keolis.fiscal_years.filter(status="open").count() == 2
    accounts = list(Account.objects.filter(fund__in=[dgr, keolis]))
    assert len(accounts) == 14
    for account in accounts:
        assert _function_balance(account.pk) == _journal_sum(account.pk), account
    # The figures themselves, so that "both wrong the same way" cannot pass.
    figures = {
        (a.fund.slug, a.capital_part.number): services.available(a.capital_part)
        for a in accounts
        if a.kind == Account.Kind.AVAILABLE
    }
    assert figures == {
        ("dgr", 1): D("55000000.00") - D("2500000.00") - D("125000.50"),
        ("dgr", 2): D("101000000.00") - D("1000000.00") + D("2500000.00"),
        ("dgr", 3): D("1000000.00") + D("44000000.00") + D("125000.50"),
        ("keolis", 1): D("7000000.00") - D("1500000.00") + D("50000.00"),
        ("keolis", 2): D("1500000.00") + D("250000.25") - D("50000.00"),
        ("keolis", 3): D("0.00"),
    }


@pytest.mark.django_db(transaction=True)
def test_a_balance_reads_no_line_of_a_closed_year(two_funds, owner_connection):
    """The function's own query, run with EXPLAIN ANALYZE: the journal scan itself is restricted to the
    open years' lines of the account (0002's definition scanned all of the account's lines and dropped
    the closed years' ones afterwards, in a join). Which index the planner picks for that scan on a table
    this small varies between PostgreSQL versions, so the test counts the rows the scan yields, not the
    rows it reads; what one balance reads at 100 000 and 1 000 000 lines is measured by bench/ledger.py."""
    dgr, _keolis, founding = two_funds
    account = founding.lines.get(account__kind=Account.Kind.AVAILABLE).account
    closed_lines = VerificationLine.objects.filter(account=account, fiscal_year__status="closed").count()
    open_lines = VerificationLine.objects.filter(account=account, fiscal_year__status="open").count()
    assert closed_lines == 2 and open_lines == 3
    # Statistics for the planner (only the tables' owner may ANALYZE): without them its choice between
    # the journal's indexes on a table this small is a coin toss.
    owner_connection.execute("ANALYZE accounting_verificationline")
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT prosrc FROM pg_proc WHERE proname = 'accounting_account_balance'")
        body = cursor.fetchone()[0].replace("p_account", str(int(account.pk)))
        # On a table this small a sequential scan is cheapest; what matters is what an index can spare.
        cursor.execute("SET LOCAL enable_seqscan = off")
        # Rows, not pages, decide between the journal's indexes here (each table is one page): as on a
        # journal of a million lines, where the index on (year, account) is the one that reads least.
        cursor.execute("SET LOCAL cpu_index_tuple_cost = 10")
        cursor.execute("SET LOCAL cpu_tuple_cost = 10")
        cursor.execute(f"EXPLAIN (ANALYZE, FORMAT JSON) {body}")
        plan = cursor.fetchone()[0]
    plan = json.loads(plan) if isinstance(plan, str) else plan

    def line_scans(node):
        if node.get("Relation Name") == "accounting_verificationline":
            yield node
        for child in node.get("Plans", []):
            yield from line_scans(child)

    scans = list(line_scans(plan[0]["Plan"]))
    assert scans, "the balance reads the journal's lines"
    assert all("Seq Scan" not in scan["Node Type"] for scan in scans)
    yielded = sum(scan["Actual Rows"] * scan["Actual Loops"] for scan in scans)
    assert yielded == open_lines
    assert Verification.objects.filter(fund=dgr).count() > yielded
