"""The admin: action areas are edited here (reference data); initiatives are read-only here, because
every change of content or status goes through the services and the pages."""

from django.contrib import admin

from core.admin import HistoryAdmin
from initiatives.models import ActionArea, Initiative


class NeverDeleteMixin:
    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyMixin(NeverDeleteMixin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(ActionArea)
class ActionAreaAdmin(NeverDeleteMixin, HistoryAdmin):
    list_display = ["name", "order", "is_active"]
    list_editable = ["order", "is_active"]


@admin.register(Initiative)
class InitiativeAdmin(ReadOnlyMixin, HistoryAdmin):
    list_display = ["__str__", "party", "status", "submitted_at"]
    list_filter = ["status", "party"]
    list_select_related = ["party"]
    search_fields = ["title", "registration_serial"]
