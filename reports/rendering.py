"""The reports' PDFs: a selector's dataclass → HTML (templates/reports/pdf/) → core.pdf (WeasyPrint, safe
fetcher, embedded fonts, PDF/A-3a). Always rendered in Swedish, whatever the user's language."""

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from core.language import in_swedish
from core.pdf import render_pdf
from reports import selectors


def balance_html(report: selectors.BalanceReport) -> str:
    with in_swedish():
        title = _("Balansrapport %(year)s – %(fund)s") % {"year": report.year, "fund": report.fund_name}
        return render_to_string(
            "reports/pdf/balance_report.html",
            {"report": report, "title": title, "generated_at": timezone.localtime()},
        )


def outcome_html(report: selectors.OutcomeReport) -> str:
    with in_swedish():
        title = _("Utfallsrapport %(year)s – %(fund)s") % {"year": report.year, "fund": report.fund_name}
        return render_to_string(
            "reports/pdf/outcome_report.html",
            {"report": report, "title": title, "generated_at": timezone.localtime()},
        )


def render_balance_pdf(report: selectors.BalanceReport, *, base_url: str, fetcher=None) -> bytes:
    return render_pdf(balance_html(report), base_url=base_url, fetcher=fetcher)


def render_outcome_pdf(report: selectors.OutcomeReport, *, base_url: str, fetcher=None) -> bytes:
    return render_pdf(outcome_html(report), base_url=base_url, fetcher=fetcher)
