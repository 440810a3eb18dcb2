from django.urls import path

from council import member_views, minutes_views, views

app_name = "council"

urlpatterns = [
    path("sammantraden/", views.meeting_list, name="meeting-list"),
    path("sammantraden/nytt/", views.meeting_create, name="meeting-create"),
    path("sammantraden/<int:pk>/", views.meeting_detail, name="meeting-detail"),
    path("sammantraden/<int:pk>/hantera/", views.meeting_manage, name="meeting-manage"),
    path("sammantraden/<int:pk>/arenden/<int:item_pk>/", views.item_record, name="item-record"),
    path("sammantraden/<int:pk>/oppna/", minutes_views.meeting_open, name="meeting-open"),
    path(
        "sammantraden/<int:pk>/narvaro/oppna-igen/", minutes_views.attendance_reopen, name="attendance-reopen"
    ),
    path(
        "sammantraden/<int:pk>/arenden/<int:item_pk>/annullera/", minutes_views.item_annul, name="item-annul"
    ),
    path("sammantraden/<int:pk>/arenden/<int:item_pk>/jav/", views.item_recusal, name="item-recusal"),
    path("sammantraden/<int:pk>/historik/", views.meeting_history, name="meeting-history"),
    path("sammantraden/<int:pk>/justera/", views.minutes_sign, name="minutes-sign"),
    path("sammantraden/<int:pk>/kallelse.pdf", views.meeting_agenda_pdf, name="meeting-agenda-pdf"),
    path("sammantraden/<int:pk>/protokoll.pdf", views.meeting_minutes_pdf, name="meeting-minutes-pdf"),
    path("sammantraden/<int:pk>/paragraf/<int:number>/", views.paragraph_edit, name="paragraph-edit"),
    path(
        "sammantraden/<int:pk>/paragraf/<int:number>/utdrag.pdf",
        views.paragraph_excerpt_pdf,
        name="paragraph-excerpt-pdf",
    ),
    path(
        "sammantraden/<int:pk>/handlingar/<int:document_pk>/",
        views.document_download,
        name="document-download",
    ),
    path("avtalet/", views.agreement, name="agreement"),
    path("avtalet/antagande/<int:pk>/dokument/", views.adoption_document, name="adoption-document"),
]

# The bodies' members, the notice they receive and the stances they enter (council/member_views.py).
urlpatterns += [
    path("ledamoter/", member_views.membership_index, name="membership-index"),
    path("ledamoter/<slug:slug>/", member_views.membership_list, name="membership-list"),
    path("sammantraden/<int:pk>/kallelse/", member_views.meeting_notice, name="meeting-notice"),
    path(
        "sammantraden/<int:pk>/arenden/<int:item_pk>/stallningstagande/",
        member_views.stance_enter,
        name="stance-enter",
    ),
]
