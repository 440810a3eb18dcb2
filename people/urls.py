from django.contrib.auth import views as auth_views
from django.urls import path

from people import views

app_name = "people"

urlpatterns = [
    path("parter/", views.party_list, name="party-list"),
    path("parter/<slug:slug>/", views.party_detail, name="party-detail"),
]

# Login and the start page are named without the app prefix: Django's settings refer to them.
auth_urlpatterns = [
    path("", views.start, name="start"),
    path("ping/", views.ping, name="ping"),
    path("logga-in/", views.LoginView.as_view(), name="login"),
    path("logga-ut/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "losenord/",
        auth_views.PasswordChangeView.as_view(template_name="registration/password_change.html"),
        name="password_change",
    ),
    path(
        "losenord/klart/",
        auth_views.PasswordChangeDoneView.as_view(template_name="registration/password_change_done.html"),
        name="password_change_done",
    ),
]
