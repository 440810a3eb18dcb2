"""Thin views: authorise, call one selector or service, render. Finance writes; readers read."""

from pathlib import PurePosixPath

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounting import exports, forms, permissions, selectors, services
from accounting.models import (
    Account,
    CapitalPart,
    Commitment,
    Decision,
    DelegationPoint,
    FiscalYear,
    Fund,
    RecoveryClaim,
    Verification,
)
from core import uploads
from core.forms import apply_service_error
from core.pdf import pdf_response
from initiatives.changes import change_request_summary
from initiatives.models import ChangeKind, ChangeRequest, Initiative, Status

PAGE_SIZE = 50


def _fund(request, slug) -> Fund:
    if not permissions.can_view_ledger(request.user):
        raise Http404
    return get_object_or_404(Fund, slug=slug)


def _readers_only(request) -> None:
    """Decisions and commitments are the ledger's records: to anyone else they do not exist (404)."""
    if not permissions.can_view_ledger(request.user):
        raise Http404


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def fund_list(request):
    _require(permissions.can_view_ledger(request.user))
    funds = list(selectors.funds_for(request.user))
    if len(funds) == 1:
        return redirect("accounting:fund-detail", funds[0].slug)
    return render(
        request,
        "accounting/fund_list.html",
        {"funds": funds, "can_open": permissions.can_open_fund(request.user)},
    )


def fund_detail(request, slug):
    fund = _fund(request, slug)
    overview = selectors.fund_overview(fund)
    return render(
        request,
        "accounting/fund_detail.html",
        {
            "fund": fund,
            "overview": overview,
            "can_post": permissions.can_post(request.user, fund),
            "can_set_amount_limit": permissions.can_set_amount_limit(request.user, fund),
            "can_edit": permissions.can_edit_fund(request.user, fund),
        },
    )


@require_http_methods(["GET", "POST"])
def fund_amount_limit(request, slug):
    fund = _fund(request, slug)
    _require(permissions.can_set_amount_limit(request.user, fund))
    form = forms.AmountLimitForm(request.POST or None, initial={"amount_limit": fund.amount_limit})
    if request.method == "POST" and form.is_valid():
        try:
            services.fund_amount_limit_set(
                fund=fund, amount_limit=form.cleaned_data["amount_limit"], user=request.user
            )
        except ValidationError as error:
            form.add_error("amount_limit" if hasattr(error, "error_dict") else None, error.messages)
        else:
            messages.success(
                request, _("Fondens beloppsgräns är nu %(limit)s.") % {"limit": _kr(fund.amount_limit)}
            )
            return redirect("accounting:fund-detail", slug)
    return render(
        request,
        "accounting/posting_form.html",
        {
            "fund": fund,
            "form": form,
            "title": _("Beloppsgräns för %(fund)s") % {"fund": fund.name},
            "lead": _(
                "Ett enskilt belopp i fonden – beslut, beviljande, utbetalning, återbetalning, "
                "kapitaltillskott eller överföring – får inte vara större än gränsen. Den fångar skrivfel "
                "som tre nollor för mycket; ändringen sparas i fondens historik."
            ),
            "back": reverse("accounting:fund-detail", args=[slug]),
            "submit": _("Spara"),
        },
    )


def fund_detail_xlsx(request, slug):
    fund = _fund(request, slug)
    return exports.xlsx_response(
        exports.overview_workbook(selectors.fund_overview(fund)), f"{fund.slug}-oversikt.xlsx"
    )


def _journal(request, fund, selector=selectors.journal):
    """The journal's filter form and the verifications it selects (`selector`: with what they carry)."""
    years = list(FiscalYear.objects.filter(fund=fund).order_by("year"))
    parts = list(CapitalPart.objects.filter(fund=fund).order_by("number"))
    form = forms.JournalFilterForm(
        request.GET or None, fund=fund, years=years, parts=parts, user=request.user
    )
    if form.is_bound and not form.is_valid():
        # A filter that cannot be understood shows nothing (with its message), never the whole journal.
        return form, selector(fund).none()
    filters = form.cleaned_data if form.is_bound else {}
    verifications = selector(
        fund,
        year=filters.get("year"),
        kind=filters.get("kind"),
        capital_part=filters.get("capital_part"),
        initiative=filters.get("initiative"),
        q=filters.get("q"),
    )
    return form, verifications


def verification_list(request, slug):
    fund = _fund(request, slug)
    form, verifications = _journal(request, fund, selectors.journal_selection)
    page = Paginator(verifications, PAGE_SIZE).get_page(request.GET.get("sida"))
    query = request.GET.copy()
    query.pop("sida", None)
    return render(
        request,
        "accounting/verification_list.html",
        {
            "fund": fund,
            "form": form,
            "page": page,
            "entries": selectors.journal_entries(page.object_list),
            "query": query.urlencode(),
        },
    )


