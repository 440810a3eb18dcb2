"""Forms shape input for the council's services; the rules themselves live in services.py."""

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.money import AmountField
from council.models import Agreement, BlockResolution, Body, StanceKind
from people.models import User
from people.roles import Role

ISO_DATE = ["%Y-%m-%d"]


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


def apply_service_errors(form: forms.Form, error: ValidationError) -> None:
    """Put a service's refusal next to the field it concerns, or at the top of the form."""
    if hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages)
    else:
        form.add_error(None, error.messages)


class MeetingForm(forms.Form):
    body = forms.ModelChoiceField(
        label=_("Organ"), queryset=Body.objects.filter(is_active=True), empty_label=None
    )
    date = forms.DateField(label=_("Datum"), input_formats=ISO_DATE, widget=DateInput())
    time = forms.TimeField(label=_("Klockan"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))
    place = forms.CharField(label=_("Plats"), max_length=200)
    chair = forms.CharField(label=_("Ordförande"), max_length=150, required=False)
    secretary = forms.CharField(label=_("Sekreterare"), max_length=150, required=False)

    def starts_at(self) -> datetime.datetime:
        return timezone.make_aware(
            datetime.datetime.combine(self.cleaned_data["date"], self.cleaned_data["time"])
        )


class InitiativeItemForm(forms.Form):
    initiative = forms.ModelChoiceField(label=_("Initiativ"), queryset=None)
    presenter = forms.CharField(label=_("Föredragande"), max_length=150, required=False)

    def __init__(self, *args, initiatives, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["initiative"].queryset = initiatives
        self.fields["initiative"].label_from_instance = lambda i: (
            f"{i.registration_number} {i.title} ({i.party.name})"
        )


class OtherItemForm(forms.Form):
    title = forms.CharField(label=_("Rubrik"), max_length=200)
    description = forms.CharField(
        label=_("Beskrivning"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    presenter = forms.CharField(label=_("Föredragande"), max_length=150, required=False)


class AttendanceRowForm(forms.Form):
    present = forms.BooleanField(required=False)
    represented_by = forms.CharField(max_length=150, required=False)

    def __init__(self, *args, party, **kwargs):
        super().__init__(*args, **kwargs)
        self.party = party
        self.fields["present"].label = _("%(party)s närvarande") % {"party": party.name}
        self.fields["represented_by"].label = _("Företrädd av (%(party)s)") % {"party": party.name}

    def clean(self):
        data = super().clean()
        if data.get("present") and not (data.get("represented_by") or "").strip():
            self.add_error("represented_by", _("Ange vem som företräder parten."))
        return data


class StanceRowForm(forms.Form):
    kind = forms.ChoiceField(choices=[("", _("– välj –")), *StanceKind.choices], required=False)
    reason = forms.CharField(max_length=2000, required=False)

    def __init__(self, *args, party, **kwargs):
        super().__init__(*args, **kwargs)
        self.party = party
        self.fields["kind"].label = _("Ställningstagande: %(party)s") % {"party": party.name}
        self.fields["reason"].label = _("Motivering: %(party)s") % {"party": party.name}

    def clean(self):
        data = super().clean()
        if data.get("kind") == StanceKind.OBJECTS and not (data.get("reason") or "").strip():
            self.add_error("reason", _("En part som motsätter sig måste ange skälet."))
        return data


class DecideForm(forms.Form):
    statement = forms.CharField(
        label=_("Beslutstext i protokollet"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=4000,
    )
    supported_amount = AmountField(
        label=_("Belopp som Värmlandsrådet står bakom (kr)"),
        required=False,
        help_text=_("Krävs om parterna når konsensus om ett initiativ."),
    )
    resolution = forms.ChoiceField(
        label=_("Om någon part blockerar"),
        choices=BlockResolution.choices,
        widget=forms.RadioSelect,
        required=False,
        initial=BlockResolution.BACK_TO_PREPARATION,
    )


class ProposalForm(forms.Form):
    proposed_amount = AmountField(label=_("Föreslaget belopp (kr)"))
    text = forms.CharField(
        label=_("VRAU:s förslag till Värmlandsrådet"), widget=forms.Textarea(attrs={"rows": 3})
    )


class NoteForm(forms.Form):
    statement = forms.CharField(label=_("Vad som noterades"), widget=forms.Textarea(attrs={"rows": 3}))


class DeferForm(forms.Form):
    to_meeting = forms.ModelChoiceField(
        label=_("Till sammanträde"),
        queryset=None,
        required=False,
        empty_label=_("Ett senare sammanträde (bestäms senare)"),
    )
    reason = forms.CharField(
        label=_("Skäl för bordläggning"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )

    def __init__(self, *args, meetings, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_meeting"].queryset = meetings
        self.fields["to_meeting"].label_from_instance = lambda m: (
            f"{timezone.localtime(m.starts_at):%Y-%m-%d %H:%M} {m.place}"
        )


def adjuster_candidates():
    return (
        User.objects.in_swedish_order()
        .filter(is_active=True, groups__name__in=[Role.COUNCIL_REPRESENTATIVE, Role.SECRETARIAT])
        .select_related("party")
        .distinct()
    )


class HoldForm(forms.Form):
    adjusters = forms.ModelMultipleChoiceField(
        label=_("Justerare"),
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Välj de som ska justera protokollet. Protokollet låses när alla har justerat."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["adjusters"].queryset = adjuster_candidates()
        self.fields["adjusters"].label_from_instance = lambda u: (
            f"{u.get_full_name() or u.username}" + (f" ({u.party.name})" if u.party else "")
        )


class ParagraphForm(forms.Form):
    text = forms.CharField(
        label=_("Protokollstext"), widget=forms.Textarea(attrs={"rows": 6}), max_length=8000
    )


class AdoptionForm(forms.Form):
    party = forms.ModelChoiceField(label=_("Part"), queryset=None)
    adopted_on = forms.DateField(
        label=_("Antaget av fullmäktige den"), input_formats=ISO_DATE, widget=DateInput()
    )
    reference = forms.CharField(label=_("Beslutsreferens (paragraf, diarienummer)"), max_length=100)

    def __init__(self, *args, parties, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["party"].queryset = parties


class AgreementEndForm(forms.Form):
    ended_on = forms.DateField(label=_("Upphörde den"), input_formats=ISO_DATE, widget=DateInput())
    reason = forms.ChoiceField(label=_("Skäl"), choices=Agreement.EndReason.choices)
    note = forms.CharField(label=_("Anteckning"), widget=forms.Textarea(attrs={"rows": 2}), required=False)


class PartyFormSet(forms.BaseFormSet):
    """One form per party, in the parties' Swedish order (the region first)."""

    def __init__(self, *args, parties, **kwargs):
        self.parties = list(parties)
        kwargs.setdefault("initial", [{} for _party in self.parties])
        super().__init__(*args, **kwargs)

    def total_form_count(self):
        return len(self.parties)

    def get_form_kwargs(self, index):
        return {"party": self.parties[index]}


AttendanceFormSet = forms.formset_factory(AttendanceRowForm, formset=PartyFormSet, extra=0)
StanceFormSet = forms.formset_factory(StanceRowForm, formset=PartyFormSet, extra=0)
