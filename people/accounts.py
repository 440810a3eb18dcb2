"""How django-allauth behaves in DGR: its adapters (account, single sign-on, two-factor) and axes' view
of a login.

allauth runs the login, the password reset, the second factor and OpenID Connect; these adapters hold
DGR's rules for them: nobody signs up on their own (people are invited, people.services), a person
signing in through SSO for the first time gets an inactive account awaiting an administrator, their
party comes from the e-mail domain table, and finance, the secretariat and administrators cannot
remove their last second factor. Their mail goes out one way, through AccountAdapter.send_mail, which
queues it with core.mail like every other mail of DGR (delivered by the worker, with retries).
"""

import logging
from urllib.parse import quote

from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.adapter import get_adapter as get_account_adapter
from allauth.core import context as allauth_context
from allauth.mfa import signals as mfa_signals
from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.mfa.adapter import get_adapter as get_mfa_adapter
from allauth.mfa.models import Authenticator
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django.conf import settings
from django.dispatch import receiver
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core import security_log
from core.language import in_swedish
from core.mail import absolute_url, mail_queue_message
from people.models import EmailDomain, User
from people.roles import Role

# The security log's event for an account made by a first single-sign-on login.
ACCOUNT_AWAITING_APPROVAL = "account_awaiting_approval"

# Roles that move money or hold the keys: they must log in with a second factor.
TWO_FACTOR_ROLES = (Role.FINANCE, Role.SECRETARIAT, Role.ADMINISTRATOR)


def requires_two_factor(user) -> bool:
    """Whether DGR requires this person to have a second factor (DGR_REQUIRE_MFA turns the rule on)."""
    return bool(
        settings.DGR_REQUIRE_MFA
        and user.is_authenticated
        and (user.is_superuser or user.has_role(*TWO_FACTOR_ROLES))
    )


def axes_username(request, credentials) -> str | None:
    """The login that axes counts failures for: allauth passes `email=` when the login has an "@"."""
    credentials = credentials or {}
    login = credentials.get("username") or credentials.get("email")
    if not login and request is not None:
        login = request.POST.get("login") or request.POST.get("username")
    return login.strip().lower() if login else login


