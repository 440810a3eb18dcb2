"""The basis for a decision on the item page (issue 12, item 3): what the meeting decides on, read in a
fixed number of queries.

- A change request for more money (ändringsbegäran: utökad finansiering): what is asked for and why, above
  the initiative's own basis; the amount field starts with the amount asked for.
- The initiative: its summary, the requested amount, the budget and co-financing (totals, leverage).
- VRAG's preparation: the assessment and the proposed position with its amount.
- At Värmlandsrådet: VRAU's proposal (a proposal whose recording was annulled does not count).
- The documents: the item's own (council documents) and the initiative's attachments.
- The quorum: who is present, how many parties the rules in force require, and whether a recording can
  reach a decision at all (`council.consensus.quorum_forecast`).
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import OuterRef, Prefetch, QuerySet, Subquery, prefetch_related_objects
from django.utils import timezone

from council.consensus import Quorum, Rules, quorum_forecast
from council.membership import parties_counted
from council.models import AgendaItem, Meeting, Proposal, RulesOfProcedure
from council.services import rules_in_force
from initiatives.models import Attachment, ChangeRequest, Initiative, Preparation
from initiatives.selectors import Finances, initiative_finances


@dataclass(frozen=True)
class QuorumView:
    quorum: Quorum
    rules: RulesOfProcedure
    present: list  # parties present, Swedish order
    absent: list  # parties absent or not yet recorded


@dataclass(frozen=True)
class ProposalSummary:
    """VRAU's proposal as the basis shows it: read as columns of the item (`items_with_basis`)."""

    proposed_amount: Decimal | None  # none when VRAU proposes rejection
    text: str
    meeting_starts_at: datetime.datetime  # the VRAU meeting that made it


@dataclass(frozen=True)
class ItemBasis:
    initiative: Initiative | None
    change_request: ChangeRequest | None
    finances: Finances | None
    preparation: Preparation | None
    proposal: ProposalSummary | None  # VRAU's, for Värmlandsrådet
    attachments: list
    documents: list

    @property
    def proposed_amount(self) -> Decimal | None:
        """The amount the meeting's amount field starts with: VRAU's proposal at Värmlandsrådet, VRAG's
        proposed amount at VRAU."""
        if self.proposal is not None:
            return self.proposal.proposed_amount
        if self.change_request is not None:
            return self.change_request.amount
        if self.preparation is not None:
            return self.preparation.proposed_amount
        return None


def quorum_view(*, meeting: Meeting, parties: list) -> QuorumView:
    """`parties`: from `selectors.parties_with_attendance` (already read by the page)."""
    day = timezone.localdate(meeting.starts_at)
    rules = rules_in_force(body=meeting.body, on=day)
    counted = parties_counted(body=meeting.body, on=day)
    if counted is not None:
        parties = [p for p in parties if p.pk in counted]
    present = [p for p in parties if p.attendance_present]
    absent = [p for p in parties if not p.attendance_present]
    quorum = quorum_forecast(
        parties=len(parties),
        present=len(present),
        rules=Rules(quorum=rules.quorum, stand_aside_is_consent=rules.stand_aside_is_consent),
    )
    return QuorumView(quorum=quorum, rules=rules, present=present, absent=absent)


def items_with_basis() -> QuerySet[AgendaItem]:
    """Items read with their meeting, the initiative, its party and preparation, and VRAU's latest
    proposal on the initiative (a proposal whose recording was annulled does not count) as columns: what
    `item_basis` needs, in one query."""
    latest = Proposal.objects.current().filter(initiative_id=OuterRef("initiative_id"))
    return AgendaItem.objects.select_related(
        "meeting__body", "initiative", "initiative__party", "initiative__preparation", "change_request"
    ).annotate(
        vrau_proposal_id=Subquery(latest.values("pk")[:1]),
        vrau_proposal_amount=Subquery(latest.values("proposed_amount")[:1]),
        vrau_proposal_text=Subquery(latest.values("text")[:1]),
        vrau_proposal_meeting_starts_at=Subquery(latest.values("item__meeting__starts_at")[:1]),
    )


def item_basis(*, item: AgendaItem, meeting: Meeting) -> ItemBasis:
    """`item` read by `items_with_basis` (the view's one query)."""
    documents = list(item.documents.order_by("uploaded_at", "pk"))
    initiative = item.initiative
    if initiative is None:
        return ItemBasis(None, None, None, None, None, [], documents)
    prefetch_related_objects(
        [initiative],
        "budget_years",
        "co_financing",
        Prefetch(
            "attachments",
            queryset=Attachment.objects.filter(removed_at__isnull=True).order_by("uploaded_at", "pk"),
        ),
    )
    try:
        preparation = initiative.preparation
    except Preparation.DoesNotExist:
        preparation = None
    proposal = None
    if not meeting.body.makes_proposals and item.vrau_proposal_id is not None:
        proposal = ProposalSummary(
            proposed_amount=item.vrau_proposal_amount,
            text=item.vrau_proposal_text,
            meeting_starts_at=item.vrau_proposal_meeting_starts_at,
        )
    return ItemBasis(
        initiative=initiative,
        change_request=item.change_request,
        finances=initiative_finances(initiative),
        preparation=preparation,
        proposal=proposal,
        attachments=list(initiative.attachments.all()),
        documents=documents,
    )
