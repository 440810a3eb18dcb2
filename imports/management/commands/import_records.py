"""`manage.py import_records KIND FILE --user USERNAME [--fund SLUG] [--dry-run]`: the same import as the
Import page (same services, same report), for large files or a scripted go-live."""

from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.core.management.base import BaseCommand, CommandError

from accounting.models import Fund
from core.history import acting_as
from imports import services
from imports.models import Import, ImportKind
from people.models import User


class Command(BaseCommand):
    help = "Importerar befintliga uppgifter ur en ifylld DGR-importmall (provkör med --dry-run)."

    def add_arguments(self, parser):
        parser.add_argument(
            "kind", choices=ImportKind.values, help="initiatives, positions, decisions, postings"
        )
        parser.add_argument("file", type=Path)
        parser.add_argument("--user", required=True, help="Användarnamnet på den som importerar.")
        parser.add_argument(
            "--fund", help="Fondens kortnamn (krävs för beslut och bokföringar om fonderna är fler)."
        )
        parser.add_argument("--dry-run", action="store_true", help="Provkör bara: inget skapas.")

    def handle(self, *args, kind, file, user, fund, dry_run, **options):
        acting = User.objects.filter(username=user, is_active=True).first()
        if acting is None:
            raise CommandError(f"Ingen aktiv användare {user}.")
        if not file.is_file():
            raise CommandError(f"Filen {file} finns inte.")
        chosen = None
        if kind in (ImportKind.DECISIONS, ImportKind.POSTINGS):
            funds = Fund.objects.filter(slug=fund) if fund else Fund.objects.all()
            if funds.count() != 1:
                raise CommandError("Ange fonden med --fund KORTNAMN.")
            chosen = funds.get()

        def progress(done: int, total: int) -> None:
            if done == total or done % 50 == 0:
                self.stdout.write(f"  {done}/{total} rader")

        try:
            with acting_as(acting, "import"), file.open("rb") as handle:
                self.stdout.write("Provkör …")
                record = services.import_upload(
                    kind=kind,
                    upload=File(handle, name=file.name),
                    fund=chosen,
                    user=acting,
                    progress=progress,
                )
                if record.status == Import.Status.CHECKED and not dry_run:
                    self.stdout.write("Importerar …")
                    record = services.import_run(record=record, user=acting, progress=progress)
        except (PermissionDenied, ValidationError) as exc:
            raise CommandError(" ".join(getattr(exc, "messages", [str(exc)]))) from exc
        for row in record.rows:
            action = "skapas" if row["action"] == "create" else "finns redan"
            if record.status == Import.Status.IMPORTED and row["action"] == "create":
                action = "skapad"
            self.stdout.write(f"{row['sheet']} rad {row['row']}: {action}: {row['text']}")
        for problem in record.problems:
            place = ", ".join(
                str(part)
                for part in (problem["sheet"], problem["row"] and f"rad {problem['row']}", problem["column"])
                if part
            )
            self.stderr.write(f"{place}: {problem['message']}")
        summary = (
            f"Import {record.pk}: {record.status_label}. "
            f"{record.created_count} skapas/skapade, {record.skipped_count} fanns redan, "
            f"{len(record.problems)} problem."
        )
        if record.problems:
            raise CommandError(summary)
        self.stdout.write(self.style.SUCCESS(summary))
