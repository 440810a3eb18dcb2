"""Forms for outcome reporting: shape input only; the rules across fields live in the service."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core import uploads
from core.forms import ISO_DATE, DateInput
from core.money import AmountField
from outcomes.models import OutcomeStatus

INDICATOR_ROWS = 3


class OutcomeReportForm(forms.Form):
    period_start = forms.DateField(
        label=_("Periodens början"), input_formats=ISO_DATE, widget=DateInput(), help_text=_("ÅÅÅÅ-MM-DD")
    )
    period_end = forms.DateField(
        label=_("Periodens slut"), input_formats=ISO_DATE, widget=DateInput(), help_text=_("ÅÅÅÅ-MM-DD")
    )
    activities = forms.CharField(label=_("Genomförda aktiviteter"), widget=forms.Textarea, max_length=10000)
    summary = forms.CharField(
        label=_("Utfall i sammanfattning"),
        widget=forms.Textarea,
        max_length=5000,
        help_text=_("Det som redovisas i VRAG:s årliga utfallsrapport till Värmlandsrådet."),
    )
    status = forms.ChoiceField(
        label=_("Lägesbedömning"), choices=OutcomeStatus.choices, widget=forms.RadioSelect
    )
    spent = AmountField(label=_("Använda medel från fonden (kr)"), allow_zero=True)
    co_financing_received = AmountField(
        label=_("Medfinansiering som faktiskt betalats in (kr)"),
        allow_zero=True,
        help_text=_("Under perioden; slutrapporten för hela initiativet."),
    )
    overspend_explanation = forms.CharField(
        label=_("Förklaring till avvikelse i kostnader"),
        widget=forms.Textarea,
        required=False,
        max_length=5000,
        help_text=_("Krävs om använda medel är mer än det beviljade beloppet."),
    )
    files = forms.FileField(label=_("Bilaga"), required=False, help_text=uploads.DOCUMENTS_HELP)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for i in range(1, INDICATOR_ROWS + 1):
            required = i == 1
            self.fields[f"indicator_{i}_name"] = forms.CharField(
                label=_("Indikator %(n)s") % {"n": i}, max_length=200, required=required
            )
            self.fields[f"indicator_{i}_target"] = forms.DecimalField(
                label=_("Mål för indikator %(n)s") % {"n": i},
                required=required,
                decimal_places=2,
                max_digits=15,
                localize=True,
            )
            self.fields[f"indicator_{i}_actual"] = forms.DecimalField(
                label=_("Utfall för indikator %(n)s") % {"n": i},
                required=required,
                decimal_places=2,
                max_digits=15,
                localize=True,
            )

    def clean(self):
        data = super().clean()
        for i in range(2, INDICATOR_ROWS + 1):
            parts = [data.get(f"indicator_{i}_{p}") for p in ("name", "target", "actual")]
            if any(v not in (None, "") for v in parts) and any(v in (None, "") for v in parts):
                self.add_error(
                    f"indicator_{i}_name", _("Fyll i indikatorns namn, mål och utfall, eller inget.")
                )
        return data

    def indicators(self) -> list[dict]:
        rows = []
        for i in range(1, INDICATOR_ROWS + 1):
            name = self.cleaned_data.get(f"indicator_{i}_name")
            if name:
                rows.append(
                    {
                        "name": name,
                        "target": self.cleaned_data[f"indicator_{i}_target"],
                        "actual": self.cleaned_data[f"indicator_{i}_actual"],
                    }
                )
        return rows


class OutcomeReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Granskning"),
        choices=[("approve", _("Godkänn")), ("complement", _("Begär komplettering"))],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Kommentar"),
        widget=forms.Textarea,
        required=False,
        max_length=5000,
        help_text=_("Krävs när du begär komplettering."),
    )
