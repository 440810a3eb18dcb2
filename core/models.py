"""Models shared by every part of DGR.

- AccessibilityReport: a problem with the service's accessibility reported by anyone, logged in or
  not (the Swedish DOS law requires a way to report one). Kept, never deleted; the secretariat
  marks it handled.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class AccessibilityReport(models.Model):
    page_url = models.CharField(_("sida"), max_length=500, blank=True)
    description = models.TextField(_("beskrivning av problemet"), max_length=5000)
    contact = models.CharField(_("e-post eller telefon (frivilligt)"), max_length=200, blank=True)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reported_at = models.DateTimeField(_("inrapporterad"), auto_now_add=True)
    handled_at = models.DateTimeField(_("hanterad"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("tillgänglighetsrapport")
        verbose_name_plural = _("tillgänglighetsrapporter")
        ordering = ["-reported_at"]

    def __str__(self):
        return f"{self.reported_at:%Y-%m-%d} {self.description[:40]}"
