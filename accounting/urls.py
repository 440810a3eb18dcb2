from django.urls import path

from accounting import views

app_name = "accounting"

urlpatterns = [
    path("fond/", views.fund_list, name="fund-list"),
    # Before the fund's own pages: "ny" is a reserved short name (services.RESERVED_SLUGS).
    path("fond/ny/", views.fund_open, name="fund-open"),
    path("fond/<slug:slug>/", views.fund_detail, name="fund-detail"),
    path("fond/<slug:slug>/andra/", views.fund_edit, name="fund-edit"),
    path(
        "fond/<slug:slug>/kapitaldel/<int:number>/andra/", views.capital_part_edit, name="capital-part-edit"
    ),
    path("fond/<slug:slug>/oversikt.xlsx", views.fund_detail_xlsx, name="fund-detail-xlsx"),
    path("fond/<slug:slug>/huvudbok/", views.verification_list, name="verification-list"),
    path("fond/<slug:slug>/huvudbok.xlsx", views.verification_list_xlsx, name="verification-list-xlsx"),
    path("fond/<slug:slug>/verifikationer/<int:pk>/", views.verification_detail, name="verification-detail"),
    path(
        "fond/<slug:slug>/verifikationer/<int:pk>/ratta/",
        views.verification_reverse,
        name="verification-reverse",
    ),
    path("fond/<slug:slug>/kapital/nytt/", views.capital_add, name="capital-add"),
    path("fond/<slug:slug>/overforing/ny/", views.capital_transfer, name="capital-transfer"),
    path("fond/<slug:slug>/beloppsgrans/", views.fund_amount_limit, name="fund-amount-limit"),
    path("fond/<slug:slug>/konton/", views.account_list, name="account-list"),
    path("fond/<slug:slug>/konton/<int:pk>/", views.account_edit, name="account-edit"),
    path("fond/<slug:slug>/ar/<int:year>/", views.year_detail, name="year-detail"),
    path("fond/<slug:slug>/ar/<int:year>/stang/", views.year_close, name="year-close"),
    path("fond/<slug:slug>/ar/<int:year>/sie4i/", views.year_sie, {"variant": "4i"}, name="year-sie4i"),
    path("fond/<slug:slug>/ar/<int:year>/sie4e/", views.year_sie, {"variant": "4e"}, name="year-sie4e"),
    path("beslut/", views.decision_list, name="decision-list"),
    path("beslut/nytt/<int:initiative_pk>/", views.decision_create, name="decision-create"),
    path("beslut/andring/<int:change_pk>/", views.change_decision_create, name="change-decision-create"),
    path("beslut/<int:pk>/", views.decision_detail, name="decision-detail"),
    path("beslut/<int:pk>/dokument/", views.decision_document, name="decision-document"),
    path("beslut/<int:pk>/bevilja/", views.commitment_create, name="commitment-create"),
    path("atagande/<int:pk>/", views.commitment_detail, name="commitment-detail"),
    path("atagande/<int:pk>/utbetalning/", views.disbursement_create, name="disbursement-create"),
    path("atagande/<int:pk>/frigor/", views.release_create, name="release-create"),
    path("atagande/<int:pk>/aterbetalning/", views.repayment_create, name="repayment-create"),
    path("delegationsordning/", views.delegation_point_list, name="delegation-point-list"),
    path("delegationsordning/ny/", views.delegation_point_add, name="delegation-point-add"),
    path("delegationsordning/<int:pk>/upphor/", views.delegation_point_end, name="delegation-point-end"),
    path("delegationsbeslut/", views.delegation_report, name="delegation-report"),
    path("delegationsbeslut.pdf", views.delegation_report_pdf, name="delegation-report-pdf"),
    path("initiativ/<int:pk>/pengar/", views.initiative_money, name="initiative-money"),
    path("initiativ/<int:pk>/frigor/", views.initiative_release, name="initiative-release"),
    path("initiativ/<int:pk>/avbryt/", views.initiative_terminate, name="initiative-terminate"),
    path(
        "initiativ/<int:initiative_pk>/aterkrav/nytt/",
        views.recovery_claim_create,
        name="recovery-claim-create",
    ),
    path("aterkrav/", views.recovery_claim_list, name="recovery-claim-list"),
    path("aterkrav/<int:pk>/", views.recovery_claim_detail, name="recovery-claim-detail"),
    path("aterkrav/<int:pk>/aterbetalning/", views.recovery_claim_repayment, name="recovery-claim-repayment"),
    path("aterkrav/<int:pk>/skriv-av/", views.recovery_claim_write_off, name="recovery-claim-write-off"),
]
