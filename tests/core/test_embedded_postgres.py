"""The embedded PostgreSQL stops when the last process using it ends (README, `make run`): after a
Ctrl-C, after a `kill` (SIGTERM, as `make run` stops its worker), and also when another user of it was
killed outright before. Real processes on a temporary data directory; no mock."""

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import psutil
import pytest

ROOT = Path(__file__).resolve().parents[2]

# The embedded server's own behaviour: CI's second stage, on the PostgreSQL service (DATABASE_URL set),
# uses no embedded server, so these run in the first stage only.
pytestmark = pytest.mark.skipif(
    bool(os.environ.get("DATABASE_URL")), reason="the embedded server is not used with DATABASE_URL"
)

# A process that uses the embedded server as the app does, says so, and waits to be ended.
USER = """
import sys, time
from pathlib import Path
sys.path.insert(0, {root!r})
from dgr.embedded_postgres import embedded_database_urls, embedded_server
embedded_database_urls(Path({base!r}))
print(embedded_server(Path({base!r})).get_pid(), flush=True)
print(embedded_server(Path({base!r})).get_uri("postgres"), flush=True)
time.sleep(120)
"""


def _start(base: Path) -> tuple[subprocess.Popen, int]:
    process = subprocess.Popen(  # noqa: S603 (our own interpreter and script)
        [sys.executable, "-c", USER.format(root=str(ROOT), base=str(base))],
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "XDG_RUNTIME_DIR": os.environ.get("XDG_RUNTIME_DIR", "/tmp")},  # noqa: S108
    )
    line = process.stdout.readline()
    assert line.strip().isdigit(), f"the process did not start the server: {line!r}"
    return process, int(line)


def _gone(pid: int, seconds: float = 20) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if not psutil.pid_exists(pid) or psutil.Process(pid).status() == psutil.STATUS_ZOMBIE:
            return True
        time.sleep(0.2)
    return False


@pytest.fixture
def base(tmp_path):
    yield tmp_path
    postmaster = tmp_path / "var" / "pgdata" / "postmaster.pid"
    if postmaster.exists():  # a failed test leaves no server behind
        pid = int(postmaster.read_text().split()[0])
        if psutil.pid_exists(pid):
            os.kill(pid, signal.SIGTERM)


@pytest.mark.parametrize("how", [signal.SIGINT, signal.SIGTERM], ids=["ctrl-c", "kill"])
def test_the_server_stops_when_its_only_user_ends(base, how):
    process, postgres = _start(base)
    assert psutil.pid_exists(postgres)
    process.send_signal(how)
    process.wait(timeout=60)
    assert _gone(postgres), "PostgreSQL still runs after the last process using it ended"


def test_the_server_outlives_one_user_and_stops_with_the_last_even_after_one_was_killed(base):
    first, postgres = _start(base)
    second, same = _start(base)
    third, _ = _start(base)
    assert same == postgres  # one server for all
    first.kill()  # SIGKILL: no chance to say it leaves
    first.wait(timeout=10)
    second.send_signal(signal.SIGTERM)
    second.wait(timeout=60)
    assert psutil.pid_exists(postgres), "the server stopped while a process still used it"
    third.send_signal(signal.SIGINT)
    third.wait(timeout=60)
    assert _gone(postgres), "a killed user kept the server running after the last one ended"


def test_processes_starting_together_take_turns_bringing_the_roles_up_to_date(base):
    """pytest-xdist's nodes, or the server and the worker of `make run`, start at the same moment and each
    brings the roles up to date (core.dbroles.roles_ensure): they take turns (an advisory lock), where
    two ALTER ROLE at once made one fail with "tuple concurrently updated". Six at once, here."""
    from core.dbroles import roles_ensure

    first, _ = _start(base)
    superuser = first.stdout.readline().strip()
    start, failures = threading.Barrier(6), []

    def ensure():
        start.wait()
        try:
            roles_ensure(superuser, "dgr")
        except Exception as error:  # any failure is the finding
            failures.append(error)

    racers = [threading.Thread(target=ensure) for _ in range(6)]
    try:
        for racer in racers:
            racer.start()
        for racer in racers:
            racer.join(timeout=60)
        assert failures == []
    finally:
        first.send_signal(signal.SIGTERM)
        first.wait(timeout=60)
