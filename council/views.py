"""The council's pages: thin views that authorise, call one service or selector, and render."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.language import in_swedish
from core.pdf import render_pdf
from council import permissions, selectors, services
from council.forms import (
    AdoptionForm,
    AgreementEndForm,
    AttendanceFormSet,
    DecideForm,
    DeferForm,
    DocumentForm,
    HoldForm,
    InitiativeItemForm,
    MeetingForm,
    NoteForm,
    OtherItemForm,
    ParagraphForm,
    ProposalForm,
    StanceFormSet,
    apply_service_errors,
)
from council.models import AgendaItem, ItemDocument, Meeting, MeetingStatus, Paragraph, StanceKind
from people.models import Party


def _meeting(request, pk) -> Meeting:
    return get_object_or_404(Meeting.objects.visible_to(request.user).select_related("body"), pk=pk)


def _managed_meeting(request, pk) -> Meeting:
    meeting = _meeting(request, pk)
    if not permissions.can_manage_meeting(request.user, meeting):
        raise PermissionDenied
    return meeting


def meeting_list(request):
    year = request.GET.get("ar", "")
    year = int(year) if year.isdigit() else None
    meetings = list(selectors.meeting_list(user=request.user, year=year))
    return render(
        request,
        "council/meeting_list.html",
        {
            "meetings": meetings,
            "months": selectors.meeting_calendar(meetings),
            "year": year,
            "can_manage": permissions.can_manage_meetings(request.user),
        },
    )


def meeting_create(request):
    if not permissions.can_manage_meetings(request.user):
        raise PermissionDenied
    form = MeetingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            meeting = services.meeting_create(
                body=data["body"],
                starts_at=form.starts_at(),
                place=data["place"],
                per_capsulam=data["per_capsulam"],
                chair=data["chair"],
                secretary=data["secretary"],
                user=request.user,
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Sammanträdet är planerat. Bygg föredragningslistan."))
            return redirect("council:meeting-manage", meeting.pk)
    return render(request, "council/meeting_form.html", {"form": form})


def meeting_detail(request, pk):
    meeting = _meeting(request, pk)
    page = selectors.meeting_page(meeting=meeting)
    return render(
        request,
        "council/meeting_detail.html",
        {
            "page": page,
            "meeting": meeting,
            "can_manage": permissions.can_manage_meeting(request.user, meeting),
            "can_sign": permissions.can_sign_minutes(request.user, meeting),
            "can_view_history": permissions.can_view_history(request.user),
        },
    )


def meeting_manage(request, pk):
    """The secretariat's page: build the agenda, publish it, record attendance, close the meeting."""
    meeting = _managed_meeting(request, pk)
    action = request.POST.get("action") if request.method == "POST" else None
    # Each list is read once and shared by the forms that choose from it (the query count stays fixed).
    parties = selectors.parties_with_attendance(meeting=meeting)
    items = selectors.agenda(meeting=meeting)
    initiatives = list(selectors.initiatives_for_agenda(meeting=meeting))
    initiative_form = InitiativeItemForm(
        request.POST if action == "initiative" else None, initiatives=initiatives
    )
    other_form = OtherItemForm(
        request.POST if action == "other" else None,
        prefix="other",
        paragraphs=list(selectors.paragraphs_to_correct(meeting=meeting)),
    )
    hold_form = HoldForm(request.POST if action == "hold" else None, prefix="hold")
    document_form = DocumentForm(
        request.POST if action == "document" else None,
        request.FILES if action == "document" else None,
        prefix="doc",
        items=items,
    )
    attendance_formset = AttendanceFormSet(
        request.POST if action == "attendance" else None,
        parties=parties,
        prefix="att",
        initial=[
            {"present": p.attendance_present, "represented_by": p.attendance_by}
            if p.attendance_present is not None
            else {}
            for p in parties
        ],
    )
    if action:
        try:
            if action == "initiative" and initiative_form.is_valid():
                services.item_add(meeting=meeting, user=request.user, **initiative_form.cleaned_data)
                messages.success(request, _("Initiativet är tillagt på föredragningslistan."))
                return redirect("council:meeting-manage", meeting.pk)
            if action == "other" and other_form.is_valid():
                services.item_add(meeting=meeting, user=request.user, **other_form.cleaned_data)
                messages.success(request, _("Ärendet är tillagt på föredragningslistan."))
                return redirect("council:meeting-manage", meeting.pk)
            if action == "document" and document_form.is_valid():
                services.document_add(user=request.user, **document_form.cleaned_data)
                messages.success(request, _("Handlingen är uppladdad."))
                return redirect("council:meeting-manage", meeting.pk)
            if action in ("up", "down"):
                item_pk = request.POST.get("item", "")
                if not item_pk.isdigit():
                    raise Http404
                item = get_object_or_404(AgendaItem, meeting=meeting, pk=item_pk)
                services.item_move(item=item, up=action == "up", user=request.user)
                return redirect("council:meeting-manage", meeting.pk)
            if action == "publish":
                services.meeting_publish_agenda(meeting=meeting, user=request.user)
                messages.success(request, _("Kallelsen är publicerad."))
                return redirect("council:meeting-manage", meeting.pk)
            if action == "attendance" and attendance_formset.is_valid():
                rows = [
                    (form.party, form.cleaned_data["present"], form.cleaned_data["represented_by"])
                    for form in attendance_formset
                ]
                services.attendance_record(meeting=meeting, rows=rows, user=request.user)
                messages.success(request, _("Närvaron är sparad."))
                return redirect("council:meeting-manage", meeting.pk)
            if action == "hold" and hold_form.is_valid():
                services.meeting_hold(
                    meeting=meeting, adjusters=list(hold_form.cleaned_data["adjusters"]), user=request.user
                )
                messages.success(
                    request,
                    _(
                        "Sammanträdet är avslutat och paragraferna numrerade. "
                        "Protokollet väntar på justering."
                    ),
                )
                return redirect("council:meeting-detail", meeting.pk)
        except ValidationError as error:
            target = {
                "initiative": initiative_form,
                "other": other_form,
                "hold": hold_form,
                "document": document_form,
            }.get(action)
            if target is not None:
                apply_service_errors(target, error)
            else:
                for message in error.messages:
                    messages.error(request, message)
                if action == "publish":
                    return redirect("council:meeting-manage", meeting.pk)
                attendance_formset._non_form_errors = attendance_formset.error_class(error.messages)
    return render(
        request,
        "council/meeting_manage.html",
        {
            "meeting": meeting,
            "items": items,
            "initiatives": initiatives,
            "initiative_form": initiative_form,
            "other_form": other_form,
            "hold_form": hold_form,
            "document_form": document_form,
            "attendance_formset": attendance_formset,
            "open_for_agenda": meeting.status in services.OPEN_FOR_AGENDA,
        },
    )


