"""The council's pages: thin views that authorise, call one service or selector, and render."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core import uploads
from core.forms import apply_service_error
from core.pdf import pdf_download, pdf_response
from council import basis, notices, permissions, protocol, sealing, selectors, services, stances
from council.forms import (
    AdoptionDocumentForm,
    AdoptionForm,
    AgreementEndForm,
    AttendanceFormSet,
    ChangeRequestItemForm,
    DecideForm,
    DeferForm,
    DocumentForm,
    InitiativeItemForm,
    MeetingForm,
    NoteForm,
    OtherItemForm,
    ParagraphForm,
    ProposalForm,
    RecusalForm,
    StanceFormSet,
)
from council.models import (
    AgendaItem,
    AgreementAdoption,
    ItemDocument,
    Meeting,
    MeetingStatus,
    Paragraph,
    StanceKind,
)
from initiatives.conflicts import conflicts_by_initiative
from people.models import Party, User


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
            apply_service_error(form, error)
        else:
            messages.success(request, _("Sammanträdet är planerat. Bygg föredragningslistan."))
            return redirect("council:meeting-manage", meeting.pk)
    return render(request, "council/meeting_form.html", {"form": form})


def meeting_detail(request, pk):
    meeting = _meeting(request, pk)
    # The notice's view of the items: each with its proposed decision (council/notices.py). The page
    # shows an item's proposed decision until the item is decided, and a meeting no longer open for its
    # agenda (held or cancelled) has every item decided (meeting_hold, meeting_cancel): none is read.
    page = notices.notice_page(meeting=meeting, proposals=meeting.status in services.OPEN_FOR_AGENDA)
    advance_party, advance_lines = stances.advance_overview(user=request.user, meeting=meeting)
    return render(
        request,
        "council/meeting_detail.html",
        {
            "page": page,
            "meeting": meeting,
            "advance_party": advance_party,
            "advance_lines": advance_lines,
            "can_manage": permissions.can_manage_meeting(request.user, meeting),
            "can_sign": permissions.can_sign_minutes(request.user, meeting, signers=page.adjusters),
            "can_view_history": permissions.can_view_history(request.user),
            "opening": page.opening,
        },
    )


def meeting_manage(request, pk):
    """The secretariat's page: build the agenda, publish it, record attendance, close the meeting."""
    meeting = _managed_meeting(request, pk)
    action = request.POST.get("action") if request.method == "POST" else None
    # Each list is read once and shared by the forms that choose from it (the query count stays fixed).
    parties = selectors.parties_with_attendance(meeting=meeting)
    items = selectors.agenda(meeting=meeting)
    open_for_agenda = meeting.status in services.OPEN_FOR_AGENDA
    # What the agenda forms choose from is read only where they are shown (a meeting open for its agenda)
    # or posted to (the service gives the refusal): a held meeting's page would read every waiting
    # initiative for nothing, most of its time.
    choosing = open_for_agenda or action in ("initiative", "change_request", "other")
    initiatives = list(selectors.initiatives_for_agenda(meeting=meeting)) if choosing else []
    initiative_form = InitiativeItemForm(
        request.POST if action == "initiative" else None, initiatives=initiatives
    )
    change_requests = list(selectors.change_requests_for_agenda(meeting=meeting)) if choosing else []
    change_form = ChangeRequestItemForm(
        request.POST if action == "change_request" else None, prefix="change", change_requests=change_requests
    )
    other_form = OtherItemForm(
        request.POST if action == "other" else None,
        prefix="other",
        paragraphs=list(selectors.paragraphs_to_correct(meeting=meeting)) if choosing else [],
    )
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
            if action == "change_request" and change_form.is_valid():
                services.item_add(meeting=meeting, user=request.user, **change_form.cleaned_data)
                messages.success(request, _("Ändringsbegäran är tillagd på föredragningslistan."))
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
            if action == "hold":
                services.meeting_hold(meeting=meeting, user=request.user)
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
                "change_request": change_form,
                "other": other_form,
                "document": document_form,
            }.get(action)
            if target is not None:
                apply_service_error(target, error)
            else:
                for message in error.messages:
                    messages.error(request, message)
                if action in ("publish", "hold"):
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
            "change_requests": change_requests,
            "change_form": change_form,
            "other_form": other_form,
            "document_form": document_form,
            "attendance_formset": attendance_formset,
            "open_for_agenda": open_for_agenda,
            "attendance_fixed": protocol.attendance_fixed(meeting),
            "reopened": protocol.reopened_attendance(meeting),
            "signers": protocol.signers(meeting),
        },
    )


