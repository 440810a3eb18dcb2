"""The admin reads the ledger; money moves only through the services (and their forms).

Funds, parts and accounts can be looked at and their history followed; nothing is deleted, and the
journal, commitments and snapshots are read-only here as they are in the database.
"""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from accounting.models import (
    Account,
    CapitalPart,
    Commitment,
    Decision,
    FiscalYear,
    Fund,
    Verification,
    VerificationLine,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyHistoryAdmin(ReadOnlyAdmin, SimpleHistoryAdmin):
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
    list_display = ["reference", "decided_on", "initiative", "maker_name", "amount"]
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
