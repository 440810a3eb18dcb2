"""Settings for DGR, configured by environment variables (see README, "Konfiguration").

Safe by default: without DJANGO_DEBUG=1 the app runs with production security settings and refuses
to start without a secret key.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG", False)

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off.")
    SECRET_KEY = "dev-only-insecure-key-never-used-in-production"  # noqa: S105

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "simple_history",
    "axes",
    "csp",
    "procrastinate.contrib.django",  # the task queue (see "Background work and mail")
    # Accounts: invitations, password reset, two-factor and single sign-on (see "Accounts" below)
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    # DGR, from the core outward (the order also orders the demo data)
    "core",
    "people",
    "initiatives",
    "council",
    "accounting",
    "payments",  # payment requests (rekvisitioner): initiatives ask, finance approves and pays out
    "outcomes",  # outcome reporting of funded initiatives (utfall)
    "imports",
    "reports",
    "public_record",  # the public record: open pages, open data (reads only, through the others' selectors)
    "archive",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "core.middleware.NeverCacheMiddleware",  # below WhiteNoise: static files keep their caching
    "core.middleware.SecurityLogMiddleware",  # every 403, and every 404 of a logged-in user
    "django.contrib.sessions.middleware.SessionMiddleware",
    "core.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "core.middleware.LoginRequiredMiddleware",  # Django's, logging anonymous requests
    "allauth.account.middleware.AccountMiddleware",
    "core.middleware.SessionLifetimeMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "people.middleware.RequireTwoFactorMiddleware",  # after messages: it says why it redirects
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "dgr.urls"
WSGI_APPLICATION = "dgr.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "core.context_processors.navigation",
            ],
            "builtins": ["core.templatetags.dgr"],
        },
    },
]

# --- Database -------------------------------------------------------------------------------------
# Two roles (core/dbroles.py): the app connects as DATABASE_URL's role, which owns nothing and cannot
# switch off a guarantee; `migrate` (and the tests' set-up) run as DATABASE_OWNER_URL's role, which owns
# the schema. Without DATABASE_URL the embedded server provides both.
DATABASE_URL = os.environ.get("DATABASE_URL", "")
DATABASE_OWNER_URL = os.environ.get("DATABASE_OWNER_URL", "")
if not DATABASE_URL:
    from dgr.embedded_postgres import embedded_database_urls

    DATABASE_URL, DATABASE_OWNER_URL = embedded_database_urls(BASE_DIR)
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60, conn_health_checks=True)}
_owner = dj_database_url.parse(DATABASE_OWNER_URL or DATABASE_URL)
DATABASE_OWNER_CREDENTIALS = {key: _owner[key] for key in ("USER", "PASSWORD", "HOST", "PORT")}
DATABASE_APP_ROLE = DATABASES["default"]["USER"]
# Parameters bound on the server and statements prepared once they repeat: the pages' queries are the
# same few hundred on every request, and planning a join of five tables costs PostgreSQL more than
# running it (0.8 ms against 0.05 ms on the initiative page's council panel). Needs a direct connection
# or a pooler in session mode. DGR_PREPARED_STATEMENTS=0 turns it off (for a transaction-mode pooler).
if os.environ.get("DGR_PREPARED_STATEMENTS", "1") != "0":
    DATABASES["default"].setdefault("OPTIONS", {}).update(server_side_binding=True, prepare_threshold=2)
if os.environ.get("DGR_TEST_DATABASE_NAME"):
    # Lets several checkouts share one server without their test databases colliding.
    DATABASES["default"]["TEST"] = {"NAME": os.environ["DGR_TEST_DATABASE_NAME"]}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- People and login -----------------------------------------------------------------------------
AUTH_USER_MODEL = "people.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # must be first: refuses a locked-out login before checking it
    "people.backends.PartyAwareModelBackend",  # username or e-mail (allauth's backend underneath)
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "start"
LOGOUT_REDIRECT_URL = "login"

# Throttled login: five failures for one username from one IP address lock that pair for 15 minutes.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True
# The client's address: the number of reverse proxies in front whose X-Forwarded-For entries are
# trusted (core/client.py). Throttling and the security log both use it.
DGR_PROXY_COUNT = int(os.environ.get("DJANGO_PROXY_COUNT", "0"))
AXES_CLIENT_IP_CALLABLE = "core.client.client_ip"

# Sessions end after an hour without activity, when the browser closes, and a working day after the
# login whatever the activity. The idle expiry moves with activity through
# core.middleware.SessionLifetimeMiddleware (a write at most once a minute), which also enforces the
# absolute limit. A password change ends the person's other sessions (Django's session hash), a
# deactivation deletes them (people.services.user_deactivate).
SESSION_COOKIE_AGE = int(os.environ.get("DJANGO_SESSION_IDLE_SECONDS", "3600"))
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
DGR_SESSION_ABSOLUTE_SECONDS = int(os.environ.get("DJANGO_SESSION_ABSOLUTE_SECONDS", str(10 * 3600)))

# --- Accounts: invitations, password reset, two-factor, single sign-on ------------------------------
# django-allauth does all four with one library (account, mfa, socialaccount): one login view whose
# stages (password, then TOTP/security key) fire Django's auth signals, so axes, the security log and
# the idle timeout see every login path. Local sign-up is closed: people are invited (people.services).
ACCOUNT_ADAPTER = "people.accounts.AccountAdapter"
SOCIALACCOUNT_ADAPTER = "people.accounts.SocialAccountAdapter"
MFA_ADAPTER = "people.accounts.TwoFactorAdapter"
ACCOUNT_FORMS = {"login": "people.forms.LoginForm"}
ACCOUNT_LOGIN_METHODS = {"username", "email"}  # existing usernames keep working; e-mail works too
ACCOUNT_SIGNUP_FIELDS = ["email*", "username*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "none"  # an invitation proves the address; SSO addresses come from the IdP
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_SESSION_REMEMBER = False  # sessions end with the browser (see Sessions below)
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_EMAIL_UNKNOWN_ACCOUNTS = False  # a reset for an unknown address sends nothing, says the same
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False  # log in afterwards, through the second factor
ACCOUNT_EMAIL_SUBJECT_PREFIX = "DGR: "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "http" if DEBUG else "https"
PASSWORD_RESET_TIMEOUT = 24 * 3600  # a reset link works for a day, and once
DGR_INVITATION_DAYS = 7  # an invitation link works for a week, and once
# Password guessing is throttled by axes alone (AXES_* above); allauth's own counter throttles wrong
# second-factor codes: five per person per five minutes, ten a minute per address. Its per-IP login
# limit is off: a municipality's staff share one NAT address at nine in the morning.
ACCOUNT_RATE_LIMITS = {"login": False, "login_failed": "10/m/ip,5/300s/key"}
ALLAUTH_TRUSTED_PROXY_COUNT = DGR_PROXY_COUNT  # the same client address as axes and the security log
# allauth authenticates with email= when the login contains "@": lock out per login either way.
AXES_USERNAME_CALLABLE = "people.accounts.axes_username"

MFA_SUPPORTED_TYPES = ["totp", "webauthn", "recovery_codes"]
MFA_PASSKEY_LOGIN_ENABLED = True
MFA_TOTP_ISSUER = "DGR"
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = DEBUG  # security keys on http://127.0.0.1 in `make run` only
# Finance, the secretariat and administrators must have a second factor (people.middleware). On by
# default; with DJANGO_DEBUG=1 (`make run`) off unless DGR_REQUIRE_MFA=1, so the demo logins stay a
# username and a password.
DGR_REQUIRE_MFA = env_bool("DGR_REQUIRE_MFA", not DEBUG)

# Single sign-on by OpenID Connect (Microsoft Entra ID or any standard provider), only when configured.
# Entra ID: DGR_OIDC_SERVER_URL=https://login.microsoftonline.com/<tenant id>/v2.0, redirect URI
# https://<host>/konto/oidc/sso/login/callback/.
DGR_OIDC_SERVER_URL = os.environ.get("DGR_OIDC_SERVER_URL", "")


def oidc_origin(server_url: str) -> str:
    """The provider's origin: the login form posts to DGR, which redirects there (CSP form-action)."""
    scheme, _, rest = server_url.partition("://")
    return f"{scheme}://{rest.split('/', 1)[0]}"


