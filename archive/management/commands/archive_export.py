"""The region's archivist's export: `manage.py archive_export initiative "DGR 2026/0007"` or
`manage.py archive_export fiscal_year dgr 2025`. Builds the package at once (no worker needed), keeps it
like one asked for on the web (row and history: the archive page lists it) and writes a copy to --output."""

import shutil
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from accounting.models import Fund
from archive.models import PackageKind
from archive.services import package_build, package_request
from core.history import acting_as
from initiatives.models import Initiative


class Command(BaseCommand):
    help = "Exporterar ett avslutat initiativärende eller ett stängt verksamhetsår som E-ARK-paket (zip)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="kind", required=True)
        initiative = sub.add_parser("initiative", help="ett avslutat initiativärende")
        initiative.add_argument(
            "registration_number", help='diarienummer, t.ex. "DGR 2026/0007" eller 2026/7'
        )
        year = sub.add_parser("fiscal_year", help="ett stängt verksamhetsår")
        year.add_argument("fund", help="fondens kortnamn, t.ex. dgr")
        year.add_argument("year", type=int)
        for p in (initiative, year):
            p.add_argument("--output", default=".", help="katalog att skriva zip-filen till")

    def handle(self, *args, kind, output, **options):
        subject = {}
        if kind == "initiative":
            initiative = Initiative.objects.with_registration_number(options["registration_number"]).first()
            if initiative is None:
                raise CommandError(f"Inget initiativ har diarienumret {options['registration_number']!r}.")
            subject = {"kind": PackageKind.INITIATIVE, "initiative": initiative}
        else:
            fund = Fund.objects.filter(slug=options["fund"]).first()
            if fund is None:
                raise CommandError(f"Ingen fond heter {options['fund']!r}.")
            subject = {"kind": PackageKind.FISCAL_YEAR, "fund": fund, "year": options["year"]}
        with acting_as(None, "arkivpaket (manage.py archive_export)"):
            try:
                package = package_request(user=None, via="command", queue=False, **subject)
            except ValidationError as error:
                raise CommandError(" ".join(error.messages)) from error
            package = package_build(package=package)
        target = Path(output) / package.filename
        target.parent.mkdir(parents=True, exist_ok=True)
        with package.file.open("rb") as source, open(target, "wb") as copy:
            shutil.copyfileobj(source, copy)
        self.stdout.write(self.style.SUCCESS(f"{target} ({package.size} byte, SHA-256 {package.sha256})"))
