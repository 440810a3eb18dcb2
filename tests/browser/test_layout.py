"""Pages fit their data (issue 15): on a 1366 × 900 screen and on a 390 × 844 phone, no page of any role
scrolls sideways and no element cuts its content or needs a horizontal scroll of its own.

Measured as a browser measures it: for the document and every element, scrollWidth against clientWidth.
Elements hidden on purpose (visually hidden text, the table headings a reflowed table hides on a phone)
and the inside of SVG charts are left out; everything else counts, table wrappers included: at 1366 px a
table fits the page, and on a phone it reflows into one card per row (static/js/tables.js)."""

import io

import pytest
from django.core.management import call_command

from accounting.models import Fund
from council.models import Meeting, MeetingStatus
from initiatives.models import Initiative, Status

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DEMO_PASSWORD = "demo-dgr-2026"

OVERFLOWS = """() => {
  const hidden = (el) => {
    for (let e = el; e; e = e.parentElement) {
      if (getComputedStyle(e).clip !== 'auto') return true;
    }
    return false;
  };
  const found = [];
  const doc = document.documentElement;
  if (doc.scrollWidth > doc.clientWidth) found.push(`document: ${doc.scrollWidth} > ${doc.clientWidth}`);
  for (const el of document.body.querySelectorAll('*')) {
    if (el instanceof SVGElement && el.tagName.toLowerCase() !== 'svg') continue;
    if (el.clientWidth === 0 || el.scrollWidth <= el.clientWidth + 1 || hidden(el)) continue;
    const name = el.tagName.toLowerCase() + (el.className && typeof el.className === 'string'
      ? '.' + el.className.trim().split(/\\s+/).join('.') : '');
    const text = (el.textContent || '').replace(/\\s+/g, ' ').trim().slice(0, 60);
    found.push(`${name} (${el.scrollWidth} > ${el.clientWidth}): ${text}`);
  }
  return found;
}"""


@pytest.fixture
def demo(settings):
    settings.DEBUG = True  # demo_data refuses to run otherwise
    call_command("demo_data", stdout=io.StringIO())
    settings.DEBUG = False
    fund = Fund.objects.get()
    signed = Meeting.objects.filter(status=MeetingStatus.MINUTES_SIGNED).order_by("-starts_at").first()
    planned = Meeting.objects.exclude(status=MeetingStatus.MINUTES_SIGNED).first()
    complement = Initiative.objects.get(status=Status.COMPLEMENT_REQUESTED)
    decided = Initiative.objects.filter(status=Status.DECIDED).order_by("pk").first()
    completed = Initiative.objects.get(status=Status.COMPLETED)
    own = Initiative.objects.filter(party__slug="karlstad", status=Status.DECIDED).first()
    draft = Initiative.objects.filter(party__slug="karlstad", status=Status.DRAFT).first()
    money = f"/ekonomi/fond/{fund.slug}"
    return {
        "vrag": [
            "/",
            "/initiativ/",
            "/initiativ/?ordning=-sokt",
            "/initiativ/beredning/",
            f"/initiativ/{complement.pk}/",
            f"/initiativ/{decided.pk}/",
            f"/initiativ/{completed.pk}/",
            "/sammantraden/",
            f"/sammantraden/{signed.pk}/",
            f"/sammantraden/{planned.pk}/",
            f"/sammantraden/{planned.pk}/hantera/",
            f"{money}/",
            "/rapporter/",
            f"/rapporter/{fund.slug}/2025/balans/",
            f"/rapporter/{fund.slug}/2025/utfall/",
        ],
        "ekonomi": [
            "/",
            f"{money}/",
            f"{money}/huvudbok/",
            f"{money}/konton/",
            f"{money}/ar/2026/",
            "/ekonomi/beslut/",
            f"/ekonomi/beslut/{decided.decisions.get().pk}/",
            f"/ekonomi/initiativ/{decided.pk}/pengar/",
            f"/rapporter/{fund.slug}/2025/balans/",
        ],
        "karlstad": ["/", "/initiativ/", f"/initiativ/{own.pk}/", f"/initiativ/{draft.pk}/"],
        "vr-karlstad": ["/", "/sammantraden/", f"/sammantraden/{signed.pk}/"],
        "revisor": ["/", f"{money}/", f"{money}/huvudbok/"],
        "admin": ["/", "/parter/", "/konton/"],
    }


def _log_in(page, username):
    page.goto("/logga-in/")
    page.get_by_label("Användarnamn").fill(username)
    page.get_by_label("Lösenord").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Logga in", exact=True).click()
    page.wait_for_url("**/")


@pytest.mark.parametrize(("width", "height"), [(1366, 900), (390, 844)], ids=["desktop", "phone"])
def test_no_page_of_any_role_is_cut_or_scrolls_sideways(browser, live_server, axe, demo, width, height):
    problems = []
    for username, paths in demo.items():
        context = browser.new_context(
            base_url=live_server.url, locale="sv-SE", viewport={"width": width, "height": height}
        )
        page = context.new_page()
        page.set_default_timeout(10_000)
        _log_in(page, username)
        for path in paths:
            response = page.goto(path)
            assert response.status == 200, f"{username} {path}: {response.status}"
            problems += [f"{username} {path}: {found}" for found in page.evaluate(OVERFLOWS)]
            axe(page)
        context.close()
    assert not problems, "\n".join(problems)


def test_a_table_on_a_phone_shows_each_value_beside_its_heading(browser, live_server, demo):
    """The reflowed table still says which column a figure belongs to, and keeps table semantics."""
    context = browser.new_context(
        base_url=live_server.url, locale="sv-SE", viewport={"width": 390, "height": 844}
    )
    page = context.new_page()
    _log_in(page, "ekonomi")
    page.goto(demo["ekonomi"][1])
    first_part = page.locator("table.reflow").first.locator("tbody tr").first
    cell = first_part.locator("td").first
    assert cell.get_attribute("data-label") == "Kapital"
    label = page.evaluate("(el) => getComputedStyle(el, '::before').content", cell.element_handle())
    assert label == '"Kapital"'
    assert page.get_by_role("table").count() >= 2
    context.close()