def verification_list_xlsx(request, slug):
    fund = _fund(request, slug)
    form, verifications = _journal(request, fund)
    if form.is_bound and not form.is_valid():
        # Not an empty file: back to the journal, where the message stands next to the field.
        journal = reverse("accounting:verification-list", args=[fund.slug])
        return redirect(f"{journal}?{request.GET.urlencode()}")
    return exports.xlsx_response(exports.journal_workbook(fund, verifications), f"{fund.slug}-huvudbok.xlsx")


def verification_detail(request, slug, pk):
    fund = _fund(request, slug)
    verification = get_object_or_404(selectors.journal(fund), pk=pk)
    return render(
        request,
        "accounting/verification_detail.html",
        {
            "fund": fund,
            "verification": verification,
            "can_reverse": permissions.can_post(request.user, fund)
            and verification.kind != "reversal"
            and not hasattr(verification, "reversed_by"),
        },
    )


def _posting(request, *, form, template_context, service, success):
    """Run a posting form: on success redirect to the verification; a refusal shows next to its field."""
    if request.method == "POST" and form.is_valid():
        try:
            result = service(form.cleaned_data)
        except ValidationError as error:
            form.apply_service_error(error, amount_field=template_context.get("amount_field", "amount"))
        else:
            messages.success(request, success(result))
            return redirect(template_context.get("next") or result_url(result))
    return render(request, "accounting/posting_form.html", {**template_context, "form": form})


def result_url(result) -> str:
    if isinstance(result, RecoveryClaim):
        return result.get_absolute_url()
    if isinstance(result, Verification):
        return reverse("accounting:verification-detail", args=[result.fund.slug, result.pk])
    return reverse("accounting:decision-detail", args=[result.pk])


def _posted(verification) -> str:
    return _("Bokfört som verifikation %(label)s.") % {"label": verification}


@require_http_methods(["GET", "POST"])
def capital_add(request, slug):
    fund = _fund(request, slug)
    _require(permissions.can_post(request.user, fund))
    form = forms.CapitalForm(request.POST or None, fund=fund)

    def service(data):
        return services.capital_add(
            capital_part=data["capital_part"],
            amount=data["amount"],
            booking_date=data["booking_date"],
            text=data["text"],
            user=request.user,
            idempotency_key=data["idempotency_key"],
        )

    context = {
        "fund": fund,
        "title": _("Tillför kapital"),
        "back": reverse("accounting:fund-detail", args=[slug]),
    }
    return _posting(request, form=form, template_context=context, service=service, success=_posted)


@require_http_methods(["GET", "POST"])
def capital_transfer(request, slug):
    fund = _fund(request, slug)
    _require(permissions.can_post(request.user, fund))
    form = forms.TransferForm(request.POST or None, available=selectors.capital_parts_available(fund))

    def service(data):
        return services.capital_transfer(
            from_part=data["from_part"],
            to_part=data["to_part"],
            amount=data["amount"],
            booking_date=data["booking_date"],
            text=data["text"],
            user=request.user,
            idempotency_key=data["idempotency_key"],
        )

    context = {
        "fund": fund,
        "title": _("Överför mellan kapitaldelar"),
        "back": reverse("accounting:fund-detail", args=[slug]),
    }
    return _posting(request, form=form, template_context=context, service=service, success=_posted)


@require_http_methods(["GET", "POST"])
def verification_reverse(request, slug, pk):
    fund = _fund(request, slug)
    _require(permissions.can_post(request.user, fund))
    verification = get_object_or_404(
        Verification.objects.filter(fund=fund).select_related("fiscal_year"), pk=pk
    )
    form = forms.ReverseForm(
        request.POST or None,
        initial={"text": _("Rättelse av verifikation %(label)s") % {"label": verification}},
    )

    def service(data):
        return services.verification_reverse(
            verification=verification,
            booking_date=data["booking_date"],
            text=data["text"],
            user=request.user,
            idempotency_key=data["idempotency_key"],
        )

    context = {
        "fund": fund,
        "title": _("Rätta verifikation %(label)s") % {"label": verification},
        "lead": _("Rättelsen bokförs som en ny verifikation som spegelvänder varje rad i originalet."),
        "back": reverse("accounting:verification-detail", args=[slug, pk]),
    }
    return _posting(request, form=form, template_context=context, service=service, success=_posted)


def account_list(request, slug):
    fund = _fund(request, slug)
    accounts = Account.objects.filter(fund=fund).select_related("capital_part").order_by("code")
    return render(
        request,
        "accounting/account_list.html",
        {"fund": fund, "accounts": accounts, "can_map": permissions.can_map_accounts(request.user, fund)},
    )


