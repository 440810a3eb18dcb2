from django import forms
from django.utils.translation import gettext_lazy as _

from archive import selectors
from core import uploads


class InitiativePackageForm(forms.Form):
    initiative = forms.ModelChoiceField(
        label=_("Avslutat initiativ"),
        queryset=selectors.closed_initiatives(),
        empty_label=_("Välj initiativ"),
    )


class FiscalYearPackageForm(forms.Form):
    fiscal_year = forms.ModelChoiceField(
        label=_("Stängt verksamhetsår"), queryset=selectors.closed_fiscal_years(), empty_label=_("Välj år")
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["fiscal_year"].label_from_instance = lambda y: f"{y.fund.name} {y.year}"


class VerifyForm(forms.Form):
    file = forms.FileField(
        label=_("PDF-fil"),
        help_text=_("En PDF från DGR, högst 20 MB. Filen sparas inte."),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        uploads.check_upload(upload, allowed=uploads.DECISION_DOCUMENTS)
        upload.seek(0)
        return upload
