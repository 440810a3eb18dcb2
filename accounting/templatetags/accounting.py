from django import template
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from core.templatetags.dgr import isodate

register = template.Library()


@register.simple_tag
def journal_rows(entries, fund_slug: str):
    """The <tr> lines of a journal page: each verification's number, date and text span its lines.

    A page holds 50 verifications and their lines: in the template language each line cost about a
    hundred function calls and the table most of the page's time (as council's stance_rows). Every
    text from the database goes through escape()."""
    corrects = escape(_("Rättar"))
    html = []
    for entry in entries:
        span = len(entry.lines)
        url = reverse("accounting:verification-detail", args=[fund_slug, entry.pk])
        reverses = (
            f' <span class="field__help">{corrects} {escape(entry.reverses_label)}</span>'
            if entry.reverses_label
            else ""
        )
        for index, line in enumerate(entry.lines):
            head = (
                f'<th scope="row" rowspan="{span}">'
                f'<a href="{escape(url)}">{escape(entry.number_label)}</a></th>'
                f'<td rowspan="{span}" class="nowrap">{isodate(entry.booking_date)}</td>'
                f'<td rowspan="{span}">{escape(entry.text)} <span class="tag">{escape(entry.kind)}</span>'
                f"{reverses}</td>"
                if index == 0
                else ""
            )
            html.append(
                f"<tr>{head}<td>{escape(line.account)}</td><td>{line.capital_part}</td>"
                f'<td class="num">{line.debit}</td><td class="num">{line.credit}</td></tr>'
            )
    return mark_safe("\n".join(html))  # noqa: S308 - every text in it went through escape()
