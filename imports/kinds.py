"""The four Excel templates: their sheet, columns (Swedish headers), instructions and the marker that says
which kind a file is. The same table builds the downloadable template and reads an uploaded file back, so
the two cannot drift apart."""

from dataclasses import dataclass, field

from imports.models import ImportKind

INSTRUCTIONS_SHEET = "Instruktioner"
MARKER_PREFIX = "DGR importmall"
TEMPLATE_VERSION = 1

STATUS_VALUES = [
    "Under beredning",
    "Komplettering begärd",
    "Berett",
    "Ej stödberättigat",
    "Föreslaget till Värmlandsrådet",
    "Tillstyrkt av Värmlandsrådet",
    "Ej tillstyrkt",
    "Beviljat av Region Värmland",
    "Avslutat",
    "Återkallat",
]
OUTCOME_VALUES = ["Konsensus", "Ingen konsensus"]
RESOLUTION_VALUES = ["Åter till beredning", "Avslutas"]
STANCE_VALUES = ["Står bakom", "Avstår", "Motsätter sig", "Jäv"]
MAKER_VALUES = ["Regionstyrelsen", "Nämnd eller utskott", "Delegat"]
EVENT_VALUES = ["Åtagande", "Utbetalning", "Frigörande", "Återbetalning", "Överföring", "Avslut"]
KIND_VALUES = ["Projekt", "Verksamhet", "Investering"]


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    help: str
    required: bool = False
    choices: tuple[str, ...] = ()
    width: int = 18


@dataclass(frozen=True)
class Spec:
    kind: str
    sheet: str
    marker_name: str  # the kind's word in the marker, never translated: files are read whatever the language
    columns: tuple[Column, ...]
    instructions: tuple[str, ...] = field(default_factory=tuple)

    @property
    def marker(self) -> str:
        return f"{MARKER_PREFIX}: {self.marker_name} (version {TEMPLATE_VERSION})"

    def column(self, key: str) -> Column:
        return next(c for c in self.columns if c.key == key)


INITIATIVES = Spec(
    kind=ImportKind.INITIATIVES,
    sheet="Initiativ",
    marker_name="initiativ",
    columns=(
        Column("number", "Diarienummer", "Till exempel DGR 2022/0007. Behålls; unikt.", True),
        Column("submitted_on", "Inlämnat", "Dagen initiativet lämnades in (ÅÅÅÅ-MM-DD).", True),
        Column("party", "Part", "Initierande part: namn eller kod (Karlstad eller 1780).", True, width=16),
        Column("title", "Titel", "Initiativets titel.", True, width=40),
        Column("summary", "Sammanfattning", "Kort sammanfattning.", width=40),
        Column(
            "initiative_kind",
            "Typ av satsning",
            "Projekt, Verksamhet eller Investering.",
            choices=tuple(KIND_VALUES),
        ),
        Column("co_parties", "Medverkande parter", "Namn eller koder, åtskilda med semikolon.", width=30),
        Column(
            "areas", "Insatsområden", "Värmlandsstrategins insatsområden, åtskilda med semikolon.", width=30
        ),
        Column("start_date", "Startdatum", "ÅÅÅÅ-MM-DD."),
        Column("end_date", "Slutdatum", "ÅÅÅÅ-MM-DD."),
        Column("total_cost", "Total kostnad (kr)", "Hela satsningens kostnad."),
        Column("requested", "Sökt belopp ur DGR (kr)", "Högst den totala kostnaden."),
        Column("contact_name", "Kontaktperson", ""),
        Column("contact_email", "Kontaktpersonens e-post", ""),
        Column(
            "status", "Status", "Initiativets status i dag.", True, choices=tuple(STATUS_VALUES), width=28
        ),
    ),
    instructions=(
        "En rad per initiativ. Diarienumret och inlämningsdagen behålls; nya initiativ får därefter nästa "
        "lediga nummer för respektive år.",
        "Status Tillstyrkt, Ej tillstyrkt, Beviljat och Avslutat nås när Värmlandsrådets "
        "ställningstagande, Region Värmlands beslut och avslutet importeras: initiativet står till dess som "
        "Föreslaget till Värmlandsrådet.",
        "Budgeten (total kostnad och sökt belopp) förs in för startdatumets år, eller inlämningsåret.",
    ),
)

