from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from people.models import Party, User
from people.services import user_deactivate


class NeverDeleteMixin:
    """Nothing in DGR is hard-deleted: deactivate instead."""

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Party)
class PartyAdmin(NeverDeleteMixin, SimpleHistoryAdmin):
    list_display = ["name", "code", "kind", "is_active"]
    search_fields = ["name", "code"]
    readonly_fields = ["code"]


@admin.register(User)
class UserAdmin(NeverDeleteMixin, SimpleHistoryAdmin, DjangoUserAdmin):
    list_display = ["username", "first_name", "last_name", "party", "title", "is_active"]
    list_filter = ["is_active", "groups", "party"]
    list_select_related = ["party"]
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Person"), {"fields": ("first_name", "last_name", "email", "title", "party")}),
        (_("Roller och behörighet"), {"fields": ("is_active", "groups", "is_staff", "is_superuser")}),
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

    @admin.action(description=_("Avaktivera valda användare"))
    def deactivate(self, request, queryset):
        for user in queryset:
            user_deactivate(user=user, acting_user=request.user)
        self.message_user(request, _("Användarna är avaktiverade."), messages.SUCCESS)
