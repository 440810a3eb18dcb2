"""Payment request pages: thin views that authorise, call one service or selector, and render.

Who may open payment requests at all is checked first (403 to the rest); which ones goes through
`selectors.payment_requests_visible_to`, so another party's request is "not found" (404)."""

import dataclasses

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounting.permissions import can_view_ledger
from core import uploads
from core.forms import apply_service_error
from initiatives.models import Initiative
from payments import forms, permissions, selectors, services
from payments.models import PaymentRequest, PaymentRequestAttachment, Status


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def _visible(request, pk: int) -> PaymentRequest:
    _require(permissions.can_view_payment_requests(request.user))
    try:
        return selectors.payment_request_detail(request.user, pk)
    except PaymentRequest.DoesNotExist as missing:
        raise Http404 from missing


def request_list(request):
    """Finance's queue (Rekvisitioner): what waits for finance, what waits for the initiator, the latest
    decided."""
    _require(permissions.can_view_payment_request_queue(request.user))
    return render(
        request,
        "payments/paymentrequest_list.html",
        {
            **selectors.payment_request_queue(),
            "can_handle": permissions.can_handle_payment_requests(request.user),
        },
    )


@require_http_methods(["GET", "POST"])
def request_create(request, initiative_pk):
    initiative = get_object_or_404(
        Initiative.objects.visible_to(request.user).select_related("party"), pk=initiative_pk
    )
    _require(permissions.can_request_payment(request.user, initiative))
    choices = selectors.commitment_choices(initiative)
    form = forms.PaymentRequestForm(request.POST or None, request.FILES or None, choices=choices)
    if request.method == "POST" and form.is_valid():
        try:
            payment_request = services.payment_request_submit(
                content=form.content(),
                user=request.user,
                uploads=request.FILES.getlist("file"),
                idempotency_key=form.cleaned_data["idempotency_key"],
            )
        except ValidationError as error:
            apply_service_error(form, error)
        else:
            messages.success(
                request,
                _(
                    "Rekvisitionen är inskickad till Region Värmlands ekonomi. "
                    "Du får e-post när den är behandlad."
                ),
            )
            return redirect("payments:request-detail", payment_request.pk)
    return render(
        request,
        "payments/paymentrequest_form.html",
        {
            "initiative": initiative,
            "payment_request": None,
            "form": form,
            "choices": choices,
            "title": _("Begär utbetalning"),
            "back": initiative.get_absolute_url(),
        },
    )


def request_detail(request, pk):
    payment_request = _visible(request, pk)
    user = request.user
    return render(
        request,
        "payments/paymentrequest_detail.html",
        {
            "payment_request": payment_request,
            "initiative": payment_request.initiative,
            "attachments": selectors.payment_request_attachments(payment_request),
            "can_complete": permissions.can_complete_payment_request(user, payment_request),
            "can_approve": permissions.can_decide_payment_request(user, payment_request, Status.APPROVED),
            "can_ask": permissions.can_decide_payment_request(
                user, payment_request, Status.COMPLEMENT_REQUESTED
            ),
            "can_reject": permissions.can_decide_payment_request(user, payment_request, Status.REJECTED),
            "ledger_link": can_view_ledger(user),
        },
    )