SOCIALACCOUNT_PROVIDERS = {}
if DGR_OIDC_SERVER_URL:
    SOCIALACCOUNT_PROVIDERS["openid_connect"] = {
        "OAUTH_PKCE_ENABLED": True,
        "APPS": [
            {
                "provider_id": "sso",
                "name": os.environ.get("DGR_OIDC_NAME", "organisationens konto"),
                "client_id": os.environ.get("DGR_OIDC_CLIENT_ID", ""),
                "secret": os.environ.get("DGR_OIDC_CLIENT_SECRET", ""),
                "settings": {"server_url": DGR_OIDC_SERVER_URL, "auth_params": {"prompt": "select_account"}},
            }
        ],
    }
SOCIALACCOUNT_AUTO_SIGNUP = True
SOCIALACCOUNT_EMAIL_AUTHENTICATION = True  # limited to the domains of people.EmailDomain (adapter)
SOCIALACCOUNT_EMAIL_AUTHENTICATION_AUTO_CONNECT = True
SOCIALACCOUNT_STORE_TOKENS = False  # DGR calls nothing on the person's behalf

# --- Language, time and numbers -------------------------------------------------------------------
LANGUAGE_CODE = "sv"
LANGUAGES = [("sv", "Svenska"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["dgr.formats"]
USE_I18N = True
USE_THOUSAND_SEPARATOR = True
TIME_ZONE = "Europe/Stockholm"
USE_TZ = True

# --- Static files and uploads ---------------------------------------------------------------------
STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT", BASE_DIR / "var" / "staticfiles"))
MEDIA_ROOT = Path(os.environ.get("DJANGO_MEDIA_ROOT", BASE_DIR / "var" / "media"))
MEDIA_URL = "/media/"  # never served directly: downloads go through permission-checking views
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_PERMISSIONS = 0o640

# --- E-mail ---------------------------------------------------------------------------------------
EMAIL_HOST = os.environ.get("DJANGO_EMAIL_HOST", "")
EMAIL_PORT = int(os.environ.get("DJANGO_EMAIL_PORT", "587"))
EMAIL_HOST_USER = os.environ.get("DJANGO_EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("DJANGO_EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("DJANGO_EMAIL_USE_TLS", True)
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend"
)
DEFAULT_FROM_EMAIL = os.environ.get("DJANGO_DEFAULT_FROM_EMAIL", "DGR <dgr@regionvarmland.se>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Background work and mail ---------------------------------------------------------------------
# Mail, reminders and long reports run in a worker (`manage.py procrastinate worker`), queued in the same
# PostgreSQL through Procrastinate: a job deferred inside a transaction exists only if it commits, and
# any number of workers may share the database (each job is taken by one of them).
PROCRASTINATE_WORKER_DEFAULTS = {
    # Jobs that finished are removed by the worker; a mail's own record (core.OutgoingMail) is what is kept.
    "delete_jobs": "successful",
}
# Links in mails are absolute: the address people reach DGR at, e.g. https://dgr.regionvarmland.se
DGR_BASE_URL = os.environ.get("DGR_BASE_URL", "http://127.0.0.1:8000" if DEBUG else "")
# A mail the SMTP server does not take is tried again after 1, 2, 4 … minutes (at most 10 tries,
# about 17 hours in all), then shown as failed to the administrators (/e-post/), who may retry it.
DGR_MAIL_MAX_ATTEMPTS = int(os.environ.get("DGR_MAIL_MAX_ATTEMPTS", "10"))
DGR_MAIL_RETRY_SECONDS = float(os.environ.get("DGR_MAIL_RETRY_SECONDS", "60"))
EMAIL_TIMEOUT = int(os.environ.get("DJANGO_EMAIL_TIMEOUT", "30"))

# Retention (gallring, core/retention.py): ages in days after which the worker removes, every night, …
# … delivered mail (the database refuses less than 30 days),
DGR_RETENTION_MAIL_DAYS = int(os.environ.get("DGR_RETENTION_MAIL_DAYS", "180"))
# … forms' one-time keys (a form left open longer is a new request when sent),
DGR_RETENTION_KEY_DAYS = int(os.environ.get("DGR_RETENTION_KEY_DAYS", "180"))
# … drafts of initiatives never submitted, counted from their last change.
DGR_RETENTION_DRAFT_DAYS = int(os.environ.get("DGR_RETENTION_DRAFT_DAYS", "365"))

# The public pages, API, CSV files and feed are kept in the cache this many seconds (public_record/views.py).
DGR_PUBLIC_CACHE_SECONDS = int(os.environ.get("DGR_PUBLIC_CACHE_SECONDS", "120"))
# Electronic seals (core/seal.py): the region's seal certificate as a PKCS#12 file and its passphrase.
# Final annual reports, signed minutes and excerpts are sealed with it (PAdES B-B); without it they go
# out unsealed, the log says so and `check --deploy` warns. `manage.py seal_test_certificate` makes a
# self-signed one for development and tests (never committed).
DGR_SEAL_TEST_CERTIFICATE = BASE_DIR / "var" / "seal" / "test-certificate.p12"
DGR_SEAL_PKCS12 = os.environ.get(
    "DGR_SEAL_PKCS12", str(DGR_SEAL_TEST_CERTIFICATE) if DEBUG and DGR_SEAL_TEST_CERTIFICATE.is_file() else ""
)
DGR_SEAL_PASSPHRASE = os.environ.get("DGR_SEAL_PASSPHRASE", "")
# Archive packages (archive/): E-ARK information packages, stored under MEDIA_ROOT/archive/.
DGR_ARCHIVE_CREATOR = os.environ.get("DGR_ARCHIVE_CREATOR", "Region Värmland")

# --- Security -------------------------------------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
CSRF_FAILURE_VIEW = "core.views.csrf_failure"
if env_bool("DJANGO_BEHIND_TLS_PROXY", True):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", str(365 * 24 * 3600)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True


def cookie_name(name: str, *, secure: bool) -> str:
    """`__Host-` cookies are only accepted by browsers when Secure, for Path=/ and without a Domain: so
    no subdomain (or a sibling host under the same domain) can set or overwrite DGR's session and CSRF
    cookies. Without TLS (development, the test suite's live server) the plain name is used."""
    return f"__Host-{name}" if secure else name


SESSION_COOKIE_NAME = cookie_name("sessionid", secure=SESSION_COOKIE_SECURE)
CSRF_COOKIE_NAME = cookie_name("csrftoken", secure=CSRF_COOKIE_SECURE)

# Strict CSP: only our own files, no inline script or style, never framed.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    },
}

if DGR_OIDC_SERVER_URL:
    CONTENT_SECURITY_POLICY["DIRECTIVES"]["form-action"].append(oidc_origin(DGR_OIDC_SERVER_URL))

# --- Logging: every login, failed login and refused access leaves a line ------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "loggers": {
        "dgr.security": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "axes": {"handlers": ["console"], "level": "WARNING", "propagate": False},
        "django": {"handlers": ["console"], "level": "WARNING"},
    },
}

FORM_RENDERER = "core.rendering.FormRenderer"
