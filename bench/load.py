#!/usr/bin/env python3
"""Load test: many logged-in clients at once against gunicorn as production runs it.

    make load                      # or: .venv/bin/python bench/load.py [--clients 50] [--seconds 30]
    .venv/bin/python bench/load.py --no-setup --gunicorn="-w 2 -k gthread --threads 4"

Serves DGR with DJANGO_DEBUG=0 and the app's own middleware (bench/run.py's environment, the bench
database `dgr_bench`) under gunicorn with the given options (default: the README's systemd unit, with 2
workers for these 2 cores), then, for each page in turn, runs `--clients` threads for `--seconds`
seconds, each logged in with a session of its own and requesting the page again as soon as it is
answered (a new connection per request, as bench/run.py). Traffic goes to 127.0.0.1 only. It prints,
per page, requests per second, p50/p95/p99 latency and errors (any answer other than 200, or no
answer), and the ratio of the list's throughput to the trivial logged-in view's. The target (issue 16):
the list at least 0.5 × /ping/, with 0 errors.

The clients run in this process, on the same two cores as the server and PostgreSQL: what they cost
is part of every figure, alike for both pages.
"""

import argparse
import http.client
import shlex
import signal
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.run import Client, django_setup, prepare, serve  # noqa: E402

# The README's production unit (gunicorn dgr.wsgi -w 4 on four cores), with a worker per core here.
DEFAULT_GUNICORN = "-w 2"
PAGES = [
    ("ping (trivial logged-in view)", "/ping/"),
    ("initiative list (2,000)", "/initiativ/"),
]
USERNAME = "bench-secretariat"


def percentile(sorted_values: list[float], share: float) -> float:
    return sorted_values[min(len(sorted_values) - 1, max(0, round(share * len(sorted_values)) - 1))]


def run_page(path: str, clients: list[Client], seconds: float) -> dict:
    """Every client requests `path` in a loop until the time is up; latencies in ms, errors counted."""
    latencies: list[list[float]] = [[] for _ in clients]
    errors: list[list[str]] = [[] for _ in clients]
    start = threading.Barrier(len(clients) + 1)
    deadline = 0.0

    def work(index: int) -> None:
        client = clients[index]
        start.wait()
        while time.perf_counter() < deadline:
            try:
                status, _body, elapsed = client.request("GET", path)
            except (OSError, http.client.HTTPException) as error:
                errors[index].append(type(error).__name__)
                continue
            if status == 200:
                latencies[index].append(elapsed * 1000)
            else:
                errors[index].append(f"HTTP {status}")

    threads = [threading.Thread(target=work, args=(i,), daemon=True) for i in range(len(clients))]
    for thread in threads:
        thread.start()
    deadline = time.perf_counter() + seconds
    began = time.perf_counter()
    start.wait()
    for thread in threads:
        thread.join(timeout=seconds + 90)  # a request still open at the deadline finishes (or times out)
    took = time.perf_counter() - began
    done = sorted(ms for per_client in latencies for ms in per_client)
    failed = [error for per_client in errors for error in per_client]
    return {
        "rps": len(done) / took,
        "requests": len(done),
        "p50": percentile(done, 0.50) if done else float("nan"),
        "p95": percentile(done, 0.95) if done else float("nan"),
        "p99": percentile(done, 0.99) if done else float("nan"),
        "errors": len(failed),
        "error_kinds": sorted(set(failed)),
    }


def warm(client: Client, path: str) -> None:
    """One request that must succeed; workers still booting (gunicorn answers /healthz/ once the first
    one is up) may drop a connection, so it is tried again for up to a minute."""
    for _ in range(30):
        try:
            status, _, _ = client.request("GET", path)
        except (OSError, http.client.HTTPException):
            time.sleep(2)
            continue
        if status != 200:
            raise SystemExit(f"{path} answered HTTP {status}")
        return
    raise SystemExit(f"{path} did not answer")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=30.0, help="per page (default 30)")
    parser.add_argument(
        "--gunicorn", default=DEFAULT_GUNICORN, help=f'gunicorn options (default "{DEFAULT_GUNICORN}")'
    )
    parser.add_argument(
        "--no-setup", action="store_true", help="reuse the bench database and static files as they are"
    )
    args = parser.parse_args()
    if not 1 <= args.clients <= 200 or not 1 <= args.seconds <= 120:
        raise SystemExit("--clients 1–200 and --seconds 1–120: the test is bounded")

    if not args.no_setup:
        prepare()
    django_setup()
    clients = []
    for _ in range(args.clients):
        client = Client()
        client.login(USERNAME)
        clients.append(client)

    server = serve(shlex.split(args.gunicorn))
    try:
        for client in clients:  # warm: each worker's first requests, each session's first page
            for path in (path for _label, path in PAGES):
                warm(client, path)
        time.sleep(1)
        results = [(label, run_page(path, clients, args.seconds)) for label, path in PAGES]
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)

    print(
        f"\n== {args.clients} logged-in clients, {args.seconds:.0f} s per page, "
        f"gunicorn {args.gunicorn}, DEBUG off"
    )
    print(f"{'page':<32} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'errors':>7}")
    for label, figures in results:
        print(
            f"{label:<32} {figures['rps']:>8.1f} {figures['p50']:>8.1f} {figures['p95']:>8.1f} "
            f"{figures['p99']:>8.1f} {figures['errors']:>7}"
            + (f"  ({', '.join(figures['error_kinds'])})" if figures["errors"] else "")
        )
    ratio = results[1][1]["rps"] / results[0][1]["rps"]
    print(f"list / ping throughput: {ratio:.2f} (target ≥ 0.50 with 0 errors)")
    print(f"median latency list / ping: {results[1][1]['p50'] / results[0][1]['p50']:.2f}")


if __name__ == "__main__":
    main()
