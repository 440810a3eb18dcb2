"""Reads of payment requests: what a person may see, finance's queue, an initiative's requests, and what is
left to ask for on a commitment."""

import functools
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.contrib.postgres.expressions import ArraySubquery
from django.db.models import CharField, OuterRef, Q, QuerySet, Sum
from django.db.models.functions import Cast, TruncDate

from accounting.models import Commitment, verification_number_label
from accounting.selectors import commitment_figures_map
from core.db import JSONRow
from initiatives.models import Status as InitiativeStatus
from payments import permissions
from payments.models import PENDING, PaymentRequest, PaymentRequestAttachment, Status

ZERO = Decimal("0.00")


def payment_requests_visible_to(user) -> QuerySet[PaymentRequest]:
    visible = _visible(user)
    return PaymentRequest.objects.none() if visible is None else PaymentRequest.objects.filter(visible)


def _visible(user) -> Q | None:
    """Finance and the auditor see every request; an initiator their own party's; others none (None)."""
    if permissions.reads_all_payment_requests(user):
        return Q()
    if permissions.can_view_payment_requests(user):
        return Q(initiative__party_id=user.party_id)
    return None


def payment_request_detail(user, pk: int) -> PaymentRequest:
    """One request with what its page shows (raises DoesNotExist when the person may not see it)."""
    return (
        payment_requests_visible_to(user)
        .select_related(
            "initiative__party",
            "commitment__capital_part",
            "commitment__decision",
            "verification__fiscal_year",
            "verification__fund",
            "submitted_by",
            "decided_by",
        )
        .get(pk=pk)
    )


def payment_request_attachments(payment_request: PaymentRequest) -> list[PaymentRequestAttachment]:
    return list(payment_request.attachments.select_related("uploaded_by").order_by("uploaded_at", "id"))


def payment_request_queue() -> dict[str, list[PaymentRequest]]:
    """Finance's page: the requests waiting for finance, those waiting for the initiator, and the latest
    decided ones (two queries, whatever the data)."""
    related = ("initiative__party", "commitment__capital_part", "submitted_by", "verification__fiscal_year")
    pending = list(PaymentRequest.objects.pending().select_related(*related).order_by("submitted_at", "id"))
    decided = list(
        PaymentRequest.objects.exclude(status__in=PENDING)
        .select_related(*related, "decided_by")
        .order_by("-decided_at", "-id")[:20]
    )
    return {
        "waiting": [r for r in pending if r.status != PaymentRequest.Status.COMPLEMENT_REQUESTED],
        "with_initiator": [r for r in pending if r.status == PaymentRequest.Status.COMPLEMENT_REQUESTED],
        "decided": decided,
    }


def pending_on_commitment(commitment: Commitment, *, excluding: PaymentRequest | None = None) -> Decimal:
    """What other requests still pending on the commitment ask for: money already asked for, not yet paid."""
    requests = PaymentRequest.objects.pending().filter(commitment=commitment)
    if excluding is not None:
        requests = requests.exclude(pk=excluding.pk)
    return requests.aggregate(total=Sum("amount"))["total"] or ZERO


@dataclass(frozen=True)
class CommitmentChoice:
    """A commitment as the request form offers it: what remains to pay out, and what is not yet asked for."""

    commitment: Commitment
    remaining: Decimal
    pending: Decimal

    @property
    def requestable(self) -> Decimal:
        return max(self.remaining - self.pending, ZERO)


def commitment_choices(initiative, *, excluding: PaymentRequest | None = None) -> list[CommitmentChoice]:
    """The initiative's commitments with money left to pay out (three queries); `excluding` a request being
    completed, whose own amount is not "asked for elsewhere"."""
    commitments = list(
        Commitment.objects.filter(initiative=initiative)
        .select_related("capital_part", "decision")
        .order_by("id")
    )
    figures = commitment_figures_map(commitments)
    others = PaymentRequest.objects.pending().filter(commitment__in=commitments)
    if excluding is not None:
        others = others.exclude(pk=excluding.pk)
    pending = dict(
        others.values("commitment_id").annotate(total=Sum("amount")).values_list("commitment_id", "total")
    )
    return [
        CommitmentChoice(c, figures[c.pk].reserved, pending.get(c.pk, ZERO))
        for c in commitments
        if figures[c.pk].reserved > 0
    ]


