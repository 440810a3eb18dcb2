"""The retention rules (core/retention.py), by hand: what they would remove now, or apply them.

manage.py retention             # how many rows each rule would remove today (changes nothing)
manage.py retention --apply     # remove them, as the worker does every night, with the trace
"""

from django.core.management.base import BaseCommand

from core.retention import retention_apply


class Command(BaseCommand):
    help = "Visar vad gallringsreglerna skulle ta bort i dag, eller tar bort det (--apply)."

    def add_arguments(self, parser):
        parser.add_argument("--apply", action="store_true", help="ta bort, inte bara räkna")

    def handle(self, *args, apply=False, **options):
        for rule, count in retention_apply(dry_run=not apply):
            verb = "borttagna" if apply else "skulle tas bort"
            self.stdout.write(f"{rule.code} (äldre än {rule.days} dagar): {count} {verb}")