@require_http_methods(["GET", "POST"])
def account_edit(request, slug, pk):
    fund = _fund(request, slug)
    _require(permissions.can_map_accounts(request.user, fund))
    account = get_object_or_404(Account, fund=fund, pk=pk)
    form = forms.AccountMapForm(request.POST or None, instance=account)
    if request.method == "POST" and form.is_valid():
        services.account_map(
            account=account,
            region_account=form.cleaned_data["region_account"],
            region_object=form.cleaned_data["region_object"],
            user=request.user,
        )
        messages.success(request, _("Kontomappningen är sparad."))
        return redirect("accounting:account-list", slug)
    return render(
        request,
        "accounting/posting_form.html",
        {
            "fund": fund,
            "form": form,
            "title": _("Mappa konto %(account)s") % {"account": account},
            "back": reverse("accounting:account-list", args=[slug]),
            "submit": _("Spara"),
        },
    )


def _year(request, slug, year) -> FiscalYear:
    if not permissions.can_view_ledger(request.user):
        raise Http404
    return get_object_or_404(
        FiscalYear.objects.select_related("fund", "closed_by"), fund__slug=slug, year=year
    )


def year_detail(request, slug, year):
    fiscal_year = _year(request, slug, year)
    return render(
        request,
        "accounting/year_detail.html",
        {
            "fund": fiscal_year.fund,
            "fiscal_year": fiscal_year,
            "balances": selectors.year_balances(fiscal_year),
            "can_close": permissions.can_close_year(request.user, fiscal_year) and fiscal_year.is_open,
        },
    )


@require_http_methods(["GET", "POST"])
def year_close(request, slug, year):
    """The checks, and the close itself once they are green and finance confirms."""
    fiscal_year = _year(request, slug, year)
    _require(permissions.can_close_year(request.user, fiscal_year))
    if not fiscal_year.is_open:
        return redirect("accounting:year-detail", slug, year)
    form = forms.YearCloseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.fiscal_year_close(fiscal_year=fiscal_year, user=request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("Verksamhetsåret %(year)s är stängt och %(next)s är öppnat.")
                % {"year": fiscal_year.year, "next": fiscal_year.year + 1},
            )
            return redirect("accounting:year-detail", slug, year)
    return render(
        request,
        "accounting/year_close.html",
        {
            "fund": fiscal_year.fund,
            "fiscal_year": fiscal_year,
            "checks": services.fiscal_year_checks(fiscal_year),
            "form": form,
        },
    )


def year_sie(request, slug, year, variant):
    fund = _fund(request, slug)
    fiscal_year = get_object_or_404(FiscalYear, fund=fund, year=year)
    content = exports.sie(fiscal_year, with_balances=(variant == "4e"))
    response = HttpResponse(content, content_type="text/plain; charset=IBM437")
    extension = "se" if variant == "4e" else "si"
    response["Content-Disposition"] = f'attachment; filename="{fund.slug}-{year}-sie{variant}.{extension}"'
    return response


# --- decisions and commitments --------------------------------------------------------------------


def decision_list(request):
    _require(permissions.can_view_ledger(request.user))
    decisions = Decision.objects.select_related("initiative__party", "fund").order_by("-decided_on", "-id")
    awaiting = (
        Initiative.objects.filter(status=Status.SUPPORTED).select_related("party").order_by("created_at")
    )
    return render(
        request,
        "accounting/decision_list.html",
        {
            "decisions": decisions,
            "awaiting": awaiting,
            "can_decide": permissions.can_record_decision(request.user),
            "to_release": selectors.reservations_to_release(),
            "can_post": permissions.can_post(request.user),
        },
    )


