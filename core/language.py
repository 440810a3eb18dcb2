"""The language of what DGR writes down or sends, as opposed to what one user reads.

The interface follows each user's choice (Swedish or English), but minutes texts, outcome descriptions,
account names and notification mails are records and messages of the cooperation, read by everyone:
they are written in Swedish whatever language the acting user has chosen (as the PDFs are)."""

from django.conf import settings
from django.utils import translation


def in_swedish():
    """`with in_swedish():` or `@in_swedish()`: gettext() in Swedish, the cooperation's language."""
    return translation.override(settings.LANGUAGE_CODE)