def item_record(request, pk, item_pk):
    """One item at the meeting: the stances of the present parties in one form, or VRAU's proposal,
    or a note, or a deferral. Submitting stances also computes and stores the outcome."""
    # The item with its meeting, the initiative and VRAU's proposal in one read (the page's budget).
    item = get_object_or_404(
        basis.items_with_basis().filter(meeting__in=Meeting.objects.visible_to(request.user)),
        meeting_id=pk,
        pk=item_pk,
        annulled_at__isnull=True,
    )
    meeting = item.meeting
    if not permissions.can_manage_meeting(request.user, meeting):
        raise PermissionDenied
    action = request.POST.get("action") if request.method == "POST" else None
    # Parties whose members entered their stance in advance (per capsulam) are shown, not asked again;
    # that stance is the party's written participation, so the quorum counts them as taking part.
    advance_stances = list(item.stances.filter(in_advance=True).select_related("party", "recorded_by"))
    advance_ids = {s.party_id for s in advance_stances}
    all_parties = selectors.parties_with_attendance(meeting=meeting)
    for party in all_parties:
        if party.pk in advance_ids:
            party.attendance_present = True
    parties = [p for p in all_parties if p.pk not in advance_ids]
    item_basis = basis.item_basis(item=item, meeting=meeting)
    quorum = basis.quorum_view(meeting=meeting, parties=all_parties)
    present_ids = {p.pk for p in parties if p.attendance_present}
    # All 17 parties in Swedish order; only those present may take a stance (pre-filled: supports).
    stance_formset = StanceFormSet(
        request.POST if action == "decide" else None,
        parties=parties,
        present=present_ids,
        prefix="st",
        initial=[{"kind": StanceKind.SUPPORTS} if p.pk in present_ids else {} for p in parties],
    )
    decide_form = DecideForm(
        request.POST if action == "decide" else None,
        prefix="dec",
        initial={"supported_amount": item_basis.proposed_amount},
    )
    takes_position = meeting.body.takes_positions and item.initiative_id is not None
    if not takes_position:
        del decide_form.fields["supported_amount"], decide_form.fields["resolution"]
    proposal_form = ProposalForm(
        request.POST if action == "propose" else None,
        prefix="prop",
        initial={"proposed_amount": item_basis.proposed_amount},
    )
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
                apply_service_error(form, error)
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
            "advance_stances": advance_stances,
            "stance_formset": stance_formset,
            "decide_form": decide_form,
            "proposal_form": proposal_form,
            "note_form": note_form,
            "defer_form": defer_form,
            "is_vrau_initiative": meeting.body.makes_proposals and item.initiative_id is not None,
            "takes_position": takes_position,
            "basis": item_basis,
            "quorum": quorum,
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
        {"meeting": meeting, "entries": selectors.meeting_history(meeting=meeting)},
    )


def paragraph_edit(request, pk, number):
    meeting = _meeting(request, pk)
    if not (permissions.is_secretariat(request.user) and meeting.status == MeetingStatus.HELD):
        raise PermissionDenied
    paragraph = get_object_or_404(Paragraph, meeting=meeting, number=number)
    # A derived decision text is not typed: only the addition is (council/protocol.py).
    form = ParagraphForm(
        request.POST or None, initial={"text": paragraph.addition if paragraph.derived else paragraph.text}
    )
    if paragraph.derived:
        form.fields["text"].label = _("Tillägg till beslutstexten")
    if request.method == "POST" and form.is_valid():
        try:
            services.paragraph_edit(paragraph=paragraph, text=form.cleaned_data["text"], user=request.user)
        except ValidationError as error:
            apply_service_error(form, error)
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
    return uploads.file_response(
        file=document.file, name=document.original_name, content_type=document.content_type
    )


# --- PDFs ---------------------------------------------------------------------------------------


def _pdf(request, template: str, context: dict, filename: str):
    """Minutes and excerpts rendered for this download: unsigned (not sealed), or signed but not sealed
    yet, with a line saying the sealed copy is being prepared. Writes nothing."""
    meeting = context["meeting"]
    if meeting.is_locked:
        context = {**context, "seal_pending": True}
    return pdf_response(request, template, context, filename)


def _sealed(meeting: Meeting, paragraph: int | None, filename: str):
    """Signed minutes and their excerpts: the one sealed copy the worker made (council/sealing.py), as
    it is, for everyone; None until it is made."""
    content = sealing.sealed_copy_content(meeting=meeting, paragraph=paragraph) if meeting.is_locked else None
    return pdf_download(content, filename) if content is not None else None


def _stem(meeting: Meeting) -> str:
    return f"{meeting.body.slug}-{sealing.meeting_date(meeting)}"


def meeting_agenda_pdf(request, pk):
    meeting = _meeting(request, pk)
    # The same file the members get by mail (council/notices.py).
    pdf = notices.notice_pdf(meeting=meeting, base_url=request.build_absolute_uri("/"))
    return pdf_download(pdf, f"{notices.notice_filename(meeting)}.pdf")


