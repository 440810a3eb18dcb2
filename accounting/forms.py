"""Posting forms: they shape input; the services decide. Every posting form carries an idempotency key,
made when the form is rendered, so a double click or a resent form posts once."""

import uuid

import filetype
from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounting.models import Account, CapitalPart, Decision, Fund, Kind
from core.money import AmountField
from initiatives.models import Initiative, parse_registration_number

ISO = ["%Y-%m-%d"]
MAX_DOCUMENT_BYTES = 20 * 1024 * 1024


def date_field(label, **kwargs) -> forms.DateField:
    return forms.DateField(
        label=label,
        input_formats=ISO,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
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
        if hasattr(error, "error_dict"):
            for name, errors in error.error_dict.items():
                target = name if name in self.fields else (amount_field if name == "amount" else None)
                if target not in self.fields:
                    target = None
                self.add_error(target, errors)
        else:
            self.add_error(None, error)


class CapitalForm(PostingForm):
    capital_part = forms.ModelChoiceField(label=_("Kapitaldel"), queryset=CapitalPart.objects.none())
    amount = AmountField(label=_("Belopp (kr)"), help_text=_("Till exempel 1 250 000,50."))
    booking_date = date_field(_("Bokföringsdag"))
    text = forms.CharField(label=_("Verifikationstext"), max_length=200, initial=_("Kapitaltillskott"))

    def __init__(self, *args, fund: Fund, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["capital_part"].queryset = CapitalPart.objects.filter(fund=fund).order_by("number")


class TransferForm(PostingForm):
    from_part = forms.ModelChoiceField(label=_("Från kapitaldel"), queryset=CapitalPart.objects.none())
    to_part = forms.ModelChoiceField(label=_("Till kapitaldel"), queryset=CapitalPart.objects.none())
    amount = AmountField(label=_("Belopp (kr)"))
    booking_date = date_field(_("Bokföringsdag"))
    text = forms.CharField(
        label=_("Verifikationstext"), max_length=200, initial=_("Överföring mellan kapitaldelar")
    )

    def __init__(self, *args, fund: Fund, **kwargs):
        super().__init__(*args, **kwargs)
        parts = CapitalPart.objects.filter(fund=fund).order_by("number")
        self.fields["from_part"].queryset = parts
        self.fields["to_part"].queryset = parts


class DecisionForm(PostingForm):
    fund = forms.ModelChoiceField(
        label=_("Fond"), queryset=Fund.objects.order_by("opened_on"), empty_label=None
    )
    maker_kind = forms.ChoiceField(label=_("Beslutsfattare"), choices=Decision.MakerKind.choices)
    maker_name = forms.CharField(
        label=_("Beslutsfattarens namn"), max_length=200, help_text=_("Till exempel Regionstyrelsen.")
    )
    delegation_point = forms.CharField(
        label=_("Punkt i delegationsordningen"),
        max_length=50,
        required=False,
        help_text=_("Till exempel 3.2.1."),
    )
    decided_on = date_field(_("Beslutsdatum"))
    reference = forms.CharField(
        label=_("Beslutsnummer eller paragraf"), max_length=100, help_text=_("Till exempel RS 2026/123 § 45.")
    )
    amount = AmountField(label=_("Beviljat belopp (kr)"))
    document = forms.FileField(label=_("Beslutsdokument (PDF)"), required=False)

    def clean_document(self):
        document = self.cleaned_data.get("document")
        if not document:
            return document
        if document.size > MAX_DOCUMENT_BYTES:
            raise ValidationError(_("Filen är för stor (högst 20 MB)."))
        kind = filetype.guess(document.read(2048))
        document.seek(0)
        if kind is None or kind.mime != "application/pdf":
            raise ValidationError(_("Beslutsdokumentet ska vara en PDF-fil."))
        return document


class CommitmentForm(PostingForm):
    """A commitment, possibly split over up to three capital parts and planned years."""

    ROWS = 3
    booking_date = date_field(_("Bokföringsdag"))
    text = forms.CharField(label=_("Verifikationstext"), max_length=200, initial=_("Beviljade medel"))

    def __init__(self, *args, fund: Fund, **kwargs):
        super().__init__(*args, **kwargs)
        parts = CapitalPart.objects.filter(fund=fund).order_by("number")
        this_year = timezone.localdate().year
        years = [("", _("Inget planerat år"))] + [(y, str(y)) for y in range(this_year - 1, this_year + 6)]
        for i in range(1, self.ROWS + 1):
            required = i == 1
            self.fields[f"capital_part_{i}"] = forms.ModelChoiceField(
                label=_("Kapitaldel, rad %(i)s") % {"i": i}, queryset=parts, required=required
            )
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


class ReverseForm(PostingForm):
    booking_date = date_field(
        _("Bokföringsdag för rättelsen"),
        help_text=_("ÅÅÅÅ-MM-DD. Ligger originalet i ett stängt år bokförs rättelsen i ett öppet år."),
    )
    text = forms.CharField(label=_("Verifikationstext"), max_length=200)


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
