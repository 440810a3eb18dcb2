from django.urls import path

from initiatives import outcome_views

urlpatterns = [
    path("utfall/", outcome_views.outcome_overview, name="outcome-overview"),
    path("utfall/<int:pk>/", outcome_views.outcome_detail, name="outcome-detail"),
    path("utfall/<int:pk>/granska/", outcome_views.outcome_review, name="outcome-review"),
    path(
        "utfall/<int:pk>/bilagor/<int:attachment_id>/",
        outcome_views.outcome_attachment_download,
        name="outcome-attachment-download",
    ),
    path("<int:pk>/utfall/", outcome_views.outcome_schedule, name="outcome-schedule"),
    path("<int:pk>/utfall/<str:kind>/<str:due>/", outcome_views.outcome_submit, name="outcome-submit"),
]
