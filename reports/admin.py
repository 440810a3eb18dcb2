from django.contrib import admin

from core.admin import HistoryAdmin, ReadOnlyAdmin
from reports.models import ReportArchive


@admin.register(ReportArchive)
class ReportArchiveAdmin(ReadOnlyAdmin, HistoryAdmin):
    list_display = ["kind", "fund", "year", "is_final", "sha256", "created_at", "created_by"]
    list_filter = ["kind", "is_final", "year"]
    exclude = ["content"]
    readonly_fields = ["kind", "fund", "year", "is_final", "sha256", "size", "created_by", "created_at"]
