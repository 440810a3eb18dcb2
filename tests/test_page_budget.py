"""Every page each demo user can reach by following links stays within the query budget (12 per page),
on the demo story's data. The apps' own tests hold their main pages to it at two data sizes; this
crawl makes sure no page was left out."""

import io
import re
from collections import deque
from html import unescape
from urllib.parse import urldefrag, urlsplit

import pytest
from django.core.management import call_command
from django.db import connection, reset_queries
from django.test.utils import CaptureQueriesContext
from django.urls import Resolver404, resolve

from people.demo import DEMO_USERS
from people.models import User

pytestmark = pytest.mark.django_db

BUDGET = 12
PER_ROUTE = 3  # pages of the same kind (the same view with other ids) checked per user
SKIP_PREFIXES = ("/admin/", "/logga-ut/", "/i18n/", "/static/", "/media/")
DOWNLOAD = re.compile(r"\.(pdf|xlsx|csv|se|si|zip)$|/(pdf|excel|csv|sie[^/]*|ladda-ner)/?$")
LINK = re.compile(r'href="(/[^"]*)"')


def crawl(client, *, limit=400):
    """Yield (path, status, queries) for the pages reachable from the start page by GET links."""
    seen, per_route = set(), {}
    queue = deque(["/"])
    while queue and len(seen) < limit:
        path = queue.popleft()
        if path in seen:
            continue
        seen.add(path)
        try:
            route = resolve(urlsplit(path).path).route
        except Resolver404:
            continue
        per_route[route] = per_route.get(route, 0) + 1
        if per_route[route] > PER_ROUTE:
            continue
        # Django keeps at most 9000 queries in its log, and a capture does not empty it between requests:
        # once the demo load and the crawl have filled it, every later page would count 0 queries.
        reset_queries()
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path)
        yield path, response.status_code, len(queries)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        for href in LINK.findall(response.content.decode()):
            target = urldefrag(unescape(href)).url
            if target.startswith(SKIP_PREFIXES) or DOWNLOAD.search(urlsplit(target).path):
                continue
            if target not in seen:
                queue.append(target)


@pytest.fixture
def demo(settings):
    settings.DEBUG = True  # the demo loader refuses to run in production
    call_command("demo_data", stdout=io.StringIO())
    settings.DEBUG = False


@pytest.mark.parametrize(
    ("username", "language"),
    [(user[0], "sv") for user in DEMO_USERS] + [("vr-torsby", "sv"), ("vrag", "en"), ("karlstad", "en")],
)
def test_every_reachable_page_keeps_to_the_query_budget(client, demo, username, language):
    client.cookies["django_language"] = language  # in English too: every page renders in both
    client.force_login(User.objects.get(username=username))
    assert f'<html lang="{language}"' in client.get("/").content.decode()
    pages = list(crawl(client))
    assert len(pages) > 10, pages  # the crawl found the application, not just the start page
    errors = [(path, status) for path, status, _ in pages if status >= 400]  # a link to a refused page
    assert not errors, errors
    over = [(path, queries) for path, status, queries in pages if queries > BUDGET]
    assert not over, over


def test_recovery_claim_pages_keep_to_the_budget_whatever_the_number_of_claims(
    client, finance, initiator, karlstad, django_assert_max_num_queries
):
    """The list of claims (Återkrav), a claim with its repayments and the initiative's page with its
    claims: at most BUDGET queries, and no more with three times the claims and repayments."""
    import datetime
    from decimal import Decimal

    from django.urls import reverse

    from accounting import services
    from tests.accounting.factories import decide, make_fund, supported_initiative

    fund = make_fund(finance)
    part = fund.capital_parts.order_by("number").first()
    services.capital_add(
        capital_part=part,
        amount=Decimal("1000000.00"),
        booking_date=datetime.date(2026, 1, 1),
        text="Kapital",
        user=finance,
    )

    def claims_with_repayments():
        initiative = supported_initiative(party=karlstad, user=initiator, title="Med återkrav")
        decision = decide(fund=fund, initiative=initiative, user=finance, amount="10000.00")
        commitment = services.commitment_create(
            decision=decision,
            shares=[services.Share(part, Decimal("10000.00"), 2026)],
            booking_date=datetime.date(2026, 2, 10),
            text="Beviljat",
            user=finance,
        ).commitment
        services.disbursement_record(
            commitment=commitment,
            amount=Decimal("10000.00"),
            booking_date=datetime.date(2026, 3, 1),
            text="Utbetalt",
            user=finance,
        )
        claim = services.recovery_claim_create(
            initiative=initiative,
            amount=Decimal("3000.00"),
            reason="Skäl",
            decided_on=datetime.date(2026, 4, 1),
            due_on=datetime.date(2026, 5, 1),
            user=finance,
        )
        for amount in ("1000.00", "500.00"):
            services.repayment_record(
                commitment=commitment,
                amount=Decimal(amount),
                booking_date=datetime.date(2026, 4, 15),
                text="Återbetalt",
                user=finance,
                claim=claim,
            )
        return initiative, claim

    initiative, claim = claims_with_repayments()
    urls = [
        (finance, reverse("accounting:recovery-claim-list")),
        (finance, reverse("accounting:recovery-claim-detail", args=[claim.pk])),
        (finance, reverse("accounting:recovery-claim-repayment", args=[claim.pk])),
        (finance, initiative.get_absolute_url()),
        (initiator, reverse("accounting:recovery-claim-detail", args=[claim.pk])),
        (initiator, initiative.get_absolute_url()),
    ]

    def counts():
        result = []
        for user, url in urls:
            client.force_login(user)
            with django_assert_max_num_queries(BUDGET) as captured:
                assert client.get(url).status_code == 200, url
            result.append(len(captured.captured_queries))
        return result

    before = counts()
    for _ in range(2):
        claims_with_repayments()
    services.recovery_claim_create(
        initiative=initiative,
        amount=Decimal("1000.00"),
        reason="Ett till",
        decided_on=datetime.date(2026, 4, 2),
        due_on=datetime.date(2026, 5, 2),
        user=finance,
    )
    services.repayment_record(
        commitment=initiative.commitments.get(),
        amount=Decimal("100.00"),
        booking_date=datetime.date(2026, 4, 20),
        text="Återbetalt",
        user=finance,
        claim=claim,
    )
    assert counts() == before
