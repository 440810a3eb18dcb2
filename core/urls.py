from django.urls import path

from core import views

urlpatterns = [
    path("tillganglighet/", views.accessibility_statement, name="accessibility"),
    path("healthz/", views.health, name="health"),
]