POSITIONS = Spec(
    kind=ImportKind.POSITIONS,
    sheet="Ställningstaganden",
    marker_name="ställningstaganden",
    columns=(
        Column("body", "Organ", "Värmlandsrådet (eller VR).", True, width=16),
        Column("meeting_day", "Sammanträdesdatum", "ÅÅÅÅ-MM-DD.", True),
        Column("paragraph", "Paragraf", "Paragrafens nummer i protokollet, till exempel 12.", True, width=10),
        Column("number", "Diarienummer", "Initiativets diarienummer, DGR ÅÅÅÅ/NNNN.", True),
        Column("outcome", "Utfall", "Konsensus eller Ingen konsensus.", True, choices=tuple(OUTCOME_VALUES)),
        Column("supported_amount", "Tillstyrkt belopp (kr)", "Krävs vid konsensus."),
        Column(
            "resolution",
            "Vid blockering",
            "Åter till beredning eller Avslutas (krävs utan konsensus).",
            choices=tuple(RESOLUTION_VALUES),
        ),
        Column("statement", "Beslutstext", "Protokollets text, om den finns.", width=40),
        Column(
            "objection_reason", "Skäl till invändning", "Skälet för den part som motsätter sig.", width=30
        ),
    ),
    instructions=(
        "En rad per paragraf där Värmlandsrådet tog ställning till ett initiativ. Organ, år och paragraf "
        "identifierar raden: samma paragraf importeras aldrig två gånger.",
        "En kolumn per part (efter de fasta kolumnerna): Står bakom, Avstår, Motsätter sig eller Jäv. "
        "Lämna tomt där ställningstagandet inte är känt.",
        "Initiativet måste redan vara importerat med status Föreslaget till Värmlandsrådet (eller senare).",
    ),
)

DECISIONS = Spec(
    kind=ImportKind.DECISIONS,
    sheet="Beslut",
    marker_name="beslut",
    columns=(
        Column(
            "reference", "Beslutsnummer", "Till exempel RS 2022/123 § 45. Unikt i fonden.", True, width=24
        ),
        Column("number", "Diarienummer", "Initiativets diarienummer, DGR ÅÅÅÅ/NNNN.", True),
        Column(
            "decided_on", "Beslutsdatum", "ÅÅÅÅ-MM-DD; inte före Värmlandsrådets ställningstagande.", True
        ),
        Column(
            "maker_kind",
            "Beslutsfattare",
            "Regionstyrelsen, Nämnd eller utskott, eller Delegat.",
            True,
            choices=tuple(MAKER_VALUES),
        ),
        Column("maker_name", "Beslutsfattarens namn", "Till exempel Regionstyrelsen.", True, width=24),
        Column("delegation_point", "Punkt i delegationsordningen", "Till exempel 3.2.1.", width=14),
        Column("amount", "Beviljat belopp (kr)", "Högst det belopp Värmlandsrådet tillstyrkte.", True),
    ),
    instructions=(
        "En rad per beslut av Region Värmland. Initiativet måste vara tillstyrkt av Värmlandsrådet "
        "(importera ställningstagandena först).",
    ),
)

POSTINGS = Spec(
    kind=ImportKind.POSTINGS,
    sheet="Bokföringar",
    marker_name="bokföringar",
    columns=(
        Column(
            "key",
            "Importnyckel",
            "Unik för raden, till exempel verifikationsnumret i regionens system.",
            True,
            width=16,
        ),
        Column(
            "event",
            "Händelse",
            "Åtagande, Utbetalning, Frigörande, Återbetalning, Överföring eller Avslut.",
            True,
            choices=tuple(EVENT_VALUES),
            width=16,
        ),
        Column("booking_date", "Bokföringsdag", "ÅÅÅÅ-MM-DD; året får inte vara stängt.", True, width=14),
        Column("amount", "Belopp (kr)", "Krävs utom vid Avslut.", width=16),
        Column("reference", "Beslutsnummer", "Beslutet ett åtagande grundar sig på.", width=22),
        Column("capital_part", "Kapitaldel", "Nummer eller namn; vid överföring den som ger.", width=14),
        Column("to_capital_part", "Till kapitaldel", "Vid överföring: den som tar emot.", width=14),
        Column(
            "commitment_key",
            "Åtagandets importnyckel",
            "Vid utbetalning, frigörande och återbetalning: åtagandets rad.",
            width=16,
        ),
        Column("number", "Diarienummer", "Vid avslut: initiativet som avslutas.", width=16),
        Column("planned_year", "Planerat utbetalningsår", "Vid åtagande, om känt.", width=12),
        Column("text", "Text", "Verifikationstext; annars en standardtext.", width=40),
    ),
    instructions=(
        "En rad per bokföring. Raderna bokförs i bokföringsdagens ordning, så ett initiativs pengar kommer "
        "in före dess avslut (Händelse Avslut).",
        "Importnyckeln blir bokföringens idempotensnyckel: samma rad bokförs aldrig två gånger.",
        "Saknas ett verksamhetsår öppnas det. Bokföringar i ett stängt år vägras: importera tidigare års "
        "bokföringar innan åren stängs, och stäng dem sedan som vanligt.",
    ),
)

SPECS: dict[str, Spec] = {s.kind: s for s in (INITIATIVES, POSITIONS, DECISIONS, POSTINGS)}
BY_MARKER: dict[str, Spec] = {s.marker: s for s in SPECS.values()}
