from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from core.admin import HistoryAdmin, ReadableRecordContextHelper
from people.models import EmailDomain, Invitation, Party, User
from people.roles import Role
from people.services import user_deactivate, user_sessions_end


class NeverDeleteMixin:
    """Nothing in DGR is hard-deleted: deactivate instead."""

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Party)
class PartyAdmin(NeverDeleteMixin, HistoryAdmin):
    list_display = ["name", "code", "kind", "is_active"]
    search_fields = ["name", "code"]
    readonly_fields = ["code"]


class UserRecordContextHelper(ReadableRecordContextHelper):
    """Roles in a user's history by their Swedish names, not the groups' stable identifiers."""

    def prepare_delta_change_value(self, change, value):
        if change.field == "groups":
            labels = dict(Role.choices)
            return sorted(str(labels.get(row["group"].name, row["group"].name)) for row in value)
        return super().prepare_delta_change_value(change, value)


@admin.register(EmailDomain)
class EmailDomainAdmin(HistoryAdmin):
    """Which party a single-sign-on person belongs to, by e-mail domain. Removing a row is recorded in
    its history; the people already placed keep their party."""

    list_display = ["domain", "party"]
    list_select_related = ["party"]
    search_fields = ["domain", "party__name"]


@admin.register(Invitation)
class InvitationAdmin(NeverDeleteMixin, HistoryAdmin):
    """Read-only: invitations are sent and used through DGR's own pages (Konton)."""

    list_display = ["email", "person", "invited_by", "created_at", "expires_at", "accepted_at", "revoked_at"]
    list_select_related = ["person", "invited_by"]
    search_fields = ["email"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(User)
class UserAdmin(NeverDeleteMixin, HistoryAdmin, DjangoUserAdmin):
    list_display = ["username", "first_name", "last_name", "party", "title", "is_active"]
    list_filter = ["is_active", "awaiting_approval", "groups", "party"]
    list_select_related = ["party"]
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Person"), {"fields": ("first_name", "last_name", "email", "title", "party")}),
        (
            _("Roller och behörighet"),
            {"fields": ("is_active", "awaiting_approval", "groups", "is_staff", "is_superuser")},
        ),
        (_("Datum"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": (
                    "username",
                    "first_name",
                    "last_name",
                    "email",
                    "party",
                    "title",
                    "password1",
                    "password2",
                ),
            },
        ),
    )
    actions = ["deactivate"]

    def get_historical_record_context_helper(self, request, historical_record):
        return UserRecordContextHelper(self.model, historical_record)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        # Unticking "active" in the form deactivates as the action does: the person's sessions end.
        if change and "is_active" in form.changed_data and not obj.is_active:
            user_sessions_end(user=obj, acting_user=request.user)

    @admin.action(description=_("Avaktivera valda användare"))
    def deactivate(self, request, queryset):
        for user in queryset:
            user_deactivate(user=user, acting_user=request.user)
        self.message_user(request, _("Användarna är avaktiverade."), messages.SUCCESS)
