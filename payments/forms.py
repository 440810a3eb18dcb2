"""Payment request forms: they shape input; the services decide (their refusals land next to the fields)."""

import dataclasses
import uuid

from django import forms
from django.utils.translation import gettext_lazy as _

from accounting.forms import PaymentFields, PostingForm, date_field
from accounting.models import Commitment
from core import uploads
from core.money import AmountField, format_amount
from payments.selectors import CommitmentChoice
from payments.services import RequestContent


class CommitmentField(forms.ModelChoiceField):
    """The initiative's commitments, each with what is left to ask for."""

    def __init__(self, *args, **kwargs):
        self.choices_by_pk: dict[int, CommitmentChoice] = {}
        super().__init__(*args, **kwargs)

    def label_from_instance(self, obj):
        choice = self.choices_by_pk.get(obj.pk)
        left = format_amount(choice.requestable) if choice else "–"
        return _("%(decision)s, kapitaldel %(part)s – kan begäras: %(left)s") % {
            "decision": obj.decision.reference,
            "part": obj.capital_part.number,
            "left": left,
        }


class PaymentRequestForm(PaymentFields):
    idempotency_key = forms.UUIDField(widget=forms.HiddenInput)
    commitment = CommitmentField(label=_("Åtagande"), queryset=None, empty_label=None)
    amount = AmountField(
        label=_("Begärt belopp (kr)"), help_text=_("Till exempel 250 000 eller 1 250 000,50.")
    )
    period_start = date_field(_("Perioden från"))
    period_end = date_field(_("Perioden till och med"))
    costs_incurred = AmountField(
        label=_("Upparbetade kostnader under perioden (kr)"),
        help_text=_("Vad satsningen har kostat under perioden; 0 om pengarna begärs i förskott."),
    )
    description = forms.CharField(
        label=_("Vad pengarna har använts till"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Aktiviteter och kostnader under perioden, och vad underlaget i bilagan visar."),
    )
    file = forms.FileField(
        label=_("Bilaga (kostnadsredovisning, fakturor)"), required=False, help_text=uploads.DOCUMENTS_HELP
    )

    field_order = [
        "commitment",
        "amount",
        "period_start",
        "period_end",
        "costs_incurred",
        "description",
        "file",
        "payee",
        "bank_account_kind",
        "bank_account_number",
        "payment_reference",
    ]

    def __init__(self, *args, choices: list[CommitmentChoice], **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound and "idempotency_key" in self.fields:
            self.initial.setdefault("idempotency_key", uuid.uuid4())
        field = self.fields["commitment"]
        field.queryset = Commitment.objects.filter(pk__in=[c.commitment.pk for c in choices]).select_related(
            "decision", "capital_part"
        )
        field.choices_by_pk = {c.commitment.pk: c for c in choices}

    def content(self) -> RequestContent:
        data = self.cleaned_data
        return RequestContent(
            **{field.name: data.get(field.name, "") for field in dataclasses.fields(RequestContent)}
        )


class PaymentRequestCompleteForm(PaymentRequestForm):
    idempotency_key = None  # completing changes one request in place: sent twice, it is the same change
    complement_reply = forms.CharField(
        label=_("Svar till ekonomi"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Vad du har kompletterat eller ändrat."),
    )

    field_order = ["complement_reply", *PaymentRequestForm.field_order]


class AskForMoreForm(forms.Form):
    message = forms.CharField(
        label=_("Vad behöver kompletteras?"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Meddelandet skickas med e-post till initiativets handläggare hos parten."),
    )


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=_("Skäl för avslag"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Skälet skickas med e-post till initiativets handläggare hos parten."),
    )


class ApproveForm(PostingForm, PaymentFields):
    """Finance books the disbursement: the date, the verification text, and the payment details the
    initiator proposed, confirmed or corrected."""

    booking_date = date_field(_("Bokföringsdag"))
    text = forms.CharField(label=_("Verifikationstext"), max_length=200)

    field_order = [
        "booking_date",
        "payee",
        "bank_account_kind",
        "bank_account_number",
        "payment_reference",
        "text",
    ]
