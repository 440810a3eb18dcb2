from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublicRecordConfig(AppConfig):
    name = "public_record"
    verbose_name = _("Offentliga sidor och öppna data")
