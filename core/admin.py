from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from core.models import AccessibilityReport


@admin.register(AccessibilityReport)
class AccessibilityReportAdmin(SimpleHistoryAdmin):
    list_display = ["reported_at", "page_url", "handled_at"]
    readonly_fields = ["page_url", "description", "contact", "reported_by", "reported_at"]

    def has_delete_permission(self, request, obj=None):
        return False
