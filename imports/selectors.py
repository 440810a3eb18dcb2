"""Reads for the import pages."""

from dataclasses import dataclass

from django.utils.formats import number_format
from django.utils.translation import gettext as _

from imports import permissions
from imports.models import Import, ImportKind, ImportProgress


@dataclass(frozen=True)
class TemplateLink:
    kind: str
    label: str


def import_list(user):
    return (
        Import.objects.visible_to(user).select_related("fund", "uploaded_by").order_by("-uploaded_at", "-id")
    )


def template_links(user) -> list[TemplateLink]:
    return [
        TemplateLink(kind, label)
        for kind, label in ImportKind.choices
        if permissions.can_import_kind(user, kind)
    ]


@dataclass(frozen=True)
class ImportState:
    """Where an import's job is, for its page and the page's polling: running (its job waits or runs),
    stalled (the record says a job works on it, but none does: the worker stopped mid-run), the step and
    the rows done."""

    running: bool
    stalled: bool
    step: str
    done: int
    total: int
    text: str


def import_state(record: Import) -> ImportState:
    """Two queries: the progress row, and whether the import's job still waits or runs."""
    from procrastinate.contrib.django.models import ProcrastinateJob

    from imports.services import import_lock

    if not record.is_running:
        return ImportState(False, False, "", record.total_rows, record.total_rows, "")
    progress = ImportProgress.objects.filter(record=record).first() or ImportProgress(record=record)
    working = ProcrastinateJob.objects.filter(
        queueing_lock=import_lock(record), status__in=["todo", "doing"]
    ).exists()
    step = ImportProgress.Step(progress.step)
    text = f"{record.status_label}: {step.label}"
    if step in (ImportProgress.Step.ROWS, ImportProgress.Step.SAVING) and progress.total:
        text += ", " + _("rad %(done)s av %(total)s") % {
            "done": number_format(progress.done, force_grouping=True),
            "total": number_format(progress.total, force_grouping=True),
        }
    if not working:
        text = _("Körningen avbröts utan att bli klar, och inget skapades. Kontakta förvaltningen.")
    return ImportState(working, not working, step, progress.done, progress.total, text)
