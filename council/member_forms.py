"""Forms of the members' pages: membership, the notice (time, place, cancellation, stances in advance)
and a member's own stance. They shape input; the rules live in council/membership.py, notices.py and
stances.py."""

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.forms import ISO_DATE, DateInput
from council.forms import ObjectChoiceField
from council.models import MembershipRole, StanceKind


class MembershipForm(forms.Form):
    party = ObjectChoiceField(label=_("Part"), empty_label=_("– välj –"))
    person = ObjectChoiceField(label=_("Person"), empty_label=_("– välj –"))
    role = forms.ChoiceField(label=_("Uppdrag"), choices=MembershipRole.choices, widget=forms.RadioSelect)
    starts_on = forms.DateField(label=_("Från"), input_formats=ISO_DATE, widget=DateInput())
    ends_on = forms.DateField(
        label=_("Till"),
        input_formats=ISO_DATE,
        widget=DateInput(),
        required=False,
        help_text=_("Lämna tomt om mandatperioden gäller tills vidare."),
    )

    def __init__(self, *args, parties, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["party"].set_objects(parties, lambda p: p.name)
        self.fields["person"].set_objects(
            people, lambda u: f"{u.get_full_name() or u.username} ({u.party.name})"
        )


class MembershipEndForm(forms.Form):
    ends_on = forms.DateField(label=_("Sista dag"), input_formats=ISO_DATE, widget=DateInput())


class MeetingChangeForm(forms.Form):
    date = forms.DateField(label=_("Datum"), input_formats=ISO_DATE, widget=DateInput())
    time = forms.TimeField(label=_("Klockan"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))
    place = forms.CharField(label=_("Plats"), max_length=200, required=False)

    def starts_at(self) -> datetime.datetime:
        return timezone.make_aware(
            datetime.datetime.combine(self.cleaned_data["date"], self.cleaned_data["time"])
        )


class MeetingCancelForm(forms.Form):
    reason = forms.CharField(label=_("Skäl"), widget=forms.Textarea(attrs={"rows": 2}), max_length=400)


class AdvanceStancesForm(forms.Form):
    advance_stances = forms.BooleanField(
        label=_("Ledamöterna får lämna sin parts ställningstagande före sammanträdet (per capsulam)"),
        required=False,
        help_text=_("Bara om organets arbetsordning tillåter ställningstaganden per capsulam."),
    )


class StanceForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Ställningstagande"), choices=StanceKind.choices, widget=forms.RadioSelect
    )
    reason = forms.CharField(
        label=_("Motivering"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=2000,
        help_text=_("Krävs om parten motsätter sig."),
    )