def meeting_minutes_pdf(request, pk):
    meeting = _meeting(request, pk)
    if not meeting.is_held:
        raise Http404
    filename = f"protokoll-{_stem(meeting)}.pdf"
    if sealed := _sealed(meeting, None, filename):
        return sealed
    return _pdf(request, sealing.MINUTES_TEMPLATE, sealing.minutes_context(meeting), filename)


def paragraph_excerpt_pdf(request, pk, number):
    meeting = _meeting(request, pk)
    if not meeting.is_held:
        raise Http404
    filename = f"protokollsutdrag-{_stem(meeting)}-p{number}.pdf"
    if sealed := _sealed(meeting, number, filename):
        return sealed
    try:
        page, view = selectors.paragraph_for_excerpt(meeting=meeting, number=number)
    except Paragraph.DoesNotExist as exc:
        raise Http404 from exc
    return _pdf(request, sealing.EXCERPT_TEMPLATE, {"page": page, "meeting": meeting, "view": view}, filename)


# --- The agreement ------------------------------------------------------------------------------


def agreement(request):
    status = selectors.agreement_status()
    can_record = permissions.can_record_adoption(request.user)
    action = request.POST.get("action") if request.method == "POST" else None
    if action and not can_record:
        raise PermissionDenied
    missing = Party.objects.filter(pk__in=[p.pk for p in status.missing]).in_swedish_order()
    files = request.FILES or None
    adoption_form = AdoptionForm(
        request.POST if action == "adopt" else None, files, parties=missing, prefix="adopt"
    )
    # The adoptions still without their minutes, from those the status read (with their parties).
    without_document = sorted((a for a in status.adoptions if not a.document), key=lambda a: a.party.code)
    document_form = AdoptionDocumentForm(
        request.POST if action == "document" else None, files, adoptions=without_document, prefix="doc"
    )
    end_form = AgreementEndForm(request.POST if action == "end" else None, prefix="end")
    form = {"adopt": adoption_form, "document": document_form, "end": end_form}.get(action)
    if form is not None and form.is_valid():
        try:
            if action == "adopt":
                services.adoption_record(user=request.user, **adoption_form.cleaned_data)
                messages.success(request, _("Antagandet är registrerat."))
            elif action == "document":
                services.adoption_document_attach(user=request.user, **document_form.cleaned_data)
                messages.success(request, _("Protokollsutdraget är sparat."))
            else:
                services.agreement_end(user=request.user, **end_form.cleaned_data)
                messages.success(request, _("Att avtalet har upphört är registrerat."))
        except ValidationError as error:
            apply_service_error(form, error)
        else:
            return redirect("council:agreement")
    return render(
        request,
        "council/agreement_detail.html",
        {
            "status": status,
            "can_record": can_record,
            "adoption_form": adoption_form,
            "document_form": document_form,
            # From the adoptions already read: the select reads its own rows (Django's choice iterator).
            "has_without_document": bool(without_document),
            "end_form": end_form,
        },
    )


def adoption_document(request, pk):
    """A party's adoption minutes, for everyone who reads the agreement page (all who are logged in)."""
    adoption = get_object_or_404(AgreementAdoption.objects.exclude(document=""), pk=pk)
    return uploads.file_response(
        file=adoption.document, name=adoption.document_name, content_type=adoption.document_type
    )


# --- jäv of persons --------------------------------------------------------------------------------


def item_recusal(request, pk, item_pk):
    """The secretariat at the meeting: who may be disqualified in the item by their declared interests,
    and the record of each person who declared jäv and did not take part."""
    meeting = _managed_meeting(request, pk)
    item = get_object_or_404(
        AgendaItem.objects.select_related("initiative__party"), meeting=meeting, pk=item_pk
    )
    people = list(
        User.objects.filter(is_active=True).select_related("party").order_by("first_name", "last_name", "pk")
    )
    form = RecusalForm(request.POST or None, people=people)
    if request.method == "POST" and form.is_valid():
        try:
            services.recusal_record(item=item, user=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_service_error(form, error)
        else:
            messages.success(request, _("Jävet är registrerat."))
            return redirect("council:item-recusal", meeting.pk, item.pk)
    conflicts = (
        conflicts_by_initiative([item.initiative_id], on=timezone.localdate(meeting.starts_at)).get(
            item.initiative_id, []
        )
        if item.initiative_id
        else []
    )
    return render(
        request,
        "council/item_recusal.html",
        {
            "meeting": meeting,
            "item": item,
            "form": form,
            "conflicts": conflicts,
            "recusals": item.recusals.select_related("person", "recorded_by").order_by("pk"),
        },
    )
