"""The initiative list and the preparation queue (issue 15: 2): amount and co-sponsor columns, sorting
by any column through the URL (accessible: links and aria-sort), the queue's waiting time, and a query
count that does not grow with the data or the chosen order."""

import datetime
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from initiatives import services
from people.models import Party
from tests.factories import initiative_draft, initiative_submitted

pytestmark = pytest.mark.django_db


def _heading(page: str, text: str) -> bool:
    return re.search(r">\s*" + text + r"\s*<", page) is not None


LIST = reverse("initiatives:initiative-list")
QUEUE = reverse("initiatives:initiative-queue")


def _titles(page: str) -> list[str]:
    return re.findall(r'<a href="/initiativ/\d+/">([^<]+)</a>', page)


def _with_budget(user, title, requested, **kwargs):
    """A submitted initiative asking for `requested` in one year (beside the factory's two years)."""
    initiative = initiative_draft(user, title=title, end_date=datetime.date(2029, 12, 31), **kwargs)
    services.budget_year_add(
        initiative=initiative,
        user=user,
        year=2029,
        total_cost=Decimal(requested) * 2,
        requested_amount=Decimal(requested),
    )
    return services.initiative_submit(initiative=initiative, user=user, token=initiative.submission_token)


def test_the_list_sorts_by_requested_amount_both_ways_and_says_so(client, secretariat, initiator):
    _with_budget(initiator, "Mellan", "500000.00")
    _with_budget(initiator, "Störst", "9000000.00")
    _with_budget(initiator, "Minst", "1.00")
    client.force_login(secretariat)

    page = client.get(LIST, {"ordning": "-sokt"}).content.decode()
    assert _titles(page) == ["Störst", "Mellan", "Minst"]
    # 400 000 per year in 2027 and 2028 from the factory, plus the year added here.
    assert "9\u00a0800\u00a0000,00" in page
    header = re.search(r'<th scope="col" class="num" aria-sort="descending">\s*<a href="([^"]+)">Sökt', page)
    assert header, "the sorted column carries aria-sort and links to the other direction"
    assert "ordning=sokt" in header.group(1)
    assert page.count("aria-sort=") == 1

    page = client.get(LIST, {"ordning": "sokt"}).content.decode()
    assert _titles(page) == ["Minst", "Mellan", "Störst"]
    assert 'aria-sort="ascending"' in page


def test_the_list_sorts_titles_and_parties_in_swedish_order(client, secretariat, initiator, other_initiator):
    for title in ("Örnbo", "Ängen", "Åsen", "Zeta"):
        initiative_submitted(initiator, title=title)
    client.force_login(secretariat)
    assert _titles(client.get(LIST, {"ordning": "titel"}).content.decode()) == [
        "Zeta",
        "Åsen",
        "Ängen",
        "Örnbo",
    ]
    assert _titles(client.get(LIST, {"ordning": "-titel"}).content.decode()) == [
        "Örnbo",
        "Ängen",
        "Åsen",
        "Zeta",
    ]


def test_an_unknown_order_falls_back_to_the_register_and_keeps_filters_in_the_links(
    client, secretariat, initiator
):
    initiative_submitted(initiator, title="Första")
    initiative_submitted(initiator, title="Andra")
    client.force_login(secretariat)
    page = client.get(LIST, {"ordning": "lösenord", "q": "andra"}).content.decode()
    assert _titles(page) == ["Andra"]
    assert "aria-sort" not in page
    assert 'href="?q=andra&amp;ordning=titel"' in page  # the search stays when the order changes
    page = client.get(LIST, {"ordning": "titel", "q": "andra"}).content.decode()
    assert '<input type="hidden" name="ordning" value="titel">' in page  # a new search keeps the order


def test_the_list_names_the_co_sponsors_in_swedish_order(client, initiator, other_initiator):
    eda, arvika, torsby = (Party.objects.get(slug=slug) for slug in ("eda", "arvika", "torsby"))
    initiative = initiative_draft(initiator, title="Gemensamt")
    services.initiative_update(
        initiative=initiative, user=initiator, data={}, co_parties=[torsby, eda, arvika]
    )
    services.initiative_submit(initiative=initiative, user=initiator, token=initiative.submission_token)
    client.force_login(other_initiator)
    page = client.get(LIST).content.decode()
    assert _heading(page, "Medsökande")
    assert "<td>Arvika, Eda, Torsby</td>" in page


