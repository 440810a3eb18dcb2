"""The admin: outcome reports are read-only here; they are handed in and reviewed only through the
services and the pages (a report is never edited, a complement is a new report)."""

from django.contrib import admin

from core.admin import HistoryAdmin
from initiatives.admin import ReadOnlyMixin
from outcomes.models import OutcomeReport


@admin.register(OutcomeReport)
class OutcomeReportAdmin(ReadOnlyMixin, HistoryAdmin):
    list_display = ["__str__", "initiative", "review", "submitted_at"]
    list_filter = ["kind", "review"]
    list_select_related = ["initiative"]
    search_fields = ["initiative__title"]
