from django.urls import path

from outcomes import views

app_name = "outcomes"

# Under /initiativ/ (dgr/urls.py), where the pages have always been: bookmarks keep working.
urlpatterns = [
    path("utfall/", views.outcome_overview, name="outcome-overview"),
    path("utfall/<int:pk>/", views.outcome_detail, name="outcome-detail"),
    path("utfall/<int:pk>/granska/", views.outcome_review, name="outcome-review"),
    path(
        "utfall/<int:pk>/bilagor/<int:attachment_id>/",
        views.outcome_attachment_download,
        name="outcome-attachment-download",
    ),
    path("<int:pk>/utfall/", views.outcome_schedule, name="outcome-schedule"),
    path("<int:pk>/utfall/<str:kind>/<str:due>/", views.outcome_submit, name="outcome-submit"),
]
