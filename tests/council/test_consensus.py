"""The consensus rule as a table: parties, who is present, each party's stance, the rules → outcome."""

import pytest

from council.consensus import Rules, compute_outcome
from council.models import Outcome, StanceKind

S, A, OB, J = (
    StanceKind.SUPPORTS,
    StanceKind.STANDS_ASIDE,
    StanceKind.OBJECTS,
    StanceKind.CONFLICT_OF_INTEREST,
)
PARTIES = list(range(1, 18))  # the 17 parties


def everyone(kind, **overrides):
    return {p: overrides.get(f"p{p}", kind) for p in PARTIES}


CASES = [
    # description, present, stances, rules, outcome, blocked by
    ("all 17 support", PARTIES, everyone(S), Rules(), Outcome.CONSENSUS, ()),
    ("one stands aside", PARTIES, everyone(S, p5=A), Rules(), Outcome.CONSENSUS, ()),
    (
        "one stands aside, rules say a stand-aside is no consent",
        PARTIES,
        everyone(S, p5=A),
        Rules(stand_aside_is_consent=False),
        Outcome.NO_CONSENSUS,
        (5,),
    ),
    ("one objects", PARTIES, everyone(S, p12=OB), Rules(), Outcome.NO_CONSENSUS, (12,)),
    ("two object", PARTIES, everyone(S, p3=OB, p12=OB), Rules(), Outcome.NO_CONSENSUS, (3, 12)),
    (
        "one absent, quorum 17",
        PARTIES[1:],
        dict.fromkeys(PARTIES[1:], S),
        Rules(quorum=17),
        Outcome.NOT_DECIDABLE,
        (),
    ),
    (
        "one absent, quorum 15",
        PARTIES[1:],
        dict.fromkeys(PARTIES[1:], S),
        Rules(quorum=15),
        Outcome.CONSENSUS,
        (),
    ),
    (
        "three absent, quorum 15",
        PARTIES[3:],
        dict.fromkeys(PARTIES[3:], S),
        Rules(quorum=15),
        Outcome.NOT_DECIDABLE,
        (),
    ),
    (
        "one absent party objects: an absent party cannot block",
        PARTIES[1:],
        {**dict.fromkeys(PARTIES[1:], S), 1: OB},
        Rules(quorum=15),
        Outcome.CONSENSUS,
        (),
    ),
    (
        "conflict of interest: the party does not take part and does not count against the quorum",
        PARTIES,
        everyone(S, p7=J),
        Rules(quorum=17),
        Outcome.CONSENSUS,
        (),
    ),
    (
        "conflict of interest and an objection",
        PARTIES,
        everyone(S, p7=J, p8=OB),
        Rules(quorum=17),
        Outcome.NO_CONSENSUS,
        (8,),
    ),
    ("all stand aside: nobody supports", PARTIES, everyone(A), Rules(), Outcome.NO_CONSENSUS, ()),
]


@pytest.mark.parametrize(
    ("present", "stances", "rules", "outcome", "blocked_by"),
    [c[1:] for c in CASES],
    ids=[c[0] for c in CASES],
)
def test_consensus_rule(present, stances, rules, outcome, blocked_by):
    result = compute_outcome(parties=PARTIES, present=set(present), stances=stances, rules=rules)
    assert result.outcome == outcome
    assert result.blocked_by == blocked_by


def test_a_present_party_without_a_stance_makes_the_item_not_decidable_and_is_named():
    stances = everyone(S)
    del stances[9]
    result = compute_outcome(parties=PARTIES, present=set(PARTIES), stances=stances, rules=Rules())
    assert result.outcome == Outcome.NOT_DECIDABLE
    assert result.missing_stances == (9,)
