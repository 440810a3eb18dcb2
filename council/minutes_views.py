"""Pages for the minutes' integrity: open the meeting (chair and adjusters), reopen the attendance,
annul a recording. Thin: authorise (the secretariat, a meeting not yet signed), call one service."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from core.forms import apply_service_error
from council import minutes, protocol
from council.minutes_forms import OpenForm, ReasonForm
from council.models import AgendaItem
from council.views import _managed_meeting


def meeting_open(request, pk):
    meeting = _managed_meeting(request, pk)
    candidates = list(protocol.signatory_candidates(meeting))
    chosen = protocol.signers(meeting)
    initial = {
        "chair": next((str(s.user_id) for s in chosen if s.role == s.Role.CHAIR), ""),
        "adjusters": [str(s.user_id) for s in chosen if s.role == s.Role.ADJUSTER],
    }
    form = OpenForm(request.POST or None, candidates=candidates, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            minutes.meeting_open(meeting=meeting, user=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_service_error(form, error)
        else:
            messages.success(request, _("Ordförande och justerare är valda."))
            return redirect("council:meeting-manage", meeting.pk)
    return render(
        request, "council/meeting_open.html", {"meeting": meeting, "form": form, "candidates": candidates}
    )


def attendance_reopen(request, pk):
    meeting = _managed_meeting(request, pk)
    form = ReasonForm(request.POST or None, label=_("Varför ändras närvaron?"))
    if request.method == "POST" and form.is_valid():
        try:
            minutes.attendance_reopen(meeting=meeting, user=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_service_error(form, error)
        else:
            messages.success(request, _("Närvaron är öppnad igen. Ändra den och spara."))
            return redirect("council:meeting-manage", meeting.pk)
    return render(request, "council/attendance_reopen.html", {"meeting": meeting, "form": form})


def item_annul(request, pk, item_pk):
    meeting = _managed_meeting(request, pk)
    item = get_object_or_404(
        AgendaItem.objects.select_related("initiative"), meeting=meeting, pk=item_pk, annulled_at__isnull=True
    )
    form = ReasonForm(request.POST or None, label=_("Varför annulleras registreringen?"))
    if request.method == "POST" and form.is_valid():
        try:
            minutes.item_annul(item=item, user=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_service_error(form, error)
        else:
            messages.success(
                request,
                _("Registreringen är annullerad. Ärendet står kvar på listan och kan registreras igen."),
            )
            return redirect("council:meeting-manage", meeting.pk)
    return render(request, "council/item_annul.html", {"meeting": meeting, "item": item, "form": form})
