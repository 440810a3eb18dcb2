from django import template
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe

from council.models import Outcome

register = template.Library()


@register.simple_tag
def stance_rows(rows):
    """The <tr> lines of an item's stance table: party, stance (or absent, or a dash), reason.

    A meeting page has one line per party and item (17 × 20 = 340): written in the template language
    they cost about 190 function calls each and were most of the page's time. Here a line costs a few
    dozen: each distinct text is escaped once per table."""
    escaped = {}
    labels = {}  # id -> (the lazy label, kept alive so its id stays its own; its escaped translation)

    def once(text: str) -> str:
        if text not in escaped:
            escaped[text] = escape(text)
        return escaped[text]

    def label(row) -> str:
        lazy = row.label  # one shared lazy object per kind: translating it per line would cost more
        if id(lazy) not in labels:
            labels[id(lazy)] = (lazy, escape(str(lazy)))
        return labels[id(lazy)][1]

    return mark_safe(  # noqa: S308 - every text in it went through escape()
        "\n".join(
            f'<tr><th scope="row">{once(row.party.name)}</th><td>{label(row)}</td>'
            f"<td>{escape(row.reason) if row.reason else ''}</td></tr>"
            for row in rows
        )
    )


_OUTCOME_LABELS = dict(Outcome.choices)
_OUTCOME_TONES = {
    Outcome.CONSENSUS: "ok",
    Outcome.PROPOSED: "ok",
    Outcome.NOTED: "ok",
    Outcome.NO_CONSENSUS: "error",
}


@register.simple_tag
def outcome_tag(item):
    """An item's outcome as a coloured tag (nothing before it is decided): green when the council
    agreed or took note, red without consensus, amber when deferred or not decidable."""
    if not item.outcome:
        return ""
    return format_html(
        '<span class="tag tag--{}">{}</span>',
        _OUTCOME_TONES.get(item.outcome, "warn"),
        _OUTCOME_LABELS[item.outcome],
    )
