from allauth.mfa.adapter import get_adapter as get_mfa_adapter
from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from people.accounts import requires_two_factor

TWO_FACTOR_OK_KEY = "dgr_two_factor_ok"


class RequireTwoFactorMiddleware:
    """Sends finance, the secretariat and administrators to the two-factor page until they have one.

    Until then they reach only what activating one needs (the two-factor pages, reauthentication,
    logging out, static files). Once a second factor is seen, the session remembers it, so pages do
    not pay a query for it (a person with the rule cannot remove their last one: people.accounts)."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.allowed_prefixes: tuple[str, ...] | None = None

    def _allowed(self, path: str) -> bool:
        if self.allowed_prefixes is None:
            self.allowed_prefixes = (
                reverse("mfa_index"),
                reverse("account_reauthenticate"),
                reverse("logout"),
                reverse("account_logout"),
                reverse("set_language"),
                settings.STATIC_URL,
            )
        return path.startswith(self.allowed_prefixes)

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and requires_two_factor(user)
            and not request.session.get(TWO_FACTOR_OK_KEY)
            and not self._allowed(request.path)
        ):
            if get_mfa_adapter().is_mfa_enabled(user):
                request.session[TWO_FACTOR_OK_KEY] = True
            else:
                messages.warning(
                    request,
                    _(
                        "Din roll kräver tvåstegsverifiering. Aktivera en autentiseringsapp eller en "
                        "säkerhetsnyckel innan du fortsätter."
                    ),
                )
                return redirect("mfa_index")
        return self.get_response(request)
