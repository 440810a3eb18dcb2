"""Demo people: one per role, and one council representative per party (`vr-<party>`)."""

from django.contrib.auth.models import Group

from people.models import Party, User
from people.roles import Role

# username, first name, last name, title, party slug or None, roles
DEMO_USERS = [
    ("admin", "Ada", "Adminsson", "Systemförvaltare", None, [Role.ADMINISTRATOR]),
    ("vrag", "Vera", "Ragnarsson", "Sekreterare VRAG", "region", [Role.SECRETARIAT]),
    ("ekonomi", "Erik", "Ekström", "Controller, Region Värmland", "region", [Role.FINANCE]),
    ("revisor", "Rebecka", "Revell", "Förtroendevald revisor", None, [Role.AUDITOR]),
    ("karlstad", "Karin", "Lund", "Utvecklingsstrateg", "karlstad", [Role.INITIATOR]),
    ("arvika", "Arvid", "Berg", "Näringslivschef", "arvika", [Role.INITIATOR]),
]

REPRESENTATIVE_NAMES = {
    "region": ("Regina", "Rådström"),
    "kil": ("Kim", "Kilander"),
    "eda": ("Edvin", "Edström"),
    "torsby": ("Tora", "Björk"),
    "storfors": ("Stina", "Fors"),
    "hammaro": ("Hampus", "Öberg"),
    "munkfors": ("Maja", "Munk"),
    "forshaga": ("Folke", "Hagman"),
    "grums": ("Greta", "Grum"),
    "arjang": ("Åsa", "Ängström"),
    "sunne": ("Sune", "Selma"),
    "karlstad": ("Karl", "Stadén"),
    "kristinehamn": ("Kristina", "Hamn"),
    "filipstad": ("Filip", "Stad"),
    "hagfors": ("Hanna", "Fors"),
    "arvika": ("Arne", "Vik"),
    "saffle": ("Sara", "Säll"),
}


def _user(username, first, last, title, party, roles, password) -> User:
    user = User.objects.filter(username=username).first()
    created = user is None
    if created:
        user = User(username=username)
    user.first_name, user.last_name, user.title, user.party = first, last, title, party
    user.email = f"{username}@demo.dgr.invalid"
    user.is_active = True
    if created:
        user.set_password(password)
    user.save()
    user.groups.set(Group.objects.filter(name__in=roles))
    return user


def demo_admin(*, password: str) -> User:
    user = _user("admin", "Ada", "Adminsson", "Systemförvaltare", None, [Role.ADMINISTRATOR], password)
    if not (user.is_staff and user.is_superuser):
        user.is_staff = user.is_superuser = True
        user.save(update_fields=["is_staff", "is_superuser"])
    return user


def load(*, password: str, stdout) -> None:
    parties = {party.slug: party for party in Party.objects.all()}
    for username, first, last, title, party_slug, roles in DEMO_USERS[1:]:
        _user(username, first, last, title, parties.get(party_slug), roles, password)
    for slug, (first, last) in REPRESENTATIVE_NAMES.items():
        party = parties[slug]
        _user(
            f"vr-{slug}",
            first,
            last,
            f"Ledamot i Värmlandsrådet för {party.name}",
            party,
            [Role.COUNCIL_REPRESENTATIVE],
            password,
        )
    stdout.write(f"  {len(DEMO_USERS) + len(REPRESENTATIVE_NAMES)} demoanvändare")


def demo_logins() -> list[tuple[str, str]]:
    """(username, what they are) for `make run` to print."""
    rows = [(u[0], ", ".join(str(Role(r).label) for r in u[5])) for u in DEMO_USERS]
    rows.append(("vr-<part>", "Representant i Värmlandsrådet, t.ex. vr-karlstad, vr-region, vr-arjang"))
    return rows
