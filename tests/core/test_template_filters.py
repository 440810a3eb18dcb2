import datetime
import zoneinfo

from django.template import Context, Template
from django.test import RequestFactory

from core import panels


def render(source: str, **context) -> str:
    return Template(source).render(Context(context))


def test_isodate_gives_the_local_date_of_a_moment(settings):
    settings.TIME_ZONE = "Europe/Stockholm"
    late_evening_utc = datetime.datetime(2026, 3, 1, 23, 30, tzinfo=datetime.UTC)  # 00:30 on 2 March here
    assert render("{{ v|isodate }}", v=late_evening_utc) == "2026-03-02"
    assert render("{{ v|isodate }}", v=datetime.date(2026, 3, 1)) == "2026-03-01"


def test_isodatetime_gives_local_time_to_the_minute(settings):
    settings.TIME_ZONE = "Europe/Stockholm"
    summer = datetime.datetime(2026, 7, 1, 12, 5, 59, tzinfo=datetime.UTC)
    assert render("{{ v|isodatetime }}", v=summer) == "2026-07-01 14:05"
    helsinki = datetime.datetime(2026, 7, 1, 15, 5, tzinfo=zoneinfo.ZoneInfo("Europe/Helsinki"))
    assert render("{{ v|isodatetime }}", v=helsinki) == "2026-07-01 14:05"


def test_iso_filters_agree_with_djangos_date_filter(settings):
    settings.TIME_ZONE = "Europe/Stockholm"
    moment = datetime.datetime(2026, 10, 25, 1, 30, tzinfo=datetime.UTC)  # the night summer time ends
    assert render("{{ v|isodate }}", v=moment) == render('{{ v|date:"Y-m-d" }}', v=moment)
    assert render("{{ v|isodatetime }}", v=moment) == render('{{ v|date:"Y-m-d H:i" }}', v=moment)


def test_iso_filters_leave_a_missing_value_empty_for_default():
    assert render('{{ v|isodate|default:"–" }}', v=None) == "–"
    assert render('{{ v|isodatetime|default:"–" }}', v="") == "–"


def test_a_panel_sees_the_request_and_csrf_token_but_not_the_pages_other_variables(tmp_path, settings):
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [tmp_path, *settings.TEMPLATES[0]["DIRS"]]}]
    (tmp_path / "isolated.html").write_text("[{{ value }}|{{ secret }}|{{ csrf_token }}|{{ request.path }}]")
    panels.register("isolation-slot", panels.Panel("isolated.html", lambda obj, user: {"value": obj}))
    request = RequestFactory().get("/sida/")
    request.user = None
    html = Template('{% panels "isolation-slot" thing %}').render(
        Context({"thing": "x", "secret": "page-only", "csrf_token": "tok", "request": request})
    )
    assert html == "[x||tok|/sida/]"


def test_iso_filters_show_nothing_for_what_is_not_a_date():
    assert render("[{{ v|isodate }}][{{ v|isodatetime }}]", v="2026-03-01") == "[][]"
    assert render("[{{ v|isodatetime }}]", v=datetime.date(2026, 3, 1)) == "[]"  # a date has no time of day