def test_the_queue_shows_how_long_each_initiative_has_waited_longest_first(client, secretariat, initiator):
    old = initiative_submitted(initiator, title="Väntat länge")
    new = initiative_submitted(initiator, title="Nyss inlämnat")
    type(old).objects.filter(pk=old.pk).update(submitted_at=timezone.now() - datetime.timedelta(days=40))
    client.force_login(secretariat)
    page = client.get(QUEUE, {"ordning": "-vantat"}).content.decode()
    assert _titles(page) == ["Väntat länge", "Nyss inlämnat"]
    cells = [
        re.sub(r"\s+", " ", c).strip() for c in re.findall(r'<td class="num">\s*([^<]*?dag[^<]*)</td>', page)
    ]
    assert cells == ["40 dagar", "0 dagar"]
    assert _heading(page, "Väntat") and not _heading(
        page, "Beviljat"
    )  # nothing is granted before preparation
    assert new.pk


@pytest.mark.parametrize("order", ["", "-sokt", "titel", "-utbetalt"])
def test_the_list_keeps_its_queries_whatever_the_data_and_order(
    client, secretariat, initiator, order, django_assert_max_num_queries
):
    client.force_login(secretariat)
    initiative_submitted(initiator, title="Ett")
    with django_assert_max_num_queries(12) as small:
        client.get(LIST, {"ordning": order})
    eda = Party.objects.get(slug="eda")
    for n in range(8):
        initiative = initiative_draft(initiator, title=f"Fler {n}")
        services.initiative_update(initiative=initiative, user=initiator, data={}, co_parties=[eda])
        services.initiative_submit(initiative=initiative, user=initiator, token=initiative.submission_token)
    with django_assert_max_num_queries(12) as large:
        client.get(LIST, {"ordning": order})
    assert len(large.captured_queries) == len(small.captured_queries)


def test_a_deep_page_shows_its_rows_in_order_and_reads_amounts_only_for_them(
    client, secretariat, initiator, settings, django_assert_max_num_queries
):
    """PostgreSQL evaluates a select list's subqueries for every row an OFFSET skips: the amounts are
    read for the page's rows alone, found first without them."""
    from initiatives import views

    settings.DEBUG = False
    for requested in range(1, 8):
        _with_budget(initiator, f"Belopp {requested}", f"{requested}000.00")
    client.force_login(secretariat)
    per_page = views.PAGE_SIZE
    views.PAGE_SIZE = 3
    try:
        with django_assert_max_num_queries(12) as queries:
            page = client.get(LIST, {"ordning": "-sokt", "sida": 2}).content.decode()
    finally:
        views.PAGE_SIZE = per_page
    assert _titles(page) == ["Belopp 4", "Belopp 3", "Belopp 2"]
    assert "Sida 2 av 3" in page
    with_amounts = [q["sql"] for q in queries.captured_queries if "initiatives_budgetyear" in q["sql"]]
    assert with_amounts, "the requested sums are read"
    # The sorted-by sum sits in the id query's ORDER BY (it decides the page); the row query reads the
    # co-sponsors and sums for the page's ids alone, with no OFFSET.
    row_queries = [sql for sql in with_amounts if "people_party" in sql]
    assert len(row_queries) == 1
    assert "OFFSET" not in row_queries[0] and " IN (" in row_queries[0]


@pytest.mark.parametrize(
    ("asked", "shown", "titles"),
    [
        ("2", "Sida 2 av 3", ["Belopp 4", "Belopp 3", "Belopp 2"]),
        ("3", "Sida 3 av 3", ["Belopp 1"]),
        ("9", "Sida 3 av 3", ["Belopp 1"]),  # past the end: the last page, as Django's paginator
        ("0", "Sida 3 av 3", ["Belopp 1"]),
        ("tre", "Sida 1 av 3", ["Belopp 7", "Belopp 6", "Belopp 5"]),  # not a number: the first page
    ],
)
def test_the_page_asked_for_is_shown_with_the_count_of_all_rows(
    client, secretariat, initiator, asked, shown, titles
):
    """The page's ids and the number of rows in all come from one query; a page out of range falls back
    to the paginator's own answer."""
    from initiatives import views

    for requested in range(1, 8):
        _with_budget(initiator, f"Belopp {requested}", f"{requested}000.00")
    client.force_login(secretariat)
    per_page, views.PAGE_SIZE = views.PAGE_SIZE, 3
    try:
        page = client.get(LIST, {"ordning": "-sokt", "sida": asked}).content.decode()
    finally:
        views.PAGE_SIZE = per_page
    assert _titles(page) == titles
    assert shown in page
    assert "7 initiativ" in page


def test_an_empty_list_says_so_on_its_first_page(client, secretariat):
    client.force_login(secretariat)
    page = client.get(LIST, {"q": "finnsinte"}).content.decode()
    assert "0 initiativ" in page
    assert "Inga initiativ matchar sökningen." in page
