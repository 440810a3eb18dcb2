from django.urls import path

from reports import views

app_name = "reports"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("arkiv/", views.archive_list, name="archive-list"),
    path("arkiv/<int:pk>.pdf", views.archive_download, name="archive-download"),
    path("<slug:slug>/<int:year>/utfall/", views.outcome_report, name="outcome-detail"),
    path("<slug:slug>/<int:year>/utfall.pdf", views.outcome_report_pdf, name="outcome-pdf"),
    path("<slug:slug>/<int:year>/utfall/ta-fram-pdf/", views.outcome_report_prepare, name="outcome-prepare"),
    path("<slug:slug>/<int:year>/utfall/utfarda/", views.outcome_report_issue, name="outcome-issue"),
    path("<slug:slug>/<int:year>/utfall.csv", views.outcome_report_data, {"fmt": "csv"}, name="outcome-csv"),
    path(
        "<slug:slug>/<int:year>/utfall.xlsx", views.outcome_report_data, {"fmt": "xlsx"}, name="outcome-xlsx"
    ),
    path("<slug:slug>/<int:year>/balans/", views.balance_report, name="balance-detail"),
    path("<slug:slug>/<int:year>/balans.pdf", views.balance_report_pdf, name="balance-pdf"),
    path("<slug:slug>/<int:year>/balans/ta-fram-pdf/", views.balance_report_prepare, name="balance-prepare"),
    path("<slug:slug>/<int:year>/balans/utfarda/", views.balance_report_issue, name="balance-issue"),
    path("<slug:slug>/<int:year>/balans.csv", views.balance_report_data, {"fmt": "csv"}, name="balance-csv"),
    path(
        "<slug:slug>/<int:year>/balans.xlsx", views.balance_report_data, {"fmt": "xlsx"}, name="balance-xlsx"
    ),
]
