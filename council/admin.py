from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from council.models import (
    AgendaItem,
    Agreement,
    AgreementAdoption,
    Attendance,
    Body,
    Meeting,
    MinutesAdjuster,
    Paragraph,
    Position,
    Proposal,
    RulesOfProcedure,
    Stance,
)


class NeverDeleteReadOnlyAdmin(SimpleHistoryAdmin):
    """Meetings, stances and positions change only through the services (and the app's pages):
    the admin shows them and their history, nothing more."""

    def has_delete_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Body)
class BodyAdmin(SimpleHistoryAdmin):
    list_display = ["name", "short_name", "takes_positions", "makes_proposals", "is_active"]

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(RulesOfProcedure)
class RulesOfProcedureAdmin(SimpleHistoryAdmin):
    """A new version is a new row: versions already used are never changed."""

    list_display = [
        "body",
        "version",
        "valid_from",
        "quorum",
        "stand_aside_is_consent",
        "per_capsulam_allowed",
    ]

    def has_delete_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return obj is None


for model in (
    Meeting,
    AgendaItem,
    Attendance,
    Stance,
    Proposal,
    Position,
    Paragraph,
    MinutesAdjuster,
    Agreement,
    AgreementAdoption,
):
    admin.site.register(model, NeverDeleteReadOnlyAdmin)
