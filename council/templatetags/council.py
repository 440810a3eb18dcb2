from django import template
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe

from council.models import Outcome

register = template.Library()


@register.simple_tag(takes_context=True)
def stance_rows(context, rows):
    """The <tr> lines of an item's stance table: party, stance (or absent, or a dash), reason.

    A meeting page has one line per party and item (17 × 20 = 340): written in the template language
    they cost about 190 function calls each and were most of the page's time. Here each text is escaped
    once (a party's name and a label repeat on every item) and a line costs a handful of calls."""
    escaped = context.render_context.setdefault("stance_rows_escaped", {})  # shared by the page's items

    def once(text):
        key = id(text)  # the parties and the lazy labels are the same objects on every item
        if key not in escaped:
            escaped[key] = escape(str(text))  # str(): a lazy label translated now, in the page's language
        return escaped[key]

    return mark_safe(  # noqa: S308 - every text in it went through escape()
        "\n".join(
            f'<tr><th scope="row">{once(row.party.name)}</th><td>{once(row.label)}</td>'
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
