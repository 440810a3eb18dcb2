"""Database helpers shared by the apps."""

from django.db.models import Func, Value
from django.db.models.functions import Lower

# Swedish alphabetical order (… Sunne, Säffle, Torsby, Årjäng) on every PostgreSQL we run on: the
# embedded server has no ICU and only the C locale, where ORDER BY puts Å/Ä/Ö wrongly and upper case
# first. Mapping å, ä, ö to the three code points after 'z' gives the Swedish order in any collation;
# é/ü/æ/ø fold to their Swedish places. Upper case letters are mapped explicitly because lower() in
# the C locale leaves non-ASCII letters alone.
_FROM = "ÅÄÖÆØÉÈÜåäöæøéèü"
_TO = "{|}|}eey{|}|}eey"


class SwedishSortKey(Func):
    """`order_by(SwedishSortKey("name"))`: a sort key that orders text the Swedish way."""

    function = "translate"
    output_field = None

    def __init__(self, expression, **extra):
        from django.db.models import TextField

        super().__init__(Lower(expression), Value(_FROM), Value(_TO), output_field=TextField(), **extra)


def swedish_sort_key(text: str) -> str:
    """The same key in Python, for sorting small lists already in memory."""
    return text.lower().translate(str.maketrans(_FROM, _TO))
