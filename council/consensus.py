"""The consensus rule: an item's outcome computed from the parties' stances and the rules of procedure.

A pure function, so the rule can be read and tested as a table (tests/council/test_consensus.py):

1. A party with a declared conflict of interest (jäv) does not take part, and is not counted among the
   parties that could take part: the quorum asked for is at most the number of parties without jäv.
2. Taking part = present and a stance other than jäv. Fewer than the quorum → not decidable.
3. Any objection blocks: no consensus, blocked by the objecting parties.
4. A stand-aside does not block when the rules say it counts as consent; otherwise it does.
5. Otherwise consensus — provided at least one party supports.
"""

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field

from council.models import Outcome, StanceKind


@dataclass(frozen=True)
class Rules:
    quorum: int = 17
    stand_aside_is_consent: bool = True


@dataclass(frozen=True)
class Result:
    outcome: Outcome
    blocked_by: tuple = ()
    missing_stances: tuple = ()
    taking_part: int = 0
    required: int = 0
    notes: tuple[str, ...] = field(default=())


def compute_outcome(
    *,
    parties: Collection,
    present: Collection,
    stances: Mapping,
    rules: Rules,
) -> Result:
    """`parties`: every party entitled to take part; `present`: those present; `stances`: party -> kind."""
    conflicted = {p for p in parties if stances.get(p) == StanceKind.CONFLICT_OF_INTEREST}
    required = min(rules.quorum, len(parties) - len(conflicted))
    participants = [p for p in parties if p in present and p not in conflicted]
    missing = tuple(p for p in participants if p not in stances)
    taking_part = len(participants) - len(missing)
    if missing or taking_part < required or required <= 0:
        return Result(
            Outcome.NOT_DECIDABLE, missing_stances=missing, taking_part=taking_part, required=required
        )
    blocking_kinds = {StanceKind.OBJECTS}
    if not rules.stand_aside_is_consent:
        blocking_kinds.add(StanceKind.STANDS_ASIDE)
    blocked_by = tuple(p for p in participants if stances[p] in blocking_kinds)
    if blocked_by:
        return Result(Outcome.NO_CONSENSUS, blocked_by=blocked_by, taking_part=taking_part, required=required)
    if not any(stances[p] == StanceKind.SUPPORTS for p in participants):
        return Result(Outcome.NO_CONSENSUS, taking_part=taking_part, required=required)
    return Result(Outcome.CONSENSUS, taking_part=taking_part, required=required)


@dataclass(frozen=True)
class Quorum:
    """Before an item is recorded: how many parties are present and how many the rules require."""

    present: int
    required: int

    @property
    def reached(self) -> bool:
        return self.present >= self.required


def quorum_forecast(*, parties: int, present: int, rules: Rules) -> Quorum:
    """Fewer present than the quorum can never reach a decision: a party with jäv lowers both the parties
    taking part and those required by one, so the gap stays (rules 1–2 above). The warning on the item
    page comes from here, before anything is recorded."""
    return Quorum(present=present, required=min(rules.quorum, parties))
