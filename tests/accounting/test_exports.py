"""Exports read back: SIE 4 parsed by a small reader written here, Excel opened with openpyxl."""

import io
import re
from collections import defaultdict
from datetime import date
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse

from accounting import services
from accounting.models import VerificationLine

D = Decimal
pytestmark = pytest.mark.django_db
TOKEN = re.compile(r'"((?:\\.|[^"\\])*)"|(\{[^}]*\})|(\S+)')


def tokens(line: str) -> list[str]:
    found = []
    for match in TOKEN.finditer(line):
        quoted, obj, bare = match.groups()
        found.append(quoted.replace('\\"', '"') if quoted is not None else (obj or bare))
    return found


def parse_sie(content: bytes) -> dict:
    """Just enough of SIE 4 to check what we write: header, accounts, balances, verifications."""
    text = content.decode("cp437")
    sie = {"header": {}, "accounts": {}, "ib": {}, "ub": {}, "verifications": []}
    current = None
    for raw in text.split("\r\n"):
        line = raw.strip()
        if not line:
            continue
        if line == "{":
            continue
        if line == "}":
            sie["verifications"].append(current)
            current = None
            continue
        label, *rest = tokens(line)
        if label == "#KONTO":
            sie["accounts"][rest[0]] = rest[1]
        elif label in ("#IB", "#UB"):
            sie[label[1:].lower()][rest[1]] = D(rest[2])
        elif label == "#VER":
            current = {
                "series": rest[0],
                "number": int(rest[1]),
                "date": rest[2],
                "text": rest[3],
                "trans": [],
            }
        elif label == "#TRANS":
            current["trans"].append({"account": rest[0], "object": rest[1], "amount": D(rest[2])})
        else:
            sie["header"][label] = rest
    return sie


@pytest.fixture
def year_with_story(commitment, finance, parts):
    services.disbursement_record(
        commitment=commitment,
        amount=D("750000.25"),
        booking_date=date(2026, 5, 1),
        text="Utbetalning till Årjäng – ”Gröna Värmland”",
        user=finance,
    )
    services.repayment_record(
        commitment=commitment,
        amount=D("0.25"),
        booking_date=date(2026, 6, 1),
        text="Återbetalt öre",
        user=finance,
    )
    return commitment.fund.fiscal_years.get(year=2026)


def test_sie4i_round_trip_sums_every_verification_to_zero_and_matches_the_journal(
    client, finance, year_with_story
):
    client.force_login(finance)
    response = client.get(reverse("accounting:year-sie4i", args=[year_with_story.fund.slug, 2026]))
    sie = parse_sie(response.content)
    assert sie["header"]["#FORMAT"] == ["PC8"]
    assert sie["header"]["#RAR"] == ["0", "20260101", "20261231"]
    assert "#IB" not in sie["header"] and not sie["ib"]
    assert len(sie["verifications"]) == 6  # 3 capital, 1 commitment, 1 disbursement, 1 repayment
    for verification in sie["verifications"]:
        assert sum(t["amount"] for t in verification["trans"]) == 0
        assert re.fullmatch(r"2026\d{4}", verification["date"])
    texts = [v["text"] for v in sie["verifications"]]
    # Typographic dashes and quotes, which CP437 lacks, become their ASCII kin; å, ä, ö survive.
    assert 'Utbetalning till Årjäng - "Gröna Värmland"' in texts
    assert "Återbetalt öre" in texts
    per_account = defaultdict(D)
    for verification in sie["verifications"]:
        for t in verification["trans"]:
            per_account[t["account"]] += t["amount"]
    journal = defaultdict(D)
    for line in VerificationLine.objects.select_related("account"):
        journal[line.account.code] += line.amount
    assert per_account == journal
    assert per_account["1680"] == D("200000000.00") - D("750000.25") + D("0.25")
    assert any(t["amount"] < 0 for v in sie["verifications"] for t in v["trans"])
    assert sie["accounts"]["2091"] == "Tillgängligt kapital, del 1"


def test_sie4e_has_opening_and_closing_balances_with_the_region_accounts(client, finance, year_with_story):
    fund = year_with_story.fund
    services.account_map(
        account=fund.accounts.get(code="1680"), region_account="1689", region_object="", user=finance
    )
    services.fiscal_year_close(fiscal_year=year_with_story, user=finance)
    services.disbursement_record(
        commitment=fund.commitments.get(),
        amount=D("1000.00"),
        booking_date=date(2027, 2, 1),
        text="Andra året",
        user=finance,
    )
    client.force_login(finance)
    sie = parse_sie(client.get(reverse("accounting:year-sie4e", args=[fund.slug, 2027])).content)
    assert sie["ib"]["1689"] == D("199250000.00")
    assert sie["ub"]["1689"] == D("199249000.00")
    assert sum(sie["ib"].values()) == 0 and sum(sie["ub"].values()) == 0
    for code in sie["ub"]:
        moved = sum(t["amount"] for v in sie["verifications"] for t in v["trans"] if t["account"] == code)
        assert sie["ib"][code] + moved == sie["ub"][code]
    assert sie["ub"]["2191"] == D("-1248999.75")  # reserved: 2 M granted less 751 000,25 paid
    closed = parse_sie(client.get(reverse("accounting:year-sie4e", args=[fund.slug, 2026])).content)
    assert closed["ub"] == sie["ib"]


def test_excel_exports_open_and_add_up(client, finance, year_with_story):
    fund = year_with_story.fund
    client.force_login(finance)
    journal = openpyxl.load_workbook(
        io.BytesIO(client.get(reverse("accounting:verification-list-xlsx", args=[fund.slug])).content)
    )
    rows = list(journal.active.iter_rows(min_row=2, values_only=True))
    assert len(rows) == VerificationLine.objects.count()
    assert sum(D(str(r[8] or 0)) for r in rows) == sum(D(str(r[9] or 0)) for r in rows)
    overview = openpyxl.load_workbook(
        io.BytesIO(client.get(reverse("accounting:fund-detail-xlsx", args=[fund.slug])).content)
    )
    total = next(r for r in overview["Kapitaldelar"].iter_rows(values_only=True) if r[0] == "Totalt")
    assert D(str(total[8])) == D("199250000.00")
