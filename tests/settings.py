"""Settings for the test suite: the real settings with what a test run needs on top."""

import os

os.environ.setdefault(
    "DJANGO_SECRET_KEY", "test-only-secret-key-with-enough-length-for-django-checks-0123456789"
)
# Playwright's sync API runs an event loop in the test thread; pytest-django's live server teardown
# then trips Django's async-safety check. Test configuration only.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

from dgr.settings import *  # noqa: F403

DEBUG = False
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
# The live server for browser tests speaks plain HTTP; the production values are checked by
# `check --deploy` in `make test` and by tests that send secure requests.
SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
# `__Host-` cookies need Secure: the names follow the flags (tests/core/test_sessions.py checks both).
SESSION_COOKIE_NAME = cookie_name("sessionid", secure=SESSION_COOKIE_SECURE)  # noqa: F405
CSRF_COOKIE_NAME = cookie_name("csrftoken", secure=CSRF_COOKIE_SECURE)  # noqa: F405
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "http"  # links in mails (reset, single sign-on callback) to the live server
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# The other apps' tests and journeys log in finance, the secretariat and administrators without a second
# factor; the rule itself is tested with it on (tests/people/test_two_factor.py, the browser journeys).
DGR_REQUIRE_MFA = False
MEDIA_ROOT = BASE_DIR / "var" / "test-media"  # noqa: F405
WHITENOISE_AUTOREFRESH = True
# Lets core's `flush` command empty the ledger's tables between tests with real commits (the owner role
# sets the TRUNCATE switch for that one statement); no production setting has it.
DGR_TEST_FLUSH_ALLOWED = True
# Mails' links are absolute; the tests' host.
DGR_BASE_URL = "http://testserver"
# Connections closed after each unit of work: the task queue's worker runs tasks in threads of its own,
# whose connections must not outlive the test (the test database is dropped at the end).
DATABASES["default"]["CONN_MAX_AGE"] = 0  # noqa: F405
