"""Forms for the minutes' integrity (council/minutes.py): opening the meeting, reopening the attendance,
annulling a recording."""

from django import forms
from django.utils.translation import gettext_lazy as _

from council.forms import ObjectChoiceField
from council.protocol import ADJUSTER_NOT_CANDIDATE, CHAIR_NOT_CANDIDATE, person_label


class OpenForm(forms.Form):
    chair = ObjectChoiceField(
        label=_("Ordförande"),
        empty_label=_("– välj –"),
        error_messages={"invalid_choice": CHAIR_NOT_CANDIDATE},
    )
    adjusters = forms.MultipleChoiceField(
        label=_("Justerare"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": ADJUSTER_NOT_CANDIDATE},
        help_text=_("Justerar protokollet jämte ordföranden. Protokollet låses när alla har justerat."),
    )

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.candidates = {str(c.pk): c for c in candidates}
        self.fields["chair"].set_objects(candidates, person_label)
        self.fields["adjusters"].choices = [(key, person_label(c)) for key, c in self.candidates.items()]

    def clean_adjusters(self):
        return [self.candidates[key] for key in self.cleaned_data["adjusters"]]


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Skäl"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, label=None, **kwargs):
        super().__init__(*args, **kwargs)
        if label:
            self.fields["reason"].label = label
