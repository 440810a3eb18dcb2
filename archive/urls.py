from django.urls import path

from archive import views

app_name = "archive"

urlpatterns = [
    path("offentligt/kontrollera/", views.verify, name="verify"),
    path("arkiv/paket/", views.package_list, name="package-list"),
    path("arkiv/paket/initiativ/", views.package_request_initiative, name="package-request-initiative"),
    path("arkiv/paket/verksamhetsar/", views.package_request_fiscal_year, name="package-request-fiscal-year"),
    path("arkiv/paket/<int:pk>/hamta/", views.package_download, name="package-download"),
]
