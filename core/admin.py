import dataclasses

from django.contrib import admin
from django.db.models import ManyToManyField
from django.utils.text import capfirst
from simple_history.admin import SimpleHistoryAdmin
from simple_history.models import DeletedObject
from simple_history.template_utils import HistoricalRecordContextHelper

from core import axes_admin
from core.history import Names, field_label, value_text
from core.models import AccessibilityReport, RetentionRun


class ReadableRecordContextHelper(HistoricalRecordContextHelper):
    """The admin's history as people read it: an empty value is empty (simple-history shows a foreign
    key that was not set as "Deleted user (pk=None)", which reads as if the actor were lost), labels
    instead of codes, Ja/Nej, kronor, local time, related objects by name."""

    def prepare_delta_change_value(self, change, value):
        model_field = self.model._meta.get_field(change.field)
        if isinstance(model_field, ManyToManyField):
            return super().prepare_delta_change_value(change, value)
        if isinstance(value, DeletedObject):
            return "" if value.pk is None else str(value)
        if model_field.is_relation:
            return "" if value is None else str(value)
        return value_text(model_field, value, Names())

    def format_delta_change(self, change):
        formatted = super().format_delta_change(change)
        formatted_field = capfirst(field_label(self.model._meta.get_field(change.field)))
        return dataclasses.replace(formatted, field=formatted_field)


class HistoryAdmin(SimpleHistoryAdmin):
    """Every admin page with history in DGR uses this one."""

    def get_historical_record_context_helper(self, request, historical_record):
        return ReadableRecordContextHelper(self.model, historical_record)


class ReadOnlyAdmin:
    """For records that only the services make (and the database may refuse to change): the admin
    shows them and offers nothing to add, change or delete."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AccessibilityReport)
class AccessibilityReportAdmin(HistoryAdmin):
    list_display = ["reported_at", "page_url", "handled_at"]
    readonly_fields = ["page_url", "description", "contact", "reported_by", "reported_at"]

    def has_delete_permission(self, request, obj=None):
        return False


axes_admin.register()


@admin.register(RetentionRun)
class RetentionRunAdmin(ReadOnlyAdmin, admin.ModelAdmin):
    """The trace of the retention rules, for auditors and administrators."""

    list_display = ["ran_at", "rule", "cutoff", "removed"]
    list_filter = ["rule"]
    date_hierarchy = "ran_at"
