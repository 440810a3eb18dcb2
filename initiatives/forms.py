"""Forms shape input; the rules across rows live in services.py."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core import uploads
from core.forms import ISO_DATE, DateInput
from core.money import AmountField
from initiatives.models import ActionArea, ChangeKind, CoFinancing, Initiative, Preparation, Status
from initiatives.selectors import InitiativeFilter
from people.models import Party


class InitiativeForm(forms.ModelForm):
    """The whole initiative. Saved as a draft at any time: completeness is checked at submission."""

    co_parties = forms.ModelMultipleChoiceField(
        label=_("Medverkande parter"),
        queryset=Party.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "checkbox-list"}),
        help_text=_("Andra parter som står bakom initiativet."),
    )

    class Meta:
        model = Initiative
        fields = [
            "title",
            "summary",
            "description",
            "kind",
            "co_parties",
            "contact_name",
            "contact_email",
            "contact_phone",
            "whole_varmland_motivation",
            "transport_plan",
            "transport_plan_motivation",
            "start_date",
            "end_date",
        ]
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 3}),
            "description": forms.Textarea(attrs={"rows": 8}),
            "whole_varmland_motivation": forms.Textarea(attrs={"rows": 4}),
            "transport_plan_motivation": forms.Textarea(attrs={"rows": 3}),
            "start_date": DateInput(),
            "end_date": DateInput(),
        }
        labels = {"transport_plan": _("Satsningen utgår från Trafikförsörjningsprogrammet och målbild 2040")}

    def __init__(self, *args, party: Party, areas: list[ActionArea], **kwargs):
        super().__init__(*args, **kwargs)
        self.areas = areas
        self.fields["co_parties"].queryset = Party.objects.in_swedish_order().exclude(pk=party.pk)
        if self.instance.pk:
            self.initial.setdefault("co_parties", [p.pk for p in self.instance.co_parties.all()])
        existing = (
            {a.action_area_id: a.motivation for a in self.instance.alignments.all()}
            if self.instance.pk
            else {}
        )
        for name in ("start_date", "end_date"):
            self.fields[name].input_formats = ISO_DATE
            self.fields[name].help_text = _("Välj datum eller skriv år-månad-dag, till exempel 2027-01-01.")
            self.fields[name].error_messages["invalid"] = _(
                "Skriv datumet som år-månad-dag, till exempel 2027-01-01."
            )
        self.fields["kind"].choices = [("", _("Välj typ")), *list(self.fields["kind"].choices)[1:]]
        self.fields["contact_name"].help_text = _("Den som kan svara på frågor om initiativet.")
        order = list(self.fields)
        position = order.index("whole_varmland_motivation") + 1
        area_fields = []
        for area in areas:
            check, motivation = f"area_{area.pk}", f"area_{area.pk}_motivation"
            self.fields[check] = forms.BooleanField(
                label=_("Utgår från insatsområdet ”%(area)s”") % {"area": area.name}, required=False
            )
            self.fields[motivation] = forms.CharField(
                label=_("Motivering, %(area)s") % {"area": area.name},
                required=False,
                max_length=5000,
                widget=forms.Textarea(attrs={"rows": 3}),
            )
            if area.pk in existing:
                self.initial.setdefault(check, True)
                self.initial.setdefault(motivation, existing[area.pk])
            area_fields += [check, motivation]
        self.order_fields(order[:position] + area_fields + order[position:])
        # Each motivation directly follows its box and is shown only while the box is ticked (CSS, see
        # .field--shown-when-ticked in dgr.css): the shared field template reads this set.
        self.shown_when_ticked = {"transport_plan_motivation"} | {
            f"area_{area.pk}_motivation" for area in areas
        }

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start_date"), cleaned.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("Slutdatum kan inte vara före startdatum."))
        for area in self.areas:
            if (
                cleaned.get(f"area_{area.pk}")
                and not (cleaned.get(f"area_{area.pk}_motivation") or "").strip()
            ):
                self.add_error(f"area_{area.pk}_motivation", _("Motivera kopplingen till insatsområdet."))
        if cleaned.get("transport_plan") and not (cleaned.get("transport_plan_motivation") or "").strip():
            self.add_error(
                "transport_plan_motivation", _("Motivera kopplingen till Trafikförsörjningsprogrammet.")
            )
        return cleaned

    def content(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields if name != "co_parties"}

    def alignments(self) -> dict[int, str]:
        return {
            area.pk: self.cleaned_data[f"area_{area.pk}_motivation"].strip()
            for area in self.areas
            if self.cleaned_data.get(f"area_{area.pk}")
        }


class BudgetYearForm(forms.Form):
    year = forms.IntegerField(label=_("År"), min_value=2000, max_value=2100)
    total_cost = AmountField(label=_("Total kostnad (kr)"), help_text=_("Till exempel 1 250 000,50."))
    requested_amount = AmountField(label=_("Sökt belopp ur DGR (kr)"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, prefix="budget", **kwargs)

    def clean(self):
        cleaned = super().clean()
        total, requested = cleaned.get("total_cost"), cleaned.get("requested_amount")
        if total is not None and requested is not None and requested > total:
            self.add_error(
                "requested_amount", _("Det sökta beloppet kan inte vara större än den totala kostnaden.")
            )
        return cleaned


class BudgetYearChangeForm(BudgetYearForm):
    """A year's figures corrected; the year is the row's own."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["year"]


