from django.urls import path

from initiatives import change_views, views

app_name = "initiatives"

urlpatterns = [
    path("", views.initiative_list, name="initiative-list"),
    path("beredning/", views.preparation_queue, name="initiative-queue"),
    path("export.csv", views.initiative_export_csv, name="initiative-export-csv"),
    path("export.xlsx", views.initiative_export_xlsx, name="initiative-export-xlsx"),
    path("nytt/", views.initiative_create, name="initiative-create"),
    path("<int:pk>/", views.initiative_detail, name="initiative-detail"),
    path("<int:pk>/andra/", views.initiative_edit, name="initiative-edit"),
    path("<int:pk>/budget/", views.budget_year_add, name="budget-year-add"),
    path("<int:pk>/budget/<int:row>/ta-bort/", views.budget_year_remove, name="budget-year-remove"),
    path("<int:pk>/budget/<int:row>/andra/", views.budget_year_edit, name="budget-year-edit"),
    path("<int:pk>/medfinansiering/", views.co_financing_add, name="co-financing-add"),
    path(
        "<int:pk>/medfinansiering/<int:row>/ta-bort/", views.co_financing_remove, name="co-financing-remove"
    ),
    path("<int:pk>/bilagor/", views.attachment_add, name="attachment-add"),
    path("<int:pk>/bilagor/<int:attachment_id>/", views.attachment_download, name="attachment-download"),
    path("<int:pk>/bilagor/<int:attachment_id>/ta-bort/", views.attachment_remove, name="attachment-remove"),
    path("<int:pk>/lamna-in/", views.initiative_submit, name="initiative-submit"),
    path("<int:pk>/aterkalla/", views.initiative_withdraw, name="initiative-withdraw"),
    path("<int:pk>/meddelanden/", views.message_post, name="message-post"),
    path("<int:pk>/bered/", views.initiative_prepare, name="initiative-prepare"),
    path("<int:pk>/ateruppta/", views.initiative_reopen, name="initiative-reopen"),
    path("<int:pk>/historik/", views.initiative_history, name="initiative-history"),
    path("<int:pk>/versioner/", views.revision_compare, name="revision-compare"),
    path("<int:pk>/andringar/ny/", change_views.change_request_create, name="change-request-create"),
    path("andringar/", change_views.change_request_list, name="change-request-list"),
    path("andringar/<int:pk>/", change_views.change_request_detail, name="change-request-detail"),
    path(
        "andringar/<int:pk>/aterkalla/", change_views.change_request_withdraw, name="change-request-withdraw"
    ),
]
