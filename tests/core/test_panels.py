from django.template import Context, Template
from django.test import RequestFactory

from core import panels


def test_registered_panels_render_in_order_and_can_hide_themselves(tmp_path, settings):
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [tmp_path, *settings.TEMPLATES[0]["DIRS"]]}]
    (tmp_path / "first.html").write_text("first:{{ value }}")
    (tmp_path / "second.html").write_text("second:{{ value }}")
    (tmp_path / "hidden.html").write_text("hidden")
    panels.register("test-slot", panels.Panel("second.html", lambda obj, user: {"value": obj}, order=20))
    panels.register("test-slot", panels.Panel("first.html", lambda obj, user: {"value": obj}, order=10))
    panels.register("test-slot", panels.Panel("hidden.html", lambda obj, user: None, order=5))
    request = RequestFactory().get("/")
    request.user = None
    html = Template('{% panels "test-slot" thing %}').render(
        Context({"thing": "<b>x</b>", "request": request})
    )
    assert html == "first:&lt;b&gt;x&lt;/b&gt;\nsecond:&lt;b&gt;x&lt;/b&gt;"
