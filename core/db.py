"""Database helpers shared by the apps."""

from django.db.models import Func, TextField
from django.db.models.functions import Lower

# Swedish alphabetical order (… Sunne, Säffle, Torsby, Årjäng) on every PostgreSQL we run on: the
# embedded server has no ICU and only the C locale, where ORDER BY puts Å/Ä/Ö wrongly and upper case
# first. Mapping å, ä, ö to the three code points after 'z' gives the Swedish order in any collation;
# é/ü/æ/ø fold to their Swedish places. Upper case letters are mapped explicitly because lower() in
# the C locale leaves non-ASCII letters alone.
_FROM = "ÅÄÖÆØÉÈÜåäöæøéèü"
_TO = "{|}|}eey{|}|}eey"


class SwedishSortKey(Func):
    """`order_by(SwedishSortKey("name"))`: a sort key that orders text the Swedish way.

    The two alphabets are SQL literals, not parameters: with parameters bound on the server, the same
    key in SELECT DISTINCT and ORDER BY would be two different expressions ($1, $2 against $3, $4)."""

    template = f"translate(%(expressions)s, '{_FROM}', '{_TO}')"
    output_field = TextField()

    def __init__(self, expression, **extra):
        super().__init__(Lower(expression), **extra)


def swedish_sort_key(text: str) -> str:
    """The same key in Python, for sorting small lists already in memory."""
    return text.lower().translate(str.maketrans(_FROM, _TO))
