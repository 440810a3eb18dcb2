from django.urls import path

from imports import views

app_name = "imports"

urlpatterns = [
    path("", views.import_list, name="import-list"),
    path("mall/<slug:kind>.xlsx", views.template_download, name="template-download"),
    path("<int:pk>/", views.import_detail, name="import-detail"),
    path("<int:pk>/lage/", views.import_progress, name="import-progress"),
    path("<int:pk>/importera/", views.import_run, name="import-run"),
]
