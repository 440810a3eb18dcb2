"""The bodies' members: who sits in VRAU and Värmlandsrådet for which party, ordinary or substitute, and
for which term of office.

The rest of the council asks this module, never the Membership table directly:
- `members(body=…, on=…)`: the members on a day (the notice's recipients, the member list);
- `parties_counted(body=…, on=…)`: the parties a meeting's quorum counts (all for Värmlandsrådet, the
  seated ones for VRAU);
- `is_member(user, body, on)` and `member_party(user, body, on)`: whether a person sits in a body on a
  day, and for which party. Notices and stance entry use them; the signing of minutes can too (an
  adjuster must be a member of the body on the meeting's day: `is_member(user, meeting.body,
  timezone.localdate(meeting.starts_at))`).

Writes: `membership_add` and `membership_end`, by the secretariat or an administrator, one transaction
each, the body's row locked so that two additions for one person cannot both pass the overlap check.
"""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from council.models import Body, Membership, MembershipRole
from people.models import Party, User, agreement_order
from people.roles import Role

# --- Who may -------------------------------------------------------------------------------------------


def can_manage_memberships(user) -> bool:
    """The secretariat keeps the member lists; administrators too (they manage people and roles)."""
    return bool(
        user.is_authenticated
        and user.is_active
        and (user.has_role(Role.SECRETARIAT) or user.has_role(Role.ADMINISTRATOR))
    )


def can_view_memberships(user) -> bool:
    return bool(user.is_authenticated and user.is_active)


# --- Reads ---------------------------------------------------------------------------------------------


def members(*, body: Body, on: date):
    """The body's members on `on`: ordinary members first, then substitutes, each in the agreement's
    order of the parties, with their person and party joined."""
    return (
        Membership.objects.on(on)
        .filter(body=body, person__is_active=True)
        .select_related("person", "party")
        .order_by("role", *agreement_order("party__"), "person__last_name", "person__first_name")
    )


def member_party(user, body: Body, on: date) -> Party | None:
    """The party `user` sits in `body` for on `on`, or None when not a member that day."""
    if not (user.is_authenticated and user.is_active):
        return None
    membership = (
        Membership.objects.on(on)
        .filter(body=body, person=user)
        .select_related("party")
        .order_by("role")
        .first()
    )
    return membership.party if membership else None


def is_member(user, body: Body, on: date) -> bool:
    """Whether `user` is an ordinary member or a substitute of `body` on `on`."""
    return member_party(user, body, on) is not None


def parties_counted(*, body: Body, on: date) -> set[int] | None:
    """The parties a meeting of `body` on `on` counts for its quorum: None for every active party.

    Värmlandsrådet is all the agreement's parties, seated or not. A committee such as VRAU is the parties
    with a member or substitute that day (its rules' quorum applies among them); while no member is
    entered, every party counts, as before membership was kept."""
    if body.takes_positions:
        return None
    seated = set(Membership.objects.on(on).filter(body=body).values_list("party_id", flat=True))
    return seated or None


def membership_list(*, body: Body):
    """Every membership of the body, current and past, newest term first within each party."""
    return (
        Membership.objects.filter(body=body)
        .select_related("person", "party")
        .order_by(*agreement_order("party__"), "role", "-starts_on", "pk")
    )


# --- Writes --------------------------------------------------------------------------------------------


def _require_manager(user: User) -> None:
    if not can_manage_memberships(user):
        raise PermissionDenied(_("Bara sekretariatet och administratörer för ledamotslistorna."))


def _overlapping(body: Body, person: User, starts_on: date, ends_on: date | None) -> Membership | None:
    """The person's other term in the body that shares a day with starts_on–ends_on (open: no end)."""
    terms = Membership.objects.filter(body=body, person=person).filter(
        Q(ends_on__isnull=True) | Q(ends_on__gte=starts_on)
    )
    if ends_on is not None:
        terms = terms.filter(starts_on__lte=ends_on)
    return terms.order_by("starts_on").first()


@transaction.atomic
def membership_add(
    *,
    body: Body,
    party: Party,
    person: User,
    role: str,
    starts_on: date,
    ends_on: date | None = None,
    user: User,
) -> Membership:
    """A person takes a seat in a body for their party. Refused: a person of another party, an end
    before the start, a term that overlaps the person's other term in the same body."""
    _require_manager(user)
    Body.objects.select_for_update(no_key=True).get(pk=body.pk)  # one overlap check at a time per body
    errors = {}
    if role not in MembershipRole.values:
        errors["role"] = _("Välj ordinarie ledamot eller ersättare.")
    if not person.is_active:
        errors["person"] = _("%(person)s är inaktiverad.") % {
            "person": person.get_full_name() or person.username
        }
    elif person.party_id != party.pk:
        errors["person"] = _("%(person)s tillhör inte %(party)s.") % {
            "person": person.get_full_name() or person.username,
            "party": party.name,
        }
    if ends_on is not None and ends_on < starts_on:
        errors["ends_on"] = _("Mandatperioden kan inte sluta före den börjar.")
    if not errors:
        other = _overlapping(body, person, starts_on, ends_on)
        if other is not None:
            errors["starts_on"] = _(
                "%(person)s är redan %(role)s i %(body)s %(start)s–%(end)s: mandatperioderna överlappar."
            ) % {
                "person": person.get_full_name() or person.username,
                "role": other.get_role_display().lower(),
                "body": body.short_name,
                "start": other.starts_on.isoformat(),
                "end": other.ends_on.isoformat() if other.ends_on else "",
            }
    if errors:
        raise ValidationError(errors)
    membership = Membership(
        body=body,
        party=party,
        person=person,
        role=role,
        starts_on=starts_on,
        ends_on=ends_on,
        created_by=user,
    )
    membership.full_clean()
    membership._history_user = user
    membership._change_reason = "ledamot tillsatt"
    membership.save()
    return membership


@transaction.atomic
def membership_end(*, membership: Membership, ends_on: date, user: User) -> Membership:
    """A term of office ends on `ends_on` (its last day); the row stays, with its history."""
    _require_manager(user)
    Body.objects.select_for_update(no_key=True).get(pk=membership.body_id)
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    if ends_on < membership.starts_on:
        raise ValidationError(
            {
                "ends_on": _("Mandatperioden kan inte sluta före den börjar (%(start)s).")
                % {"start": membership.starts_on.isoformat()}
            }
        )
    if membership.ends_on is not None and ends_on > membership.ends_on:
        raise ValidationError(
            {"ends_on": _("Mandatperioden slutar redan %(end)s.") % {"end": membership.ends_on.isoformat()}}
        )
    membership.ends_on = ends_on
    membership.full_clean()
    membership._history_user = user
    membership._change_reason = "mandatperioden avslutad"
    membership.save()
    return membership
