"""The public record under /offentligt/: every URL here is open to anonymous readers (each view is
login_not_required; ninja's views are marked below) and listed in tests/test_permission_matrix.py."""

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.contrib.sitemaps.views import sitemap
from django.urls import path, register_converter
from django.views.decorators.cache import cache_page
from django.views.decorators.http import require_safe

from public_record import views
from public_record.api import api
from public_record.feeds import NoticesAndMinutesFeed
from public_record.sitemaps import SITEMAPS


class SerialConverter:
    """The serial of a registration number as written, with its leading zeros: 2026-0007."""

    regex = r"[0-9]{4,6}"

    def to_python(self, value):
        return int(value)

    def to_url(self, value):
        return f"{int(value):04d}"


register_converter(SerialConverter, "serial")


def _open(urls: tuple) -> tuple:
    """Ninja builds its own views: exempt them from LoginRequiredMiddleware (read-only, public data)."""
    patterns, app_name, namespace = urls
    for pattern in patterns:
        pattern.callback.login_required = False
    return patterns, app_name, namespace


def _cached(view):
    return login_not_required(
        require_safe(cache_page(settings.DGR_PUBLIC_CACHE_SECONDS, key_prefix="public")(view))
    )


# Included by dgr/urls.py at /offentligt/api/ beside (not inside) this namespace: ninja reverses its
# own URLs under its own namespace ("public-api") when it writes the OpenAPI description.
api_urls = _open(api.urls)

app_name = "public"

urlpatterns = [
    path("", views.index, name="index"),
    path("fonden/", views.fund, name="fund"),
    path("initiativ/", views.initiative_list, name="initiative-list"),
    path("initiativ/<int:year>-<serial:serial>/", views.initiative_detail, name="initiative-detail"),
    path("stallningstaganden/", views.position_list, name="position-list"),
    path("sammantraden/", views.meeting_list, name="meeting-list"),
    path("sammantraden/<int:pk>/kallelse/", views.notice_detail, name="notice-detail"),
    path("sammantraden/<int:pk>/protokoll/", views.minutes_detail, name="minutes-detail"),
    path("sammantraden/<int:pk>/protokoll.pdf", views.minutes_pdf, name="minutes-pdf"),
    path("protokoll/<slug:body>/<int:year>/<int:number>/", views.paragraph_detail, name="paragraph-detail"),
    path(
        "protokoll/<slug:body>/<int:year>/<int:number>/utdrag.pdf", views.paragraph_pdf, name="paragraph-pdf"
    ),
    path("arsrapporter/", views.report_list, name="report-list"),
    path("arsrapporter/<int:pk>/rapport.pdf", views.report_download, name="report-download"),
    path("avtalet/", views.agreement, name="agreement"),
    path("data/", views.data, name="data"),
    path("data/<slug:name>.csv", views.dataset_csv, name="dataset-csv"),
    path("integritetspolicy/", views.privacy, name="privacy"),
    path("personuppgifter/", views.personal_data, name="personal-data"),
    path("flode.atom", _cached(NoticesAndMinutesFeed()), name="feed"),
    path("sitemap.xml", _cached(sitemap), {"sitemaps": SITEMAPS}, name="sitemap"),
]
