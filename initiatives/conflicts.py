"""Conflicts of interest (jäv, kommunallagen 6 kap. 28–32 §§): who may be disqualified from an initiative.

One rule, one function (`conflicts_of_interest`): a person's interest, valid on the day, concerns an
initiative when it is in the initiative's party, in one of its co-sponsoring parties, or in an organisation
the initiative names (a co-financing funder), compared by name without regard to case, spacing or a
trailing "AB"/"ab". DGR only flags: whether the person is disqualified is for them and the meeting to say,
and the secretariat records at the meeting who declared jäv and did not take part.

The selectors read the interests and the initiatives' parties and funders in a fixed number of queries,
whatever the number of items or people.
"""

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext as _

from initiatives.models import CoFinancing, Initiative
from people.models import Interest, User


@dataclass(frozen=True)
class Conflict:
    person: User
    interest: Interest
    reason: str


@dataclass(frozen=True)
class Named:
    """What an initiative names, as the rule reads it."""

    party_ids: frozenset[int]
    co_party_ids: frozenset[int]
    organisations: frozenset[str]


def _normalised(name: str) -> str:
    name = re.sub(r"\s+", " ", (name or "").casefold()).strip(" .,")
    return re.sub(r"\s+(ab|ek\.? ?för\.?|hb|kb)$", "", name)


def conflicts_of_interest(*, named: Named, interests: Iterable[Interest], on: date) -> list[Conflict]:
    """The interests that concern an initiative on a day, each with the reason in Swedish."""
    conflicts = []
    for interest in interests:
        if not interest.is_valid_on(on):
            continue
        what = interest.get_kind_display()
        if interest.party_id in named.party_ids:
            reason = _("%(kind)s hos %(holder)s, som lämnat initiativet") % {
                "kind": what,
                "holder": interest.holder,
            }
        elif interest.party_id in named.co_party_ids:
            reason = _("%(kind)s hos %(holder)s, medverkande part i initiativet") % {
                "kind": what,
                "holder": interest.holder,
            }
        elif interest.organisation and _normalised(interest.organisation) in named.organisations:
            reason = _("%(kind)s hos %(holder)s, som initiativet nämner som finansiär") % {
                "kind": what,
                "holder": interest.organisation,
            }
        else:
            continue
        conflicts.append(Conflict(person=interest.person, interest=interest, reason=reason))
    return conflicts


def initiatives_named(initiative_ids: Iterable[int]) -> dict[int, Named]:
    """Parties, co-sponsors and funders of each initiative, in three queries."""
    ids = list(initiative_ids)
    parties = dict(Initiative.objects.filter(pk__in=ids).values_list("pk", "party_id"))
    co_parties = defaultdict(set)
    for initiative_id, party_id in Initiative.co_parties.through.objects.filter(
        initiative_id__in=ids
    ).values_list("initiative_id", "party_id"):
        co_parties[initiative_id].add(party_id)
    funders = defaultdict(set)
    for initiative_id, funder in CoFinancing.objects.filter(initiative_id__in=ids).values_list(
        "initiative_id", "funder"
    ):
        funders[initiative_id].add(_normalised(funder))
    return {
        pk: Named(
            party_ids=frozenset({party_id}),
            co_party_ids=frozenset(co_parties[pk]),
            organisations=frozenset(funders[pk]),
        )
        for pk, party_id in parties.items()
    }


def conflicts_by_initiative(
    initiative_ids: Iterable[int], *, on: date, person: User | None = None
) -> dict[int, list[Conflict]]:
    """For each initiative, the declared interests that concern it on the day: everyone's (for the
    secretariat's flag on a meeting's items) or one person's (the warning to the reader)."""
    interests = Interest.objects.valid_on(on).select_related("person", "party").order_by("person_id", "pk")
    if person is not None:
        interests = interests.filter(person=person)
    else:
        interests = interests.filter(person__is_active=True)
    interests = list(interests)
    if not interests:  # most readers have declared nothing: one query, not four
        return {}
    named = initiatives_named(initiative_ids)
    return {pk: conflicts_of_interest(named=each, interests=interests, on=on) for pk, each in named.items()}
