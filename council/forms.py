"""Forms shape input for the council's services; the rules themselves live in services.py."""

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core import uploads
from core.forms import ISO_DATE, DateInput
from core.money import AmountField
from council.models import Agreement, BlockResolution, Body, Proposal, StanceKind


class ObjectChoiceField(forms.ChoiceField):
    """A choice among objects already loaded by the view: one query for the page, not one per use
    (a ModelChoiceField queries again each time it is rendered or checked)."""

    def __init__(self, *, empty_label=None, **kwargs):
        self.empty_label = empty_label
        self.objects: dict[str, object] = {}
        super().__init__(choices=(), **kwargs)

    def set_objects(self, objects, label) -> None:
        self.objects = {str(obj.pk): obj for obj in objects}
        choices = [(key, label(obj)) for key, obj in self.objects.items()]
        self.choices = [("", self.empty_label), *choices] if self.empty_label is not None else choices

    def clean(self, value):
        value = super().clean(value)
        return self.objects.get(value) if value else None


class MeetingForm(forms.Form):
    body = forms.ModelChoiceField(
        label=_("Organ"), queryset=Body.objects.filter(is_active=True), empty_label=None
    )
    date = forms.DateField(label=_("Datum"), input_formats=ISO_DATE, widget=DateInput())
    time = forms.TimeField(label=_("Klockan"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))
    place = forms.CharField(label=_("Plats"), max_length=200, required=False)
    per_capsulam = forms.BooleanField(
        label=_("Per capsulam (ställningstagande utan sammanträde)"),
        required=False,
        help_text=_("Bara om organets arbetsordning tillåter det."),
    )
    chair = forms.CharField(label=_("Ordförande"), max_length=150, required=False)
    secretary = forms.CharField(label=_("Sekreterare"), max_length=150, required=False)

    def starts_at(self) -> datetime.datetime:
        return timezone.make_aware(
            datetime.datetime.combine(self.cleaned_data["date"], self.cleaned_data["time"])
        )


