from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from reports.models import ReportArchive


@admin.register(ReportArchive)
class ReportArchiveAdmin(SimpleHistoryAdmin):
    list_display = ["kind", "fund", "year", "is_final", "sha256", "created_at", "created_by"]
    list_filter = ["kind", "is_final", "year"]
    exclude = ["content"]
    readonly_fields = ["kind", "fund", "year", "is_final", "sha256", "size", "created_by", "created_at"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
