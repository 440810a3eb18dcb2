from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from core.admin import HistoryAdmin, ReadOnlyAdmin
from council.models import (
    AgendaItem,
    Agreement,
    AgreementAdoption,
    Attendance,
    Body,
    ItemDocument,
    Meeting,
    Membership,
    MinutesAdjuster,
    NoticeMailing,
    Paragraph,
    Position,
    Proposal,
    RulesOfProcedure,
    SealedCopy,
    Stance,
)


class NeverDeleteReadOnlyAdmin(HistoryAdmin):
    """Meetings, stances and positions change only through the services (and the app's pages):
    the admin shows them and their history, nothing more."""

    def has_delete_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Body)
class BodyAdmin(HistoryAdmin):
    list_display = ["name", "short_name", "takes_positions", "makes_proposals", "is_active"]

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(RulesOfProcedure)
class RulesOfProcedureAdmin(HistoryAdmin):
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


@admin.register(ItemDocument)
class ItemDocumentAdmin(NeverDeleteReadOnlyAdmin):
    # The file's own URL would point under MEDIA_ROOT, which is never served: link the checking view.
    exclude = ["file"]
    readonly_fields = ["download"]

    @admin.display(description=_("fil"))
    def download(self, document):
        url = reverse("council:document-download", args=[document.item.meeting_id, document.pk])
        return format_html('<a href="{}">{}</a>', url, document.original_name)


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

# Members and notice mailings change only through their pages (council/membership.py, notices.py).
admin.site.register(Membership, NeverDeleteReadOnlyAdmin)
admin.site.register(NoticeMailing, NeverDeleteReadOnlyAdmin)


@admin.register(SealedCopy)
class SealedCopyAdmin(ReadOnlyAdmin, admin.ModelAdmin):
    """The sealed copies of signed minutes and excerpts, by SHA-256 (the public check reads it); their
    PDF is what the meeting page hands out, not shown here."""

    list_display = ["issued_at", "title", "sealed", "sha256"]
    exclude = ["content"]

    def get_queryset(self, request):
        return super().get_queryset(request).defer("content")

    list_filter = ["sealed"]
    search_fields = ["sha256", "title"]
    date_hierarchy = "issued_at"
