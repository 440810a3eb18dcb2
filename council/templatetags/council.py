import html

from django import template
from django.template.defaultfilters import linebreaksbr
from django.urls import reverse
from django.utils.formats import localize
from django.utils.html import format_html
from django.utils.safestring import SafeData, SafeString, mark_safe
from django.utils.translation import gettext as _

from core.templatetags.dgr import isodatetime, kr
from council.models import MeetingStatus, Outcome

register = template.Library()


def stance_rows(lines, escaped: dict) -> str:
    """The <tr> lines of an item's stance table from (party, label, reason): party, stance (or absent, or
    a dash), reason.

    A meeting page has one line per party and item (17 × 20 = 340): written in the template language
    they cost about 190 function calls each and were most of the page's time. Here a line costs a few:
    the party names and the labels are escaped once for the page (`escaped`, shared by its items)."""
    out = []
    for party, lazy, reason in lines:  # one shared lazy label per kind: translated once, here
        name = escaped.get(("party", party.pk))
        if name is None:
            name = escaped[("party", party.pk)] = _escape(party.name)
        text = escaped.get(("label", id(lazy)))
        if text is None:
            # Kept with its lazy label, so that the id stays that label's for the page.
            escaped[("lazy", id(lazy))] = lazy
            text = escaped[("label", id(lazy))] = _escape(lazy)
        reason = _escape(reason) if reason else ""
        out.append(f'<tr><th scope="row">{name}</th><td>{text}</td><td>{reason}</td></tr>')
    return mark_safe("\n".join(out))  # noqa: S308 - every text in it escaped


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


# --- An item on the meeting page -------------------------------------------------------------------------


def _item_labels(context) -> dict[str, str]:
    """The item's fixed texts, translated and escaped once for the page (20 items × 20 texts)."""
    labels = context.render_context.get("council_item_labels")
    if labels is None:
        labels = {
            key: _escape(text)
            for key, text in {
                "annulled_recording": _("Annullerad registrering"),
                "registration_number": _("Diarienummer"),
                "presenter": _("Föredragande"),
                "deferred_from": _("Bordlagt från"),
                "corrects": _("Rättar"),
                "proposed_decision": _("Förslag till beslut"),
                "outcome": _("Utfall"),
                "annulled": _("Annullerad"),
                "by": _("av"),
                "supported_amount": _("Tillstyrkt belopp"),
                "after_blocking": _("Efter blockering"),
                "proposed_amount": _("Föreslaget belopp"),
                "rules": _("Arbetsordning"),
                "version": _("version"),
                "documents": _("Handlingar"),
                "addition": _("Tillägg:"),
                "recusal": _("Jäv"),
                "possible_recusal": _("Möjligt jäv:"),
                "stances": _("Parternas ställningstaganden"),
                "party": _("Part"),
                "stance": _("Ställningstagande"),
                "reason": _("Motivering"),
            }.items()
        }
        context.render_context["council_item_labels"] = labels
    return labels


def _page_cache(context, key: str) -> dict:
    """A dict kept for the rest of the page's rendering (its items share it)."""
    cache = context.render_context.get(key)
    if cache is None:
        cache = context.render_context[key] = {}
    return cache


# A paragraph number no meeting reaches, standing in for the number in a paragraph's URL.
_STAND_IN = 987654321


def _paragraph_url(context, name: str, meeting_pk: int, number: int) -> str:
    """reverse(name, args=[meeting_pk, number]), reversed once for the page: its URL with a stand-in
    number, and each paragraph's number put in the stand-in's place (the last path segment that has it).
    Reversing costs about as much as the rest of an item, twice per item."""
    urls = _page_cache(context, "council_paragraph_urls")
    if name not in urls:
        urls[name] = reverse(name, args=[meeting_pk, _STAND_IN]).rpartition(str(_STAND_IN))
    head, _stand_in, tail = urls[name]
    return f"{head}{number}{tail}"


def _escape(value) -> str:
    """Django's escape() (the same html.escape of the text), without its lazy-text wrapper: called a few
    hundred times a page. Text already safe (a tag's markup, linebreaksbr's output) is kept as it is."""
    if isinstance(value, SafeData):
        return value
    return SafeString(html.escape(str(value)))


def _text(value) -> str:
    """A long text as |linebreaksbr shows it: escaped, line breaks as <br>."""
    return linebreaksbr(value, autoescape=True)


def _name(person) -> str:
    return person.get_full_name() or person.username


