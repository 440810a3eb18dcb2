"""Writes of the archive: asking for a package and building it (the worker's part).

`package_request` records who asked for which package and queues the worker's job in the same
transaction (a request that fails queues nothing); `package_build` assembles the records
(archive/contents.py), packs them (archive/eark.py) and stores the zip with its SHA-256. Both leave
history: the row's history names who asked (or the command), and when it became ready or failed.
"""

import hashlib
import logging

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounting.models import FiscalYear, Fund
from archive import contents, eark, permissions
from archive.models import ArchivePackage, PackageKind, PackageStatus
from initiatives.models import CLOSED_STATUSES, Initiative
from people.models import User

logger = logging.getLogger("dgr.archive")


def _save(package: ArchivePackage, *, user: User | None, reason: str) -> None:
    package.full_clean()
    package._history_user = user
    package._change_reason = reason
    package.save()


def package_check_subject(*, kind: str, initiative: Initiative | None, fund: Fund | None, year: int | None):
    """Only what is closed is archived: an initiative that has ended, a fiscal year that is closed."""
    if kind == PackageKind.INITIATIVE:
        if initiative is None or initiative.status not in CLOSED_STATUSES:
            raise ValidationError(
                {
                    "initiative": _(
                        "Bara ett avslutat initiativärende kan arkiveras (avslutat, återkallat, ej "
                        "stödberättigat eller ej tillstyrkt)."
                    )
                }
            )
    elif not (fund and FiscalYear.objects.filter(fund=fund, year=year, status="closed").exists()):
        raise ValidationError({"year": _("Bara ett stängt verksamhetsår kan arkiveras.")})


@transaction.atomic
def package_request(
    *,
    kind: str,
    user: User | None,
    initiative: Initiative | None = None,
    fund: Fund | None = None,
    year: int | None = None,
    via: str = "web",
    queue: bool = True,
) -> ArchivePackage:
    """Record an export and, unless `queue=False` (the command builds it itself), queue its job."""
    from archive.tasks import archive_package_build

    if via == "web" and not permissions.can_export_archive(user):
        raise PermissionDenied
    package_check_subject(kind=kind, initiative=initiative, fund=fund, year=year)
    package = ArchivePackage(
        kind=kind,
        initiative=initiative if kind == PackageKind.INITIATIVE else None,
        fund=fund if kind == PackageKind.FISCAL_YEAR else None,
        year=year if kind == PackageKind.FISCAL_YEAR else None,
        requested_by=user,
        requested_via=via,
    )
    _save(package, user=user, reason="arkivpaket beställt" if via == "web" else "arkivpaket (manage.py)")
    if queue:
        archive_package_build.defer(package_id=package.pk)
    return package


def package_build(*, package: ArchivePackage) -> ArchivePackage:
    """The worker's part: read the records, render the PDF/A files and pack them (outside any
    transaction: rendering a large case takes a while), then store the zip. A failure is recorded on
    the package (status *failed* with the error) and raised again for the queue's retry."""
    if package.status == PackageStatus.READY:
        return package
    user = package.requested_by
    try:
        if package.kind == PackageKind.INITIATIVE:
            description, files = contents.initiative_case(package.initiative)
        else:
            description, files = contents.fiscal_year_records(package.fund, package.year)
        description = eark.PackageDescription(**{**description.__dict__, "objid": package.objid})
        data = eark.build_package(description, files, created=timezone.now())
    except Exception as error:
        logger.exception("archive package %s failed", package.pk)
        with transaction.atomic():
            package = ArchivePackage.objects.select_for_update().get(pk=package.pk)
            package.status = PackageStatus.FAILED
            package.error = str(error)[:2000]
            package.finished_at = timezone.now()
            _save(package, user=user, reason="arkivpaket misslyckades")
        raise
    with transaction.atomic():
        package = ArchivePackage.objects.select_for_update().get(pk=package.pk)
        if package.status == PackageStatus.READY:  # another worker finished first
            return package
        package.file.save(package.filename, ContentFile(data), save=False)
        package.sha256 = hashlib.sha256(data).hexdigest()
        package.size = len(data)
        package.status = PackageStatus.READY
        package.error = ""
        package.finished_at = timezone.now()
        _save(package, user=user, reason="arkivpaket skapat")
    return package
