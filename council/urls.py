from django.urls import path

from council import views

app_name = "council"

urlpatterns = [
    path("sammantraden/", views.meeting_list, name="meeting-list"),
    path("sammantraden/nytt/", views.meeting_create, name="meeting-create"),
    path("sammantraden/<int:pk>/", views.meeting_detail, name="meeting-detail"),
    path("sammantraden/<int:pk>/hantera/", views.meeting_manage, name="meeting-manage"),
    path("sammantraden/<int:pk>/arenden/<int:item_pk>/", views.item_record, name="item-record"),
    path("sammantraden/<int:pk>/justera/", views.minutes_sign, name="minutes-sign"),
    path("sammantraden/<int:pk>/kallelse.pdf", views.meeting_agenda_pdf, name="meeting-agenda-pdf"),
    path("sammantraden/<int:pk>/protokoll.pdf", views.meeting_minutes_pdf, name="meeting-minutes-pdf"),
    path("sammantraden/<int:pk>/paragraf/<int:number>/", views.paragraph_edit, name="paragraph-edit"),
    path(
        "sammantraden/<int:pk>/paragraf/<int:number>/utdrag.pdf",
        views.paragraph_excerpt_pdf,
        name="paragraph-excerpt-pdf",
    ),
    path("avtalet/", views.agreement, name="agreement"),
]
