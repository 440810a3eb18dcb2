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
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
MEDIA_ROOT = BASE_DIR / "var" / "test-media"  # noqa: F405
WHITENOISE_AUTOREFRESH = True
