from django import forms
from django.utils.translation import gettext_lazy as _

from accounting.models import Fund
from imports import permissions
from imports.models import ImportKind


class UploadForm(forms.Form):
    kind = forms.ChoiceField(label=_("Typ av uppgifter"))
    fund = forms.ModelChoiceField(
        label=_("Fond"),
        queryset=Fund.objects.none(),
        required=False,
        empty_label=_("Ingen fond"),
        help_text=_("Krävs för beslut och bokföringar."),
    )
    file = forms.FileField(
        label=_("Ifylld mall (.xlsx)"),
        widget=forms.ClearableFileInput(
            attrs={"accept": ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
        ),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [
            (value, label) for value, label in ImportKind.choices if permissions.can_import_kind(user, value)
        ]
        funds = Fund.objects.order_by("opened_on", "id")
        self.fields["fund"].queryset = funds
        if len(funds) == 1:
            self.fields["fund"].initial = funds[0].pk