def item_record(request, pk, item_pk):
    """One item at the meeting: the stances of the present parties in one form, or VRAU's proposal,
    or a note, or a deferral. Submitting stances also computes and stores the outcome."""
    meeting = _managed_meeting(request, pk)
    item = get_object_or_404(
        AgendaItem.objects.select_related("initiative", "initiative__party"), meeting=meeting, pk=item_pk
    )
    action = request.POST.get("action") if request.method == "POST" else None
    parties = selectors.parties_with_attendance(meeting=meeting)
    present_ids = {p.pk for p in parties if p.attendance_present}
    # All 17 parties in Swedish order; only those present may take a stance (pre-filled: supports).
    stance_formset = StanceFormSet(
        request.POST if action == "decide" else None,
        parties=parties,
        present=present_ids,
        prefix="st",
        initial=[{"kind": StanceKind.SUPPORTS} if p.pk in present_ids else {} for p in parties],
    )
    decide_form = DecideForm(request.POST if action == "decide" else None, prefix="dec")
    takes_position = meeting.body.takes_positions and item.initiative_id is not None
    if not takes_position:
        del decide_form.fields["supported_amount"], decide_form.fields["resolution"]
    proposal_form = ProposalForm(request.POST if action == "propose" else None, prefix="prop")
    note_form = NoteForm(request.POST if action == "note" else None, prefix="note")
    defer_form = DeferForm(
        request.POST if action == "defer" else None,
        prefix="def",
        meetings=selectors.meetings_later_than(meeting=meeting),
    )
    forms_by_action = {
        "decide": decide_form,
        "propose": proposal_form,
        "note": note_form,
        "defer": defer_form,
    }
    if action in forms_by_action:
        form = forms_by_action[action]
        valid = form.is_valid() and (action != "decide" or stance_formset.is_valid())
        if valid:
            try:
                if action == "decide":
                    stances = {
                        f.party: (f.cleaned_data["kind"], f.cleaned_data["reason"])
                        for f in stance_formset
                        if f.cleaned_data.get("kind")
                    }
                    services.item_decide(
                        item=item, user=request.user, stances=stances, **decide_form.cleaned_data
                    )
                elif action == "propose":
                    services.proposal_record(item=item, user=request.user, **proposal_form.cleaned_data)
                elif action == "note":
                    services.item_note(item=item, user=request.user, **note_form.cleaned_data)
                else:
                    services.item_defer(item=item, user=request.user, **defer_form.cleaned_data)
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                item.refresh_from_db()
                messages.success(
                    request, _("Ärendet är avgjort: %(outcome)s") % {"outcome": item.outcome_detail}
                )
                return redirect("council:meeting-manage", meeting.pk)
    return render(
        request,
        "council/item_record.html",
        {
            "meeting": meeting,
            "item": item,
            "stance_formset": stance_formset,
            "decide_form": decide_form,
            "proposal_form": proposal_form,
            "note_form": note_form,
            "defer_form": defer_form,
            "is_vrau_initiative": meeting.body.makes_proposals and item.initiative_id is not None,
            "takes_position": takes_position,
        },
    )