@require_POST
def initiative_release(request, pk):
    """Finance releases what is still reserved for a completed or terminated initiative (*Att frigöra*)."""
    _require(permissions.can_post(request.user))
    initiative = get_object_or_404(Initiative.objects.filter(status__in=services.ENDED_WITH_MONEY), pk=pk)
    try:
        posted = services.initiative_reservation_release(
            initiative=initiative, booking_date=timezone.localdate(), user=request.user
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        if posted:
            messages.success(
                request,
                _("Reservationen är frigjord: %(labels)s.")
                % {"labels": ", ".join(v.number_label for v in posted)},
            )
        else:
            messages.info(request, _("Inget var reserverat för initiativet längre."))
    return redirect(reverse("accounting:decision-list") + "#att-frigora")


@require_http_methods(["GET", "POST"])
def decision_create(request, initiative_pk):
    _require(permissions.can_record_decision(request.user))
    initiative = get_object_or_404(Initiative.objects.visible_to(request.user), pk=initiative_pk)
    form = forms.DecisionForm(request.POST or None, request.FILES or None)

    def service(data):
        return services.decision_record(
            fund=data["fund"],
            initiative=initiative,
            maker_kind=data["maker_kind"],
            maker_name=data["maker_name"],
            delegation_point=data["delegation_point"],
            decided_on=data["decided_on"],
            reference=data["reference"],
            outcome=data["outcome"],
            amount=data["amount"],
            document=data.get("document"),
            user=request.user,
            idempotency_key=data["idempotency_key"],
        )

    context = {
        "title": _("Registrera beslut för %(initiative)s") % {"initiative": initiative},
        "lead": _(
            "Region Värmlands formella beslut enligt delegationsordningen. Beslutet kan bara registreras när "
            "Värmlandsrådet har tillstyrkt initiativet i konsensus."
        ),
        "back": reverse("accounting:decision-list"),
        "multipart": True,
        "position": services.consensus_position(initiative),
        "show_position": True,
    }
    return _posting(
        request,
        form=form,
        template_context=context,
        service=service,
        success=lambda d: (
            (
                _("Avslaget %(ref)s är registrerat; ingenting har bokförts.")
                if d.outcome == Decision.Outcome.REJECTED
                else _("Beslutet %(ref)s är registrerat.")
            )
            % {"ref": d.reference}
        ),
    )


def change_decision_create(request, change_pk):
    """Region Värmland's decision on a change request: more money as a decision like the first (resting on
    Värmlandsrådet's position on the request), any other change as a decision that applies it at once."""
    _require(permissions.can_record_decision(request.user))
    change = get_object_or_404(ChangeRequest.objects.select_related("initiative__party"), pk=change_pk)
    initiative = change.initiative
    context = {
        "title": _("Registrera beslut om %(change)s för %(initiative)s")
        % {"change": change, "initiative": initiative},
        "lead": change_request_summary(change),
        "back": change.get_absolute_url(),
        "multipart": True,
        "first_decision": services.first_decision(initiative),
        "change": change,
    }
    if change.needs_council:
        form = forms.DecisionForm(
            request.POST or None, request.FILES or None, initial={"amount": change.amount}
        )

        def service(data):
            return services.decision_record(
                fund=data["fund"],
                initiative=initiative,
                change_request=change,
                maker_kind=data["maker_kind"],
                maker_name=data["maker_name"],
                delegation_point=data["delegation_point"],
                decided_on=data["decided_on"],
                reference=data["reference"],
                outcome=data["outcome"],
                amount=data["amount"],
                document=data.get("document"),
                user=request.user,
                idempotency_key=data["idempotency_key"],
            )

        context |= {"position": services.consensus_position(initiative, change), "show_position": True}
    else:
        form = forms.ChangeDecisionForm(
            request.POST or None, request.FILES or None, books=change.kind != ChangeKind.EXTENDED_PERIOD
        )

        def service(data):
            return services.change_decision_record(
                change_request=change,
                maker_kind=data["maker_kind"],
                maker_name=data["maker_name"],
                delegation_point=data["delegation_point"],
                decided_on=data["decided_on"],
                reference=data["reference"],
                approved=data["approved"],
                booking_date=data.get("booking_date"),
                document=data.get("document"),
                user=request.user,
                idempotency_key=data["idempotency_key"],
            )

    return _posting(
        request,
        form=form,
        template_context=context,
        service=service,
        success=lambda d: _("Beslutet %(ref)s om ändringsbegäran är registrerat.") % {"ref": d.reference},
    )


def decision_detail(request, pk):
    _readers_only(request)
    decision = get_object_or_404(
        Decision.objects.select_related(
            "initiative__party",
            "fund",
            "recorded_by",
            "position__meeting__body",
            "delegation_point",
            "amends",
            "change_request",
        ),
        pk=pk,
    )
    return render(
        request,
        "accounting/decision_detail.html",
        {
            "decision": decision,
            "postings": selectors.decision_postings(decision),
            "can_post": permissions.can_post(request.user, decision.fund),
        },
    )


def decision_document(request, pk):
    """The decision's document, for those who may read the decision (issue 17: it was linked under
    /media/, which is never served)."""
    _readers_only(request)
    decision = get_object_or_404(Decision.objects.exclude(document=""), pk=pk)
    return uploads.file_response(
        file=decision.document,
        # Documents stored before the display name was kept carry their (checked) PDF name in the path.
        name=decision.document_name or PurePosixPath(decision.document.name).name,
        content_type=decision.document_type or "application/pdf",
    )


@require_http_methods(["GET", "POST"])
def commitment_create(request, pk):
    _readers_only(request)
    decision = get_object_or_404(Decision.objects.select_related("fund", "initiative"), pk=pk)
    _require(permissions.can_post(request.user, decision.fund))
    available = selectors.capital_parts_available(decision.fund)
    form = forms.CommitmentForm(
        request.POST or None,
        available=available,
        planned_years=services.planned_years(decision),
        initial={"text": str(decision.initiative)[:200]},
    )

    def service(data):
        return services.commitment_create(
            decision=decision,
            shares=form.shares(),
            booking_date=data["booking_date"],
            text=data["text"],
            user=request.user,
            idempotency_key=data["idempotency_key"],
        )

    context = {
        "fund": decision.fund,
        "title": _("Bevilja medel enligt beslut %(ref)s") % {"ref": decision.reference},
        "lead": _("Beloppet reserveras från kapitaldelens tillgängliga kapital. Beslutet gäller %(amount)s.")
        % {"amount": _kr(decision.amount)},
        "back": reverse("accounting:decision-detail", args=[pk]),
        "amount_field": "amount_1",
        "next": reverse("accounting:decision-detail", args=[pk]),
        "available": available,
    }
    return _posting(request, form=form, template_context=context, service=service, success=_posted)


def _kr(amount) -> str:
    from core.money import format_amount

    return format_amount(amount)


def commitment_detail(request, pk):
    _readers_only(request)
    commitment = get_object_or_404(
        Commitment.objects.select_related("decision", "initiative__party", "capital_part", "fund"), pk=pk
    )
    figures = selectors.commitment_figures_map([commitment])[commitment.pk]
    verifications = (
        Verification.objects.filter(lines__commitment=commitment)
        .distinct()
        .select_related("fiscal_year")
        .order_by("booking_date", "id")
    )
    return render(
        request,
        "accounting/commitment_detail.html",
        {
            "commitment": commitment,
            "figures": figures,
            "verifications": verifications,
            "can_post": permissions.can_post(request.user, commitment.fund),
        },
    )


def _commitment_event(request, pk, *, service_fn, title, default_text, form_class=forms.MoneyEventForm):
    _readers_only(request)
    commitment = get_object_or_404(Commitment.objects.select_related("fund", "initiative", "decision"), pk=pk)
    _require(permissions.can_post(request.user, commitment.fund))
    form = form_class(
        request.POST or None, initial={"text": f"{default_text}: {commitment.initiative}"[:200]}
    )

    def service(data):
        # A disbursement says where the money went (issue 13); the other events move money inside the fund.
        extra = {"payment": form.payment()} if isinstance(form, forms.PaymentFields) else {}
        return service_fn(
            commitment=commitment,
            amount=data["amount"],
            booking_date=data["booking_date"],
            text=data["text"],
            user=request.user,
            idempotency_key=data["idempotency_key"],
            **extra,
        )

    figures = selectors.commitment_figures_map([commitment])[commitment.pk]
    context = {
        "fund": commitment.fund,
        "title": title,
        "lead": _("Beviljat %(granted)s, utbetalt %(disbursed)s, återstår %(remaining)s.")
        % {
            "granted": _kr(figures.granted),
            "disbursed": _kr(figures.disbursed),
            "remaining": _kr(figures.reserved),
        },
        "back": reverse("accounting:commitment-detail", args=[pk]),
        "next": reverse("accounting:commitment-detail", args=[pk]),
    }
    return _posting(request, form=form, template_context=context, service=service, success=_posted)


@require_http_methods(["GET", "POST"])
def disbursement_create(request, pk):
    return _commitment_event(
        request,
        pk,
        service_fn=services.disbursement_record,
        title=_("Betala ut"),
        default_text=_("Utbetalning"),
        form_class=forms.DisbursementForm,
    )


@require_http_methods(["GET", "POST"])
def release_create(request, pk):
    return _commitment_event(
        request,
        pk,
        service_fn=services.commitment_release,
        title=_("Frigör oanvänt åtagande"),
        default_text=_("Frigörande"),
    )


@require_http_methods(["GET", "POST"])
def repayment_create(request, pk):
    return _commitment_event(
        request,
        pk,
        service_fn=services.repayment_record,
        title=_("Registrera återbetalning"),
        default_text=_("Återbetalning"),
    )


def initiative_money(request, pk):
    initiative = get_object_or_404(Initiative.objects.visible_to(request.user).select_related("party"), pk=pk)
    if not permissions.can_view_initiative_money(request.user, initiative):
        raise Http404
    return render(
        request,
        "accounting/initiative_money.html",
        {"initiative": initiative, "money": selectors.initiative_money(initiative)},
    )


# --- early termination and recovery claims (issue 13: 3) ------------------------------------------


@require_http_methods(["GET", "POST"])
def initiative_terminate(request, pk):
    """Finance ends a decided initiative early; the form asks for confirmation before it is sent."""
    initiative = get_object_or_404(Initiative.objects.visible_to(request.user).select_related("party"), pk=pk)
    _require(permissions.can_terminate_initiative(request.user, initiative))
    if initiative.status != Status.DECIDED:
        raise Http404
    form = forms.TerminationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            result = services.initiative_terminate(
                initiative=initiative,
                terminated_on=form.cleaned_data["terminated_on"],
                reason=form.cleaned_data["reason"],
                reference=form.cleaned_data["reference"],
                user=request.user,
            )
        except ValidationError as error:
            form.apply_service_error(error)
        else:
            messages.success(request, " ".join(filter(None, [_("Initiativet är avbrutet."), result.note])))
            return redirect(initiative.get_absolute_url())
    reserved = selectors.initiative_money_figures(initiative).reserved
    return render(
        request,
        "accounting/posting_form.html",
        {
            "form": form,
            "title": _("Avbryt initiativet %(number)s") % {"number": initiative.registration_number},
            "lead": _(
                "%(initiative)s avbryts i förtid. Det som fortfarande är reserverat, %(reserved)s, frigörs "
                "till fondens tillgängliga kapital, och %(party)s får e-post med skälet. "
                "Det som redan betalats ut kan sedan krävas tillbaka med ett återkrav."
            )
            % {"initiative": initiative, "reserved": _kr(reserved), "party": initiative.party.name},
            "submit": _("Avbryt initiativet"),
            "confirm": _("Avbryta initiativet? Det kan inte återupptas, och reservationen frigörs."),
            "back": initiative.get_absolute_url(),
        },
    )


def _claim(request, pk) -> RecoveryClaim:
    """A claim its reader may see; to anyone else it does not exist."""
    claim = get_object_or_404(
        RecoveryClaim.objects.select_related("initiative__party", "fund", "created_by"), pk=pk
    )
    if not permissions.can_view_recovery_claim(request.user, claim):
        raise Http404
    return claim


def recovery_claim_list(request):
    _require(permissions.can_view_ledger(request.user))
    return render(
        request,
        "accounting/recovery_claim_list.html",
        {
            **selectors.recovery_claim_list(today=timezone.localdate()),
            "can_manage": permissions.can_manage_recovery(request.user),
        },
    )


@require_http_methods(["GET", "POST"])
def recovery_claim_create(request, initiative_pk):
    _require(permissions.can_manage_recovery(request.user))
    initiative = get_object_or_404(
        Initiative.objects.filter(status__in=[Status.DECIDED, *services.ENDED_WITH_MONEY]).select_related(
            "party"
        ),
        pk=initiative_pk,
    )
    form = forms.RecoveryClaimForm(request.POST or None)

    def service(data):
        return services.recovery_claim_create(
            initiative=initiative,
            amount=data["amount"],
            reason=data["reason"],
            reference=data["reference"],
            decided_on=data["decided_on"],
            due_on=data["due_on"],
            user=request.user,
            idempotency_key=data["idempotency_key"],
        )

    context = {
        "title": _("Nytt återkrav: %(initiative)s") % {"initiative": initiative},
        "lead": _("Utbetalt netto till initiativet: %(net)s. Högst %(room)s kan krävas tillbaka.")
        % {
            "net": _kr(services.initiative_net_disbursed(initiative)),
            "room": _kr(max(services.recovery_claim_room(initiative), 0)),
        },
        "submit": _("Registrera återkravet"),
        "back": initiative.get_absolute_url(),
    }
    return _posting(
        request,
        form=form,
        template_context=context,
        service=service,
        success=lambda claim: (
            _("Återkravet är registrerat och %(party)s har fått e-post om det.")
            % {"party": initiative.party.name}
        ),
    )


def recovery_claim_detail(request, pk):
    claim = _claim(request, pk)
    return render(
        request,
        "accounting/recovery_claim_detail.html",
        {
            "claim": claim,
            "repayments": selectors.recovery_claim_repayments(claim),
            "overdue": claim.is_overdue(timezone.localdate()),
            "can_manage": permissions.can_manage_recovery(request.user, claim),
            "can_view_ledger": permissions.can_view_ledger(request.user),
        },
    )


@require_http_methods(["GET", "POST"])
def recovery_claim_repayment(request, pk):
    claim = _claim(request, pk)
    _require(permissions.can_manage_recovery(request.user, claim))
    commitments = Commitment.objects.filter(initiative=claim.initiative).select_related(
        "capital_part", "fund"
    )
    form = forms.ClaimRepaymentForm(
        request.POST or None,
        commitments=commitments.order_by("id"),
        initial={"text": f"{_('Återbetalning enligt återkrav')}: {claim.initiative}"[:200]},
    )

    def service(data):
        return services.repayment_record(
            commitment=data["commitment"],
            amount=data["amount"],
            booking_date=data["booking_date"],
            text=data["text"],
            user=request.user,
            idempotency_key=data["idempotency_key"],
            claim=claim,
        )

    context = {
        "title": _("Bokför återbetalning mot återkrav %(id)s") % {"id": claim.pk},
        "lead": _("Återkrävt %(amount)s, återbetalt %(repaid)s, kvar att betala %(outstanding)s.")
        % {"amount": _kr(claim.amount), "repaid": _kr(claim.repaid), "outstanding": _kr(claim.outstanding)},
        "back": claim.get_absolute_url(),
        "next": claim.get_absolute_url(),
    }
    return _posting(request, form=form, template_context=context, service=service, success=_posted)


@require_http_methods(["GET", "POST"])
def recovery_claim_write_off(request, pk):
    claim = _claim(request, pk)
    _require(permissions.can_manage_recovery(request.user, claim))
    form = forms.WriteOffForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.recovery_claim_write_off(claim=claim, user=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.apply_service_error(error)
        else:
            messages.success(request, _("Återkravet är avskrivet."))
            return redirect(claim.get_absolute_url())
    return render(
        request,
        "accounting/posting_form.html",
        {
            "form": form,
            "title": _("Skriv av återkrav %(id)s") % {"id": claim.pk},
            "lead": _(
                "%(outstanding)s är ännu inte återbetalt och skrivs av: det krävs inte längre tillbaka."
            )
            % {"outstanding": _kr(claim.outstanding)},
            "submit": _("Skriv av"),
            "confirm": _("Skriva av återkravet? Det som är kvar krävs inte längre tillbaka."),
            "back": claim.get_absolute_url(),
        },
    )


# --- opening a fund and describing it -------------------------------------------------------------


def _apply_fund_errors(error: ValidationError, form, formset, rows: list[int]) -> list[str]:
    """Put the service's refusals next to their fields: the fund's on the form, a part's on its row
    (`parts.<i>.<field>`, i counting the parts sent, `rows` mapping them back to form rows). Returns the
    messages about the parts as a whole."""
    parts_errors: list[str] = []
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return parts_errors
    for key, errors in error.message_dict.items():
        if key == "parts":
            parts_errors.extend(errors)
        elif key.startswith("parts."):
            _prefix, index, field = key.split(".", 2)
            formset.forms[rows[int(index)]].add_error(field, errors)
        else:
            form.add_error(key if key in form.fields else None, errors)
    return parts_errors


@require_http_methods(["GET", "POST"])
def fund_open(request):
    _require(permissions.can_open_fund(request.user))
    form = forms.FundOpenForm(request.POST or None)
    formset = forms.FoundingPartFormSet(request.POST or None, prefix="parts")
    parts_errors: list[str] = []
    if request.method == "POST" and all([form.is_valid(), formset.is_valid()]):
        rows = formset.parts()
        data = form.cleaned_data
        try:
            fund = services.fund_open(
                name=data["name"],
                slug=data["slug"],
                organisation=data["organisation"],
                opened_on=data["opened_on"],
                description=data["description"],
                parts=[part for _index, part in rows],
                user=request.user,
                idempotency_key=data["idempotency_key"],
            )
        except ValidationError as error:
            parts_errors = _apply_fund_errors(error, form, formset, [index for index, _part in rows])
        else:
            messages.success(
                request,
                _("Fonden %(fund)s är öppnad med sitt ingående kapital och verksamhetsåret %(year)s.")
                % {"fund": fund.name, "year": fund.opened_on.year},
            )
            return redirect("accounting:fund-detail", fund.slug)
    return render(
        request,
        "accounting/fund_open.html",
        {"form": form, "formset": formset, "parts_errors": parts_errors},
    )


@require_http_methods(["GET", "POST"])
def fund_edit(request, slug):
    fund = _fund(request, slug)
    _require(permissions.can_edit_fund(request.user, fund))
    form = forms.FundEditForm(request.POST or None, instance=Fund.objects.get(pk=fund.pk))
    if request.method == "POST" and form.is_valid():
        try:
            services.fund_update(
                fund=fund,
                name=form.cleaned_data["name"],
                organisation=form.cleaned_data["organisation"],
                description=form.cleaned_data["description"],
                user=request.user,
            )
        except ValidationError as error:
            for key, errors in error.message_dict.items():
                form.add_error(key if key in form.fields else None, errors)
        else:
            messages.success(request, _("Uppgifterna om fonden är sparade."))
            return redirect("accounting:fund-detail", fund.slug)
    return render(
        request,
        "accounting/posting_form.html",
        {
            "fund": fund,
            "form": form,
            "title": _("Ändra uppgifter om %(fund)s") % {"fund": fund.name},
            "lead": _(
                "Kortnamnet och öppningsdagen ändras inte: kortnamnet är fondens adress i länkar och "
                "rapporter, och det ingående kapitalet är bokfört på öppningsdagen."
            ),
            "back": reverse("accounting:fund-detail", args=[slug]),
            "submit": _("Spara"),
        },
    )


@require_http_methods(["GET", "POST"])
def capital_part_edit(request, slug, number):
    fund = _fund(request, slug)
    _require(permissions.can_edit_fund(request.user, fund))
    part = get_object_or_404(CapitalPart, fund=fund, number=number)
    form = forms.CapitalPartEditForm(request.POST or None, instance=CapitalPart.objects.get(pk=part.pk))
    if request.method == "POST" and form.is_valid():
        try:
            services.capital_part_update(
                capital_part=part,
                name=form.cleaned_data["name"],
                origin=form.cleaned_data["origin"],
                user=request.user,
            )
        except ValidationError as error:
            for key, errors in error.message_dict.items():
                form.add_error(key if key in form.fields else None, errors)
        else:
            messages.success(request, _("Uppgifterna om kapitaldelen är sparade."))
            return redirect("accounting:fund-detail", fund.slug)
    return render(
        request,
        "accounting/posting_form.html",
        {
            "fund": fund,
            "form": form,
            "title": _("Ändra kapitaldel %(part)s") % {"part": part},
            "lead": _("Kapitaldelens nummer ändras inte: rapporterna och kontoplanen följer det."),
            "back": reverse("accounting:fund-detail", args=[slug]),
            "submit": _("Spara"),
        },
    )


# --- the delegation register and the report of delegated decisions --------------------------------


def delegation_point_list(request):
    """The delegation order as a register: every point and version, who keeps it may add and end."""
    _require(permissions.can_view_ledger(request.user))
    can_manage = permissions.can_manage_delegation(request.user)
    return render(
        request,
        "accounting/delegation_point_list.html",
        {"points": selectors.delegation_register(), "can_manage": can_manage, "today": timezone.localdate()},
    )


@require_http_methods(["GET", "POST"])
def delegation_point_add(request):
    _require(permissions.can_manage_delegation(request.user))
    initial = {}
    if code := request.GET.get("punkt", "").strip()[:50]:
        # A new version of a point: the form starts from the version in force.
        current = DelegationPoint.objects.filter(code=code, valid_to__isnull=True).first()
        if current is not None:
            initial = {
                "code": current.code,
                "description": current.description,
                "maker_kind": current.maker_kind,
                "maker_name": current.maker_name,
                "amount_limit": current.amount_limit,
            }
    form = forms.DelegationPointForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            point = services.delegation_point_add(**form.cleaned_data, user=request.user)
        except ValidationError as error:
            apply_service_error(form, error)
        else:
            messages.success(
                request, _("Punkt %(code)s är införd i delegationsordningen.") % {"code": point.code}
            )
            return redirect("accounting:delegation-point-list")
    return render(
        request,
        "accounting/delegation_point_form.html",
        {"form": form, "title": _("Ny punkt eller ny version i delegationsordningen")},
    )


@require_http_methods(["GET", "POST"])
def delegation_point_end(request, pk):
    _require(permissions.can_manage_delegation(request.user))
    point = get_object_or_404(DelegationPoint, pk=pk)
    form = forms.DelegationPointEndForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.delegation_point_end(
                point=point, valid_to=form.cleaned_data["valid_to"], user=request.user
            )
        except ValidationError as error:
            apply_service_error(form, error)
        else:
            messages.success(request, _("Punkt %(code)s upphör.") % {"code": point.code})
            return redirect("accounting:delegation-point-list")
    return render(
        request,
        "accounting/delegation_point_form.html",
        {
            "form": form,
            "point": point,
            "title": _("Punkt %(code)s upphör") % {"code": point.code},
        },
    )


def _delegation_period(request):
    """The report's period from the query string; by default the current year until today."""
    today = timezone.localdate()
    data = request.GET if "start" in request.GET or "end" in request.GET else None
    form = forms.DelegationReportForm(data, initial={"start": today.replace(month=1, day=1), "end": today})
    if data is None:
        return form, form.initial["start"], form.initial["end"]
    if form.is_valid():
        return form, form.cleaned_data["start"], form.cleaned_data["end"]
    return form, None, None


def delegation_report(request):
    """Anmälan av delegationsbeslut: the decisions taken under delegation in a period, for the board."""
    _require(permissions.can_view_ledger(request.user))
    form, start, end = _delegation_period(request)
    report = selectors.delegation_report(start=start, end=end) if start else None
    return render(request, "accounting/delegation_report.html", {"form": form, "report": report})


def delegation_report_pdf(request):
    _require(permissions.can_view_ledger(request.user))
    form, start, end = _delegation_period(request)
    if start is None:
        return render(
            request, "accounting/delegation_report.html", {"form": form, "report": None}, status=400
        )
    return pdf_response(
        request,
        "accounting/pdf/delegation_report.html",
        {"report": selectors.delegation_report(start=start, end=end)},
        f"delegationsbeslut-{start.isoformat()}-{end.isoformat()}.pdf",
    )
