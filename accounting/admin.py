"""The admin reads the ledger; money moves only through the services (and their forms).

Funds, parts and accounts can be looked at and their history followed; nothing is deleted, and the
journal, commitments and snapshots are read-only here as they are in the database.
"""

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from accounting.models import (
    Account,
    CapitalPart,
    Commitment,
    Decision,
    DelegationPoint,
    FiscalYear,
    Fund,
    RecoveryClaim,
    Verification,
    VerificationLine,
)
from core.admin import HistoryAdmin


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyHistoryAdmin(ReadOnlyAdmin, HistoryAdmin):
    pass


@admin.register(Fund)
class FundAdmin(ReadOnlyHistoryAdmin):
    list_display = ["name", "slug", "opened_on"]


@admin.register(CapitalPart)
class CapitalPartAdmin(ReadOnlyHistoryAdmin):
    list_display = ["fund", "number", "name"]


@admin.register(FiscalYear)
class FiscalYearAdmin(ReadOnlyHistoryAdmin):
    list_display = ["fund", "year", "status", "closed_at"]
    list_filter = ["fund", "status"]


@admin.register(Account)
class AccountAdmin(ReadOnlyHistoryAdmin):
    list_display = ["fund", "code", "name", "kind", "region_account", "region_object"]


@admin.register(Decision)
class DecisionAdmin(ReadOnlyHistoryAdmin):
    list_display = ["reference", "decided_on", "initiative", "maker_name", "outcome", "amount"]
    raw_id_fields = ["initiative"]
    # The file's own URL would point under MEDIA_ROOT, which is never served: link the checking view.
    exclude = ["document"]
    readonly_fields = ["document_download"]

    @admin.display(description=_("beslutsdokument"))
    def document_download(self, decision):
        if not decision.document:
            return "–"
        url = reverse("accounting:decision-document", args=[decision.pk])
        return format_html('<a href="{}">{}</a>', url, decision.document_name or _("Ladda ner"))


@admin.register(DelegationPoint)
class DelegationPointAdmin(ReadOnlyHistoryAdmin):
    """Read and follow the history here; points are added and ended on the register's page."""

    list_display = ["code", "maker_name", "amount_limit", "valid_from", "valid_to"]


@admin.register(RecoveryClaim)
class RecoveryClaimAdmin(ReadOnlyHistoryAdmin):
    """Read and follow the history here; claims are made, repaid and written off on their own pages."""

    list_display = ["id", "initiative", "amount", "repaid", "status", "due_on"]
    list_filter = ["status"]
    raw_id_fields = ["initiative"]


@admin.register(Commitment)
class CommitmentAdmin(ReadOnlyAdmin):
    list_display = ["id", "initiative", "capital_part", "amount", "planned_year"]


class LineInline(admin.TabularInline):
    model = VerificationLine
    extra = 0
    can_delete = False
    fields = ["account", "capital_part", "event", "initiative", "commitment", "amount"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Verification)
class VerificationAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "booking_date", "kind", "text", "author"]
    list_filter = ["fund", "fiscal_year__year", "kind"]
    inlines = [LineInline]
