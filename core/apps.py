from django.apps import AppConfig
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = "Gemensamt"

    def ready(self):
        from core import (
            checks,  # noqa: F401  (registers the system checks)
            retention,
            todo,
        )
        from core.mail import mail_delivered_before, mail_delivered_remove
        from core.navigation import NavEntry, register
        from core.permissions import can_manage_mail, can_use_admin
        from core.selectors import mail_failed_todo
        from core.services import idempotency_keys_before, idempotency_keys_remove

        retention.register(
            retention.Rule(
                "core.mail_delivered",
                _("Levererad e-post: mottagare, ämne och text. Historiken (utan text) finns kvar."),
                "DGR_RETENTION_MAIL_DAYS",
                mail_delivered_before,
                mail_delivered_remove,
            )
        )
        retention.register(
            retention.Rule(
                "core.idempotency_keys",
                _("Formulärens engångsnycklar (vem som skickade vilket formulär)."),
                "DGR_RETENTION_KEY_DAYS",
                idempotency_keys_before,
                idempotency_keys_remove,
            )
        )

        register(
            NavEntry(
                "mail-list",
                _("Utgående e-post"),
                _("E-post som väntar på att skickas eller inte kunde skickas; skicka den igen."),
                can_manage_mail,
                order=900,
            )
        )
        register(
            NavEntry(
                "admin:index",
                _("Administration"),
                _("Användare, roller, referensdata och inloggningsspärrar."),
                can_use_admin,
                order=1000,
            )
        )
        todo.register(
            todo.TodoKind(
                "core.mail-failed",
                _("E-post som inte kunde skickas"),
                "mail-list",
                mail_failed_todo,
                lambda mail, today: todo.TodoEntry(
                    f"{mail.recipient}: {mail.subject}", reverse("mail-list"), mail.last_error[:200]
                ),
                order=120,
            )
        )