@dataclass(frozen=True)
class PanelLine:
    """One request as the initiative's page lists it (read with the initiative, see below)."""

    pk: int
    status: str
    amount: Decimal
    period_start: date
    period_end: date
    submitted_on: date
    verification_label: str

    @property
    def status_tag(self) -> str:
        return PaymentRequest(status=self.status).status_tag

    def get_status_display(self) -> str:
        return Status(self.status).label


def initiative_detail_annotations(user) -> dict:
    """The initiative's requests the reader may see, as JSON rows in the page's query of the initiative
    (initiatives.selectors.register_detail_annotations): the page has no query to spare."""
    visible = _visible(user)
    if visible is None:
        return {}
    return {"payment_request_rows": ArraySubquery(_initiative_rows().filter(visible))}


@functools.cache
def _initiative_rows() -> QuerySet:
    """The requests of the initiative `OuterRef("pk")` as JSON rows, for every reader: built once per
    process, as building it was most of the annotation's time (an expression, not data: the rows are
    read with the page's query)."""
    text = CharField()
    return (
        PaymentRequest.objects.filter(initiative=OuterRef("pk"))
        .order_by("-submitted_at", "-id")
        .values(
            row=JSONRow(
                pk="id",
                status="status",
                amount=Cast("amount", text),
                period_start=Cast("period_start", text),
                period_end=Cast("period_end", text),
                submitted_on=Cast(TruncDate("submitted_at"), text),
                series="verification__series",
                number="verification__number",
                year="verification__fiscal_year__year",
            )
        )
    )


def _panel_line(row: dict) -> PanelLine:
    return PanelLine(
        pk=row["pk"],
        status=row["status"],
        amount=Decimal(row["amount"]),
        period_start=date.fromisoformat(row["period_start"]),
        period_end=date.fromisoformat(row["period_end"]),
        submitted_on=date.fromisoformat(row["submitted_on"]),
        verification_label=verification_number_label(row["series"], row["number"], row["year"])
        if row["number"]
        else "",
    )


def initiative_panel_context(initiative, user) -> dict | None:
    """On the initiative's page (core.panels slot "initiative-detail"): its payment requests and, for its
    party's initiators while it runs, the way to ask for a payment. No query of its own: the rows come
    with the initiative (`initiative_detail_annotations`)."""
    if initiative.status not in (InitiativeStatus.DECIDED, InitiativeStatus.COMPLETED):
        return None
    if not permissions.can_view_initiative_payment_requests(user, initiative):
        return None
    rows = getattr(initiative, "payment_request_rows", None)
    if rows is None:  # an initiative read some other way than for its page
        rows = _rows_of(initiative, user)
    return {
        "initiative": initiative,
        "payment_requests": [_panel_line(row) for row in rows],
        "can_request_payment": permissions.can_request_payment(user, initiative),
    }


def _rows_of(initiative, user) -> list[dict]:
    from initiatives.models import Initiative

    annotations = initiative_detail_annotations(user)
    if not annotations:
        return []
    annotated = Initiative.objects.filter(pk=initiative.pk).annotate(**annotations)
    return annotated.values_list("payment_request_rows", flat=True).get()


def payment_requests_waiting(user) -> QuerySet[PaymentRequest] | None:
    """For finance's to-do: the requests waiting for finance, oldest first."""
    if not permissions.can_handle_payment_requests(user):
        return None
    return (
        PaymentRequest.objects.waiting_for_finance()
        .select_related("initiative__party")
        .order_by("submitted_at", "id")
    )


def payment_requests_to_complete(user) -> QuerySet[PaymentRequest] | None:
    """For an initiator's to-do: their party's requests finance asked to complete."""
    if not (permissions.is_initiator(user) and user.party_id is not None):
        return None
    return (
        PaymentRequest.objects.filter(
            Q(status=PaymentRequest.Status.COMPLEMENT_REQUESTED), initiative__party_id=user.party_id
        )
        .select_related("initiative")
        .order_by("updated_at", "id")
    )


def initiative_history_sources(initiative, user) -> list:
    """For the initiative's history (core.history slot "initiative"): its payment requests, to those who
    read them on the initiative's page."""
    from django.utils.translation import gettext as _

    from core.history import HistorySource

    if not permissions.can_view_initiative_payment_requests(user, initiative):
        return []
    return [
        HistorySource(
            PaymentRequest,
            Q(initiative_id=initiative.pk),
            lambda r, names: _("Rekvisition %(id)s") % {"id": r.id},
            # The commitment and the verification would cost a query each to name (the page has none to
            # spare); the request's page links both.
            hidden=frozenset({"initiative", "commitment", "verification", "idempotency_key", "updated_at"}),
        )
    ]
