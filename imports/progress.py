"""An import's progress, written where others can see it while the import's transaction is still open.

The import is all or nothing: every row runs in one transaction, and nobody sees into it until it commits
(or rolls back). A progress figure written in that transaction would show nothing until the end, and the
import's own row is locked (`SELECT … FOR UPDATE`) for the whole run. So the worker writes the progress
through a second database connection of its own, in autocommit: a small UPDATE of the import's
ImportProgress row, committed at once. It connects as the same app role (the table is an ordinary one:
the role may UPDATE it), and what it writes is a gauge, never a record: if the import rolls back, the
progress row only says how far it got.

Writes are throttled (at most one per `interval` seconds, plus every change of step and the last row), so
a 2 000-row file costs a few dozen small statements, not 2 000.
"""

import time

from django.db import DEFAULT_DB_ALIAS, connections

from imports.models import ImportProgress

_TABLE = ImportProgress._meta.db_table


class ProgressWriter:
    """`progress(done, total)` for the import services (called after every row), plus `step(...)`.
    Use as a context manager: the second connection is closed at the end."""

    def __init__(self, record_id: int, *, interval: float = 0.5):
        self.record_id = record_id
        self.interval = interval
        self.current = ImportProgress.Step.WAITING
        self._last = 0.0
        # A connection of its own, outside Django's per-thread one (and so outside its transaction).
        self._connection = connections.create_connection(DEFAULT_DB_ALIAS)

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.close()

    def close(self) -> None:
        self._connection.close()

    def step(self, step: str, *, done: int = 0, total: int | None = None) -> None:
        self.current = step
        self._write(done, total)

    def __call__(self, done: int, total: int) -> None:
        step = ImportProgress.Step.SAVING if done >= total else ImportProgress.Step.ROWS
        if step != self.current or time.monotonic() - self._last >= self.interval:
            self.current = step
            self._write(done, total)

    def _write(self, done: int, total: int | None) -> None:
        with self._connection.cursor() as cursor:
            cursor.execute(
                f'UPDATE "{_TABLE}" SET step = %s, done = %s, total = coalesce(%s, total),'  # noqa: S608
                " updated_at = now() WHERE record_id = %s",
                [self.current, done, total, self.record_id],
            )
        self._last = time.monotonic()
