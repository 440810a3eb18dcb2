from django.contrib import admin

from archive.models import ArchivePackage
from core.admin import HistoryAdmin, ReadOnlyAdmin


@admin.register(ArchivePackage)
class ArchivePackageAdmin(ReadOnlyAdmin, HistoryAdmin):
    list_display = ["__str__", "status", "requested_by", "requested_via", "requested_at", "finished_at"]
    list_filter = ["kind", "status"]
