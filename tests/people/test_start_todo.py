"""Each role's start page lists what waits for that person (core/todo.py), on the demo story's data; the
menu shows the counts; the outcome reports due agree with the outcome schedule; counting costs one query
per page whatever the data."""

import datetime
import io
import re

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.html import strip_tags

from core.todo import todo_counts
from initiatives import services
from initiatives.models import Initiative, Status
from outcomes.selectors import REMIND_DAYS_BEFORE, outcome_schedule
from outcomes.todo import _next_outcome_due
from people.models import User
from tests.factories import initiative_submitted

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(settings):
    settings.DEBUG = True  # the demo loader refuses to run in production
    call_command("demo_data", stdout=io.StringIO())
    settings.DEBUG = False


def todo_section(client, username: str) -> str:
    client.force_login(User.objects.get(username=username))
    html = client.get("/").content.decode()
    section = html.split('id="todo-heading"', 1)[1].split("</section>", 1)[0]
    return section + "\n" + " ".join(strip_tags(section).split())  # the links, and the text as read


def menu_count(html: str, label: str) -> int | None:
    match = re.search(rf">{label} <span class=\"nav-count\">(\d+)<", html)
    return int(match.group(1)) if match else None


def test_each_role_sees_what_waits_for_them_and_each_entry_leads_where_the_work_is_done(client, demo):
    karlstad = todo_section(client, "karlstad")
    assert "Kompletteringar som sekretariatet begärt" in karlstad and "DGR 2026/0002" in karlstad
    assert "Utfallsrapporter att lämna" in karlstad and "försenad" in karlstad and "DGR 2022/0004" in karlstad
    assert "Utkast som inte lämnats in" in karlstad and "Snabbladdare" in karlstad
    assert "Initiativ att bereda" not in karlstad  # the secretariat's work, not the party's

    arvika = todo_section(client, "arvika")
    assert "DGR 2022/0003" in arvika and "DGR 2022/0004" not in arvika  # only their own party's reports
    assert "Kompletteringar" not in arvika

    vrag = todo_section(client, "vrag")
    assert "Initiativ att bereda (2)" in vrag and "DGR 2026/0001" in vrag and "inlämnat 2026-" in vrag
    assert "Utfallsrapporter att granska (1)" in vrag
    assert "Kompletteringar" not in vrag and "Utkast" not in vrag

    ekonomi = todo_section(client, "ekonomi")
    assert "Initiativ som väntar på Region Värmlands beslut (1)" in ekonomi and "DGR 2026/0007" in ekonomi
    decision_link = re.search(r'href="(/ekonomi/beslut/nytt/\d+/)"', ekonomi).group(1)
    assert client.get(decision_link).status_code == 200  # the form where finance records the decision

    admin = todo_section(client, "admin")
    assert "Konton som väntar på godkännande (1)" in admin and "Sanna Sol" in admin

    assert "Inget väntar på dig just nu." in todo_section(client, "revisor")

    # Every entry's link opens for its reader.
    for username in ("karlstad", "arvika", "vrag", "ekonomi", "admin"):
        section = todo_section(client, username)
        for href in re.findall(r'href="(/[^"]*)"', section):
            assert client.get(href).status_code == 200, (username, href)


def test_the_menu_counts_what_waits_and_follows_the_state(client, demo):
    secretariat = User.objects.get(username="vrag")
    client.force_login(secretariat)
    html = client.get("/parter/").content.decode()  # on every page, not only the start page
    assert menu_count(html, "Beredning") == 2
    assert menu_count(html, "Utfallsrapporter") == 1
    assert menu_count(html, "Start") == 3
    assert menu_count(html, "Initiativ") is None

    # The secretariat asks for a complement: one less to prepare, one more complement for Arvika.
    initiative = Initiative.objects.get(status=Status.SUBMITTED, party__slug="arvika")
    arvika = User.objects.get(username="arvika")
    assert todo_counts(arvika)["initiatives.complement"] == 0
    services.initiative_request_complement(initiative=initiative, user=secretariat, message="Budget?")
    assert menu_count(client.get("/parter/").content.decode(), "Beredning") == 1
    assert todo_counts(arvika)["initiatives.complement"] == 1
    client.force_login(arvika)
    assert menu_count(client.get("/parter/").content.decode(), "Initiativ") == 1


@pytest.mark.parametrize(
    "today", ["2023-01-10", "2024-02-05", "2025-03-20", "2026-02-10", "2026-11-30", "2029-06-01"]
)
def test_outcome_reports_due_in_sql_agree_with_the_outcome_schedule(demo, today):
    """The menu counts outcome reports in SQL (outcomes/todo.py); the outcome pages compute the
    schedule in Python (outcomes.selectors). Both answer the same for every decided initiative."""
    today = datetime.date.fromisoformat(today)
    until = today + datetime.timedelta(days=REMIND_DAYS_BEFORE)
    decided = Initiative.objects.filter(status=Status.DECIDED).order_by("pk")
    assert decided.count() >= 2
    sql = dict(decided.annotate(due=_next_outcome_due(until)).values_list("pk", "due"))
    for initiative in decided:
        waiting = [d.due_on for d in outcome_schedule(initiative) if not d.is_done and d.due_on <= until]
        assert sql[initiative.pk] == (min(waiting) if waiting else None), (initiative, today)


def _count_queries(client, path):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    counting = [q["sql"] for q in captured.captured_queries if "count(*) FROM (" in q["sql"]]
    return len(captured.captured_queries), len(counting)


def test_the_menu_counts_cost_one_query_whatever_the_data(client, secretariat, initiator):
    initiative_submitted(initiator, title="Den första")
    client.force_login(secretariat)
    few, counting = _count_queries(client, "/parter/")
    assert counting == 1  # every kind of to-do in one query
    for n in range(15):
        initiative_submitted(initiator, title=f"Satsning {n}")
    many, counting = _count_queries(client, "/parter/")
    assert (many, counting) == (few, 1)
    html = client.get("/parter/").content.decode()
    assert menu_count(html, "Beredning") == 16