@register.simple_tag(takes_context=True)
def agenda_item(context, view):
    """An item's section on the meeting page: heading, facts, texts, documents, jäv, the parties' stances
    and the paragraph's links.

    Written in the template language (an included template per item) it was over half the page's time:
    about fifty variable lookups and conditions per item, twenty items. Here an item costs a few dozen
    function calls. Every value is escaped (_escape, format_html); the labels once for the page."""
    label = _item_labels(context)
    meeting = context["meeting"]
    item, paragraph = view.item, view.paragraph
    pk = _escape(localize(item.pk))
    number = _escape(localize(paragraph.number)) if paragraph else None
    title = _escape(item.title)
    if item.is_annulled:
        title = f'<del>{title}</del> <span class="tag tag--warn">{label["annulled_recording"]}</span>'
    heading = f"§ {number}" if paragraph else f"{_escape(localize(item.order))}."
    parts = [
        f'<section class="card" aria-labelledby="item-{pk}">',
        f'<h3 id="item-{pk}">{heading} {title}</h3>',
    ]

    facts = []

    def fact(term: str, definition) -> None:
        facts.append(f"<dt>{label[term]}</dt>\n<dd>{_escape(definition)}</dd>")

    if item.initiative:
        initiative = item.initiative
        fact(
            "registration_number",
            format_html("{} ({})", initiative.registration_number, initiative.party.name),
        )
    if item.presenter:
        fact("presenter", item.presenter)
    if item.deferred_from:
        fact("deferred_from", item.deferred_from.meeting)
    if item.corrects:
        fact("corrects", format_html("§ {} ({})", localize(item.corrects.number), item.corrects.year))
    proposed_decision = getattr(item, "proposed_decision", "")
    if proposed_decision and not item.outcome:
        fact("proposed_decision", proposed_decision)
    if item.outcome:
        fact("outcome", format_html("{} {}", outcome_tag(item), "" if paragraph else item.outcome_detail))
    if item.is_annulled:
        fact(
            "annulled",
            format_html(
                "{} {} {}: {}",
                isodatetime(item.annulled_at),
                label["by"],
                _name(item.annulled_by),
                item.annulment_reason,
            ),
        )
    derived = paragraph is not None and paragraph.derived
    position, proposal = item.position_cached, item.proposal_cached
    if position and position.supported_amount and not derived:
        fact("supported_amount", kr(position.supported_amount))
    if position and position.resolution and not derived:
        fact("after_blocking", position.get_resolution_display())
    if proposal and proposal.proposed_amount and not derived:
        fact("proposed_amount", kr(proposal.proposed_amount))
    if item.rules:
        fact("rules", format_html("{} {}", label["version"], localize(item.rules.version)))
    parts.append('<dl class="facts">' + "\n".join(facts) + "</dl>")

    if item.description:
        parts.append(f'<p class="prose">{_text(item.description)}</p>')
    if view.documents:
        parts.append(f"<h4>{label['documents']}</h4>")
        parts.append(
            "<ul>"
            + "".join(
                format_html(
                    '<li><a href="{}">{}</a> <span class="muted">({})</span></li>',
                    reverse("council:document-download", args=[meeting.pk, document.pk]),
                    document.title,
                    document.original_name,
                )
                for document in view.documents
            )
            + "</ul>"
        )
    if paragraph:
        parts.append(f'<p class="prose">{_text(paragraph.text)}</p>')
        if paragraph.addition:
            parts.append(
                f'<p class="prose"><strong>{label["addition"]}</strong> {_text(paragraph.addition)}</p>'
            )
    elif item.statement:
        parts.append(f'<p class="prose"><strong>{label["addition"]}</strong> {_text(item.statement)}</p>')
    parts.extend(_recusals(context, view, label))
    if view.has_stances:
        parts.append(
            f'<div class="table-wrap"><table><caption>{label["stances"]}</caption><thead><tr>'
            f'<th scope="col">{label["party"]}</th><th scope="col">{label["stance"]}</th>'
            f'<th scope="col">{label["reason"]}</th></tr></thead>'
            f"<tbody>{stance_rows(view.lines(), _page_cache(context, 'council_stance_texts'))}</tbody>"
            "</table></div>"
        )
    if paragraph:
        # As {% blocktranslate %}: the catalogue's text as it stands, the number escaped.
        excerpt = _("Protokollsutdrag § %(number)s (PDF)") % {"number": number}
        url = _paragraph_url(context, "council:paragraph-excerpt-pdf", meeting.pk, paragraph.number)
        links = [f'<a href="{_escape(url)}">{excerpt}</a>']
        if context.get("can_manage") and meeting.status == MeetingStatus.HELD:
            edit = _("Ändra texten i § %(number)s") % {"number": number}
            url = _paragraph_url(context, "council:paragraph-edit", meeting.pk, paragraph.number)
            links.append(f'<a href="{_escape(url)}">{edit}</a>')
        parts.append("<p>" + " · ".join(links) + "</p>")
    parts.append("</section>")
    return mark_safe("\n".join(parts))  # noqa: S308 - every value in it escaped


def _recusals(context, view, label) -> list[str]:
    """An item's jäv: who declared it and did not take part (everyone reads it, as in the minutes); who
    may be disqualified by their declared interests (the secretariat, and each person their own)."""
    parts = []
    if view.recusals:
        parts.append(f"<h4>{label['recusal']}</h4>")
        lines = []
        for recusal in view.recusals:
            # As {% blocktranslate %}: the catalogue's sentence as it stands, the name escaped.
            text = _("%(person)s anmälde jäv och deltog inte i handläggningen.") % {
                "person": _escape(_name(recusal.person))
            }
            ground = f" ({_escape(recusal.ground)})" if recusal.ground else ""
            lines.append(f"<li>{text}{ground}</li>")
        parts.append("<ul>" + "".join(lines) + "</ul>")
    can_manage, user = context.get("can_manage"), context.get("user")
    for conflict in view.conflicts:
        if can_manage or conflict.person == user:
            parts.append(
                f'<p class="alert alert--warning"><strong>{label["possible_recusal"]}</strong> '
                f"{_escape(_name(conflict.person))} – {_escape(conflict.reason)}</p>"
            )
    return parts