class InitiativeItemForm(forms.Form):
    initiative = ObjectChoiceField(label=_("Initiativ"))
    presenter = forms.CharField(label=_("Föredragande"), max_length=150, required=False)

    def __init__(self, *args, initiatives, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["initiative"].set_objects(
            initiatives, lambda i: f"{i.registration_number} {i.title} ({i.party.name})"
        )


class ChangeRequestItemForm(forms.Form):
    change_request = ObjectChoiceField(label=_("Ändringsbegäran"))
    presenter = forms.CharField(label=_("Föredragande"), max_length=150, required=False)

    def __init__(self, *args, change_requests, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["change_request"].set_objects(
            change_requests,
            lambda c: (
                f"{c.initiative.registration_number} {c.initiative.title} – {c} ({c.initiative.party.name})"
            ),
        )


class OtherItemForm(forms.Form):
    title = forms.CharField(label=_("Rubrik"), max_length=200)
    information = forms.BooleanField(
        label=_("Anmälningsärende"),
        required=False,
        help_text=_("Anmäls för kännedom och läggs till handlingarna, utan ställningstaganden."),
    )
    description = forms.CharField(
        label=_("Beskrivning"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    presenter = forms.CharField(label=_("Föredragande"), max_length=150, required=False)
    corrects = ObjectChoiceField(
        label=_("Rättar paragraf"),
        required=False,
        empty_label=_("Ingen rättelse"),
        help_text=_(
            "Ett justerat protokoll ändras aldrig: en rättelse är en ny paragraf som pekar på den gamla."
        ),
    )

    def __init__(self, *args, paragraphs, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["corrects"].set_objects(paragraphs, lambda p: f"§ {p.number} ({p.year}) {p.title}")


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

    def __init__(self, *args, party, present=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.party = party
        self.present = present
        self.fields["kind"].label = _("Ställningstagande: %(party)s") % {"party": party.name}
        self.fields["reason"].label = _("Motivering: %(party)s") % {"party": party.name}

    def clean(self):
        data = super().clean()
        if data.get("kind") and not self.present:
            self.add_error(
                "kind",
                _("%(party)s är inte närvarande och kan inte ta ställning.") % {"party": self.party.name},
            )
        elif self.present and not data.get("kind"):
            self.add_error("kind", _("Välj partens ställningstagande."))
        if data.get("kind") == StanceKind.OBJECTS and not (data.get("reason") or "").strip():
            self.add_error("reason", _("En part som motsätter sig måste ange skälet."))
        return data


class DecideForm(forms.Form):
    statement = forms.CharField(
        label=_("Tillägg till protokollet (frivilligt)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=4000,
        help_text=_("Beslutstexten skrivs av DGR utifrån utfallet; här skrivs bara det som ska läggas till."),
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
    not_decidable_confirmed = forms.BooleanField(
        label=_("Registrera ändå som ej beslutbart om för få parter deltar"),
        required=False,
        help_text=_("Utan det här valet registreras ingenting när beslut inte kan fattas."),
    )


class ProposalForm(forms.Form):
    recommendation = forms.ChoiceField(
        label=_("VRAU föreslår att Värmlandsrådet"),
        choices=Proposal.Recommendation.choices,
        initial=Proposal.Recommendation.SUPPORT,
        widget=forms.RadioSelect,
        required=False,
    )
    proposed_amount = AmountField(
        label=_("Föreslaget belopp (kr)"), required=False, help_text=_("Lämnas tomt vid förslag om avslag.")
    )
    text = forms.CharField(
        label=_("VRAU:s förslag till Värmlandsrådet"), widget=forms.Textarea(attrs={"rows": 3})
    )

    def clean_recommendation(self):
        # Sent without the choice (an older page): support, as before rejection could be proposed.
        return self.cleaned_data["recommendation"] or Proposal.Recommendation.SUPPORT


class NoteForm(forms.Form):
    statement = forms.CharField(
        label=_("Vad som noterades"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_("Krävs utom för anmälningsärenden, som läggs till handlingarna."),
    )


class RecusalForm(forms.Form):
    person = ObjectChoiceField(label=_("Person som anmäler jäv"), empty_label=_("Välj person"))
    ground = forms.CharField(
        label=_("Grund för jävet"),
        max_length=500,
        required=False,
        help_text=_("Till exempel: styrelseledamot i en medfinansiär."),
    )

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].set_objects(
            people,
            lambda u: f"{u.get_full_name() or u.username}" + (f" ({u.party.name})" if u.party_id else ""),
        )


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


class ParagraphForm(forms.Form):
    text = forms.CharField(
        label=_("Protokollstext"), widget=forms.Textarea(attrs={"rows": 6}), max_length=8000, required=False
    )


class AdoptionForm(forms.Form):
    party = forms.ModelChoiceField(label=_("Part"), queryset=None, empty_label=_("Välj part"))
    adopted_on = forms.DateField(
        label=_("Antaget av fullmäktige den"), input_formats=ISO_DATE, widget=DateInput()
    )
    reference = forms.CharField(label=_("Beslutsreferens (paragraf, diarienummer)"), max_length=100)
    # Checked by content in the service (core.uploads), whose refusal is shown next to this field.
    document = forms.FileField(
        label=_("Protokollsutdrag (PDF)"), required=False, help_text=uploads.DECISION_DOCUMENTS_HELP
    )

    def __init__(self, *args, parties, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["party"].queryset = parties


class AdoptionDocumentForm(forms.Form):
    """The minutes of an adoption recorded without them."""

    adoption = ObjectChoiceField(label=_("Antagande"), empty_label=_("Välj antagande"))
    document = forms.FileField(label=_("Protokollsutdrag (PDF)"), help_text=uploads.DECISION_DOCUMENTS_HELP)

    def __init__(self, *args, adoptions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["adoption"].set_objects(adoptions, lambda a: f"{a.party.name} ({a.reference})")


class AgreementEndForm(forms.Form):
    ended_on = forms.DateField(label=_("Upphörde den"), input_formats=ISO_DATE, widget=DateInput())
    reason = forms.ChoiceField(label=_("Skäl"), choices=Agreement.EndReason.choices)
    note = forms.CharField(label=_("Anteckning"), widget=forms.Textarea(attrs={"rows": 2}), required=False)


class PartyFormSet(forms.BaseFormSet):
    """One form per party, in the parties' Swedish order (the region first)."""

    def __init__(self, *args, parties, present=None, **kwargs):
        self.parties = list(parties)
        self.present = present  # party ids present, for forms that need it (stances)
        kwargs.setdefault("initial", [{} for _party in self.parties])
        super().__init__(*args, **kwargs)

    def total_form_count(self):
        return len(self.parties)

    def get_form_kwargs(self, index):
        party = self.parties[index]
        if self.present is None:
            return {"party": party}
        return {"party": party, "present": party.pk in self.present}


AttendanceFormSet = forms.formset_factory(AttendanceRowForm, formset=PartyFormSet, extra=0)
StanceFormSet = forms.formset_factory(StanceRowForm, formset=PartyFormSet, extra=0)


class DocumentForm(forms.Form):
    item = ObjectChoiceField(label=_("Ärende"))
    title = forms.CharField(label=_("Handlingens titel"), max_length=200)
    # Checked by content in `document_add` (core.uploads), whose refusal is shown next to this field.
    file = forms.FileField(label=_("Fil"), help_text=uploads.DOCUMENTS_HELP)

    def __init__(self, *args, items, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["item"].set_objects(items, lambda i: f"{i.order}. {i.title}")