class AccountAdapter(DefaultAccountAdapter):
    error_messages = {
        **DefaultAccountAdapter.error_messages,
        "username_password_mismatch": _(
            "Fel användarnamn eller lösenord. Kontrollera stavningen och försök igen."
        ),
        "email_password_mismatch": _(
            "Fel e-postadress eller lösenord. Kontrollera stavningen och försök igen."
        ),
        "account_inactive": _("Kontot är inte aktivt. Kontakta administratören."),
        "too_many_login_attempts": _(
            "För många felaktiga koder. Vänta fem minuter och försök igen, eller använd en återställningskod."
        ),
        "rate_limited": _("För många försök på kort tid. Vänta en stund och försök igen."),
    }

    def is_open_for_signup(self, request) -> bool:
        # Administrators invite people; nobody creates their own local account.
        return False

    def pre_authenticate(self, request, **credentials) -> None:
        # Password guessing is throttled by axes (username + IP, a lockout page with 429). allauth's
        # own counter would refuse first with a form error and hide the lockout; it stays in use for
        # wrong second-factor codes (allauth.mfa counts those under the same action).
        return None

    def is_reauthentication_required(self, *, app: str, **kwargs) -> bool:
        # Adding a second factor asks to confirm the password (or a factor) again. A person who signs
        # in only through SSO has neither in DGR: their SSO login stands for it, or finance staff
        # coming through Entra ID could never set up the second factor their role requires.
        request = allauth_context.request
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and not user.has_usable_password()
            and not get_mfa_adapter().is_mfa_enabled(user)
        ):
            return False
        return super().is_reauthentication_required(app=app, **kwargs)

    def get_reset_password_from_key_url(self, key: str) -> str:
        # allauth's own way to put the opaque key into its URL, on DGR's base URL.
        path = reverse("account_reset_password_from_key", kwargs={"uidb36": "UID", "key": "KEY"})
        return absolute_url(path.replace("UID-KEY", quote(key)))

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        """Every mail of accounts goes out here (invitations, password reset, two-factor notices, the
        administrators' notice of an SSO account to approve): rendered now, queued in the caller's
        transaction (core.mail) and delivered by the worker, so a slow or refusing SMTP server neither
        holds up the page nor loses the mail, and a change that rolls back sends nothing.

        Mails are messages of the cooperation: Swedish whatever language the acting user reads. Links
        in them are absolute already, built from DGR_BASE_URL (never from the request's Host header, which
        the sender of a reset request controls)."""
        request = allauth_context.request
        ctx = {"email": email, "site_name": "DGR", **context}
        if request is not None:
            ctx.setdefault("request", request)
        with in_swedish():
            message = self.render_mail(template_prefix, email, ctx)
        # DGR's account templates are plain text; the queue carries text (an HTML part would be dropped).
        # Invitations and password resets carry links that open an account: their text is emptied once
        # delivered (core.mail), so the database keeps no usable link.
        mail_queue_message(subject=message.subject, body=message.body, recipient=email, one_time_link=True)


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    def is_open_for_signup(self, request, sociallogin) -> bool:
        # An unknown SSO person gets an account, inactive until an administrator approves it.
        return True

    def is_email_verified(self, provider, email) -> bool:
        # The organisation's own identity provider vouches for its own domain, and for nothing else.
        return EmailDomain.objects.party_for(email) is not None

    def can_authenticate_by_email(self, login, email) -> bool:
        # A person invited as karin.lund@karlstad.se may later sign in through Karlstad's SSO and land
        # in the same account; an address of a domain not in the table never takes over an account.
        return EmailDomain.objects.party_for(email) is not None

    def on_authentication_error(self, request, provider, error=None, exception=None, extra_context=None):
        # A failed single sign-on (refused at the provider, a replayed or forged callback) is a failed
        # login: it leaves a line in the security log.
        security_log.log_event(
            security_log.LOGIN_FAILED,
            request=request,
            level=logging.WARNING,
            method="sso",
            provider=getattr(provider, "sub_id", provider.id),
            error=error,
        )
        super().on_authentication_error(request, provider, error, exception, extra_context)

    def populate_user(self, request, sociallogin, data):
        user = super().populate_user(request, sociallogin, data)
        if user.email:
            user.username = user.email.lower()
            user.party = EmailDomain.objects.party_for(user.email)
        return user

    def save_user(self, request, sociallogin, form=None):
        user = sociallogin.user
        user.is_active = False
        user.awaiting_approval = True
        user._change_reason = "single sign-on: väntar på godkännande"
        user = super().save_user(request, sociallogin, form)
        security_log.log_event(ACCOUNT_AWAITING_APPROVAL, request=request, user=user)
        link = absolute_url(reverse("people:account-list"))
        administrators = list(
            User.objects.filter(is_active=True, groups__name=Role.ADMINISTRATOR)
            .exclude(email="")
            .values_list("email", flat=True)
            .distinct()
        )
        context = {"person": user, "link": link}
        for address in administrators:
            get_account_adapter().send_mail("people/email/approval_needed", address, context)
        return user


LAST_SECOND_FACTOR = _(
    "Din roll kräver tvåstegsverifiering: lägg först till en annan metod (autentiseringsapp eller "
    "säkerhetsnyckel) innan du tar bort den här."
)


class TwoFactorAdapter(DefaultMFAAdapter):
    error_messages = {
        **DefaultMFAAdapter.error_messages,
        "cannot_delete_authenticator": LAST_SECOND_FACTOR,
        "incorrect_code": _("Fel kod. Skriv koden som appen visar just nu, eller en återställningskod."),
    }

    def can_delete_authenticator(self, authenticator: Authenticator) -> bool:
        if authenticator.type == Authenticator.Type.RECOVERY_CODES:
            return True
        user = authenticator.user
        if not requires_two_factor(user):
            return True
        others = (
            Authenticator.objects.filter(user_id=user.pk)
            .exclude(pk=authenticator.pk)
            .exclude(type=Authenticator.Type.RECOVERY_CODES)
        )
        return others.exists()


@receiver(mfa_signals.authentication_failed)
def log_second_factor_failed(sender, request, user, authenticator, reauthentication=False, **kwargs):
    """A wrong code at login is a failed login: it leaves a line in the security log like a wrong
    password does (people.signals)."""
    security_log.log_event(
        security_log.LOGIN_FAILED,
        request=request,
        user=user,
        level=logging.WARNING,
        method="reauthentication" if reauthentication else "second_factor",
    )
