"""Background work of the imports: the dry run and the real run of an uploaded file.

A file of 2 000 rows takes longer than a web request may (every row goes through the other apps' services,
with their history), so a worker runs it and the record's page shows its progress. No retries: a run that
breaks off has created nothing (one transaction), and the person who started it decides whether to try
again; the record carries the error in Swedish (`import_failed`) and the failed job stays in the queue's
table for administrators. One job per import at a time (the queueing lock, and the record's status: see
`import_run_request`).
"""

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _
from procrastinate.contrib.django import app

from core.history import acting_as
from core.language import in_swedish
from imports import services
from imports.models import Import, ImportProgress
from imports.progress import ProgressWriter


def _run(*, import_id: int, user_id: int, service, broke_off: str) -> str:
    record = Import.objects.get(pk=import_id)
    user = get_user_model().objects.get(pk=user_id)
    with ProgressWriter(record.pk) as progress:
        progress.step(ImportProgress.Step.READING)
        try:
            with acting_as(user, "import"):
                record = service(record=record, user=user, progress=progress)
        except Exception as exc:
            with in_swedish():
                if isinstance(exc, ValidationError | PermissionDenied):
                    reason = " ".join(getattr(exc, "messages", None) or [str(exc)])
                else:  # the details are for administrators (the job's row and the worker's log)
                    reason = _("Ett tekniskt fel inträffade; förvaltningen ser felet i arbetarens logg.")
                services.import_failed(record=record, user=user, error=f"{broke_off} {reason}")
            raise
    return record.status


@app.task(name="imports.import_check", queue="imports")
def import_check_job(*, import_id: int, user_id: int) -> str:
    with in_swedish():
        broke_off = _("Provkörningen avbröts och inget skapades.")
    return _run(import_id=import_id, user_id=user_id, service=services.import_check, broke_off=broke_off)


@app.task(name="imports.import_run", queue="imports")
def import_run_job(*, import_id: int, user_id: int) -> str:
    with in_swedish():
        broke_off = _("Importen avbröts och inget skapades.")
    return _run(import_id=import_id, user_id=user_id, service=services.import_run, broke_off=broke_off)
