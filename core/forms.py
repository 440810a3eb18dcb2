from django import forms
from django.utils.translation import gettext_lazy as _

from core.models import AccessibilityReport

ISO_DATE = ["%Y-%m-%d"]


class DateInput(forms.DateInput):
    """The one date input of every form: the browser's date picker (keyboard-operable), sending and
    showing ISO dates; fields using it accept ISO only (Swedish input formats also take US order)."""

    input_type = "date"

    def __init__(self, attrs=None, **kwargs):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class AccessibilityReportForm(forms.ModelForm):
    class Meta:
        model = AccessibilityReport
        fields = ["page_url", "description", "contact"]
        widgets = {"description": forms.Textarea(attrs={"rows": 6})}


class NotificationSettingsForm(forms.Form):
    """One choice per kind of event that concerns the person (core/notifications.py), as radio buttons."""

    def __init__(self, *args, kinds, current: dict[str, str], **kwargs):
        super().__init__(*args, **kwargs)
        for kind in kinds:
            self.fields[kind.key] = forms.ChoiceField(
                label=kind.label,
                help_text=kind.description,
                choices=kind.choices,
                initial=current.get(kind.key, "immediate"),
                widget=forms.RadioSelect,
                error_messages={
                    "required": _("Välj hur du vill få e-post om det här."),
                    "invalid_choice": _("Välj ett av alternativen."),
                },
            )


def apply_service_error(form, error) -> None:
    """A service's ValidationError shown next to the form's fields (unknown keys go to the top)."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)
