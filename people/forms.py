from allauth.account import forms as allauth_forms
from django import forms
from django.contrib.auth import password_validation
from django.utils.translation import gettext_lazy as _

from core.forms import ISO_DATE, DateInput
from people.models import Interest, Party
from people.roles import Role


class LoginForm(allauth_forms.LoginForm):
    """allauth's login (username or e-mail address, then the second factor when the person has one),
    with DGR's words."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        login = self.fields["login"]
        login.label = _("Användarnamn eller e-postadress")
        login.widget.attrs.update(
            {"autocomplete": "username", "autocapitalize": "none", "autofocus": True, "placeholder": ""}
        )
        password = self.fields["password"]
        password.label = _("Lösenord")
        password.help_text = ""
        password.widget.attrs.pop("placeholder", None)


class PartyAndRolesForm(forms.Form):
    """A person's party and roles. The parties are read once per page (`parties`), however many
    people the page shows a form for."""

    party = forms.TypedChoiceField(
        label=_("Part"),
        coerce=int,
        required=False,
        empty_value=None,
        help_text=_("Den kommun eller region personen företräder."),
    )
    roles = forms.MultipleChoiceField(
        label=_("Roller"),
        choices=Role.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, parties=None, **kwargs):
        super().__init__(*args, **kwargs)
        if parties is None:
            parties = Party.objects.active().in_swedish_order()
        self.parties = {party.pk: party for party in parties}
        self.fields["party"].choices = [("", _("Ingen part (administratör, revisor)"))] + [
            (party.pk, party.name) for party in self.parties.values()
        ]

    def clean_party(self):
        pk = self.cleaned_data["party"]
        return self.parties[pk] if pk else None


class InviteForm(PartyAndRolesForm):
    first_name = forms.CharField(label=_("Förnamn"), max_length=150)
    last_name = forms.CharField(label=_("Efternamn"), max_length=150)
    email = forms.EmailField(
        label=_("E-postadress"),
        help_text=_("Inbjudan skickas hit. Personen loggar in med adressen."),
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )
    title = forms.CharField(label=_("Titel"), max_length=150, required=False)

    field_order = ["first_name", "last_name", "email", "title", "party", "roles"]


class SetPasswordForm(forms.Form):
    """The invited person chooses a password (checked by the site's password rules)."""

    password1 = forms.CharField(
        label=_("Nytt lösenord"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("Minst 12 tecken. Inte bara siffror, inte ett vanligt lösenord."),
    )
    password2 = forms.CharField(
        label=_("Upprepa lösenordet"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password2(self):
        first, second = self.cleaned_data.get("password1"), self.cleaned_data.get("password2")
        if first and second and first != second:
            raise forms.ValidationError(_("Lösenorden är inte lika."))
        if second:
            password_validation.validate_password(second, self.user)
        return second


class InterestForm(forms.Form):
    kind = forms.ChoiceField(label=_("Slag av intresse"), choices=Interest.Kind.choices)
    organisation = forms.CharField(
        label=_("Organisation"),
        max_length=200,
        required=False,
        help_text=_("Organisationens namn, till exempel ett bolag, en förening eller en stiftelse."),
    )
    party = forms.ModelChoiceField(
        label=_("Part"),
        queryset=Party.objects.none(),
        required=False,
        empty_label=_("Ingen av parterna"),
        help_text=_("Om intresset gäller en kommun eller regionen (till exempel en anställning)."),
    )
    role = forms.CharField(
        label=_("Roll"), max_length=200, required=False, help_text=_("Till exempel styrelseledamot.")
    )
    valid_from = forms.DateField(
        label=_("Från"), input_formats=ISO_DATE, widget=DateInput(), help_text=_("ÅÅÅÅ-MM-DD")
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["party"].queryset = Party.objects.active().in_swedish_order()


class InterestEndForm(forms.Form):
    valid_to = forms.DateField(
        label=_("Till och med"), input_formats=ISO_DATE, widget=DateInput(), help_text=_("ÅÅÅÅ-MM-DD")
    )
