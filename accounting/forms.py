"""Posting forms: they shape input; the services decide. Every posting form carries an idempotency key,
made when the form is rendered, so a double click or a resent form posts once."""

import uuid
from datetime import timedelta
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounting import bank
from accounting.models import Account, CapitalPart, Decision, DelegationPoint, Fund, Kind
from core import uploads
from core.forms import ISO_DATE, DateInput
from core.money import AmountField, format_amount
from core.services import KEY_USED_FOR_ANOTHER_REQUEST
from council.forms import ObjectChoiceField
from initiatives.models import Initiative, parse_registration_number


def date_field(label, **kwargs) -> forms.DateField:
    return forms.DateField(
        label=label,
        input_formats=ISO_DATE,
        widget=DateInput(),
        help_text=kwargs.pop("help_text", _("ÅÅÅÅ-MM-DD")),
        **kwargs,
    )


class PostingForm(forms.Form):
    idempotency_key = forms.UUIDField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("idempotency_key", uuid.uuid4())
        if "booking_date" in self.fields:
            self.initial.setdefault("booking_date", timezone.localdate())

    def apply_service_error(self, error: ValidationError, amount_field: str = "amount") -> None:
        """Put the service's refusal next to the field it concerns (or above the form)."""
        if getattr(error, "code", None) == KEY_USED_FOR_ANOTHER_REQUEST:
            # The form was sent before with other content and that stands. The message asks the person to
            # look again; a fresh key lets a deliberate new request through on the next press.
            self.data = self.data.copy()
            self.data["idempotency_key"] = str(uuid.uuid4())
        if hasattr(error, "error_dict"):
            for name, errors in error.error_dict.items():
                target = name if name in self.fields else (amount_field if name == "amount" else None)
                if target not in self.fields:
                    target = None
                self.add_error(target, errors)
        else:
            self.add_error(None, error)


