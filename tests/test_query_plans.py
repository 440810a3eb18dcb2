"""No query of a hot page reads a whole table that grows with use (issue 16): every query the start page,
the initiative list, the initiative page and the journal make is EXPLAINed with sequential scans
switched off, on the demo story's data. A Seq Scan that survives `enable_seqscan = off` means no index can
serve the query, which on a table of tens of thousands of rows is a scan per request. One subquery is let
through: the unfiltered list's count of every initiative the user may see (it reads them all by definition).

Reference tables that stay small whatever happens (the 17 parties, a fund's parts, years and accounts,
the action areas, …) may be read whole; they are listed below with that reason."""

import io
import json

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounting.models import Verification
from initiatives.models import Initiative, Status
from people.models import User

pytestmark = pytest.mark.django_db

# Tables of a few dozen rows at most, whatever the fund's age: reading them whole is the cheapest plan.
SMALL_TABLES = {
    "people_party",
    "accounting_fund",
    "accounting_capitalpart",
    "accounting_fiscalyear",
    "accounting_account",
    "initiatives_actionarea",
    "council_body",
    "auth_group",
    "django_content_type",
}


@pytest.fixture
def demo(settings):
    settings.DEBUG = True  # the demo loader refuses to run in production
    call_command("demo_data", stdout=io.StringIO())
    settings.DEBUG = False
    # The demo's own queries fill Django's query log (a deque of 9 000): once full, its length no longer
    # grows and CaptureQueriesContext would see no query at all.
    connection.queries_log.clear()


def _plan(sql: str, off=("enable_seqscan",)) -> dict:
    """The plan PostgreSQL makes with the given plan kinds priced out: they appear only when nothing else
    can answer the query."""
    with connection.cursor() as cursor:
        for setting in off:
            cursor.execute(f"SET {setting} = off")
        try:
            cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}")
            plan = cursor.fetchone()[0]
        finally:
            for setting in off:
                cursor.execute(f"RESET {setting}")
    return (json.loads(plan) if isinstance(plan, str) else plan)[0]["Plan"]


def _nodes(node):
    yield node
    for child in node.get("Plans", []):
        yield from _nodes(child)


def _whole_table_scans(sql: str) -> list[str]:
    return [
        node["Relation Name"]
        for node in _nodes(_plan(sql))
        if node["Node Type"] == "Seq Scan" and node["Relation Name"] not in SMALL_TABLES
    ]


def _reads(client, path: str) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200, path
    return [
        q["sql"] for q in queries.captured_queries if q["sql"].lstrip().upper().startswith(("SELECT", "WITH"))
    ]


def _hot_pages() -> list[tuple[str, str]]:
    decided = Initiative.objects.filter(status=Status.DECIDED, party__slug="karlstad").order_by("pk").first()
    submitted = (
        Initiative.objects.exclude(status=Status.DRAFT).filter(party__slug="karlstad").order_by("pk").first()
    )
    year = Verification.objects.filter(fund__slug="dgr").order_by("-booking_date").first().fiscal_year.year
    return [
        ("vrag", "/"),
        ("karlstad", "/"),
        ("vrag", "/initiativ/"),
        ("karlstad", "/initiativ/"),
        ("karlstad", "/initiativ/?sida=2"),
        ("vrag", "/initiativ/?q=kollektivtrafik"),
        ("vrag", "/initiativ/?status=submitted&party=karlstad"),
        ("vrag", f"/initiativ/{decided.pk}/"),
        ("karlstad", f"/initiativ/{decided.pk}/"),
        ("karlstad", f"/initiativ/{submitted.pk}/"),
        ("ekonomi", f"/initiativ/{decided.pk}/"),
        ("ekonomi", "/ekonomi/fond/dgr/huvudbok/"),
        ("ekonomi", f"/ekonomi/fond/dgr/huvudbok/?year={year}"),
    ]


def _visible_count(user) -> tuple[str, str]:
    """The SQL of "how many initiatives may this user see", which the unfiltered list prints above its
    pages: as a scalar subquery of the page's id query, and as the paginator's own count (a page number
    out of range). It visits every such row by definition, so no index can spare it a full read; the
    rest of the id query must still find its rows through an index."""
    with CaptureQueriesContext(connection) as queries:
        list(Initiative.objects.visible_to(user).order_by().values("pk"))
        Initiative.objects.visible_to(user).count()
    pks, count = (query["sql"] for query in queries.captured_queries[-2:])  # after the user's roles
    return f"(SELECT count(*) FROM ({pks}) AS all_rows)", count  # noqa: S608 (the test reads SQL)


def test_no_query_of_a_hot_page_scans_a_whole_table(client, demo):
    checked, counted, scans = 0, 0, []
    for username, path in _hot_pages():
        user = User.objects.get(username=username)
        client.force_login(user)
        subquery, count = _visible_count(user)
        for sql in _reads(client, path):
            if sql == count or subquery in sql:
                sql = sql.replace(subquery, "NULL")
                counted += 1
                if sql == count:
                    continue
            checked += 1
            scans += [(username, path, table, sql) for table in _whole_table_scans(sql)]
    assert checked > 50  # the pages were read, not just the login page
    assert counted >= 2  # the unfiltered lists' counts were let through, not missed
    assert not scans, "\n\n".join(f"{u} {p}: Seq Scan on {t}\n{s}" for u, p, t, s in scans)


def test_the_secretariats_queue_is_read_in_order_from_its_index(client, demo):
    """The start page's queue: the oldest five submissions, straight from `initiative_queue`, no sort.
    On the demo's few rows a sort is cheapest, so sorts and bitmap scans are priced out: what is left
    proves the index can hand over the rows in order (the plan PostgreSQL picks on thousands of rows)."""
    client.force_login(User.objects.get(username="vrag"))
    queue = [sql for sql in _reads(client, "/") if '"submitted_at" ASC' in sql and "LIMIT 5" in sql]
    assert len(queue) == 1, queue
    nodes = list(_nodes(_plan(queue[0], off=("enable_seqscan", "enable_bitmapscan", "enable_sort"))))
    assert any(node.get("Index Name") == "initiative_queue" for node in nodes), nodes
    assert not any("Sort" in node["Node Type"] or node.get("Disabled") for node in nodes), nodes
