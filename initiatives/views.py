"""Thin views: authorise, call one service or selector, render. 404 for what may not be seen, 403 for
what may not be done."""

import csv
import dataclasses
from io import BytesIO

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from core import uploads
from core.forms import apply_service_error
from core.money import format_amount
from initiatives import forms, permissions, selectors, services
from initiatives.conflicts import conflicts_by_initiative
from initiatives.models import ActionArea, Attachment, BudgetYear, Initiative, Preparation, Revision, Status

PAGE_SIZE = 25


def _visible(user, pk) -> Initiative:
    return get_object_or_404(Initiative.objects.visible_to(user).select_related("party"), pk=pk)


_apply_errors = apply_service_error


# --- Lists -------------------------------------------------------------------------------------------


def _filtered(request, *, queue: bool = False):
    choices = selectors.filter_choices()
    form = forms.FilterForm(request.GET or None, choices=choices)
    sort = request.GET.get("ordning", "")
    if sort.removeprefix("-") not in selectors.LIST_SORTS:
        sort = ""  # an unknown column sorts in the register's order, as without the parameter
    filters = dataclasses.replace(form.filters(queue=queue), sort=sort)
    return form, selectors.initiative_list(user=request.user, filters=filters)


# The list's columns: (label, sort key or None, numeric). Money columns follow what the reader may read.
LIST_COLUMNS = [
    (gettext_lazy("Diarienummer"), "diarienummer", False),
    (gettext_lazy("Titel"), "titel", False),
    (gettext_lazy("Part"), "part", False),
    (gettext_lazy("Medsökande"), None, False),
    (gettext_lazy("Status"), "status", False),
    (gettext_lazy("Inlämnat"), "inlamnat", False),
    (gettext_lazy("Sökt"), "sokt", True),
    (gettext_lazy("Beviljat"), "beviljat", True),
    (gettext_lazy("Utbetalt"), "utbetalt", True),
    (gettext_lazy("Väntat"), "vantat", True),  # the preparation queue only
]


def _list_columns(request, qs, *, queue: bool) -> list[dict]:
    """The header cells: each sortable column links to itself sorted (ascending first, then the other
    way), and the current one carries aria-sort so a screen reader says how the list is ordered."""
    current = request.GET.get("ordning", "")
    query = request.GET.copy()
    query.pop("sida", None)
    query.pop("ordning", None)
    columns = []
    for label, key, numeric in LIST_COLUMNS:
        if key == "vantat" and not queue:
            continue
        if key in ("beviljat", "utbetalt") and (queue or not selectors.key_annotated(qs, key)):
            continue  # nothing is granted before preparation; only readers of the money see it
        column = {"label": str(label), "numeric": numeric, "key": key, "aria_sort": None, "url": None}
        if key:
            if current == key:
                column["aria_sort"], target = "ascending", f"-{key}"
            elif current == f"-{key}":
                column["aria_sort"], target = "descending", key
            else:
                target = f"-{key}" if numeric else key  # the largest amount first is what one looks for
            query["ordning"] = target
            column["url"] = "?" + query.urlencode()
        columns.append(column)
    return columns


def initiative_list(request, *, queue: bool = False):
    if queue and not permissions.can_view_preparation_queue(request.user):
        raise PermissionDenied
    form, qs = _filtered(request, queue=queue)
    page = selectors.initiative_list_page(qs, request.GET.get("sida"), PAGE_SIZE)
    columns = _list_columns(request, qs, queue=queue)
    keys = {c["key"] for c in columns}
    today = timezone.localdate()
    rows = [
        {
            "initiative": initiative,
            "co_parties": selectors.list_co_party_names(initiative),
            "waiting_days": (today - timezone.localdate(initiative.submitted_at)).days
            if queue and initiative.submitted_at
            else None,
        }
        for initiative in page.object_list
    ]
    query = request.GET.copy()
    query.pop("sida", None)
    return render(
        request,
        "initiatives/initiative_list.html",
        {
            "form": form,
            "page": page,
            "rows": rows,
            "columns": columns,
            "show_granted": "beviljat" in keys,
            "show_disbursed": "utbetalt" in keys,
            "sort": request.GET.get("ordning", ""),
            "query": query.urlencode(),
            "queue": queue,
            "can_create": permissions.can_create_initiative(request.user),
        },
    )