class CapitalForm(PostingForm):
    capital_part = forms.ModelChoiceField(
        label=_("Kapitaldel"), queryset=CapitalPart.objects.none(), empty_label=_("Välj kapitaldel")
    )
    amount = AmountField(label=_("Belopp (kr)"), help_text=_("Till exempel 1 250 000,50."))
    booking_date = date_field(_("Bokföringsdag"))
    text = forms.CharField(label=_("Verifikationstext"), max_length=200, initial=_("Kapitaltillskott"))

    def __init__(self, *args, fund: Fund, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["capital_part"].queryset = CapitalPart.objects.filter(fund=fund).order_by("number")


class TransferForm(PostingForm):
    from_part = ObjectChoiceField(label=_("Från kapitaldel"), empty_label=_("Välj kapitaldel"))
    to_part = ObjectChoiceField(label=_("Till kapitaldel"), empty_label=_("Välj kapitaldel"))
    amount = AmountField(label=_("Belopp (kr)"))
    booking_date = date_field(_("Bokföringsdag"))
    text = forms.CharField(
        label=_("Verifikationstext"), max_length=200, initial=_("Överföring mellan kapitaldelar")
    )

    def __init__(self, *args, available: dict[CapitalPart, Decimal], **kwargs):
        """`available`: each capital part of the fund (in order) with what it has available, shown in its
        choice: only available capital can be moved (`services.capital_transfer`)."""
        super().__init__(*args, **kwargs)
        for name in ("from_part", "to_part"):
            self.fields[name].set_objects(available, available_label(available))


def available_label(available: dict[CapitalPart, Decimal]):
    """A capital part as a choice showing what it has available ("1. Kommunalförbundet – tillgängligt …")."""
    return lambda part: (
        _("%(part)s – tillgängligt %(amount)s")
        % {
            "part": f"{part.number}. {part.name}",
            "amount": format_amount(available[part]),
        }
    )


def delegation_point_label(point: DelegationPoint) -> str:
    """A point as the decision form offers it: code, delegate, limit and validity."""
    limit = format_amount(point.amount_limit) if point.amount_limit is not None else _("ingen beloppsgräns")
    until = point.valid_to.isoformat() if point.valid_to else "–"
    return _("%(code)s %(maker)s, högst %(limit)s (gäller %(start)s – %(end)s)") % {
        "code": point.code,
        "maker": point.maker_name,
        "limit": limit,
        "start": point.valid_from.isoformat(),
        "end": until,
    }


class DelegationPointChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return delegation_point_label(obj)


class DecisionForm(PostingForm):
    fund = forms.ModelChoiceField(
        label=_("Fond"), queryset=Fund.objects.order_by("opened_on"), empty_label=None
    )
    outcome = forms.ChoiceField(
        label=_("Beslut"),
        # "Ändring beviljas" belongs to a change within the frame (ChangeDecisionForm), not offered here.
        choices=[(o.value, o.label) for o in (Decision.Outcome.GRANTED, Decision.Outcome.REJECTED)],
        initial=Decision.Outcome.GRANTED,
        widget=forms.RadioSelect,
        required=False,
        help_text=_("Ett avslag beviljar inga medel och bokför ingenting."),
    )
    maker_kind = forms.ChoiceField(label=_("Beslutsfattare"), choices=Decision.MakerKind.choices)
    maker_name = forms.CharField(
        label=_("Beslutsfattarens namn"), max_length=200, help_text=_("Till exempel Regionstyrelsen.")
    )
    delegation_point = DelegationPointChoiceField(
        label=_("Punkt i delegationsordningen"),
        queryset=DelegationPoint.objects.order_by("code", "-valid_from"),
        required=False,
        empty_label=_("Ingen (regionstyrelsens eget beslut)"),
        help_text=_("Punkten ska gälla beslutsdagen; beloppet får inte överstiga punktens beloppsgräns."),
    )
    decided_on = date_field(_("Beslutsdatum"))
    reference = forms.CharField(
        label=_("Beslutsnummer eller paragraf"), max_length=100, help_text=_("Till exempel RS 2026/123 § 45.")
    )
    amount = AmountField(
        label=_("Beviljat belopp (kr)"), required=False, help_text=_("Lämnas tomt vid avslag.")
    )
    # Checked by content in `decision_record` (core.uploads), whose refusal is shown next to this field.
    document = forms.FileField(
        label=_("Beslutsdokument (PDF)"), required=False, help_text=uploads.DECISION_DOCUMENTS_HELP
    )

    def clean_outcome(self):
        # A form sent without the choice (an older page) is a positive decision, as before there was one.
        return self.cleaned_data["outcome"] or Decision.Outcome.GRANTED


class ChangeDecisionForm(PostingForm):
    """Region Värmland's decision on a change within the frame already granted (period, years, less money)."""

    approved = forms.TypedChoiceField(
        label=_("Beslut"),
        choices=[("1", _("Ändringen beviljas")), ("0", _("Ändringen avslås"))],
        coerce=lambda value: value == "1",
        initial="1",
        widget=forms.RadioSelect,
    )
    maker_kind = forms.ChoiceField(label=_("Beslutsfattare"), choices=Decision.MakerKind.choices)
    maker_name = forms.CharField(
        label=_("Beslutsfattarens namn"), max_length=200, help_text=_("Till exempel Regionstyrelsen.")
    )
    delegation_point = DelegationPointChoiceField(
        label=_("Punkt i delegationsordningen"),
        queryset=DelegationPoint.objects.order_by("code", "-valid_from"),
        required=False,
        empty_label=_("Ingen (regionstyrelsens eget beslut)"),
        help_text=_("Punkten ska gälla beslutsdagen."),
    )
    decided_on = date_field(_("Beslutsdatum"))
    reference = forms.CharField(
        label=_("Beslutsnummer eller paragraf"), max_length=100, help_text=_("Till exempel RS 2026/123 § 45.")
    )
    booking_date = date_field(_("Bokföringsdag"))
    document = forms.FileField(
        label=_("Beslutsdokument (PDF)"), required=False, help_text=uploads.DECISION_DOCUMENTS_HELP
    )

    def __init__(self, *args, books: bool, **kwargs):
        """`books`: the change moves money in the ledger (years, scope), so it has a booking day."""
        super().__init__(*args, **kwargs)
        if books:
            self.fields["booking_date"].help_text = _(
                "Dagen då omplaneringen eller frigörandet bokförs; tidigast beslutsdagen."
            )
        else:
            del self.fields["booking_date"]


class DelegationPointForm(forms.Form):
    code = forms.CharField(label=_("Punkt"), max_length=50, help_text=_("Till exempel 3.2.1."))
    description = forms.CharField(
        label=_("Beskrivning"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    maker_kind = forms.ChoiceField(label=_("Beslutsfattare"), choices=Decision.MakerKind.choices)
    maker_name = forms.CharField(
        label=_("Delegat"),
        max_length=200,
        help_text=_("Funktion eller person, till exempel regiondirektören."),
    )
    amount_limit = AmountField(
        label=_("Beloppsgräns (kr)"), required=False, help_text=_("Tomt: ingen beloppsgräns i punkten.")
    )
    valid_from = date_field(_("Gäller från"))


class DelegationPointEndForm(forms.Form):
    valid_to = date_field(_("Gäller till och med"))


class DelegationReportForm(forms.Form):
    """The period of a report of delegated decisions (anmälan av delegationsbeslut)."""

    start = date_field(_("Från och med"))
    end = date_field(_("Till och med"))

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            self.add_error("end", _("Periodens slut kan inte ligga före dess början."))
        return data


class CommitmentForm(PostingForm):
    """A commitment, possibly split over up to three capital parts and planned years."""

    ROWS = 3
    booking_date = date_field(_("Bokföringsdag"))
    text = forms.CharField(label=_("Verifikationstext"), max_length=200, initial=_("Beviljade medel"))

    def __init__(self, *args, available: dict[CapitalPart, Decimal], planned_years: range, **kwargs):
        """`available`: each capital part of the fund (in order) with what it has available to commit,
        shown in its choice so the split can be made without leaving the form. `planned_years`: from the
        decision's year to the initiative's end (`accounting.services.planned_years`)."""
        super().__init__(*args, **kwargs)
        years = [("", _("Inget planerat år"))] + [(y, str(y)) for y in planned_years]
        for i in range(1, self.ROWS + 1):
            required = i == 1
            part_field = ObjectChoiceField(
                label=_("Kapitaldel, rad %(i)s") % {"i": i},
                required=required,
                empty_label=_("Välj kapitaldel") if required else _("Ingen (raden används inte)"),
            )
            part_field.set_objects(available, available_label(available))
            self.fields[f"capital_part_{i}"] = part_field
            self.fields[f"amount_{i}"] = AmountField(
                label=_("Belopp, rad %(i)s (kr)") % {"i": i}, required=required
            )
            self.fields[f"planned_year_{i}"] = forms.TypedChoiceField(
                label=_("Planerat utbetalningsår, rad %(i)s") % {"i": i},
                choices=years,
                coerce=int,
                empty_value=None,
                required=False,
            )
        self.order_fields(
            [
                f"{name}_{i}"
                for i in range(1, self.ROWS + 1)
                for name in ("capital_part", "amount", "planned_year")
            ]
            + ["booking_date", "text"]
        )

    def clean(self):
        data = super().clean()
        for i in range(2, self.ROWS + 1):
            if bool(data.get(f"capital_part_{i}")) != bool(data.get(f"amount_{i}")):
                self.add_error(f"amount_{i}", _("Ange både kapitaldel och belopp, eller inget av dem."))
        return data

    def shares(self):
        from accounting.services import Share

        data = self.cleaned_data
        return [
            Share(data[f"capital_part_{i}"], data[f"amount_{i}"], data.get(f"planned_year_{i}"))
            for i in range(1, self.ROWS + 1)
            if data.get(f"capital_part_{i}") and data.get(f"amount_{i}")
        ]


class MoneyEventForm(PostingForm):
    amount = AmountField(label=_("Belopp (kr)"), help_text=_("Till exempel 250 000 eller 1 250 000,50."))
    booking_date = date_field(_("Bokföringsdag"))
    text = forms.CharField(label=_("Verifikationstext"), max_length=200)


class PaymentFields(forms.Form):
    """Where money is paid: payee, bankgiro/plusgiro/IBAN and the payee's reference. The form only shapes
    the input; `bank.payment_details` (called by the services) checks the number and says what is wrong."""

    payee = forms.CharField(
        label=_("Betalningsmottagare"),
        max_length=bank.MAX_PAYEE,
        help_text=_("Organisationen som tar emot pengarna, till exempel Karlstads kommun."),
    )
    bank_account_kind = forms.ChoiceField(
        label=_("Kontotyp"), choices=bank.AccountKind.choices, widget=forms.RadioSelect
    )
    bank_account_number = forms.CharField(
        label=_("Kontonummer"),
        max_length=60,
        help_text=_(
            "Bankgiro 123-4567 eller 1234-5678, plusgiro 12345-6, IBAN SE45 5000 0000 0583 9825 7466."
        ),
    )
    payment_reference = forms.CharField(
        label=_("OCR-nummer eller meddelande"),
        max_length=bank.MAX_REFERENCE,
        required=False,
        help_text=_("Det mottagaren vill se på betalningen, till exempel fakturans OCR-nummer."),
    )

    def payment(self) -> bank.Payment:
        """The checked payment details (raises the service's ValidationError, keyed by these fields)."""
        data = self.cleaned_data
        return bank.payment_details(
            payee=data["payee"],
            account_kind=data["bank_account_kind"],
            account_number=data["bank_account_number"],
            reference=data.get("payment_reference", ""),
        )


class DisbursementForm(MoneyEventForm, PaymentFields):
    field_order = [
        "amount",
        "booking_date",
        "payee",
        "bank_account_kind",
        "bank_account_number",
        "payment_reference",
        "text",
    ]


class ReverseForm(PostingForm):
    booking_date = date_field(
        _("Bokföringsdag för rättelsen"),
        help_text=_("ÅÅÅÅ-MM-DD. Ligger originalet i ett stängt år bokförs rättelsen i ett öppet år."),
    )
    text = forms.CharField(label=_("Verifikationstext"), max_length=200)


class AmountLimitForm(forms.Form):
    amount_limit = AmountField(
        label=_("Beloppsgräns (kr)"),
        help_text=_("Högsta belopp i en enskild post i fonden, till exempel 500 000 000."),
    )


class AccountMapForm(forms.ModelForm):
    class Meta:
        model = Account
        fields = ["region_account", "region_object"]


class YearCloseForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("Jag har stämt av året och vill stänga det. Ett stängt år kan aldrig öppnas igen."),
        required=True,
    )


class JournalFilterForm(forms.Form):
    year = forms.TypedChoiceField(label=_("År"), required=False, coerce=int, empty_value=None)
    kind = forms.ChoiceField(label=_("Typ"), required=False, choices=[("", _("Alla typer")), *Kind.choices])
    capital_part = forms.ModelChoiceField(
        label=_("Kapitaldel"),
        required=False,
        queryset=CapitalPart.objects.none(),
        empty_label=_("Alla kapitaldelar"),
    )
    initiative = forms.CharField(
        label=_("Initiativ (diarienummer)"),
        required=False,
        max_length=20,
        help_text=_("Till exempel DGR 2026/0007."),
    )
    q = forms.CharField(label=_("Text innehåller"), required=False, max_length=100)

    def __init__(self, *args, fund: Fund, years, parts, user, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [("", _("Alla år"))] + [(y.year, str(y.year)) for y in reversed(years)]
        self.fields["capital_part"].queryset = CapitalPart.objects.filter(fund=fund).order_by("number")
        # Use the already-loaded parts for the choices (no query while rendering).
        self.fields["capital_part"].choices = [("", _("Alla kapitaldelar"))] + [(p.pk, str(p)) for p in parts]

    def clean_initiative(self):
        text = self.cleaned_data["initiative"].strip()
        if not text:
            return None
        if parse_registration_number(text) is None:
            raise ValidationError(_("Skriv diarienumret som DGR 2026/0007."), code="format")
        initiative = Initiative.objects.visible_to(self.user).with_registration_number(text).first()
        if initiative is None:
            raise ValidationError(
                _("Det finns inget initiativ med diarienumret %(number)s."),
                code="unknown",
                params={"number": text},
            )
        return initiative


# --- opening a fund ---------------------------------------------------------------------------------


class FundOpenForm(PostingForm):
    """The fund itself; its capital parts come from `FoundingPartFormSet` on the same page."""

    name = forms.CharField(
        label=_("Fondens namn"), max_length=200, help_text=_("Till exempel De gemensamma resurserna.")
    )
    slug = forms.SlugField(
        label=_("Kortnamn"),
        max_length=40,
        error_messages={
            "invalid": _("Använd bara bokstäverna a–z (utan å, ä, ö), siffror och bindestreck."),
        },
        help_text=_(
            "Små bokstäver, siffror och bindestreck, till exempel dgr. Används i fondens adresser "
            "(/ekonomi/fond/dgr/) och kan inte ändras senare."
        ),
    )
    organisation = forms.CharField(
        label=_("Förvaltas av"), max_length=200, initial="Region Värmland", help_text=_("Organisationen.")
    )
    opened_on = date_field(
        _("Öppningsdag"),
        help_text=_(
            "ÅÅÅÅ-MM-DD. Kapitaldelarnas ingående kapital bokförs denna dag, och fondens första "
            "verksamhetsår öppnas."
        ),
    )
    description = forms.CharField(
        label=_("Beskrivning"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def clean_slug(self):
        return self.cleaned_data["slug"].strip().lower()


class FoundingPartForm(forms.Form):
    """One capital part as the fund opens. A row left as it was rendered is not a part (empty row)."""

    name = forms.CharField(label=_("Namn"), max_length=200, required=False)
    origin = forms.CharField(
        label=_("Ursprung"),
        required=False,
        help_text=_("Var kapitalet kommer ifrån, till exempel Värmlandstrafik AB."),
    )
    order = forms.IntegerField(label=_("Ordning"), min_value=1, max_value=99)
    capital = AmountField(
        label=_("Ingående kapital (kr)"), required=False, help_text=_("Till exempel 55 000 000.")
    )

    def __init__(self, *args, position: int = 1, **kwargs):
        super().__init__(*args, **kwargs)
        # The field's initial, not the form's: an untouched row then counts as unchanged and is skipped.
        self.fields["order"].initial = position

    def clean(self):
        data = super().clean()
        if not data.get("name", "").strip() and "name" not in self.errors:
            self.add_error("name", _("Ange kapitaldelens namn."))
        if data.get("capital") is None and "capital" not in self.errors:
            self.add_error("capital", _("Ange det kapital kapitaldelen för in."))
        return data


class BaseFoundingPartFormSet(forms.BaseFormSet):
    def get_form_kwargs(self, index):
        return {**super().get_form_kwargs(index), "position": (index or 0) + 1}

    def parts(self) -> list[tuple[int, object]]:
        """(row index, FoundingPart) for each filled row, in row order."""
        from accounting.services import FoundingPart

        return [
            (
                index,
                FoundingPart(
                    name=form.cleaned_data["name"],
                    origin=form.cleaned_data["origin"],
                    order=form.cleaned_data["order"],
                    capital=form.cleaned_data["capital"],
                ),
            )
            for index, form in enumerate(self.forms)
            if form.has_changed() and form.cleaned_data
        ]


FoundingPartFormSet = forms.formset_factory(
    FoundingPartForm, formset=BaseFoundingPartFormSet, extra=5, max_num=9, absolute_max=9, validate_max=True
)


class FundEditForm(forms.ModelForm):
    class Meta:
        model = Fund
        fields = ["name", "organisation", "description"]
        labels = {
            "name": _("Fondens namn"),
            "organisation": _("Förvaltas av"),
            "description": _("Beskrivning"),
        }
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}


class CapitalPartEditForm(forms.ModelForm):
    class Meta:
        model = CapitalPart
        fields = ["name", "origin"]
        labels = {"name": _("Namn"), "origin": _("Ursprung")}
        widgets = {"origin": forms.Textarea(attrs={"rows": 2})}


# --- early termination and recovery claims ---------------------------------------------------------

_REFERENCE_HELP = _("Till exempel RS 2026/123 § 45.")


class TerminationForm(forms.Form):
    terminated_on = date_field(_("Avbrutet från och med"))
    reason = forms.CharField(
        label=_("Skäl"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Skälet skickas till den initierande parten och syns på initiativets sida."),
    )
    reference = forms.CharField(
        label=_("Beslutsnummer eller paragraf"), max_length=100, required=False, help_text=_REFERENCE_HELP
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("terminated_on", timezone.localdate())

    apply_service_error = PostingForm.apply_service_error


class RecoveryClaimForm(PostingForm):
    amount = AmountField(label=_("Belopp att kräva tillbaka (kr)"))
    reason = forms.CharField(label=_("Skäl"), max_length=2000, widget=forms.Textarea(attrs={"rows": 4}))
    reference = forms.CharField(
        label=_("Beslutsnummer eller paragraf"), max_length=100, required=False, help_text=_REFERENCE_HELP
    )
    decided_on = date_field(_("Beslutsdatum"))
    due_on = date_field(_("Förfallodag"), help_text=_("ÅÅÅÅ-MM-DD. Senast då ska beloppet vara återbetalt."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("decided_on", timezone.localdate())
        self.initial.setdefault("due_on", timezone.localdate() + timedelta(days=30))


class CommitmentChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return _("Åtagande %(id)s, %(part)s") % {"id": obj.pk, "part": obj.capital_part}


class ClaimRepaymentForm(MoneyEventForm):
    """A repayment booked against a recovery claim: the commitment says which capital part gets it."""

    commitment = CommitmentChoiceField(label=_("Åtagande (kapitaldel)"), queryset=None, empty_label=None)
    field_order = ["commitment", "amount", "booking_date", "text"]

    def __init__(self, *args, commitments, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["commitment"].queryset = commitments


class WriteOffForm(forms.Form):
    written_off_on = date_field(_("Avskrivet den"))
    reason = forms.CharField(label=_("Skäl"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))
    reference = forms.CharField(
        label=_("Beslutsnummer eller paragraf"), max_length=100, help_text=_REFERENCE_HELP
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("written_off_on", timezone.localdate())

    apply_service_error = PostingForm.apply_service_error
