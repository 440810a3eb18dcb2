"""The permission matrix, generated from the URL configuration so it cannot go stale.

Every URL pattern of DGR's apps is requested with GET and with an empty POST, as each role: anonymous,
the initiator of the object's party, an initiator of another party, the secretariat, finance, the
auditor, a council representative (of the object's party) and the administrator. The expected answer
of each is declared in MATRIX below, one row per pattern; a pattern without a row fails the test, by
name. The Django admin is one rule (ADMIN_RULE): all of it is for staff.

Adding a view: add a row to MATRIX with the URL's kwargs (names of objects in `world`, or add the
object there) and the sixteen expected answers, decided from what the view should answer, not copied
from what it does. A missing row fails with the pattern's name and route; a wrong answer fails with
the pattern, method, URL, role, the declared and the actual answer.

An empty POST to a page that only reads answers as its GET does (it changes nothing); 400 is a form
with errors, R a redirect after a successful POST or to the single fund.

Each request runs in a savepoint that is rolled back, so an empty POST that succeeds (a withdrawal)
does not change what the next request sees.
"""

import copy
import dataclasses
import datetime
import re
from decimal import Decimal

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.council.factories import seat
from tests.factories import initiative_draft, initiative_submitted

ROLES = ("anonymous", "own", "other", "secretariat", "finance", "auditor", "representative", "administrator")

# Answers: a status code, or L (302 to a login page: ours or the admin's) or R (another redirect).
LOGIN = "L"
REDIRECT = "R"


@dataclasses.dataclass(frozen=True)
class Row:
    kwargs: dict[str, str]  # URL kwarg -> name of a value in `world`
    get: str  # eight answers in the order of ROLES
    post: str
    url: str = ""  # for a pattern that cannot be reversed (an unnamed regex): the URL to request


def row(kwargs: str = "", *, get: str, post: str, url: str = "") -> Row:
    """row("pk=initiative item_pk=item", get="L 200 404 …", post="…")"""
    pairs = dict(part.split("=") for part in kwargs.split())
    return Row(pairs, get, post, url)


# What DGR does not do answers "not found" to everyone, logged in or not (people/urls.py): signing up,
# managing one's e-mail addresses, linking other accounts.
NOT_IN_USE = " ".join(["404"] * len(ROLES))