def preparation_queue(request):
    return initiative_list(request, queue=True)


EXPORT_HEADERS = [
    "Diarienummer",
    "Titel",
    "Part",
    "Status",
    "Typ",
    "Inlämnad",
    "Startdatum",
    "Slutdatum",
    "Total kostnad",
    "Sökt ur DGR",
    "Medfinansiering",
    "Insatsområden",
]


FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _safe_text(value):
    """Text a spreadsheet would run as a formula (a title like '=HYPERLINK(…)') is kept as text."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def _export_table(request):
    _form, qs = _filtered(request)
    for initiative in selectors.export_rows(qs):
        finances = selectors.initiative_finances(initiative)
        yield [
            _safe_text(initiative.registration_number),
            _safe_text(initiative.title),
            initiative.party.name,
            str(initiative.status_label),
            str(initiative.get_kind_display()),
            timezone.localtime(initiative.submitted_at).date() if initiative.submitted_at else None,
            initiative.start_date,
            initiative.end_date,
            finances.total_cost,
            finances.requested,
            finances.co_financing,
            ", ".join(a.action_area.name for a in initiative.alignments.all()),
        ]


def initiative_export_csv(request):
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="initiativ.csv"'
    response.write("\ufeff")  # Excel opens UTF-8 CSV correctly with a BOM
    writer = csv.writer(response, delimiter=";")
    writer.writerow([_(h) for h in EXPORT_HEADERS])
    for row in _export_table(request):
        writer.writerow(
            [
                format_amount(v, with_unit=False).replace("\u00a0", " ")
                if hasattr(v, "quantize")
                else v or ""
                for v in row
            ]
        )
    return response


def initiative_export_xlsx(request):
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Initiativ")
    sheet.append([_(h) for h in EXPORT_HEADERS])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in _export_table(request):
        sheet.append(row)
        for cell in sheet[sheet.max_row][8:11]:
            cell.number_format = "#,##0.00"
        for cell in sheet[sheet.max_row][5:8]:
            cell.number_format = "yyyy-mm-dd"
    sheet.freeze_panes = "A2"
    buffer = BytesIO()
    workbook.save(buffer)
    response = HttpResponse(
        buffer.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = 'attachment; filename="initiativ.xlsx"'
    return response


# --- One initiative ----------------------------------------------------------------------------------


def initiative_detail(request, pk):
    try:
        initiative = selectors.initiative_detail(user=request.user, pk=pk)
    except Initiative.DoesNotExist as exc:
        raise Http404 from exc
    return _render_detail(request, initiative)


def _render_detail(request, initiative, **forms_with_errors):
    user = request.user
    can_edit = permissions.can_edit_initiative(user, initiative)
    can_read_thread = permissions.can_read_thread(user, initiative)
    preparation = getattr(initiative, "preparation", None)
    if preparation is not None and not permissions.can_read_preparation(user, initiative, preparation):
        preparation = None
    thread = selectors.initiative_messages(initiative=initiative) if can_read_thread else []
    context = {
        "initiative": initiative,
        "timeline": selectors.initiative_timeline(
            initiative=initiative, user=user, preparation=preparation, thread=thread
        ),
        "finances": selectors.initiative_finances(initiative),
        "can_edit": can_edit,
        "can_submit": permissions.can_submit_initiative(user, initiative),
        "can_withdraw": permissions.can_withdraw_initiative(user, initiative),
        "can_prepare": permissions.can_prepare_initiative(user, initiative),
        "can_reopen": permissions.can_reopen_preparation(user, initiative),
        "can_read_thread": can_read_thread,
        "can_post_message": permissions.can_post_message(user, initiative),
        "thread": thread,
        "preparation": preparation,
        "submit_form": forms.SubmitForm(initial={"token": initiative.submission_token}),
        "problems": services.submission_problems(initiative) if can_edit else {},
        # The reader's own declared interests that concern the initiative (jäv): a warning, not a bar.
        # Not looked up for a reader who has declared none today (read with the user: people.backends).
        "my_conflicts": conflicts_by_initiative([initiative.pk], on=timezone.localdate(), person=user).get(
            initiative.pk, []
        )
        if getattr(user, "declares_interests_today", True)
        else [],
    }
    if can_edit:
        context["budget_form"] = forms_with_errors.get("budget_form") or forms.BudgetYearForm()
        context["cofinancing_form"] = forms_with_errors.get("cofinancing_form") or forms.CoFinancingForm()
        context["attachment_form"] = forms_with_errors.get("attachment_form") or forms.AttachmentForm()
    if context["can_post_message"]:
        context["message_form"] = forms_with_errors.get("message_form") or forms.MessageForm()
    context["submit_errors"] = forms_with_errors.get("submit_errors")
    status = 400 if forms_with_errors else 200
    return render(request, "initiatives/initiative_detail.html", context, status=status)


def _areas():
    return list(ActionArea.objects.filter(is_active=True))


def initiative_create(request):
    if not permissions.can_create_initiative(request.user):
        raise PermissionDenied
    areas = _areas()
    form = forms.InitiativeForm(request.POST or None, party=request.user.party, areas=areas)
    if request.method == "POST" and form.is_valid():
        try:
            initiative = services.initiative_create(
                user=request.user,
                data=form.content(),
                co_parties=list(form.cleaned_data["co_parties"]),
                alignments=form.alignments(),
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(
                request, _("Utkastet är sparat. Lägg till budget och bilagor, och lämna sedan in.")
            )
            return redirect(initiative)
    return render(request, "initiatives/initiative_form.html", {"form": form, "initiative": None})


def initiative_edit(request, pk):
    initiative = _visible(request.user, pk)
    if not permissions.can_edit_initiative(request.user, initiative):
        raise PermissionDenied
    areas = _areas()
    form = forms.InitiativeForm(
        request.POST or None, instance=initiative, party=initiative.party, areas=areas
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.initiative_update(
                initiative=initiative,
                user=request.user,
                data=form.content(),
                co_parties=list(form.cleaned_data["co_parties"]),
                alignments=form.alignments(),
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("Ändringarna är sparade."))
            return redirect(initiative)
    return render(
        request,
        "initiatives/initiative_form.html",
        {"form": form, "initiative": initiative},
        status=400 if form.errors else 200,
    )


def _detail_with_error(request, pk, **forms_with_errors):
    initiative = selectors.initiative_detail(user=request.user, pk=pk)
    return _render_detail(request, initiative, **forms_with_errors)


@require_POST
def budget_year_add(request, pk):
    initiative = _visible(request.user, pk)
    if not permissions.can_edit_initiative(request.user, initiative):
        raise PermissionDenied
    form = forms.BudgetYearForm(request.POST)
    if form.is_valid():
        try:
            services.budget_year_add(initiative=initiative, user=request.user, **form.cleaned_data)
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("Budgetåret är tillagt."))
            return redirect(f"{initiative.get_absolute_url()}#budget")
    return _detail_with_error(request, pk, budget_form=form)


@require_http_methods(["GET", "POST"])
def budget_year_edit(request, pk, row):
    initiative = _visible(request.user, pk)
    if not permissions.can_edit_initiative(request.user, initiative):
        raise PermissionDenied
    budget_year = get_object_or_404(BudgetYear, initiative=initiative, pk=row)
    form = forms.BudgetYearChangeForm(
        request.POST if request.method == "POST" else None,
        initial={"total_cost": budget_year.total_cost, "requested_amount": budget_year.requested_amount},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.budget_year_change(
                initiative=initiative, user=request.user, budget_year_id=budget_year.pk, **form.cleaned_data
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("Budgetåret är ändrat."))
            return redirect(f"{initiative.get_absolute_url()}#budget")
    return render(
        request,
        "initiatives/budget_year_form.html",
        {"initiative": initiative, "budget_year": budget_year, "form": form},
        status=400 if form.errors else 200,
    )


@require_POST
def budget_year_remove(request, pk, row):
    initiative = _visible(request.user, pk)
    if not permissions.can_edit_initiative(request.user, initiative):
        raise PermissionDenied
    services.budget_year_remove(initiative=initiative, user=request.user, budget_year_id=row)
    messages.success(request, _("Budgetåret är borttaget."))
    return redirect(f"{initiative.get_absolute_url()}#budget")


@require_POST
def co_financing_add(request, pk):
    initiative = _visible(request.user, pk)
    if not permissions.can_edit_initiative(request.user, initiative):
        raise PermissionDenied
    form = forms.CoFinancingForm(request.POST)
    if form.is_valid():
        try:
            services.co_financing_add(initiative=initiative, user=request.user, **form.cleaned_data)
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("Medfinansieringen är tillagd."))
            return redirect(f"{initiative.get_absolute_url()}#medfinansiering")
    return _detail_with_error(request, pk, cofinancing_form=form)


@require_POST
def co_financing_remove(request, pk, row):
    initiative = _visible(request.user, pk)
    if not permissions.can_edit_initiative(request.user, initiative):
        raise PermissionDenied
    services.co_financing_remove(initiative=initiative, user=request.user, co_financing_id=row)
    messages.success(request, _("Medfinansieringen är borttagen."))
    return redirect(f"{initiative.get_absolute_url()}#medfinansiering")


@require_POST
def attachment_add(request, pk):
    initiative = _visible(request.user, pk)
    if not permissions.can_edit_initiative(request.user, initiative):
        raise PermissionDenied
    form = forms.AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.attachment_add(
                initiative=initiative, user=request.user, upload=form.cleaned_data["file"]
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("Bilagan är uppladdad."))
            return redirect(f"{initiative.get_absolute_url()}#bilagor")
    return _detail_with_error(request, pk, attachment_form=form)


@require_POST
def attachment_remove(request, pk, attachment_id):
    initiative = _visible(request.user, pk)
    if not permissions.can_edit_initiative(request.user, initiative):
        raise PermissionDenied
    services.attachment_remove(initiative=initiative, user=request.user, attachment_id=attachment_id)
    messages.success(request, _("Bilagan är borttagen."))
    return redirect(f"{initiative.get_absolute_url()}#bilagor")


def attachment_download(request, pk, attachment_id):
    initiative = _visible(request.user, pk)
    attachment = get_object_or_404(
        Attachment, initiative=initiative, pk=attachment_id, removed_at__isnull=True
    )
    return uploads.file_response(
        file=attachment.file, name=attachment.original_name, content_type=attachment.content_type
    )


@require_POST
def initiative_submit(request, pk):
    initiative = _visible(request.user, pk)
    form = forms.SubmitForm(request.POST)
    if not form.is_valid():
        raise PermissionDenied
    if not (
        permissions.can_submit_initiative(request.user, initiative)
        or permissions.can_withdraw_initiative(request.user, initiative)  # a repeat after submission
    ):
        raise PermissionDenied
    try:
        submitted = services.initiative_submit(
            initiative=initiative, user=request.user, token=form.cleaned_data["token"]
        )
    except ValidationError as error:
        return _detail_with_error(request, pk, submit_errors=error.messages)
    messages.success(
        request,
        _("Initiativet är inlämnat med diarienummer %(number)s.") % {"number": submitted.registration_number},
    )
    return redirect(submitted)


def initiative_withdraw(request, pk):
    initiative = _visible(request.user, pk)
    if not permissions.can_withdraw_initiative(request.user, initiative):
        raise PermissionDenied
    is_draft = initiative.status == Status.DRAFT
    form = forms.WithdrawForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.initiative_withdraw(
            initiative=initiative, user=request.user, reason=form.cleaned_data["reason"]
        )
        messages.success(request, _("Utkastet är nedlagt.") if is_draft else _("Initiativet är återkallat."))
        return redirect(initiative)
    return render(
        request,
        "initiatives/initiative_withdraw.html",
        {"initiative": initiative, "form": form, "is_draft": is_draft},
    )


@require_POST
def message_post(request, pk):
    initiative = _visible(request.user, pk)
    if not permissions.can_post_message(request.user, initiative):
        raise PermissionDenied
    form = forms.MessageForm(request.POST)
    if form.is_valid():
        services.message_post(initiative=initiative, user=request.user, body=form.cleaned_data["body"])
        messages.success(request, _("Meddelandet är skickat."))
        return redirect(f"{initiative.get_absolute_url()}#meddelanden")
    return _detail_with_error(request, pk, message_form=form)


# --- Preparation -------------------------------------------------------------------------------------


def initiative_prepare(request, pk):
    """The secretariat's page: checklist and proposal (save, or mark prepared), complement request,
    not eligible. Which form was sent is told by the button's name."""
    try:
        initiative = selectors.initiative_detail(user=request.user, pk=pk)
    except Initiative.DoesNotExist as exc:
        raise Http404 from exc
    if not permissions.can_prepare_initiative(request.user, initiative):
        raise PermissionDenied
    preparation = getattr(initiative, "preparation", None) or Preparation(initiative=initiative)
    initial = {
        "assessment": preparation.assessment,
        "proposed_position": preparation.proposed_position,
        "proposed_amount": preparation.proposed_amount,
        **{name: getattr(preparation, name) for name in services.CHECKLIST_FIELDS},
    }
    action = request.POST.get("action") if request.method == "POST" else None
    prep_form = forms.PreparationForm(
        request.POST if action in ("save", "prepared") else None, initial=initial
    )
    complement_form = forms.ComplementForm(request.POST if action == "complement" else None)
    not_eligible_form = forms.NotEligibleForm(request.POST if action == "not_eligible" else None)
    user = request.user
    try:
        if action in ("save", "prepared") and prep_form.is_valid():
            data = prep_form.cleaned_data
            if action == "save":
                services.preparation_save(
                    initiative=initiative,
                    user=user,
                    checklist=prep_form.checklist(),
                    assessment=data["assessment"],
                    proposed_position=data["proposed_position"],
                    proposed_amount=data["proposed_amount"],
                )
                messages.success(request, _("Beredningen är sparad."))
                return redirect("initiatives:initiative-prepare", pk=pk)
            services.initiative_mark_prepared(
                initiative=initiative,
                user=user,
                checklist=prep_form.checklist(),
                assessment=data["assessment"],
                proposed_position=data["proposed_position"],
                proposed_amount=data["proposed_amount"],
            )
            messages.success(
                request,
                _("Initiativet är berett och kan föras till VRAU, som lämnar förslag till Värmlandsrådet."),
            )
            return redirect(initiative)
        if action == "complement" and complement_form.is_valid():
            services.initiative_request_complement(
                initiative=initiative, user=user, message=complement_form.cleaned_data["message"]
            )
            messages.success(request, _("Kompletteringen är begärd. Initiativtagaren har fått besked."))
            return redirect(initiative)
        if action == "not_eligible" and not_eligible_form.is_valid():
            services.initiative_mark_not_eligible(
                initiative=initiative, user=user, reason=not_eligible_form.cleaned_data["reason"]
            )
            messages.success(request, _("Initiativet är markerat som ej stödberättigat."))
            return redirect(initiative)
    except ValidationError as error:
        target = {"complement": complement_form, "not_eligible": not_eligible_form}.get(action, prep_form)
        if hasattr(error, "error_dict") and "checklist" in error.error_dict:
            target.add_error("check_complete", error.error_dict.pop("checklist"))
        _apply_errors(target, error)
    return render(
        request,
        "initiatives/initiative_prepare.html",
        {
            "initiative": initiative,
            "finances": selectors.initiative_finances(initiative),
            "prep_form": prep_form,
            "complement_form": complement_form,
            "not_eligible_form": not_eligible_form,
        },
        status=400 if action else 200,
    )


