from django import forms

from core.models import AccessibilityReport


class AccessibilityReportForm(forms.ModelForm):
    class Meta:
        model = AccessibilityReport
        fields = ["page_url", "description", "contact"]
        widgets = {"description": forms.Textarea(attrs={"rows": 6})}