MATRIX: dict[str, Row] = {
    # Columns: ano(nymous) own oth(er party's initiator) sec(retariat) fin(ance) aud(itor)
    # rep(resentative of the own party) adm(inistrator).
    #         ano own oth sec fin aud rep adm
    # --- dgr ---
    "accessibility": row(
        get=" 200 200 200 200 200 200 200 200",
        post="200 200 200 200 200 200 200 200",
    ),
    "health": row(
        get=" 200 200 200 200 200 200 200 200",
        post="200 200 200 200 200 200 200 200",
    ),
    "login": row(
        get=" 200   R   R   R   R   R   R   R",
        post="200   R   R   R   R   R   R   R",
    ),
    "logout": row(
        get="   L 405 405 405 405 405 405 405",
        post="  L   L   L   L   L   L   L   L",
    ),
    "password_change": row(
        get="   L 200 200 200 200 200 200 200",
        post="  L 200 200 200 200 200 200 200",
    ),
    "password_change_done": row(
        get="   L 200 200 200 200 200 200 200",
        post="  L 405 405 405 405 405 405 405",
    ),
    "ping": row(
        get="   L 200 200 200 200 200 200 200",
        post="  L 200 200 200 200 200 200 200",
    ),
    "set_language": row(
        get="   R   R   R   R   R   R   R   R",
        post="  R   R   R   R   R   R   R   R",
    ),
    "start": row(
        get="   L 200 200 200 200 200 200 200",
        post="  L 200 200 200 200 200 200 200",
    ),
    # Mail that waits or failed is the administrators' to follow and send again (core.permissions).
    "mail-list": row(
        get="   L 403 403 403 403 403 403 200",
        post="  L 403 403 403 403 403 403 200",
    ),
    "mail-retry": row(
        "pk=failed_mail",
        get="   L 405 405 405 405 405 405 405",
        post="  L 403 403 403 403 403 403   R",
    ),
    # --- people ---
    "people:party-detail": row(
        "slug=party",
        get="   L 200 200 200 200 200 200 200",
        post="  L 200 200 200 200 200 200 200",
    ),
    "people:party-list": row(
        get="   L 200 200 200 200 200 200 200",
        post="  L 200 200 200 200 200 200 200",
    ),
    "people:my-account": row(
        get="   L 200 200 200 200 200 200 200",
        post="  L 200 200 200 200 200 200 200",
    ),
    # Everyone chooses their own mail; an empty POST lacks the choices (every role has at least one).
    "people:notification-settings": row(
        get="   L 200 200 200 200 200 200 200",
        post="  L 400 400 400 400 400 400 400",
    ),
    # Declared interests (jäv) are each person's own page; ending one is a POST on one's own interest
    # (another person's is not found).
    "people:interest-list": row(
        get="   L 200 200 200 200 200 200 200",
        post="  L 200 200 200 200 200 200 200",
    ),
    "people:interest-end": row(
        "pk=interest",
        get="   L 405 405 405 405 405 405 405",
        post="  L   R 404 404 404 404 404 404",
    ),
    "people:account-list": row(
        get="   L 403 403 403 403 403 403 200",
        post="  L 403 403 403 403 403 403 200",
    ),
    "people:person-invite": row(
        get="   L 403 403 403 403 403 403 200",
        post="  L 403 403 403 403 403 403 400",
    ),
    "people:person-approve": row(
        "pk=awaiting_approval",
        get="   L 405 405 405 405 405 405 405",
        post="  L 403 403 403 403 403 403   R",
    ),
    "people:invitation-resend": row(
        "pk=invited",
        get="   L 405 405 405 405 405 405 405",
        post="  L 403 403 403 403 403 403   R",
    ),
    "people:invitation-accept": row(
        "token=invitation_token",
        get=" 200 200 200 200 200 200 200 200",
        post="400 400 400 400 400 400 400 400",
    ),
    # --- accounts: django-allauth under /konto/ (people/accounts.py) ---
    # allauth's address of the login leads to DGR's login page, whoever asks (people/urls.py).
    "konto/login/": row(
        get="   L   L   L   L   L   L   L   L",
        post="  L   L   L   L   L   L   L   L",
    ),
    "account_login": row(
        get="   L   L   L   L   L   L   L   L",
        post="  L   L   L   L   L   L   L   L",
    ),
    # Logging out through allauth: a confirmation page, then back to the login page.
    "account_logout": row(
        get="   L 200 200 200 200 200 200 200",
        post="  L   L   L   L   L   L   L   L",
    ),
    # Forgotten password: open to everyone. allauth shows its form with errors as 200 (not DGR's 400).
    "account_reset_password": row(
        get=" 200 200 200 200 200 200 200 200",
        post="200 200 200 200 200 200 200 200",
    ),
    "account_reset_password_done": row(
        get=" 200 200 200 200 200 200 200 200",
        post="405 405 405 405 405 405 405 405",
    ),
    # A valid link is taken out of the address (kept in the session) and the form shown there.
    "account_reset_password_from_key": row(
        "uidb36=reset_uid key=reset_key",
        get="   R   R   R   R   R   R   R   R",
        post="  R   R   R   R   R   R   R   R",
    ),
    "account_reset_password_from_key_done": row(
        get=" 200 200 200 200 200 200 200 200",
        post="405 405 405 405 405 405 405 405",
    ),
    # Where a first single-sign-on login lands: the account awaits an administrator.
    "account_inactive": row(
        get=" 200 200 200 200 200 200 200 200",
        post="405 405 405 405 405 405 405 405",
    ),
    # The person's own password (allauth's page beside DGR's password_change); setting a first one is
    # for those without (SSO accounts): everyone here has one, so it leads to changing it.
    "account_change_password": row(
        get="   L 200 200 200 200 200 200 200",
        post="  L 200 200 200 200 200 200 200",
    ),
    "account_set_password": row(
        get="   L   R   R   R   R   R   R   R",
        post="  L   R   R   R   R   R   R   R",
    ),
    # Confirming one's password again before a change to the second factor.
    "account_reauthenticate": row(
        get="   L 200 200 200 200 200 200 200",
        post="  L 200 200 200 200 200 200 200",
    ),
    # Login and reauthentication by a mailed code are not turned on: nothing to confirm, sent away.
    "account_confirm_login_code": row(
        get="   R   R   R   R   R   R   R   R",
        post="  R   R   R   R   R   R   R   R",
    ),
    "account_request_reauthentication_code": row(
        get="   L   R   R   R   R   R   R   R",
        post="  L   R   R   R   R   R   R   R",
    ),
    "account_confirm_reauthentication_code": row(
        get="   L   R   R   R   R   R   R   R",
        post="  L   R   R   R   R   R   R   R",
    ),
    # Not in use (people/urls.py answers 404 before allauth): nobody signs up, e-mail addresses are the
    # administrator's (so no confirmation mails either), and no other account is linked by hand.
    "^konto/(?:signup/|email/|confirm-email/|3rdparty/$)": row(
        get=NOT_IN_USE, post=NOT_IN_USE, url="/konto/signup/"
    ),
    "account_signup": row(get=NOT_IN_USE, post=NOT_IN_USE),
    "account_email": row(get=NOT_IN_USE, post=NOT_IN_USE),
    "account_email_verification_sent": row(get=NOT_IN_USE, post=NOT_IN_USE),
    "account_confirm_email": row("key=email_confirmation_key", get=NOT_IN_USE, post=NOT_IN_USE),
    "socialaccount_connections": row(get=NOT_IN_USE, post=NOT_IN_USE),
    # Second factor: each person's own. Adding one first asks for the password again (R); the roles here
    # have none yet, so there is nothing to turn off, download or list (404). A security key is its
    # owner's: to anyone else it does not exist (people.views.security_key_remove before allauth's).
    "mfa_index": row(
        get="   L 200 200 200 200 200 200 200",
        post="  L 405 405 405 405 405 405 405",
    ),
    "mfa_activate_totp": row(
        get="   L   R   R   R   R   R   R   R",
        post="  L   R   R   R   R   R   R   R",
    ),
    "mfa_deactivate_totp": row(
        get="   L 404 404 404 404 404 404 404",
        post="  L 404 404 404 404 404 404 404",
    ),
    "mfa_add_webauthn": row(
        get="   L   R   R   R   R   R   R   R",
        post="  L   R   R   R   R   R   R   R",
    ),
    "mfa_list_webauthn": row(
        get="   L 200 200 200 200 200 200 200",
        post="  L 405 405 405 405 405 405 405",
    ),
    "mfa_edit_webauthn": row(
        "pk=security_key",
        get="   L   R   R   R   R   R   R   R",
        post="  L   R   R   R   R   R   R   R",
    ),
    "mfa_remove_webauthn": row(
        "pk=security_key",
        get="   L 404 404 404 404 404 404 404",
        post="  L 404 404 404 404 404 404 404",
    ),
    "konto/2fa/webauthn/keys/<int:pk>/remove/": row(
        "pk=security_key",
        get="   L 404 404 404 404 404 404 404",
        post="  L 404 404 404 404 404 404 404",
    ),
    "mfa_generate_recovery_codes": row(
        get="   L   R   R   R   R   R   R   R",
        post="  L   R   R   R   R   R   R   R",
    ),
    "mfa_view_recovery_codes": row(
        get="   L 404 404 404 404 404 404 404",
        post="  L 405 405 405 405 405 405 405",
    ),
    "mfa_download_recovery_codes": row(
        get="   L 404 404 404 404 404 404 404",
        post="  L 404 404 404 404 404 404 404",
    ),
    # The second step of a login, and a login by passkey: without a login under way, back to the start.
    "mfa_authenticate": row(
        get="   R   R   R   R   R   R   R   R",
        post="  R   R   R   R   R   R   R   R",
    ),
    "mfa_login_webauthn": row(
        get="   R   R   R   R   R   R   R   R",
        post="  R   R   R   R   R   R   R   R",
    ),
    # Reauthenticating with a second factor one does not have: sent to the password instead.
    "mfa_reauthenticate": row(
        get="   L   R   R   R   R   R   R   R",
        post="  L   R   R   R   R   R   R   R",
    ),
    "mfa_reauthenticate_webauthn": row(
        get="   L   R   R   R   R   R   R   R",
        post="  L   R   R   R   R   R   R   R",
    ),
    # Single sign-on is configured by environment (dgr/settings.py, provider "sso"); the tests run
    # without it, so its addresses do not exist (tests/people cover a real provider).
    "openid_connect_login": row(
        "provider_id=sso_provider",
        get=" 404 404 404 404 404 404 404 404",
        post="404 404 404 404 404 404 404 404",
    ),
    "openid_connect_callback": row(
        "provider_id=sso_provider",
        get=" 404 404 404 404 404 404 404 404",
        post="404 404 404 404 404 404 404 404",
    ),
    "socialaccount_login_cancelled": row(
        get=" 200 200 200 200 200 200 200 200",
        post="405 405 405 405 405 405 405 405",
    ),
    # allauth answers its SSO error page with 401. Anonymous is sent to the login page instead (the
    # view is not marked login_not_required; a failed callback renders its error itself).
    "socialaccount_login_error": row(
        get="   L 401 401 401 401 401 401 401",
        post="  L 405 405 405 405 405 405 405",
    ),
    # Completing an SSO sign-up that allauth could not finish by itself: without one under way, away.
    "socialaccount_signup": row(
        get="   R   R   R   R   R   R   R   R",
        post="  R   R   R   R   R   R   R   R",
    ),
    # allauth's old addresses of its SSO pages move permanently to the ones above.
    "konto/social/connections/": row(
        get="   L 301 301 301 301 301 301 301",
        post="  L 301 301 301 301 301 301 301",
    ),
    "konto/social/login/cancelled/": row(
        get="   L 301 301 301 301 301 301 301",
        post="  L 301 301 301 301 301 301 301",
    ),
    "konto/social/login/error/": row(
        get="   L 301 301 301 301 301 301 301",
        post="  L 301 301 301 301 301 301 301",
    ),
    "konto/social/signup/": row(
        get="   L 301 301 301 301 301 301 301",
        post="  L 301 301 301 301 301 301 301",
    ),
    # --- initiatives ---
    "initiatives:attachment-add": row(
        "pk=draft",
        get="   L 405 405 405 405 405 405 405",
        post="  L 400 404 404 404 404 403 404",
    ),
    "initiatives:attachment-download": row(
        "pk=draft attachment_id=attachment",
        get="   L 200 404 404 404 404 200 404",
        post="  L 200 404 404 404 404 200 404",
    ),
    "initiatives:attachment-remove": row(
        "pk=draft attachment_id=attachment",
        get="   L 405 405 405 405 405 405 405",
        post="  L   R 404 404 404 404 403 404",
    ),
    "initiatives:budget-year-add": row(
        "pk=draft",
        get="   L 405 405 405 405 405 405 405",
        post="  L 400 404 404 404 404 403 404",
    ),
    "initiatives:budget-year-edit": row(
        "pk=draft row=budget_row",
        get="   L 200 404 404 404 404 403 404",
        post="  L 400 404 404 404 404 403 404",
    ),
    "initiatives:budget-year-remove": row(
        "pk=draft row=budget_row",
        get="   L 405 405 405 405 405 405 405",
        post="  L   R 404 404 404 404 403 404",
    ),
    # Change requests (ändringsbegäran): the party's initiators ask on a decided initiative and withdraw;
    # everyone logged in reads one (the decided initiative is a public record); the readers list them.
    "initiatives:change-request-create": row(
        "pk=initiative",
        get="   L 200 403 403 403 403 403 403",
        post="  L 400 403 403 403 403 403 403",
    ),
    "initiatives:change-request-detail": row(
        "pk=change_request",
        get="   L 200 200 200 200 200 200 200",
        post="  L 200 200 200 200 200 200 200",
    ),
    "initiatives:change-request-list": row(
        get="   L 403 403 200 200 200 403 200",
        post="  L 403 403 200 200 200 403 200",
    ),
    "initiatives:change-request-withdraw": row(
        "pk=change_request",
        get="   L 405 405 405 405 405 405 405",
        post="  L R 403 403 403 403 403 403",
    ),
    "initiatives:co-financing-add": row(
        "pk=draft",
        get="   L 405 405 405 405 405 405 405",
        post="  L 400 404 404 404 404 403 404",
    ),
    "initiatives:co-financing-remove": row(
        "pk=draft row=co_financing_row",
        get="   L 405 405 405 405 405 405 405",
        post="  L   R 404 404 404 404 403 404",
    ),
    "initiatives:initiative-create": row(
        get="   L 200 200 403 403 403 403 403",
        post="  L 200 200 403 403 403 403 403",
    ),
    "initiatives:initiative-detail": row(
        "pk=initiative",
        get="   L 200 200 200 200 200 200 200",
        post="  L 200 200 200 200 200 200 200",
    ),
    "initiatives:initiative-edit": row(
        "pk=draft",
        get="   L 200 404 404 404 404 403 404",
        post="  L 200 404 404 404 404 403 404",
    ),
    "initiatives:initiative-export-csv": row(
        get="   L 200 200 200 200 200 200 200",
        post="  L 200 200 200 200 200 200 200",
    ),
    "initiatives:initiative-export-xlsx": row(
        get="   L 200 200 200 200 200 200 200",
        post="  L 200 200 200 200 200 200 200",
    ),
    "initiatives:initiative-history": row(
        "pk=initiative",
        get="   L 200 200 200 200 200 200 200",
        post="  L 200 200 200 200 200 200 200",
    ),
    "initiatives:initiative-list": row(
        get="   L 200 200 200 200 200 200 200",
        post="  L 200 200 200 200 200 200 200",
    ),
    "initiatives:initiative-prepare": row(
        "pk=submitted",
        get="   L 403 403 200 403 403 403 403",
        post="  L 403 403 200 403 403 403 403",
    ),
    "initiatives:initiative-queue": row(
        get="   L 403 403 200 403 403 403 403",
        post="  L 403 403 200 403 403 403 403",
    ),
    "initiatives:initiative-reopen": row(
        "pk=initiative",
        get="   L 405 405 405 405 405 405 405",
        post="  L 403 403 403 403 403 403 403",
    ),
    "initiatives:initiative-submit": row(
        "pk=draft",
        get="   L 405 405 405 405 405 405 405",
        post="  L 403 404 404 404 404 403 404",
    ),
    "initiatives:initiative-withdraw": row(
        "pk=submitted",
        get="   L 200 403 403 403 403 403 403",
        post="  L 200 403 403 403 403 403 403",
    ),
    "initiatives:message-post": row(
        "pk=submitted",
        get="   L 405 405 405 405 405 405 405",
        post="  L 400 403 400 403 403 403 403",
    ),
    "outcomes:outcome-attachment-download": row(
        "pk=outcome_report attachment_id=outcome_attachment",
        get="   L 200 404 200 200 200 200 200",
        post="  L 200 404 200 200 200 200 200",
    ),
    "outcomes:outcome-detail": row(
        "pk=outcome_report",
        get="   L 200 404 200 200 200 200 200",
        post="  L 200 404 200 200 200 200 200",
    ),
    "outcomes:outcome-overview": row(
        get="   L 200 200 200 200 200 200 200",
        post="  L 200 200 200 200 200 200 200",
    ),
    "outcomes:outcome-review": row(
        "pk=outcome_report",
        get="   L 405 405 405 405 405 405 405",
        post="  L 403 404 400 403 403 403 403",
    ),
    "outcomes:outcome-schedule": row(
        "pk=initiative",
        get="   L 200 404 200 200 200 200 200",
        post="  L 200 404 200 200 200 200 200",
    ),
    "outcomes:outcome-submit": row(
        "pk=initiative kind=outcome_kind due=outcome_due",
        get="   L 200 404 403 403 403 403 403",
        post="  L 400 404 403 403 403 403 403",
    ),
    "initiatives:revision-compare": row(
        "pk=submitted",
        get="   L 200 200 200 200 200 200 200",
        post="  L 200 200 200 200 200 200 200",
    ),
    # --- council ---
    "council:agreement": row(
        get="   L 200 200 200 200 200 200 200",
        post="  L 200 200 200 200 200 200 200",
    ),
    # A party's adoption minutes: everyone who reads the agreement page (all logged in).
    "council:adoption-document": row(
        "pk=adoption",
        get="   L 200 200 200 200 200 200 200",
        post="  L 200 200 200 200 200 200 200",
    ),
    "council:document-download": row(
        "pk=meeting document_pk=document",
        get="   L 200 200 200 200 200 200 200",
        post="  L 200 200 200 200 200 200 200",
    ),
    "council:item-record": row(
        "pk=meeting item_pk=item",
        get="   L 403 403 200 403 403 403 403",
        post="  L 403 403 200 403 403 403 403",
    ),
    "council:item-recusal": row(
        "pk=meeting item_pk=item",
        get="   L 403 403 200 403 403 403 403",
        post="  L 403 403 200 403 403 403 403",
    ),
    "council:meeting-agenda-pdf": row(
        "pk=meeting",
        get="   L 200 200 200 200 200 200 200",
        post="  L 200 200 200 200 200 200 200",
    ),
    "council:meeting-create": row(
        get="   L 403 403 200 403 403 403 403",
        post="  L 403 403 200 403 403 403 403",
    ),
    "council:meeting-detail": row(
        "pk=meeting",
        get="   L 200 200 200 200 200 200 200",
        post="  L 200 200 200 200 200 200 200",
    ),
    "council:meeting-history": row(
        "pk=meeting",
        get="   L 403 403 200 200 200 403 200",
        post="  L 403 403 200 200 200 403 200",
    ),
    "council:meeting-list": row(
        get="   L 200 200 200 200 200 200 200",
        post="  L 200 200 200 200 200 200 200",
    ),
    "council:meeting-manage": row(
        "pk=meeting",
        get="   L 403 403 200 403 403 403 403",
        post="  L 403 403 200 403 403 403 403",
    ),
    # The notice page (time, place, cancellation, stances in advance) is the secretariat's.
    "council:meeting-notice": row(
        "pk=meeting",
        get="   L 403 403 200 403 403 403 403",
        post="  L 403 403 200 403 403 403 403",
    ),
    # Everyone logged in reads the member lists; the secretariat and administrators change them (an empty
    # POST changes nothing and shows the page).
    "council:membership-index": row(
        get="   L   R   R   R   R   R   R   R",
        post="  L   R   R   R   R   R   R   R",
    ),
    "council:membership-list": row(
        "slug=body",
        get="   L 200 200 200 200 200 200 200",
        post="  L 200 200 200 200 200 200 200",
    ),
    # Only a member of the body, for their own party, before the meeting (the world's meeting is held
    # and has no members): refused to everyone.
    "council:stance-enter": row(
        "pk=meeting item_pk=item",
        get="   L 403 403 403 403 403 403 403",
        post="  L 403 403 403 403 403 403 403",
    ),
    "council:meeting-minutes-pdf": row(
        "pk=meeting",
        get="   L 200 200 200 200 200 200 200",
        post="  L 200 200 200 200 200 200 200",
    ),
    "council:minutes-sign": row(
        "pk=meeting",
        get="   L 405 405 405 405 405 405 405",
        post="  L 403 403 403 403 403   R 403",
    ),
    "council:meeting-open": row(
        "pk=meeting",
        get="   L 403 403 200 403 403 403 403",
        post="  L 403 403 200 403 403 403 403",
    ),
    "council:attendance-reopen": row(
        "pk=meeting",
        get="   L 403 403 200 403 403 403 403",
        post="  L 403 403 200 403 403 403 403",
    ),
    "council:item-annul": row(
        "pk=meeting item_pk=item",
        get="   L 403 403 200 403 403 403 403",
        post="  L 403 403 200 403 403 403 403",
    ),
    "council:paragraph-edit": row(
        "pk=meeting number=paragraph",
        get="   L 403 403 200 403 403 403 403",
        post="  L 403 403 200 403 403 403 403",
    ),
    "council:paragraph-excerpt-pdf": row(
        "pk=meeting number=paragraph",
        get="   L 200 200 200 200 200 200 200",
        post="  L 200 200 200 200 200 200 200",
    ),
    # --- accounting ---
    "accounting:account-edit": row(
        "slug=fund pk=account",
        get="   L 404 404 403 200 403 404 403",
        post="  L 404 404 403 200 403 404 403",
    ),
    "accounting:account-list": row(
        "slug=fund",
        get="   L 404 404 200 200 200 404 200",
        post="  L 404 404 200 200 200 404 200",
    ),
    "accounting:capital-add": row(
        "slug=fund",
        get="   L 404 404 403 200 403 404 403",
        post="  L 404 404 403 200 403 404 403",
    ),
    "accounting:capital-part-edit": row(
        "slug=fund number=capital_part",
        get="   L 404 404 403 200 403 404 200",
        post="  L 404 404 403 200 403 404 200",
    ),
    "accounting:capital-transfer": row(
        "slug=fund",
        get="   L 404 404 403 200 403 404 403",
        post="  L 404 404 403 200 403 404 403",
    ),
    # Region Värmland's decision on a change request: finance, who records decisions.
    "accounting:change-decision-create": row(
        "change_pk=change_request",
        get="   L 403 403 403 200 403 403 403",
        post="  L 403 403 403 200 403 403 403",
    ),
    "accounting:commitment-create": row(
        "pk=decision",
        get="   L 404 404 403 200 403 404 403",
        post="  L 404 404 403 200 403 404 403",
    ),
    "accounting:commitment-detail": row(
        "pk=commitment",
        get="   L 404 404 200 200 200 404 200",
        post="  L 404 404 200 200 200 404 200",
    ),
    "accounting:decision-create": row(
        "initiative_pk=initiative",
        get="   L 403 403 403 200 403 403 403",
        post="  L 403 403 403 200 403 403 403",
    ),
    "accounting:decision-detail": row(
        "pk=decision",
        get="   L 404 404 200 200 200 404 200",
        post="  L 404 404 200 200 200 404 200",
    ),
    # The decision's document has the decision's read rule: ledger readers; to initiators it does not exist.
    "accounting:decision-document": row(
        "pk=decision",
        get="   L 404 404 200 200 200 404 200",
        post="  L 404 404 200 200 200 404 200",
    ),
    "accounting:decision-list": row(
        get="   L 403 403 200 200 200 403 200",
        post="  L 403 403 200 200 200 403 200",
    ),
    # The delegation register: ledger readers read it, finance and administrators keep it.
    "accounting:delegation-point-list": row(
        get="   L 403 403 200 200 200 403 200",
        post="  L 403 403 200 200 200 403 200",
    ),
    "accounting:delegation-point-add": row(
        get="   L 403 403 403 200 403 403 200",
        post="  L 403 403 403 200 403 403 200",
    ),
    "accounting:delegation-point-end": row(
        "pk=delegation_point",
        get="   L 403 403 403 200 403 403 200",
        post="  L 403 403 403 200 403 403 200",
    ),
    # The report of delegated decisions to the regional board, as a page and a PDF: ledger readers.
    "accounting:delegation-report": row(
        get="   L 403 403 200 200 200 403 200",
        post="  L 403 403 200 200 200 403 200",
    ),
    "accounting:delegation-report-pdf": row(
        get="   L 403 403 200 200 200 403 200",
        post="  L 403 403 200 200 200 403 200",
    ),
    "accounting:disbursement-create": row(
        "pk=commitment",
        get="   L 404 404 403 200 403 404 403",
        post="  L 404 404 403 200 403 404 403",
    ),
    # Finance, or an administrator at go-live, opens a fund: not a ledger reader's page, so 403 (not 404).
    "accounting:fund-open": row(
        get="   L 403 403 403 200 403 403 200",
        post="  L 403 403 403 200 403 403 200",
    ),
    "accounting:fund-detail": row(
        "slug=fund",
        get="   L 404 404 200 200 200 404 200",
        post="  L 404 404 200 200 200 404 200",
    ),
    "accounting:fund-detail-xlsx": row(
        "slug=fund",
        get="   L 404 404 200 200 200 404 200",
        post="  L 404 404 200 200 200 404 200",
    ),
    "accounting:fund-amount-limit": row(
        "slug=fund",
        get="   L 404 404 403 200 403 404 200",
        post="  L 404 404 403 200 403 404 200",
    ),
    "accounting:fund-edit": row(
        "slug=fund",
        get="   L 404 404 403 200 403 404 200",
        post="  L 404 404 403 200 403 404 200",
    ),
    "accounting:fund-list": row(
        get="   L 403 403   R   R   R 403   R",
        post="  L 403 403   R   R   R 403   R",
    ),
    "accounting:initiative-money": row(
        "pk=initiative",
        get="   L 200 404 200 200 200 200 200",
        post="  L 200 404 200 200 200 200 200",
    ),
    # Releasing a completed initiative's reservation is finance's posting (accounting.permissions);
    # the world's initiative is still running, so finance finds nothing completed to release: 404.
    "accounting:initiative-release": row(
        "pk=initiative",
        get="   L 405 405 405 405 405 405 405",
        post="  L 403 403 403 404 403 403 403",
    ),
    # Ending a decided initiative early and claiming money back are finance's (accounting.permissions).
    "accounting:initiative-terminate": row(
        "pk=initiative",
        get="   L 403 403 403 200 403 403 403",
        post="  L 403 403 403 200 403 403 403",
    ),
    "accounting:recovery-claim-create": row(
        "initiative_pk=initiative",
        get="   L 403 403 403 200 403 403 403",
        post="  L 403 403 403 200 403 403 403",
    ),
    # The list of claims is the ledger's readers'; a claim is also read by its initiative's party.
    "accounting:recovery-claim-list": row(
        get="   L 403 403 200 200 200 403 200",
        post="  L 403 403 200 200 200 403 200",
    ),
    "accounting:recovery-claim-detail": row(
        "pk=claim",
        get="   L 200 404 200 200 200 200 200",
        post="  L 200 404 200 200 200 200 200",
    ),
    "accounting:recovery-claim-repayment": row(
        "pk=claim",
        get="   L 403 404 403 200 403 403 403",
        post="  L 403 404 403 200 403 403 403",
    ),
    "accounting:recovery-claim-write-off": row(
        "pk=claim",
        get="   L 403 404 403 200 403 403 403",
        post="  L 403 404 403 200 403 403 403",
    ),
    "accounting:release-create": row(
        "pk=commitment",
        get="   L 404 404 403 200 403 404 403",
        post="  L 404 404 403 200 403 404 403",
    ),
    "accounting:repayment-create": row(
        "pk=commitment",
        get="   L 404 404 403 200 403 404 403",
        post="  L 404 404 403 200 403 404 403",
    ),
    "accounting:verification-detail": row(
        "slug=fund pk=verification",
        get="   L 404 404 200 200 200 404 200",
        post="  L 404 404 200 200 200 404 200",
    ),
    "accounting:verification-list": row(
        "slug=fund",
        get="   L 404 404 200 200 200 404 200",
        post="  L 404 404 200 200 200 404 200",
    ),
    "accounting:verification-list-xlsx": row(
        "slug=fund",
        get="   L 404 404 200 200 200 404 200",
        post="  L 404 404 200 200 200 404 200",
    ),
    "accounting:verification-reverse": row(
        "slug=fund pk=verification",
        get="   L 404 404 403 200 403 404 403",
        post="  L 404 404 403 200 403 404 403",
    ),
    "accounting:year-close": row(
        "slug=fund year=year",
        get="   L 404 404 403   R 403 404 403",
        post="  L 404 404 403   R 403 404 403",
    ),
    "accounting:year-detail": row(
        "slug=fund year=year",
        get="   L 404 404 200 200 200 404 200",
        post="  L 404 404 200 200 200 404 200",
    ),
    "accounting:year-sie4e": row(
        "slug=fund year=year",
        get="   L 404 404 200 200 200 404 200",
        post="  L 404 404 200 200 200 404 200",
    ),
    "accounting:year-sie4i": row(
        "slug=fund year=year",
        get="   L 404 404 200 200 200 404 200",
        post="  L 404 404 200 200 200 404 200",
    ),
    # --- payments ---
    # Payment requests (issue 13): the initiative's party's initiators ask and follow, finance handles,
    # the auditor reads; nobody else (a request names a bank account). Another party's request is not
    # found; the request in `world` waits for finance, so it cannot be completed now.
    "payments:request-list": row(
        get="   L 403 403 403 200 200 403 403",
        post="  L 403 403 403 200 200 403 403",
    ),
    "payments:request-create": row(
        "initiative_pk=initiative",
        get="   L 200 403 403 403 403 403 403",
        post="  L 200 403 403 403 403 403 403",
    ),
    "payments:request-detail": row(
        "pk=payment_request",
        get="   L 200 404 403 200 200 403 403",
        post="  L 200 404 403 200 200 403 403",
    ),
    "payments:request-complete": row(
        "pk=payment_request",
        get="   L 403 404 403 403 403 403 403",
        post="  L 403 404 403 403 403 403 403",
    ),
    "payments:request-approve": row(
        "pk=payment_request",
        get="   L 403 403 403 200 403 403 403",
        post="  L 403 403 403 200 403 403 403",
    ),
    "payments:request-ask-for-more": row(
        "pk=payment_request",
        get="   L 403 403 403 200 403 403 403",
        post="  L 403 403 403 200 403 403 403",
    ),
    "payments:request-reject": row(
        "pk=payment_request",
        get="   L 403 403 403 200 403 403 403",
        post="  L 403 403 403 200 403 403 403",
    ),
    "payments:attachment-download": row(
        "pk=payment_request attachment_pk=payment_attachment",
        get="   L 200 404 403 200 200 403 403",
        post="  L 200 404 403 200 200 403 403",
    ),
    # --- reports ---
    # Final, archived reports are for every role of the cooperation (reports.permissions).
    "reports:archive-download": row(
        "pk=archive",
        get="   L 200 200 200 200 200 200 200",
        post="  L 200 200 200 200 200 200 200",
    ),
    "reports:archive-list": row(
        get="   L 200 200 200 200 200 200 200",
        post="  L 200 200 200 200 200 200 200",
    ),
    "reports:balance-csv": row(
        "slug=fund year=year",
        get="   L 404 404 200 200 200 404 200",
        post="  L 404 404 200 200 200 404 200",
    ),
    "reports:balance-detail": row(
        "slug=fund year=year",
        get="   L 404 404 200 200 200 404 200",
        post="  L 404 404 200 200 200 404 200",
    ),
    # Issuing a final report is a POST by the one who issues it (finance the balance report, already
    # archived here, so a no-op redirect); other readers of reports are refused, the rest do not see it.
    "reports:balance-issue": row(
        "slug=fund year=year",
        get="   L 405 405 405 405 405 405 405",
        post="  L 404 404 403   R 403 404 403",
    ),
    "reports:balance-pdf": row(
        "slug=fund year=year",
        get="   L 404 404 200 200 200 404 200",
        post="  L 404 404 200 200 200 404 200",
    ),
    "reports:balance-xlsx": row(
        "slug=fund year=year",
        get="   L 404 404 200 200 200 404 200",
        post="  L 404 404 200 200 200 404 200",
    ),
    "reports:dashboard": row(
        get="   L 404 404 200 200 200 404 200",
        post="  L 404 404 200 200 200 404 200",
    ),
    "reports:outcome-csv": row(
        "slug=fund year=year",
        get="   L 404 404 200 200 200 404 200",
        post="  L 404 404 200 200 200 404 200",
    ),
    "reports:outcome-detail": row(
        "slug=fund year=year",
        get="   L 404 404 200 200 200 404 200",
        post="  L 404 404 200 200 200 404 200",
    ),
    # The secretariat issues the outcome report of the closed year (queued for the worker, then back).
    "reports:outcome-issue": row(
        "slug=fund year=year",
        get="   L 405 405 405 405 405 405 405",
        post="  L 404 404   R 403 403 404 403",
    ),
    # Every reader of a report asks for its preliminary PDF or its data as Excel or CSV (the POST's
    # `format`; queued for the worker, then back); GET: 405.
    "reports:balance-prepare": row(
        "slug=fund year=open_year",
        get="   L 405 405 405 405 405 405 405",
        post="  L 404 404   R   R   R 404   R",
    ),
    "reports:outcome-prepare": row(
        "slug=fund year=open_year",
        get="   L 405 405 405 405 405 405 405",
        post="  L 404 404   R   R   R 404   R",
    ),
    # The preliminary PDF of the open year, for every reader of the report (issue 17 item 5), as the
    # worker prepared it (world: prepared last, so that it is current).
    "reports:outcome-pdf": row(
        "slug=fund year=open_year",
        get="   L 404 404 200 200 200 404 200",
        post="  L 404 404 200 200 200 404 200",
    ),
    "reports:outcome-xlsx": row(
        "slug=fund year=year",
        get="   L 404 404 200 200 200 404 200",
        post="  L 404 404 200 200 200 404 200",
    ),
    # --- public: the public record under /offentligt/, open to everyone, logged in or not (public/) ---
    # Read-only and cached: a POST is a method they do not have (405), as the open-data API (django-ninja).
    "public:index": row(
        get=" 200 200 200 200 200 200 200 200",
        post="405 405 405 405 405 405 405 405",
    ),
    "public:fund": row(
        get=" 200 200 200 200 200 200 200 200",
        post="405 405 405 405 405 405 405 405",
    ),
    "public:initiative-list": row(
        get=" 200 200 200 200 200 200 200 200",
        post="405 405 405 405 405 405 405 405",
    ),
    "public:initiative-detail": row(
        "year=year serial=public_serial",
        get=" 200 200 200 200 200 200 200 200",
        post="405 405 405 405 405 405 405 405",
    ),
    "public:position-list": row(
        get=" 200 200 200 200 200 200 200 200",
        post="405 405 405 405 405 405 405 405",
    ),
    "public:meeting-list": row(
        get=" 200 200 200 200 200 200 200 200",
        post="405 405 405 405 405 405 405 405",
    ),
    "public:notice-detail": row(
        "pk=signed_meeting",
        get=" 200 200 200 200 200 200 200 200",
        post="405 405 405 405 405 405 405 405",
    ),
    "public:minutes-detail": row(
        "pk=signed_meeting",
        get=" 200 200 200 200 200 200 200 200",
        post="405 405 405 405 405 405 405 405",
    ),
    "public:minutes-pdf": row(
        "pk=signed_meeting",
        get=" 200 200 200 200 200 200 200 200",
        post="405 405 405 405 405 405 405 405",
    ),
    "public:paragraph-detail": row(
        "body=signed_body year=year number=signed_paragraph",
        get=" 200 200 200 200 200 200 200 200",
        post="405 405 405 405 405 405 405 405",
    ),
    "public:paragraph-pdf": row(
        "body=signed_body year=year number=signed_paragraph",
        get=" 200 200 200 200 200 200 200 200",
        post="405 405 405 405 405 405 405 405",
    ),
    "public:report-list": row(
        get=" 200 200 200 200 200 200 200 200",
        post="405 405 405 405 405 405 405 405",
    ),
    "public:report-download": row(
        "pk=archive",
        get=" 200 200 200 200 200 200 200 200",
        post="405 405 405 405 405 405 405 405",
    ),
    "public:agreement": row(
        get=" 200 200 200 200 200 200 200 200",
        post="405 405 405 405 405 405 405 405",
    ),
    "public:data": row(
        get=" 200 200 200 200 200 200 200 200",
        post="405 405 405 405 405 405 405 405",
    ),
    "public:dataset-csv": row(
        "name=dataset",
        get=" 200 200 200 200 200 200 200 200",
        post="405 405 405 405 405 405 405 405",
    ),
    "public:privacy": row(
        get=" 200 200 200 200 200 200 200 200",
        post="405 405 405 405 405 405 405 405",
    ),
    "public:personal-data": row(
        get=" 200 200 200 200 200 200 200 200",
        post="405 405 405 405 405 405 405 405",
    ),
    "public:feed": row(
        get=" 200 200 200 200 200 200 200 200",
        post="405 405 405 405 405 405 405 405",
    ),
    "public:sitemap": row(
        get=" 200 200 200 200 200 200 200 200",
        post="405 405 405 405 405 405 405 405",
    ),
    # The OpenAPI description reads the same on any method; ninja's own root is not a page (no docs).
    "public-api:openapi-json": row(
        get=" 200 200 200 200 200 200 200 200",
        post="200 200 200 200 200 200 200 200",
    ),
    "public-api:fund": row(
        get=" 200 200 200 200 200 200 200 200",
        post="405 405 405 405 405 405 405 405",
    ),
    "public-api:initiatives": row(
        get=" 200 200 200 200 200 200 200 200",
        post="405 405 405 405 405 405 405 405",
    ),
    "public-api:initiative": row(
        "year=year serial=public_serial",
        get=" 200 200 200 200 200 200 200 200",
        post="405 405 405 405 405 405 405 405",
    ),
    "public-api:positions": row(
        get=" 200 200 200 200 200 200 200 200",
        post="405 405 405 405 405 405 405 405",
    ),
    "public-api:meetings": row(
        get=" 200 200 200 200 200 200 200 200",
        post="405 405 405 405 405 405 405 405",
    ),
    "public-api:reports": row(
        get=" 200 200 200 200 200 200 200 200",
        post="405 405 405 405 405 405 405 405",
    ),
    "public-api:api-root": row(
        get=" 404 404 404 404 404 404 404 404",
        post="404 404 404 404 404 404 404 404",
    ),
    # --- archive ---
    # The public check of a PDF (issue 14): open to everyone, no login; an empty POST is a form error.
    "archive:verify": row(
        get=" 200 200 200 200 200 200 200 200",
        post="400 400 400 400 400 400 400 400",
    ),
    # Archive packages: finance and the secretariat ask for them, they and the auditor download them.
    "archive:package-list": row(
        get="   L 403 403 200 200 200 403 403",
        post="  L 403 403 200 200 200 403 403",
    ),
    "archive:package-request-initiative": row(
        get="   L 405 405 405 405 405 405 405",
        post="  L 403 403 400 400 403 403 403",
    ),
    "archive:package-request-fiscal-year": row(
        get="   L 405 405 405 405 405 405 405",
        post="  L 403 403 400 400 403 403 403",
    ),
    "archive:package-download": row(
        "pk=archive_package",
        get="   L 403 403 200 200 200 403 403",
        post="  L 403 403 200 200 200 403 403",
    ),
    # --- imports ---
    # The secretariat imports initiatives and positions, finance decisions and postings
    # (imports.permissions); an import record is read by those who read everything.
    # The list answers 403 to the auditor and the administrator, who may read each record: reported to
    # the coordinator (the upload form and the list are one view).
    "imports:import-list": row(
        get="   L 403 403 200 200 403 403 403",
        post="  L 403 403 200 200 403 403 403",
    ),
    "imports:import-detail": row(
        "pk=import",
        get="   L 404 404 200 200 200 404 200",
        post="  L 404 404 200 200 200 404 200",
    ),
    # The progress of an import's job, polled by its page as JSON: whoever reads the import may follow it.
    "imports:import-progress": row(
        "pk=import",
        get="   L 404 404 200 200 200 404 200",
        post="  L 405 405 405 405 405 405 405",
    ),
    # The import is the secretariat's kind (initiatives): finance may read it but not run it.
    "imports:import-run": row(
        "pk=import",
        get="   L 405 405 405 405 405 405 405",
        post="  L 404 404   R 403 403 404 403",
    ),
    # A template is offered only to the role that imports its kind; to others it does not exist.
    "imports:template-download": row(
        "kind=import_kind",
        get="   L 404 404 200 404 404 404 404",
        post="  L 404 404 200 404 404 404 404",
    ),
}

