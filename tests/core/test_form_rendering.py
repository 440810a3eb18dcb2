"""DGR's form renderer writes a select's options in Python: the markup must be Django's, byte for byte."""

from django import forms
from django.forms.renderers import DjangoTemplates
from django.utils.safestring import mark_safe

from core.rendering import FormRenderer


class Choosing(forms.Form):
    year = forms.TypedChoiceField(choices=[("", "Alla år"), (2026, 2026), (2025, "2025")], coerce=int)
    grouped = forms.ChoiceField(
        choices=[
            ("Värmland", [("karlstad", "Karlstad & <Hammarö>"), ("arvika", 'Arvika "väst"')]),
            ("övrigt", "Övrigt"),
        ]
    )
    many = forms.MultipleChoiceField(choices=[(1, "Ett"), (2, mark_safe("<b>Två</b>")), (3, "Tre")])
    plain = forms.ChoiceField(
        choices=[("a", "A"), ("b", "B")], widget=forms.Select(attrs={"data-x": 'y"z', "disabled": True})
    )


def rendered(renderer, data=None) -> list[str]:
    form = Choosing(data, renderer=renderer)
    return [str(form[name].as_widget()) for name in form.fields]


def test_selects_render_as_djangos_own_templates_do():
    data = {"year": "2026", "grouped": "arvika", "many": ["1", "2"], "plain": "b"}
    for bound in (None, data):
        ours, djangos = rendered(FormRenderer(), bound), rendered(DjangoTemplates(), bound)
        assert ours == djangos
    page = " ".join(rendered(FormRenderer(), data))
    assert '<option value="2026" selected>2\xa0026</option>' in page  # localised as {{ }} would
    assert "Karlstad &amp; &lt;Hammarö&gt;" in page and "<b>Två</b>" in page
    assert '<optgroup label="Värmland">' in page and 'data-x="y&quot;z" disabled' in page
