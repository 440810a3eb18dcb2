"""Reads of the archive: what can be archived, the packages, and what a PDF is a copy of."""

import hashlib
from dataclasses import dataclass

from django.utils.translation import gettext as _

from accounting.models import FiscalYear
from archive.models import ArchivePackage
from core.seal import SealCheck, seal_check
from council.models import SealedCopy
from initiatives.models import CLOSED_STATUSES, Initiative
from reports.models import ReportArchive


def closed_initiatives():
    return (
        Initiative.objects.filter(status__in=CLOSED_STATUSES, registration_year__isnull=False)
        .select_related("party")
        .order_by("-registration_year", "-registration_serial")
    )


def closed_fiscal_years():
    return FiscalYear.objects.filter(status="closed").select_related("fund").order_by("fund__name", "-year")


def package_list():
    return ArchivePackage.objects.select_related("initiative", "fund", "requested_by").order_by(
        "-requested_at", "-id"
    )[:100]


@dataclass(frozen=True)
class Verdict:
    """The public check of one PDF: its SHA-256, what in DGR's archive it is a copy of (if anything), and
    its seal."""

    sha256: str
    matches: list[str]
    seal: SealCheck


def document_matches(sha256: str) -> list[str]:
    """Names of the documents in DGR's archive with this SHA-256: final annual reports and the sealed
    copies of signed minutes and excerpts. Only what is public is named."""
    names = [
        _("%(report)s %(year)s, %(fund)s (slutlig, arkiverad %(date)s)")
        % {
            "report": archived.get_kind_display(),
            "year": archived.year,
            "fund": archived.fund.name,
            "date": f"{archived.created_at:%Y-%m-%d}",
        }
        for archived in ReportArchive.objects.filter(sha256=sha256, is_final=True).select_related("fund")
    ]
    names += [
        _("%(title)s (e-stämplad %(date)s)") % {"title": title, "date": f"{issued_at:%Y-%m-%d}"}
        for title, issued_at in SealedCopy.objects.filter(sha256=sha256)
        .order_by("issued_at")
        .values_list("title", "issued_at")[:1]
    ]
    return names


def document_verdict(data: bytes) -> Verdict:
    sha256 = hashlib.sha256(data).hexdigest()
    return Verdict(sha256=sha256, matches=document_matches(sha256), seal=seal_check(data))
