"""A real OpenID Connect provider for the single-sign-on tests: django-oauth-toolkit in OIDC mode, run
by tests/oidc_provider/serve.py as its own server process on its own database. It stands in for
Microsoft Entra ID; DGR talks to it exactly as it would to Entra (discovery, authorization code with
PKCE, RS256-signed ID token checked against the provider's keys, user info)."""

import os
from pathlib import Path

import dj_database_url
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

BASE_DIR = Path(__file__).resolve().parent.parent.parent
DATABASE_NAME = "dgr_test_oidc_provider"


def _database() -> dict:
    """Its own database on DGR's server (the embedded one, or the one DATABASE_URL names)."""
    url = os.environ.get("DATABASE_OWNER_URL") or os.environ.get("DATABASE_URL", "")
    if not url:
        os.environ["DGR_EMBEDDED_DATABASE"] = DATABASE_NAME
        from dgr.embedded_postgres import embedded_database_urls

        _app, owner = embedded_database_urls(BASE_DIR)  # the owner role: the provider migrates its tables
        return dj_database_url.parse(owner)
    import psycopg
    from psycopg import sql

    with psycopg.connect(url, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [DATABASE_NAME]).fetchone():
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(DATABASE_NAME)))
    config = dj_database_url.parse(url)
    config["NAME"] = DATABASE_NAME
    return config


DATABASES = {"default": _database()}
DEBUG = False
SECRET_KEY = "oidc-test-provider-only-" + "x" * 40
ALLOWED_HOSTS = ["127.0.0.1"]
ROOT_URLCONF = "tests.oidc_provider.urls"
INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "oauth2_provider",
]
MIDDLEWARE = [
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
]
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [Path(__file__).resolve().parent / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {"context_processors": ["django.template.context_processors.request"]},
    }
]
USE_TZ = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
LOGIN_URL = "/login/"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
OAUTH2_PROVIDER = {
    "OIDC_ENABLED": True,
    "OIDC_RSA_PRIVATE_KEY": _key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode(),
    "OIDC_ISS_ENDPOINT": os.environ.get("OIDC_TEST_ISSUER", ""),
    "SCOPES": {"openid": "OpenID Connect", "profile": "Profile", "email": "E-mail"},
    "OAUTH2_VALIDATOR_CLASS": "tests.oidc_provider.validators.ClaimsValidator",
    "PKCE_REQUIRED": True,
}
