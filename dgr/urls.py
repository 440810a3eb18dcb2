from django.conf import settings
from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.i18n import set_language

from core import views as core_views
from people.urls import auth_urlpatterns
from public_record.urls import api_urls as public_api_urls

urlpatterns = [
    *auth_urlpatterns,
    path("", include("people.urls")),
    path("konto/", include("allauth.urls")),
    path("", include("core.urls")),
    path("initiativ/", include("initiatives.urls")),
    path("initiativ/", include("outcomes.urls")),
    path("", include("council.urls")),
    path("ekonomi/", include("accounting.urls")),
    path("rekvisitioner/", include("payments.urls")),
    path("import/", include("imports.urls")),
    path("rapporter/", include("reports.urls")),
    path("offentligt/", include("public_record.urls")),
    path("offentligt/api/", public_api_urls),
    path("", include("archive.urls")),
    # The language switch is in the footer of every page, the login page included.
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("admin/", admin.site.urls),
]

handler403 = core_views.permission_denied
handler404 = core_views.page_not_found
handler500 = core_views.server_error

if settings.DEBUG:
    urlpatterns += [
        path("403/", core_views.permission_denied, {"exception": None}),
        path("404/", core_views.page_not_found, {"exception": None}),
        path("500/", core_views.server_error),
    ]
