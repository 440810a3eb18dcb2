"""A self-signed seal certificate for development and tests (README: Electronic seals). Never for
production and never committed: it lives under var/ (git-ignored)."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from core.seal import development_certificate_create


class Command(BaseCommand):
    help = "Skapar ett självsignerat testcertifikat för e-stämpeln (PKCS#12), om det inte redan finns."

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?", default=str(settings.DGR_SEAL_TEST_CERTIFICATE))
        parser.add_argument("--passphrase", default="", help="lösenfras (tom: ingen)")
        parser.add_argument("--force", action="store_true", help="ersätt ett befintligt certifikat")

    def handle(self, *args, path, passphrase, force, **options):
        target = Path(path)
        if target.exists() and not force:
            self.stdout.write(f"Testcertifikatet finns redan: {target}")
            return
        development_certificate_create(target, passphrase)
        self.stdout.write(
            self.style.SUCCESS(f"Testcertifikat skapat: {target} (DGR_SEAL_PKCS12={target}; bara för test)")
        )
