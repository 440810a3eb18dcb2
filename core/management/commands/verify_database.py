"""Verify a database: after a restore (the backup drill), after a server move, or any time.

    manage.py verify_database                       # the checks; exit status 1 on any problem
    manage.py verify_database --save-counts F.json  # … and write every table's row count (before pg_dump)
    manage.py verify_database --compare-counts F.json  # … and compare with the counts of the original

The checks (core/integrity.py): every migration applied, every trigger the migrations create present and
enabled, the app role's grants as core/dbroles.py gives them, and each app's own (the ledger: every year's
close checks). Tables whose rows come and go by themselves (sessions, login attempts, the job queue) are
left out of the comparison of counts."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from core import integrity

VOLATILE_PREFIXES = ("django_session", "axes_", "procrastinate_")


class Command(BaseCommand):
    help = "Kontrollerar en databas (t.ex. en återläst kopia): schema, triggers, behörighet, huvudbok."

    def add_arguments(self, parser):
        parser.add_argument("--save-counts", type=Path, help="skriv tabellernas radantal till filen")
        parser.add_argument("--compare-counts", type=Path, help="jämför radantalen med filens")

    def handle(self, *args, save_counts=None, compare_counts=None, **options):
        problems: list[str] = []
        for name, check in integrity.checks():
            found = check()
            self.stdout.write(f"{name}: {'OK' if not found else f'{len(found)} problem'}")
            problems += [f"{name}: {problem}" for problem in found]
        counts = integrity.table_counts()
        self.stdout.write(f"tables: {len(counts)}, rows: {sum(counts.values())}")
        if save_counts:
            save_counts.write_text(json.dumps(counts, indent=1, sort_keys=True), encoding="utf-8")
        if compare_counts:
            original = json.loads(compare_counts.read_text(encoding="utf-8"))
            for table in sorted(set(original) | set(counts)):
                if table.startswith(VOLATILE_PREFIXES):
                    continue
                if original.get(table) != counts.get(table):
                    problems.append(
                        f"counts: {table} has {counts.get(table)} rows, the original {original.get(table)}."
                    )
        for problem in problems:
            self.stderr.write(problem)
        if problems:
            raise CommandError(f"{len(problems)} problem(s) found.")
        self.stdout.write(self.style.SUCCESS("The database passed every check."))