# The whole Django admin, as one rule: the administrator only; everyone else is sent to a login page.
ADMIN_PREFIX = "admin/"
ADMIN_RULE = {role: ("200" if role == "administrator" else LOGIN) for role in ROLES}


def url_patterns(patterns=None, prefix="", namespace=""):
    """(name, route) of every pattern of the URL configuration, included ones resolved."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from url_patterns(pattern.url_patterns, prefix + str(pattern.pattern), inner)
        elif isinstance(pattern, URLPattern):
            yield (f"{namespace}{pattern.name}" if pattern.name else None), prefix + str(pattern.pattern)


def dgr_patterns() -> dict[str, str]:
    return {name or route: route for name, route in url_patterns() if not route.startswith(ADMIN_PREFIX)}


def test_every_url_pattern_has_a_row_in_the_matrix():
    patterns = dgr_patterns()
    missing = sorted(set(patterns) - set(MATRIX))
    assert not missing, "URL patterns with no row in MATRIX (tests/test_permission_matrix.py): " + ", ".join(
        f"{name} ({patterns[name]})" for name in missing
    )
    stale = sorted(set(MATRIX) - set(patterns))
    assert not stale, "Rows in MATRIX for URL patterns that no longer exist: " + ", ".join(stale)


PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def world(
    settings, tmp_path, karlstad, arvika, initiator, other_initiator, secretariat, finance, representative
):
    """One of each object a URL can name, belonging to Karlstad (the `own` initiator's party)."""
    from allauth.account.forms import default_token_generator
    from allauth.account.utils import user_pk_to_url_str
    from allauth.mfa.models import Authenticator

    from accounting.models import Account, CapitalPart, Commitment, Decision, Verification
    from core.mail import mail_queue
    from core.models import OutgoingMail
    from council import minutes as council_minutes
    from council import services as council_services
    from council.models import ItemDocument, Paragraph
    from imports import services as import_services
    from imports.models import ImportKind
    from initiatives import services as initiative_services
    from initiatives.models import Attachment, BudgetYear, CoFinancing, Initiative
    from outcomes import services as outcome_services
    from outcomes.models import OutcomeAttachment
    from outcomes.selectors import outcome_schedule
    from reports.selectors import balance_report, outcome_report
    from reports.services import report_issue, report_prepare
    from tests.factories import UserFactory
    from tests.imports.factories import INITIATIVE_ROWS, filled, upload
    from tests.reports.factories import worked_year

    settings.MEDIA_ROOT = tmp_path
    # First: the ledger factories number their initiatives above the real series.
    submitted = initiative_submitted(initiator, title="Gemensam kollektivtrafikapp")
    fund = worked_year(
        finance=finance,
        karlstad=karlstad,
        arvika=arvika,
        initiator=initiator,
        other_initiator=other_initiator,
    )
    funded = Initiative.objects.get(party=karlstad, title__startswith="Cykelstråk")
    decision = Decision.objects.get(initiative=funded)
    commitment = Commitment.objects.get(decision=decision)
    item = funded.agenda_items.get()
    meeting = item.meeting
    council_services.document_add(
        item=item, title="Underlag", file=SimpleUploadedFile("underlag.pdf", PDF), user=secretariat
    )
    # Karlstad's representative chairs and Arvika's adjusts (Värmlandsrådet's members, parties present).
    arvika_representative = seat(
        UserFactory(username="vr-arvika", party=arvika, roles=["council_representative"]), "varmlandsradet"
    )
    seat(representative, "varmlandsradet")
    council_minutes.meeting_open(
        meeting=meeting, chair=representative, adjusters=[arvika_representative], user=secretariat
    )
    council_services.meeting_hold(meeting=meeting, user=secretariat)
    # A draft of Karlstad's with a budget, co-financing and an attachment: the initiator's own editing.
    draft = initiative_draft(initiator, title="Laddstationer längs E18")
    initiative_services.co_financing_add(
        initiative=draft,
        user=initiator,
        year=2027,
        source="municipality",
        funder="Karlstads kommun",
        state="applied",
        amount=Decimal("100000.00"),
    )
    initiative_services.attachment_add(
        initiative=draft, user=initiator, upload=SimpleUploadedFile("plan.pdf", PDF)
    )
    funded.start_date, funded.end_date = datetime.date(2026, 3, 1), datetime.date(2027, 12, 31)
    funded.save()
    from initiatives.changes import change_request_submit

    change_request = change_request_submit(
        initiative=funded,
        kind="extended_period",
        reason="Leveranserna är försenade.",
        new_end_date=datetime.date(2028, 6, 30),
        user=initiator,
    )
    due = outcome_schedule(funded)[0]
    report = outcome_services.outcome_report_submit(
        initiative=funded,
        user=initiator,
        kind=due.kind,
        due_on=due.due_on,
        data={
            "period_start": due.period_start,
            "period_end": due.period_end,
            "activities": "Förstudie.",
            "summary": "Projekterat.",
            "status": "on_track",
            "spent": Decimal("400000.00"),
            "co_financing_received": Decimal("0.00"),
            "overspend_explanation": "",
        },
        indicators=[{"name": "Möten", "target": Decimal("10"), "actual": Decimal("7")}],
        uploads=[SimpleUploadedFile("resultat.pdf", PDF)],
    )
    # People: an account from a first single-sign-on login, and an invitation not yet used.
    from people import services as people_services
    from tests.factories import UserFactory

    awaiting = UserFactory(party=karlstad, is_active=False, awaiting_approval=True)
    administrator = UserFactory(roles=["administrator"])
    invitation_token = "inbjudan-" + "x" * 30
    invitation = people_services.person_invite(
        acting_user=administrator,
        first_name="Nina",
        last_name="Ny",
        email="nina.ny@karlstad.se",
        party=karlstad,
        roles=["initiator"],
    )
    invitation.token_hash = people_services._token_hash(invitation_token)
    invitation.save(update_fields=["token_hash"])
    # A person outside the roles here, with a security key (WebAuthn) nobody else may edit or remove,
    # and a password-reset link as allauth mails it (made after the roles log in, it would still hold:
    # logging in changes the token of the one who does).
    key_owner = UserFactory(party=karlstad)
    security_key = Authenticator.objects.create(
        user=key_owner, type=Authenticator.Type.WEBAUTHN, data={"name": "Nyckel", "credential": {}}
    )
    archived = report_issue(
        kind="balance", fund=fund, year=2026, is_final=True, render=lambda: PDF, user=finance
    )
    # The decision's document, as decision_record stores it (the ledger factory records none).
    decision.document_name, decision.document_type = "Beslut RS 2026-10.pdf", "application/pdf"
    decision.document.save("beslut.pdf", ContentFile(PDF), save=False)
    decision._history_user = finance
    decision.save()
    # A mail that could not be sent, for the administrators' page: the worker's last try failed.
    [failed_mail] = mail_queue(subject="Kallelse", body="Text", recipients=["a@example.se"])
    failed_mail.status, failed_mail.attempts = OutgoingMail.Status.FAILED, 5
    failed_mail.last_error = "Connection refused"
    failed_mail.save()
    # A recovery claim on the funded initiative (återkrav), open.
    from accounting.services import delegation_point_add, recovery_claim_create

    claim = recovery_claim_create(
        initiative=funded,
        amount=Decimal("1000.00"),
        reason="Medel som inte använts enligt beslutet.",
        decided_on=decision.decided_on,
        due_on=decision.decided_on + datetime.timedelta(days=30),
        user=finance,
    )
    # A point of the delegation order, and an interest the own initiator declared (jäv).

    delegation_point = delegation_point_add(
        code="3.2.1",
        description="Medel ur DGR",
        maker_kind="delegate",
        maker_name="Regiondirektören",
        amount_limit=Decimal("5000000.00"),
        valid_from=datetime.date(2022, 1, 1),
        user=finance,
    )
    interest = people_services.interest_declare(
        person=initiator,
        kind="assignment",
        organisation="Karlstads Cykelförening",
        party=None,
        role="Ordförande",
        valid_from=datetime.date(2025, 1, 1),
        user=initiator,
    )
    # A dry-run initiatives file of the secretariat's, ready to import.
    dry_run = import_services.import_upload(
        kind=ImportKind.INITIATIVES,
        upload=upload(filled(ImportKind.INITIATIVES, [INITIATIVE_ROWS[3]])),
        user=secretariat,
    )
    assert dry_run.status == dry_run.Status.CHECKED  # so that running it is the real import, not a refusal
    # Signed minutes for the public pages: Arvika's bus initiative's meeting, held and signed (its
    # initiative is then a decided one on the public pages).
    bus = Initiative.objects.get(party=arvika, title="Pendelbussar")
    signed_meeting = bus.agenda_items.get().meeting
    council_minutes.meeting_open(
        meeting=signed_meeting, chair=representative, adjusters=[arvika_representative], user=secretariat
    )
    council_services.meeting_hold(meeting=signed_meeting, user=secretariat)
    for signer in (representative, arvika_representative):
        council_services.minutes_sign(meeting=signed_meeting, user=signer)
    # The open year's preliminary outcome PDF as the worker prepares it; last, since any later change to
    # what the report shows would make it stale (and not served).
    report_prepare(
        kind="outcome",
        fund=fund,
        year=2027,
        build=outcome_report,
        render=lambda report: PDF,
        user=secretariat,
    )
    from council.models import AgreementAdoption

    adoption = AgreementAdoption.objects.order_by("pk").first()  # the agreement is in force (ledger helpers)
    adoption.document.save("protokoll.pdf", ContentFile(PDF), save=True)
    # The closed year's data as Excel and CSV, prepared by the worker for every reader of the reports.
    for kind, build in (("balance", balance_report), ("outcome", outcome_report)):
        for fmt in ("xlsx", "csv"):
            report_prepare(
                kind=kind,
                fund=fund,
                year=2026,
                build=build,
                render=lambda r: b"data",
                user=secretariat,
                fmt=fmt,
            )
    # A payment request of Karlstad's against the funded initiative's commitment, with its attachment.
    from payments.services import RequestContent, payment_request_submit

    payment_request = payment_request_submit(
        content=RequestContent(
            commitment=commitment,
            amount=Decimal("1000.00"),
            period_start=datetime.date(2027, 1, 1),
            period_end=datetime.date(2027, 3, 31),
            costs_incurred=Decimal("1200.00"),
            description="Projektering.",
            payee="Karlstads kommun",
            bank_account_kind="bankgiro",
            bank_account_number="991-2346",
        ),
        user=initiator,
        uploads=[SimpleUploadedFile("kostnader.pdf", PDF)],
    )
    from archive.models import ArchivePackage

    archive_package = ArchivePackage(
        kind="fiscal_year", fund=fund, year=2026, status="ready", sha256="0" * 64
    )
    archive_package.file.save("paket.zip", ContentFile(b"PK\x05\x06" + b"\x00" * 18), save=False)
    archive_package.save()
    return {
        "adoption": adoption.pk,
        "archive_package": archive_package.pk,
        "initiative": funded.pk,
        "change_request": change_request.pk,
        "draft": draft.pk,
        "submitted": submitted.pk,
        "budget_row": BudgetYear.objects.filter(initiative=draft).first().pk,
        "co_financing_row": CoFinancing.objects.get(initiative=draft).pk,
        "attachment": Attachment.objects.get(initiative=draft).pk,
        "outcome_report": report.pk,
        "outcome_attachment": OutcomeAttachment.objects.get(report=report).pk,
        "outcome_kind": due.kind,
        "outcome_due": due.due_on.isoformat(),
        "meeting": meeting.pk,
        "item": item.pk,
        "body": "varmlandsradet",
        "paragraph": Paragraph.objects.get(item=item).number,
        "document": ItemDocument.objects.get(item=item).pk,
        "fund": fund.slug,
        "year": 2026,
        "open_year": 2027,
        "capital_part": CapitalPart.objects.filter(fund=fund).order_by("number").first().number,
        "verification": Verification.objects.filter(fund=fund).first().pk,
        "account": Account.objects.filter(fund=fund).first().pk,
        "decision": decision.pk,
        "delegation_point": delegation_point.pk,
        "interest": interest.pk,
        "commitment": commitment.pk,
        "claim": claim.pk,
        "payment_request": payment_request.pk,
        "payment_attachment": payment_request.attachments.get().pk,
        "archive": archived.pk,
        "party": karlstad.slug,
        "awaiting_approval": awaiting.pk,
        "invited": invitation.person_id,
        "invitation_token": invitation_token,
        "failed_mail": failed_mail.pk,
        "import": dry_run.pk,
        "import_kind": ImportKind.INITIATIVES,
        "security_key": security_key.pk,
        "reset_uid": user_pk_to_url_str(key_owner),
        "reset_key": default_token_generator.make_token(key_owner),
        "email_confirmation_key": "bekraftelse-" + "x" * 20,
        "sso_provider": "sso",
        "signed_meeting": signed_meeting.pk,
        "signed_body": signed_meeting.body.slug,
        "signed_paragraph": Paragraph.objects.get(meeting=signed_meeting, item__isnull=False).number,
        "public_serial": bus.registration_serial,
        "dataset": "initiativ",
    }


@pytest.fixture
def role_clients(initiator, other_initiator, secretariat, finance, auditor, representative, administrator):
    """A logged-in client per role; `own` is Karlstad's initiator, `representative` Karlstad's."""
    users = {
        "own": initiator,
        "other": other_initiator,
        "secretariat": secretariat,
        "finance": finance,
        "auditor": auditor,
        "representative": representative,
        "administrator": administrator,
    }
    clients = {"anonymous": Client()}
    for role, user in users.items():
        clients[role] = Client()
        clients[role].force_login(user)
    return clients


def answer(response) -> str:
    """What a response means in the matrix: L, R or the status code."""
    if response.status_code == 302:
        location = response["Location"]
        return LOGIN if location.startswith((reverse("login"), reverse("admin:login"))) else REDIRECT
    return str(response.status_code)


def observe(client, method: str, url: str) -> str:
    """The answer to one request, with whatever it wrote rolled back, and the client's cookies as they
    were (a logout would otherwise log the role out for the rest of the matrix)."""
    cookies = copy.deepcopy(client.cookies)
    with transaction.atomic():
        response = client.get(url) if method == "GET" else client.post(url, {})
        transaction.set_rollback(True)
    client.cookies = cookies
    return answer(response)


def url_for(name: str, expected: Row, world: dict) -> str:
    """The URL of a row: reversed by name (regex groups included), or an unnamed route filled in."""
    if expected.url:
        return expected.url
    values = {key: world[value] for key, value in expected.kwargs.items()}
    if "/" in name:
        return "/" + re.sub(r"<(?:\w+:)?(\w+)>", lambda match: str(values[match[1]]), name)
    return reverse(name, kwargs=values)


@pytest.mark.django_db
def test_every_role_gets_the_declared_answer_from_every_url(world, role_clients):
    mismatches = []
    for name, expected in MATRIX.items():
        url = url_for(name, expected, world)
        for method, declared in (("GET", expected.get), ("POST", expected.post)):
            answers = declared.split()
            assert len(answers) == len(ROLES), (
                f"{name} {method}: {len(answers)} answers for {len(ROLES)} roles"
            )
            for role, want in zip(ROLES, answers, strict=True):
                got = observe(role_clients[role], method, url)
                if got != want:
                    mismatches.append(f"{name} {method} {url} as {role}: declared {want}, answered {got}")
    assert not mismatches, "\n".join(mismatches)


@pytest.mark.django_db
def test_the_admin_is_for_staff_only(role_clients):
    for url in (reverse("admin:index"), reverse("admin:people_user_changelist")):
        for role in ROLES:
            assert observe(role_clients[role], "GET", url) == ADMIN_RULE[role], (url, role)
