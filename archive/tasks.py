"""Background work of the archive: building an information package (rendering PDF/A, packing)."""

from procrastinate import RetryStrategy
from procrastinate.contrib.django import app

from archive.models import ArchivePackage
from archive.services import package_build


@app.task(name="archive.package_build", queue="archive", retry=RetryStrategy(max_attempts=3, wait=30))
def archive_package_build(*, package_id: int) -> int:
    package = ArchivePackage.objects.select_related("initiative__party", "fund", "requested_by").get(
        pk=package_id
    )
    return package_build(package=package).pk
