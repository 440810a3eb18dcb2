"""Outcome reporting pages: what is due, handing in a report, the secretariat's review. Thin views."""

import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core import uploads
from core.forms import apply_service_error
from initiatives.models import Initiative
from initiatives.permissions import is_secretariat
from outcomes import forms, permissions, selectors, services
from outcomes.models import OutcomeAttachment, OutcomeKind, OutcomeReport


def _visible(user, pk) -> Initiative:
    initiative = get_object_or_404(
        Initiative.objects.visible_to(user).select_related("party").prefetch_related("decisions"), pk=pk
    )
    if not permissions.can_view_outcomes(user, initiative):
        raise Http404
    return initiative


def _report(user, pk) -> OutcomeReport:
    try:
        report = selectors.outcome_report_detail(pk)
    except OutcomeReport.DoesNotExist as exc:
        raise Http404 from exc
    if not permissions.can_view_outcomes(user, report.initiative):
        raise Http404
    return report


def outcome_overview(request):
    """Initiators: what their party owes. The secretariat: reports to review and everything due."""
    today = timezone.localdate()
    due = selectors.outcomes_due(request.user, today)
    return render(
        request,
        "outcomes/outcome_overview.html",
        {
            "due": due,
            "today": today,
            "to_review": list(selectors.outcome_reports_to_review()) if is_secretariat(request.user) else [],
        },
    )


def outcome_schedule(request, pk):
    initiative = _visible(request.user, pk)
    return render(
        request,
        "outcomes/outcome_schedule.html",
        {
            "initiative": initiative,
            "schedule": selectors.outcome_schedule(initiative),
            "reports": initiative.outcome_reports.select_related("submitted_by").order_by("-submitted_at"),
            "can_report": permissions.can_report_outcome(request.user, initiative),
            "today": timezone.localdate(),
        },
    )


def outcome_submit(request, pk, kind, due):
    initiative = _visible(request.user, pk)
    if not permissions.can_report_outcome(request.user, initiative):
        raise PermissionDenied
    try:
        due_on = datetime.date.fromisoformat(due)
    except ValueError as exc:
        raise Http404 from exc
    slot = next(
        (d for d in selectors.outcome_schedule(initiative) if d.kind == kind and d.due_on == due_on),
        None,
    )
    if slot is None or kind not in OutcomeKind.values:
        raise Http404
    initial = {"period_start": slot.period_start, "period_end": slot.period_end}
    form = forms.OutcomeReportForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            report = services.outcome_report_submit(
                initiative=initiative,
                user=request.user,
                kind=kind,
                due_on=due_on,
                data=form.cleaned_data,
                indicators=form.indicators(),
                uploads=request.FILES.getlist("files"),
            )
        except ValidationError as error:
            apply_service_error(form, error)
        else:
            messages.success(request, _("Rapporten är inlämnad. Sekretariatet granskar den."))
            return redirect(report.get_absolute_url())
    return render(
        request,
        "outcomes/outcome_form.html",
        {"initiative": initiative, "slot": slot, "form": form},
        status=400 if request.method == "POST" else 200,
    )


def outcome_detail(request, pk):
    report = _report(request.user, pk)
    can_review = permissions.can_review_outcome(request.user, report)
    return render(
        request,
        "outcomes/outcome_detail.html",
        {
            "report": report,
            "initiative": report.initiative,
            "can_review": can_review,
            "review_form": forms.OutcomeReviewForm() if can_review else None,
        },
    )


@require_POST
def outcome_review(request, pk):
    report = _report(request.user, pk)
    if not permissions.can_review_outcome(request.user, report):
        raise PermissionDenied
    form = forms.OutcomeReviewForm(request.POST)
    if form.is_valid():
        try:
            reviewed = services.outcome_report_review(
                report=report,
                user=request.user,
                approve=form.cleaned_data["decision"] == "approve",
                comment=form.cleaned_data["comment"],
            )
        except ValidationError as error:
            apply_service_error(form, error)
        else:
            messages.success(request, _("Granskningen är sparad."))
            for note in reviewed.completion_notes:  # e.g. what became of the unused reservation
                messages.info(request, note)
            return redirect(report.get_absolute_url())
    return render(
        request,
        "outcomes/outcome_detail.html",
        {"report": report, "initiative": report.initiative, "can_review": True, "review_form": form},
        status=400,
    )


def outcome_attachment_download(request, pk, attachment_id):
    report = _report(request.user, pk)
    attachment = get_object_or_404(OutcomeAttachment, report=report, pk=attachment_id)
    return uploads.file_response(
        file=attachment.file, name=attachment.original_name, content_type=attachment.content_type
    )
