from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils.translation import gettext as _

from core.models import AccessibilityReport


@transaction.atomic
def accessibility_report_create(
    *, user, page_url: str, description: str, contact: str
) -> AccessibilityReport:
    report = AccessibilityReport(
        page_url=page_url,
        description=description,
        contact=contact,
        reported_by=user if user is not None and user.is_authenticated else None,
    )
    report.full_clean()
    report.save()
    recipient = getattr(settings, "DGR_ACCESSIBILITY_EMAIL", settings.DEFAULT_FROM_EMAIL)
    transaction.on_commit(
        lambda: send_mail(
            _("Tillgänglighetsproblem rapporterat i DGR"),
            f"{report.page_url}\n\n{report.description}\n\n{report.contact}",
            settings.DEFAULT_FROM_EMAIL,
            [recipient],
            fail_silently=True,
        )
    )
    return report
