"""Who may do what with outcome reports.

The initiating party's initiators report the outcomes of their funded (DECIDED) initiative; the secretariat
(VRAG) reviews: approves a report or asks for a complement. Those who read everything read the reports;
so do the party's own people.
"""

from initiatives.models import Initiative, Status
from initiatives.permissions import _active, is_initiator, is_secretariat
from outcomes.models import OutcomeReport, OutcomeReview
from people.permissions import reads_everything


def can_view_outcomes(user, initiative: Initiative) -> bool:
    return _active(user) and (reads_everything(user) or user.party_id == initiative.party_id)


def can_report_outcome(user, initiative: Initiative) -> bool:
    return is_initiator(user) and user.party_id == initiative.party_id and initiative.status == Status.DECIDED


def can_review_outcome(user, report: OutcomeReport) -> bool:
    return is_secretariat(user) and report.review == OutcomeReview.SUBMITTED
