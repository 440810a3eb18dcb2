from django.urls import path

from payments import views

app_name = "payments"

urlpatterns = [
    path("", views.request_list, name="request-list"),
    path("initiativ/<int:initiative_pk>/ny/", views.request_create, name="request-create"),
    path("<int:pk>/", views.request_detail, name="request-detail"),
    path("<int:pk>/komplettera/", views.request_complete, name="request-complete"),
    path("<int:pk>/godkann/", views.request_approve, name="request-approve"),
    path("<int:pk>/begar-komplettering/", views.request_ask_for_more, name="request-ask-for-more"),
    path("<int:pk>/avsla/", views.request_reject, name="request-reject"),
    path("<int:pk>/bilagor/<int:attachment_pk>/", views.attachment_download, name="attachment-download"),
]