def meeting_history(request, pk):
    """The audit trail of a meeting: who recorded which stance, attendance and change, and when."""
    meeting = _meeting(request, pk)
    if not permissions.can_view_history(request.user):
        raise PermissionDenied
    return render(
        request,
        "council/meeting_history.html",
        {"meeting": meeting, "rows": selectors.meeting_history(meeting=meeting)},
    )


def paragraph_edit(request, pk, number):
    meeting = _meeting(request, pk)
    if not (permissions.is_secretariat(request.user) and meeting.status == MeetingStatus.HELD):
        raise PermissionDenied
    paragraph = get_object_or_404(Paragraph, meeting=meeting, number=number)
    form = ParagraphForm(request.POST or None, initial={"text": paragraph.text})
    if request.method == "POST" and form.is_valid():
        try:
            services.paragraph_edit(paragraph=paragraph, text=form.cleaned_data["text"], user=request.user)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Paragrafen är ändrad."))
            return redirect("council:meeting-detail", meeting.pk)
    return render(
        request, "council/paragraph_form.html", {"meeting": meeting, "paragraph": paragraph, "form": form}
    )


@require_POST
def minutes_sign(request, pk):
    meeting = _meeting(request, pk)
    if not permissions.can_sign_minutes(request.user, meeting):
        raise PermissionDenied
    try:
        meeting = services.minutes_sign(meeting=meeting, user=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        if meeting.status == MeetingStatus.MINUTES_SIGNED:
            messages.success(
                request, _("Du har justerat protokollet. Alla justerare har justerat: protokollet är låst.")
            )
        else:
            messages.success(request, _("Du har justerat protokollet."))
    return redirect("council:meeting-detail", meeting.pk)


def document_download(request, pk, document_pk):
    """Documents follow their meeting: whoever may see the meeting may read its documents."""
    meeting = _meeting(request, pk)
    document = get_object_or_404(ItemDocument, item__meeting=meeting, pk=document_pk)
    return FileResponse(
        document.file.open("rb"),
        as_attachment=True,
        filename=document.original_name,
        content_type=document.content_type,
    )


# --- PDFs ---------------------------------------------------------------------------------------


def _pdf(request, template: str, context: dict, filename: str) -> HttpResponse:
    with in_swedish():
        html = render_to_string(template, {**context, "generated_at": timezone.localtime()}, request=request)
        pdf = render_pdf(html, base_url=request.build_absolute_uri("/"))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _stem(meeting: Meeting) -> str:
    return f"{meeting.body.slug}-{timezone.localtime(meeting.starts_at):%Y-%m-%d}"


def meeting_agenda_pdf(request, pk):
    meeting = _meeting(request, pk)
    page = selectors.meeting_page(meeting=meeting)
    return _pdf(
        request,
        "council/pdf/agenda.html",
        {"page": page, "meeting": meeting},
        f"kallelse-{_stem(meeting)}.pdf",
    )


def meeting_minutes_pdf(request, pk):
    meeting = _meeting(request, pk)
    if not meeting.is_held:
        raise Http404
    page = selectors.meeting_page(meeting=meeting)
    return _pdf(
        request,
        "council/pdf/minutes.html",
        {"page": page, "meeting": meeting},
        f"protokoll-{_stem(meeting)}.pdf",
    )


def paragraph_excerpt_pdf(request, pk, number):
    meeting = _meeting(request, pk)
    if not meeting.is_held:
        raise Http404
    try:
        page, view = selectors.paragraph_for_excerpt(meeting=meeting, number=number)
    except Paragraph.DoesNotExist as exc:
        raise Http404 from exc
    return _pdf(
        request,
        "council/pdf/excerpt.html",
        {"page": page, "meeting": meeting, "view": view},
        f"protokollsutdrag-{_stem(meeting)}-p{number}.pdf",
    )


# --- The agreement ------------------------------------------------------------------------------


def agreement(request):
    status = selectors.agreement_status()
    can_record = permissions.can_record_adoption(request.user)
    action = request.POST.get("action") if request.method == "POST" else None
    if action and not can_record:
        raise PermissionDenied
    missing = Party.objects.filter(pk__in=[p.pk for p in status.missing]).in_swedish_order()
    adoption_form = AdoptionForm(request.POST if action == "adopt" else None, parties=missing, prefix="adopt")
    end_form = AgreementEndForm(request.POST if action == "end" else None, prefix="end")
    form = {"adopt": adoption_form, "end": end_form}.get(action)
    if form is not None and form.is_valid():
        try:
            if action == "adopt":
                services.adoption_record(user=request.user, **adoption_form.cleaned_data)
                messages.success(request, _("Antagandet är registrerat."))
            else:
                services.agreement_end(user=request.user, **end_form.cleaned_data)
                messages.success(request, _("Att avtalet har upphört är registrerat."))
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            return redirect("council:agreement")
    return render(
        request,
        "council/agreement_detail.html",
        {"status": status, "can_record": can_record, "adoption_form": adoption_form, "end_form": end_form},
    )
