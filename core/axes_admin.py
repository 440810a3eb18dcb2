"""The login-throttling admin (django-axes) in Swedish, like the rest of the admin.

Axes ships no Swedish catalogue and locale/ is the project's own catalogue (source language Swedish), so
the names are given here: the app's and models' names, and every column and field shown as a Swedish
column. The models' field names are left alone (changing them would be a migration of axes itself);
`_meta.verbose_name` is not part of a model's migration state, so renaming the models is safe.
"""

import axes.admin  # (registers axes' own admins first, so they can be replaced below)
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.apps import apps
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

LABELS = {
    "attempt_time": _("tidpunkt"),
    "logout_time": _("utloggad"),
    "ip_address": _("IP-adress"),
    "username": _("användarnamn"),
    "user_agent": _("webbläsare"),
    "path_info": _("sökväg"),
    "http_accept": _("HTTP Accept"),
    "get_data": _("GET-data"),
    "post_data": _("POST-data"),
    "failures_since_start": _("misslyckade försök"),
    "locked_out": _("spärrad"),
}

MODEL_NAMES = {
    AccessAttempt: (_("inloggningsförsök"), _("inloggningsförsök")),
    AccessLog: (_("inloggningslogg"), _("inloggningsloggar")),
    AccessFailureLog: (_("misslyckad inloggning"), _("misslyckade inloggningar")),
}


def _column(field: str):
    def column(obj):
        return getattr(obj, field)

    column.short_description = LABELS[field]
    column.admin_order_field = field
    if field == "locked_out":
        column.boolean = True
    return column


def _swedish(admin_class, columns: list[str], fields: list[str]):
    """An admin subclass whose columns and fields are Swedish-labelled read-only columns."""
    attrs = {f"sv_{name}": staticmethod(_column(name)) for name in {*columns, *fields}}
    attrs.update(
        list_display=[f"sv_{name}" for name in columns],
        list_filter=[],
        fieldsets=((None, {"fields": [f"sv_{name}" for name in fields]}),),
        readonly_fields=[f"sv_{name}" for name in fields],
        actions=[],
    )
    return type(f"Swedish{admin_class.__name__}", (admin_class,), attrs)


def register() -> None:
    config = apps.get_app_config("axes")
    config.verbose_name = _("Inloggningsspärr")
    for model, (singular, plural) in MODEL_NAMES.items():
        model._meta.verbose_name, model._meta.verbose_name_plural = singular, plural
    common = ["attempt_time", "ip_address", "username", "user_agent", "path_info"]
    details = ["username", "path_info", "user_agent", "ip_address", "http_accept", "attempt_time"]
    replacements = [
        (
            AccessAttempt,
            axes.admin.AccessAttemptAdmin,
            [*common, "failures_since_start"],
            [*details, "get_data", "post_data", "failures_since_start"],
        ),
        (AccessLog, axes.admin.AccessLogAdmin, [*common, "logout_time"], [*details, "logout_time"]),
        (
            AccessFailureLog,
            axes.admin.AccessFailureLogAdmin,
            [*common, "locked_out"],
            [*details, "locked_out"],
        ),
    ]
    for model, admin_class, columns, fields in replacements:
        if admin.site.is_registered(model):
            admin.site.unregister(model)
        admin.site.register(model, _swedish(admin_class, columns, fields))
