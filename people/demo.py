"""Demo people: one per role, and one council representative per party (`vr-<party>`); the e-mail
domains of the 17 parties for single sign-on, an invitation not yet used and an account from a first
SSO login waiting for approval (the administrator's page Konton)."""

from datetime import timedelta

from django.contrib.auth.models import Group
from django.utils import timezone

from core.history import acting_as
from people.models import EmailDomain, Party, User
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
    wanted = {
        "first_name": first,
        "last_name": last,
        "title": title,
        "party_id": party.pk if party else None,
        "email": f"{username}@demo.dgr.invalid",
        "is_active": True,
    }
    # Saved (and given a history row) only when something differs: a second `demo_data` changes nothing.
    if created or any(getattr(user, field) != value for field, value in wanted.items()):
        for field, value in wanted.items():
            setattr(user, field, value)
        if created:
            user.set_password(password)
        user.save()
    groups = list(Group.objects.filter(name__in=roles))
    if created or {g.pk for g in groups} != set(user.groups.values_list("pk", flat=True)):
        user.groups.set(groups)
    return user


def demo_admin(*, password: str) -> User:
    """The demo's first administrator, made the way `createsuperuser` makes one: recorded as creating
    itself, then acting for the rest of its own set-up (and, in `demo_data`, for all the demo data)."""
    user = User.objects.filter(username="admin").first() or User.objects.create_superuser(
        "admin", email="admin@demo.dgr.invalid", password=password
    )
    with acting_as(user, "demo data"):
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
    _accounts_story(parties)
    stdout.write(f"  {len(DEMO_USERS) + len(REPRESENTATIVE_NAMES)} demoanvändare")


# The parties' own mail domains: who signs in through SSO from them belongs to that party.
DEMO_DOMAINS = {"region": "regionvarmland.se"} | {
    slug: f"{slug}.se" for slug in REPRESENTATIVE_NAMES if slug != "region"
}


def _accounts_story(parties) -> None:
    from people import services

    admin = User.objects.get(username="admin")
    for slug, domain in DEMO_DOMAINS.items():
        EmailDomain.objects.get_or_create(domain=domain, defaults={"party": parties[slug]})
    if not User.objects.filter(email="nils.nord@filipstad.se").exists():
        invitation = services.person_invite(
            acting_user=admin,
            first_name="Nils",
            last_name="Nord",
            email="nils.nord@filipstad.se",
            title="Näringslivsutvecklare",
            party=parties["filipstad"],
            roles=[Role.INITIATOR],
        )
        # Sent a week and a day ago: the page shows an expired link to send again.
        sent = timezone.now() - timedelta(days=8)
        invitation.created_at, invitation.expires_at = sent, sent + timedelta(days=7)
        invitation.save(update_fields=["created_at", "expires_at"])
    if not User.objects.filter(email="sanna.sol@sunne.se").exists():
        person = User(
            username="sanna.sol@sunne.se",
            email="sanna.sol@sunne.se",
            first_name="Sanna",
            last_name="Sol",
            party=parties["sunne"],
            is_active=False,
            awaiting_approval=True,
        )
        person.set_unusable_password()
        person._change_reason = "single sign-on: väntar på godkännande"
        person.save()


def demo_logins() -> list[tuple[str, str]]:
    """(username, what they are) for `make run` to print."""
    rows = [(u[0], ", ".join(str(Role(r).label) for r in u[5])) for u in DEMO_USERS]
    rows.append(("vr-<part>", "Representant i Värmlandsrådet, t.ex. vr-karlstad, vr-region, vr-arjang"))
    return rows
