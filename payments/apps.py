from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PaymentsConfig(AppConfig):
    name = "payments"
    verbose_name = _("Rekvisitioner")

    def ready(self):
        from core import notifications, panels
        from core.history import register_history_sources
        from core.navigation import NavEntry, register
        from initiatives.permissions import is_initiator
        from initiatives.selectors import register_detail_annotations
        from payments import permissions, selectors
        from payments.todo import register_todos

        register(
            NavEntry(
                "payments:request-list",
                _("Rekvisitioner"),
                _(
                    "Initiativens begäranden om utbetalning: granska, begär komplettering, "
                    "godkänn och betala ut."
                ),
                permissions.can_view_payment_request_queue,
                order=415,
            )
        )
        panels.register(
            "initiative-detail",
            panels.Panel("payments/initiative_panel.html", selectors.initiative_panel_context, order=310),
        )
        register_history_sources("initiative", selectors.initiative_history_sources)
        register_detail_annotations(selectors.initiative_detail_annotations)
        for key, label, description, concerns, order in (
            (
                "payment-request-waiting",
                _("Rekvisitioner att behandla"),
                _("När ett initiativ begär utbetalning eller kompletterar en rekvisition."),
                permissions.can_handle_payment_requests,
                75,
            ),
            (
                "payment-request-answered",
                _("Svar på rekvisitioner"),
                _("När ekonomi begär komplettering av, godkänner eller avslår din parts rekvisition."),
                is_initiator,
                45,
            ),
        ):
            notifications.register(notifications.EventKind(key, label, description, concerns, order=order))
        register_todos()
