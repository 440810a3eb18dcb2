from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import path, re_path
from django.views.generic import RedirectView

from core.views import page_not_found
from people import views

app_name = "people"

urlpatterns = [
    path("parter/", views.party_list, name="party-list"),
    path("parter/<slug:slug>/", views.party_detail, name="party-detail"),
    path("mitt-konto/", views.my_account, name="my-account"),
    path("mitt-konto/e-post/", views.notification_settings, name="notification-settings"),
    path("mitt-konto/intressen/", views.interest_list, name="interest-list"),
    path("mitt-konto/intressen/<int:pk>/avsluta/", views.interest_end, name="interest-end"),
    path("konton/", views.account_list, name="account-list"),
    path("konton/bjud-in/", views.person_invite, name="person-invite"),
    path("konton/<int:pk>/godkann/", views.person_approve, name="person-approve"),
    path("konton/<int:pk>/ny-inbjudan/", views.invitation_resend, name="invitation-resend"),
    path("inbjudan/<str:token>/", views.invitation_accept, name="invitation-accept"),
]

# Login and the start page are named without the app prefix: Django's settings refer to them.
auth_urlpatterns = [
    path("", views.start, name="start"),
    path("ping/", views.ping, name="ping"),
    path("logga-in/", views.LoginView.as_view(), name="login"),
    # allauth's own address for the login leads to the one above (its flows link to account_login).
    path("konto/login/", login_not_required(RedirectView.as_view(pattern_name="login", query_string=True))),
    # allauth's pages for what DGR does not do are not found, for everyone: signing up (people are
    # invited), managing one's own e-mail addresses (administrators keep them) and linking other accounts.
    re_path(r"^konto/(?:signup/|email/|confirm-email/|3rdparty/$)", login_not_required(page_not_found)),
    # Before allauth's own (dgr/urls.py): the last second factor of finance & co. is never removed.
    path("konto/2fa/webauthn/keys/<int:pk>/remove/", views.security_key_remove),
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