class CoFinancingForm(forms.Form):
    year = forms.IntegerField(label=_("År"), min_value=2000, max_value=2100)
    source = forms.ChoiceField(label=_("Källa"), choices=CoFinancing.Source.choices)
    funder = forms.CharField(
        label=_("Finansiär"), max_length=200, help_text=_("Till exempel Tillväxtverket.")
    )
    state = forms.ChoiceField(label=_("Läge"), choices=CoFinancing.State.choices)
    amount = AmountField(label=_("Belopp (kr)"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, prefix="cofin", **kwargs)


class AttachmentForm(forms.Form):
    # Checked by content in `attachment_add` (core.uploads), whose refusal is shown next to this field.
    file = forms.FileField(label=_("Fil"), help_text=uploads.DOCUMENTS_HELP)


class SubmitForm(forms.Form):
    token = forms.UUIDField(widget=forms.HiddenInput)


class MessageForm(forms.Form):
    body = forms.CharField(label=_("Meddelande"), max_length=10000, widget=forms.Textarea(attrs={"rows": 4}))


class ComplementForm(forms.Form):
    message = forms.CharField(
        label=_("Vad ska kompletteras?"),
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Meddelandet skickas till initiativtagaren, som kompletterar och lämnar in igen."),
    )


class NotEligibleForm(forms.Form):
    reason = forms.CharField(
        label=_("Skäl till att initiativet inte är stödberättigat"),
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class PreparationForm(forms.Form):
    check_whole_varmland = forms.BooleanField(label=_("Har betydelse för hela Värmland"), required=False)
    check_not_single_party = forms.BooleanField(
        label=_("Kan inte hanteras av en enskild kommun eller regionen"), required=False
    )
    check_alignment = forms.BooleanField(
        label=_("Utgår från Värmlandsstrategin eller Trafikförsörjningsprogrammet"), required=False
    )
    check_cofinancing_noted = forms.BooleanField(label=_("Medfinansiering är noterad"), required=False)
    check_complete = forms.BooleanField(label=_("Ansökan är komplett"), required=False)
    assessment = forms.CharField(
        label=_("Bedömning"), required=False, max_length=10000, widget=forms.Textarea(attrs={"rows": 6})
    )
    proposed_position = forms.ChoiceField(
        label=_("Förslag till ställningstagande"),
        choices=Preparation.Position.choices,
        required=False,
        widget=forms.RadioSelect(attrs={"class": "checkbox-list"}),
    )
    proposed_amount = AmountField(
        label=_("Föreslaget belopp (kr)"),
        required=False,
        help_text=_("Krävs när förslaget är att tillstyrka."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, prefix="prep", **kwargs)

    def checklist(self) -> dict[str, bool]:
        return {name: self.cleaned_data[name] for name in self.fields if name.startswith("check_")}


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("Skäl (frivilligt)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class FilterForm(forms.Form):
    q = forms.CharField(label=_("Sök"), required=False, max_length=200)
    status = forms.ChoiceField(label=_("Status"), required=False)
    party = forms.ChoiceField(label=_("Part"), required=False)
    year = forms.IntegerField(label=_("Diarieår"), required=False, min_value=2000, max_value=2100)
    area = forms.TypedChoiceField(label=_("Insatsområde"), required=False, coerce=int, empty_value=None)

    def __init__(self, *args, choices: dict, **kwargs):
        super().__init__(*args, **kwargs)
        everything = [("", _("Alla"))]
        self.fields["status"].choices = everything + list(Status.choices)
        self.fields["party"].choices = everything + choices["parties"]
        self.fields["area"].choices = everything + choices["areas"]
        self.fields["q"].widget.input_type = "search"

    def filters(self, *, queue: bool = False) -> InitiativeFilter:
        if not self.is_valid():
            return InitiativeFilter(queue=queue)
        data = self.cleaned_data
        return InitiativeFilter(
            q=data["q"].strip(),
            status=data["status"],
            party=data["party"],
            year=data["year"],
            area=data["area"],
            queue=queue,
        )


class ChangeRequestForm(forms.Form):
    """What the party asks to change after the decision; only the fields of the chosen kind are used."""

    kind = forms.ChoiceField(label=_("Vad ska ändras?"), choices=ChangeKind.choices, widget=forms.RadioSelect)
    reason = forms.CharField(
        label=_("Skäl till ändringen"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Beskriv vad som har hänt och varför ändringen behövs."),
    )
    new_end_date = forms.DateField(
        label=_("Nytt slutdatum"),
        required=False,
        input_formats=ISO_DATE,
        widget=DateInput(),
        help_text=_("Vid förlängd period."),
    )
    from_year = forms.IntegerField(
        label=_("Flytta från år"),
        required=False,
        min_value=2000,
        max_value=2100,
        help_text=_("Vid flytt mellan år."),
    )
    to_year = forms.IntegerField(
        label=_("Flytta till år"),
        required=False,
        min_value=2000,
        max_value=2100,
        help_text=_("Vid flytt mellan år."),
    )
    amount = AmountField(
        label=_("Belopp (kr)"),
        required=False,
        help_text=_(
            "Vid flytt mellan år: beloppet som flyttas. Vid minskad omfattning: hur mycket det beviljade "
            "minskas. Vid utökad finansiering: det ytterligare belopp som söks."
        ),
    )
