from django.contrib import admin

from core.admin import HistoryAdmin, ReadOnlyAdmin
from imports.models import Import


@admin.register(Import)
class ImportAdmin(ReadOnlyAdmin, HistoryAdmin):
    """Read-only: imports are made and run through the services (the Import page or the command)."""

    list_display = [
        "original_name",
        "kind",
        "status",
        "created_count",
        "skipped_count",
        "uploaded_by",
        "uploaded_at",
    ]
    list_filter = ["kind", "status"]
