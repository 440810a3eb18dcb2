"""The register of personal data DGR holds (GDPR art. 30: what, why, on which legal basis, how long).

What each kind is and why it is kept is written here; how long is not, where a retention rule removes
it: a kind names its rule's code and the page shows the rule's own description and days from
core.retention (the rules the worker applies), so the register cannot say one thing and the rules do
another. Kinds without a rule are public records (allmänna handlingar) kept under the archives act.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

# Legal bases, as GDPR article 6.1 names them.
PUBLIC_TASK = _("Uppgift av allmänt intresse och myndighetsutövning (artikel 6.1 e)")
LEGAL_OBLIGATION = _("Rättslig förpliktelse (artikel 6.1 c)")
KEPT_AS_RECORD = _(
    "Bevaras som allmän handling enligt arkivlagen; gallras inte. Konton avaktiveras, tas aldrig bort, "
    "eftersom historiken namnger den som gjort något."
)


@dataclass(frozen=True)
class PersonalDataKind:
    name: str
    data: str
    purpose: str
    legal_basis: str
    retention_rule: str = ""  # the code of a core.retention rule, if one removes it
    kept: str = ""  # how long, when no rule removes it


PERSONAL_DATA: list[PersonalDataKind] = [
    PersonalDataKind(
        _("Användarkonton"),
        _("Namn, användarnamn, e-postadress, titel, part, roller, lösenordets hash, tvåstegsverifiering."),
        _("Att ge tjänstepersoner behörighet efter roll och visa vem som gjort vad."),
        PUBLIC_TASK,
        kept=KEPT_AS_RECORD,
    ),
    PersonalDataKind(
        _("Inbjudningar och inloggning med organisationens konto"),
        _("Namn och e-postadress i inbjudan; identitet från organisationens inloggningstjänst."),
        _("Att bjuda in och godkänna tjänstepersoner."),
        PUBLIC_TASK,
        kept=KEPT_AS_RECORD,
    ),
    PersonalDataKind(
        _("Historik och säkerhetslogg"),
        _("Vem som ändrade vad och när; inloggningar, misslyckade inloggningar, nekade sidor och IP-adress."),
        _("Spårbarhet i handläggningen och skydd mot intrång."),
        LEGAL_OBLIGATION,
        kept=_("Historiken bevaras med det den beskriver. Säkerhetsloggen följer driftens loggrotation."),
    ),
    PersonalDataKind(
        _("Kontaktperson för ett initiativ"),
        _("Namn, e-postadress och telefonnummer till partens kontaktperson."),
        _(
            "Att sekretariatet ska kunna nå den som driver initiativet. "
            "Visas aldrig på de offentliga sidorna."
        ),
        PUBLIC_TASK,
        kept=KEPT_AS_RECORD,
    ),
    PersonalDataKind(
        _("Utkast till initiativ"),
        _("Det en part skrivit i ett utkast, med kontaktperson och bilagor."),
        _("Att parten ska kunna förbereda ett initiativ innan det lämnas in."),
        PUBLIC_TASK,
        retention_rule="initiatives.drafts",
    ),
    PersonalDataKind(
        _("Meddelanden och kompletteringar"),
        _("Meddelanden mellan part och sekretariat, med avsändarens namn."),
        _("Beredningen av initiativet. Visas aldrig på de offentliga sidorna."),
        PUBLIC_TASK,
        kept=KEPT_AS_RECORD,
    ),
    PersonalDataKind(
        _("Sammanträden och protokoll"),
        _("Namn på ordförande, sekreterare, justerare och den som företrädde en part."),
        _("Protokollet ska visa vem som deltog och justerade. Justerade protokoll publiceras."),
        PUBLIC_TASK,
        kept=KEPT_AS_RECORD,
    ),
    PersonalDataKind(
        _("Utgående e-post"),
        _("Mottagarens e-postadress, ämne och text."),
        _("Att skicka kallelser, påminnelser och kontomeddelanden och kunna försöka igen."),
        PUBLIC_TASK,
        retention_rule="core.mail_delivered",
    ),
    PersonalDataKind(
        _("Engångsnycklar för formulär"),
        _("Vem som skickade vilket formulär, så att ett formulär som skickas två gånger bokförs en gång."),
        _("Att skydda huvudboken mot dubbla bokningar."),
        PUBLIC_TASK,
        retention_rule="core.idempotency_keys",
    ),
    PersonalDataKind(
        _("Rapporter om tillgänglighetsbrister"),
        _("Beskrivningen och, om den som rapporterar vill, en e-postadress eller ett telefonnummer."),
        _(
            "Att åtgärda bristen och svara den som rapporterat "
            "(lagen om tillgänglighet till digital offentlig service)."
        ),
        LEGAL_OBLIGATION,
        kept=KEPT_AS_RECORD,
    ),
]


def personal_data_register(rules) -> list[tuple[PersonalDataKind, object | None]]:
    """Each kind with the retention rule that removes it (None: kept as a record)."""
    by_code = {rule.code: rule for rule in rules}
    return [(kind, by_code.get(kind.retention_rule)) for kind in PERSONAL_DATA]
