"""Start the test OpenID Connect provider: migrate its own database, make the people and DGR's client
application, then serve. Configured by environment variables (tests/browser/test_single_sign_on.py).

    OIDC_TEST_PORT, OIDC_TEST_ISSUER, OIDC_TEST_CLIENT_ID, OIDC_TEST_CLIENT_SECRET,
    OIDC_TEST_REDIRECT_URI, OIDC_TEST_PEOPLE ("username:password:e-mail:first:last;…")
"""

import os

import django
from django.core.management import call_command


def main() -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "tests.oidc_provider.settings"
    django.setup()
    call_command("migrate", verbosity=0)

    from django.contrib.auth.models import User
    from oauth2_provider.models import Application

    for entry in os.environ["OIDC_TEST_PEOPLE"].split(";"):
        username, password, email, first, last = entry.split(":")
        user, _ = User.objects.get_or_create(username=username)
        user.email, user.first_name, user.last_name = email, first, last
        user.set_password(password)
        user.save()
    Application.objects.filter(client_id=os.environ["OIDC_TEST_CLIENT_ID"]).delete()
    Application.objects.create(
        name="DGR",
        client_id=os.environ["OIDC_TEST_CLIENT_ID"],
        client_secret=os.environ["OIDC_TEST_CLIENT_SECRET"],
        client_type=Application.CLIENT_CONFIDENTIAL,
        authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
        redirect_uris=os.environ["OIDC_TEST_REDIRECT_URI"],
        algorithm=Application.RS256_ALGORITHM,
        skip_authorization=True,
    )
    call_command("runserver", f"127.0.0.1:{os.environ['OIDC_TEST_PORT']}", "--noreload", "--skip-checks")


if __name__ == "__main__":
    main()