@require_POST
def initiative_reopen(request, pk):
    initiative = _visible(request.user, pk)
    if not permissions.can_reopen_preparation(request.user, initiative):
        raise PermissionDenied
    services.initiative_reopen_preparation(initiative=initiative, user=request.user)
    messages.success(request, _("Beredningen är återupptagen."))
    return redirect("initiatives:initiative-prepare", pk=pk)


# --- History and revisions ---------------------------------------------------------------------------


def initiative_history(request, pk):
    initiative = _visible(request.user, pk)
    return render(
        request,
        "initiatives/initiative_history.html",
        {
            "initiative": initiative,
            "entries": selectors.initiative_history(initiative=initiative, user=request.user),
        },
    )


def revision_compare(request, pk):
    initiative = _visible(request.user, pk)
    revisions = selectors.initiative_revisions(initiative=initiative)
    if not revisions:
        raise Http404
    by_number = {r.number: r for r in revisions}
    try:
        new = by_number[int(request.GET.get("ny", revisions[-1].number))]
        old_number = int(request.GET.get("gammal", new.number - 1))
    except (KeyError, ValueError) as exc:
        raise Http404 from exc
    old: Revision | None = by_number.get(old_number)
    return render(
        request,
        "initiatives/revision_compare.html",
        {
            "initiative": initiative,
            "revisions": revisions,
            "old": old,
            "new": new,
            "rows": selectors.revision_diff(old, new),
        },
    )
