from django.urls import path

from core import views

urlpatterns = [
    path("tillganglighet/", views.accessibility_statement, name="accessibility"),
    path("healthz/", views.health, name="health"),
    path("e-post/", views.mail_list, name="mail-list"),
    path("e-post/<int:pk>/skicka-igen/", views.mail_retry_view, name="mail-retry"),
]
