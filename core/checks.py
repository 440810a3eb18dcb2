"""System checks of DGR's own rules: the database roles, the base URL of mails' links, and settings a
browser enforces silently: a misconfigured `__Host-` cookie is simply dropped, and users would find
themselves unable to log in with no error anywhere."""

from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register


@register(Tags.database)
def app_role_owns_nothing(app_configs, **kwargs):
    """The database's guarantees hold against the app only if the app is not the schema's owner: outside
    development, connecting as the owner is an error that stops every command, `migrate` included."""
    if settings.DATABASE_OWNER_CREDENTIALS["USER"] == settings.DATABASE_APP_ROLE and not settings.DEBUG:
        return [
            Error(
                "The app connects as the role that runs the migrations, so it could drop or disable the "
                "database's triggers.",
                hint="Set DATABASE_OWNER_URL to the owner role and DATABASE_URL to a role that owns "
                "nothing (README: Database roles).",
                id="dgr.E003",
            )
        ]
    return []


@register()
def host_prefixed_cookies(app_configs, **kwargs):
    errors = []
    for kind, prefix in (("SESSION", "SESSION_COOKIE"), ("CSRF", "CSRF_COOKIE")):
        name = getattr(settings, f"{prefix}_NAME")
        if not name.startswith("__Host-"):
            continue
        if (
            not getattr(settings, f"{prefix}_SECURE")
            or getattr(settings, f"{prefix}_DOMAIN")
            or (getattr(settings, f"{prefix}_PATH") != "/")
        ):
            errors.append(
                Error(
                    f"{prefix}_NAME {name!r} has the __Host- prefix, which browsers accept only with "
                    f"{prefix}_SECURE = True, {prefix}_PATH = '/' and no {prefix}_DOMAIN.",
                    hint="Name the cookie with dgr.settings.cookie_name(), which follows the secure flag.",
                    id=f"dgr.E00{1 if kind == 'SESSION' else 2}",
                )
            )
    return errors


@register(Tags.compatibility)
def base_url_check(app_configs, **kwargs):
    """Mails carry absolute links built from DGR_BASE_URL; without it they could not be clicked."""
    if settings.DEBUG:
        return []
    url = urlsplit(settings.DGR_BASE_URL)
    if url.scheme in {"http", "https"} and url.netloc and not url.query and not url.fragment:
        return []
    return [
        Warning(
            "DGR_BASE_URL is not set to an absolute address (e.g. https://dgr.regionvarmland.se).",
            hint="Links in the e-mails DGR sends are built from it.",
            id="dgr.W001",
        )
    ]


@register(Tags.security, deploy=True)
def seal_certificate_check(app_configs, **kwargs):
    """Final reports, signed minutes and excerpts carry the region's seal only when its certificate is
    configured; without it they go out unsealed (core/seal.py says why that, rather than refusing)."""
    from pathlib import Path

    path = settings.DGR_SEAL_PKCS12
    if path and Path(path).is_file():
        return []
    return [
        Warning(
            "No seal certificate: final annual reports, signed minutes and excerpts go out without an "
            "electronic seal."
            if not path
            else f"DGR_SEAL_PKCS12 names no readable file ({path}).",
            hint="Set DGR_SEAL_PKCS12 (a PKCS#12 file) and DGR_SEAL_PASSPHRASE (README: Elektronisk stämpel)",
            id="dgr.W010",
        )
    ]