@require_http_methods(["GET", "POST"])
def request_complete(request, pk):
    payment_request = _visible(request, pk)
    _require(permissions.can_complete_payment_request(request.user, payment_request))
    initiative = payment_request.initiative
    choices = selectors.commitment_choices(initiative, excluding=payment_request)
    initial = {
        field.name: getattr(payment_request, field.name)
        for field in dataclasses.fields(services.RequestContent)
    }
    initial["bank_account_number"] = payment_request.account_display
    form = forms.PaymentRequestCompleteForm(
        request.POST or None, request.FILES or None, choices=choices, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.payment_request_complete(
                payment_request=payment_request,
                content=form.content(),
                reply=form.cleaned_data["complement_reply"],
                user=request.user,
                uploads=request.FILES.getlist("file"),
            )
        except ValidationError as error:
            apply_service_error(form, error)
        else:
            messages.success(request, _("Kompletteringen är skickad till Region Värmlands ekonomi."))
            return redirect("payments:request-detail", payment_request.pk)
    return render(
        request,
        "payments/paymentrequest_form.html",
        {
            "initiative": initiative,
            "payment_request": payment_request,
            "form": form,
            "choices": choices,
            "title": _("Komplettera rekvisitionen"),
            "back": reverse("payments:request-detail", args=[pk]),
        },
    )


def _finance_step(request, pk, *, to: str, form_class, title: str, submit: str, run, done: str, initial=None):
    """One of finance's steps on a request (approve, ask for more, reject): a form on the request's page."""
    _require(permissions.can_handle_payment_requests(request.user))
    payment_request = _visible(request, pk)
    if not permissions.can_decide_payment_request(request.user, payment_request, to):
        messages.error(
            request,
            _("Rekvisitionen har status ”%(status)s”: det steget går inte att ta nu.")
            % {"status": payment_request.get_status_display()},
        )
        return redirect("payments:request-detail", pk)
    form = form_class(request.POST or None, initial=initial(payment_request) if initial else None)
    if request.method == "POST" and form.is_valid():
        try:
            run(payment_request, form)
        except ValidationError as error:
            if hasattr(form, "apply_service_error"):
                form.apply_service_error(error)
            else:
                apply_service_error(form, error)
        else:
            messages.success(request, done)
            return redirect("payments:request-detail", pk)
    return render(
        request,
        "payments/paymentrequest_step.html",
        {
            "payment_request": payment_request,
            "initiative": payment_request.initiative,
            "form": form,
            "title": title,
            "submit": submit,
        },
    )


@require_http_methods(["GET", "POST"])
def request_approve(request, pk):
    def run(payment_request, form):
        data = form.cleaned_data
        return services.payment_request_approve(
            payment_request=payment_request,
            booking_date=data["booking_date"],
            text=data["text"],
            payee=data["payee"],
            bank_account_kind=data["bank_account_kind"],
            bank_account_number=data["bank_account_number"],
            payment_reference=data.get("payment_reference", ""),
            user=request.user,
            idempotency_key=data["idempotency_key"],
        )

    def initial(payment_request):
        return {
            "payee": payment_request.payee,
            "bank_account_kind": payment_request.bank_account_kind,
            "bank_account_number": payment_request.account_display,
            "payment_reference": payment_request.payment_reference,
            "text": (_("Utbetalning: %(initiative)s") % {"initiative": payment_request.initiative})[:200],
        }

    return _finance_step(
        request,
        pk,
        to=Status.APPROVED,
        form_class=forms.ApproveForm,
        title=_("Godkänn och betala ut"),
        submit=_("Godkänn och bokför utbetalningen"),
        run=run,
        done=_("Rekvisitionen är godkänd och utbetalningen bokförd."),
        initial=initial,
    )


@require_http_methods(["GET", "POST"])
def request_ask_for_more(request, pk):
    return _finance_step(
        request,
        pk,
        to=Status.COMPLEMENT_REQUESTED,
        form_class=forms.AskForMoreForm,
        title=_("Begär komplettering"),
        submit=_("Skicka begäran om komplettering"),
        run=lambda payment_request, form: services.payment_request_ask_for_more(
            payment_request=payment_request, message=form.cleaned_data["message"], user=request.user
        ),
        done=_("Begäran om komplettering är skickad till initiativets handläggare."),
    )


@require_http_methods(["GET", "POST"])
def request_reject(request, pk):
    return _finance_step(
        request,
        pk,
        to=Status.REJECTED,
        form_class=forms.RejectForm,
        title=_("Avslå rekvisitionen"),
        submit=_("Avslå"),
        run=lambda payment_request, form: services.payment_request_reject(
            payment_request=payment_request, reason=form.cleaned_data["reason"], user=request.user
        ),
        done=_("Rekvisitionen är avslagen."),
    )


def attachment_download(request, pk, attachment_pk):
    payment_request = _visible(request, pk)
    attachment = get_object_or_404(
        PaymentRequestAttachment, payment_request=payment_request, pk=attachment_pk
    )
    return uploads.file_response(
        file=attachment.file, name=attachment.original_name, content_type=attachment.content_type
    )
