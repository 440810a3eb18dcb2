"""Database helpers shared by the apps."""

from django.db.models import Func, JSONField, TextField
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


class JSONRow(Func):
    """`JSONRow(pk="pk", area="action_area__name")`: a row as a JSON object, for the arrays of rows a page
    reads beside its main row (`ArraySubquery(qs.values(row=JSONRow(...)))`). The same object as Django's
    JSONObject, at about half the cost to build and compile: Django's writes each key as a parameter and
    wraps it in a cast on every compile, which was a tenth of the initiative page's time with its
    handful of such arrays. The keys here are Python identifiers written into the SQL as literals (no
    quoting can break out of them), so only the values are expressions."""

    function = "JSONB_BUILD_OBJECT"
    output_field = JSONField()

    def __init__(self, **fields):
        for key in fields:
            if not key.isidentifier():
                raise ValueError(f"JSONRow keys are identifiers, not {key!r}")
        self.keys = tuple(fields)
        super().__init__(*fields.values())

    def as_sql(self, compiler, connection, **extra_context):
        pairs, params = [], []
        for key, expression in zip(self.keys, self.get_source_expressions(), strict=True):
            sql, expression_params = compiler.compile(expression)
            pairs.append(f"'{key}', {sql}")
            params.extend(expression_params)
        return f"{self.function}({', '.join(pairs)})", params
