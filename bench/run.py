#!/usr/bin/env python3
"""Server-time benchmark: serves DGR the way production does and times its pages.

    make bench                     # or: .venv/bin/python bench/run.py [--requests 200]

What it does:
1. uses a database of its own on the embedded PostgreSQL (`dgr_bench`), migrates it and fills it with
   the bench dataset (bench/dataset.py; each app adds its part, sized as the issues ask);
2. collects static files and starts gunicorn with DJANGO_DEBUG=0 (one worker, so requests never queue
   behind each other and the figure is one request's server time);
3. logs each measuring user in (a session made as Django's test client makes one) and requests
   every page N times after a warm-up, over loopback;
4. prints median and p95 per page and the ratio to `/ping/`, a trivial logged-in view doing one query;
   the pages are requested in turn, round after round, so the ratios are measured under the same load.

Query counts per page are asserted in the test suite, not here (gunicorn hides them).
"""

import argparse
import http.client
import os
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _free_port() -> int:
    """A port nobody listens on: several checkouts may run their benches on one machine at once."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


PORT = int(os.environ.get("BENCH_PORT") or _free_port())
BENCH_ENV = {
    **os.environ,
    "DJANGO_SETTINGS_MODULE": "dgr.settings",
    "DJANGO_DEBUG": "0",
    "DJANGO_SECRET_KEY": os.environ.get("DJANGO_SECRET_KEY") or secrets.token_urlsafe(50),
    "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
    "DGR_BASE_URL": "http://127.0.0.1:8000",
    "DGR_REQUIRE_MFA": "0",  # the bench users log in with a password alone (as in `make run`)
    "DGR_EMBEDDED_DATABASE": "dgr_bench",
    "DJANGO_STATIC_ROOT": str(ROOT / "var" / "bench-static"),
    "XDG_RUNTIME_DIR": os.environ.get("XDG_RUNTIME_DIR", "/tmp"),
}
PYTHON = sys.executable


def manage(*args: str) -> None:
    subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=BENCH_ENV, check=True)


class Client:
    """A minimal HTTP client over loopback that behaves like a browser behind the TLS proxy."""

    def __init__(self):
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, body: str | None = None) -> tuple[int, bytes, float]:
        conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=60)
        headers = {
            "Host": "localhost",
            "X-Forwarded-Proto": "https",  # as the reverse proxy says; the app redirects plain HTTP
            "Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()),
            "Referer": "https://localhost/logga-in/",
        }
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        started = time.perf_counter()
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        content = response.read()
        elapsed = time.perf_counter() - started
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name] = rest.split(";", 1)[0]
        conn.close()
        return response.status, content, elapsed

    def login(self, username: str) -> None:
        """Logs in as Django's test client does (force_login): a session row for the user, its cookie
        here. The password and second-factor steps are not what is measured, and a TOTP code serves
        one login only (the bench users of finance and the secretariat have one, as production
        requires: the first page sees it and the session remembers it, as after a real login)."""
        from django.conf import settings
        from django.test import Client as DjangoClient

        from people.models import User

        django_client = DjangoClient()
        django_client.force_login(User.objects.get(username=username))
        self.cookies[settings.SESSION_COOKIE_NAME] = django_client.cookies[settings.SESSION_COOKIE_NAME].value


def django_setup() -> None:
    """Django in this process, on the bench database with the server's settings and secret key (the
    session's hash of the password is signed with it)."""
    os.environ.update(BENCH_ENV)
    import django

    django.setup()


def prepare() -> None:
    """The bench database, migrated and filled (idempotent), and the static files."""
    started = time.perf_counter()
    print("== preparing the bench database (dgr_bench) and static files")
    manage("migrate", "--no-input", "-v", "0")
    subprocess.run([PYTHON, "bench/dataset.py"], cwd=ROOT, env=BENCH_ENV, check=True)
    manage("collectstatic", "--no-input", "-v", "0")
    print(f"   prepared in {time.perf_counter() - started:.0f} s")


def serve(gunicorn_args: list[str]) -> subprocess.Popen:
    """gunicorn with DJANGO_DEBUG=0 on 127.0.0.1:PORT, once it answers."""
    server = subprocess.Popen(
        [
            PYTHON,
            "-m",
            "gunicorn",
            "dgr.wsgi",
            "-b",
            f"127.0.0.1:{PORT}",
            "--log-level",
            "warning",
            *gunicorn_args,
        ],
        cwd=ROOT,
        env=BENCH_ENV,
    )
    for _ in range(150):
        if server.poll() is not None:
            raise SystemExit(f"gunicorn exited with {server.returncode} (is port {PORT} taken?)")
        try:
            http.client.HTTPConnection("127.0.0.1", PORT, timeout=1).request("GET", "/healthz/")
            break
        except OSError:
            time.sleep(0.2)
    return server


def measure(pages: list[tuple[str, Client, str]], requests: int, warmup: int = 5) -> list[dict]:
    """Round-robin: each round requests every page once, so a slow moment of the machine (two cores
    shared with PostgreSQL and this client) falls on all pages alike and the ratios stay comparable."""
    for _label, client, path in pages:
        for _ in range(warmup):
            status, _, _ = client.request("GET", path)
            if status != 200:
                raise SystemExit(f"{path} answered HTTP {status}")
    times: list[list[float]] = [[] for _ in pages]
    for _ in range(requests):
        for index, (_label, client, path) in enumerate(pages):
            _, _, elapsed = client.request("GET", path)
            times[index].append(elapsed * 1000)
    figures = []
    for page_times in times:
        page_times.sort()
        figures.append(
            {
                "median": statistics.median(page_times),
                "p95": page_times[min(len(page_times) - 1, round(0.95 * len(page_times)) - 1)],
            }
        )
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--requests", type=int, default=200, help="timed requests per page (default 200)")
    parser.add_argument("--only", metavar="TEXT", help="measure only the pages whose label contains TEXT")
    parser.add_argument(
        "--no-setup", action="store_true", help="reuse the bench database and static files as they are"
    )
    args = parser.parse_args()

    if not args.no_setup:
        prepare()

    from bench.dataset import PAGES

    django_setup()

    server = serve(["-w", "1"])
    try:
        clients: dict[str, Client] = {}

        def client_for(username: str | None) -> Client:
            key = username or ""
            if key not in clients:
                clients[key] = Client()
                if username:
                    clients[key].login(username)
            return clients[key]

        pages = [("ping (1 query, logged in)", "bench-secretariat", "/ping/")]
        pages += [page for page in PAGES() if not args.only or args.only in page[0]]
        figures = measure([(label, client_for(user), path) for label, user, path in pages], args.requests)
        results = [(*page, page_figures) for page, page_figures in zip(pages, figures, strict=True)]
        baseline = figures[0]
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=20)

    print(f"\n== server time over loopback, {args.requests} requests per page, gunicorn 1 worker, DEBUG off")
    print(f"{'page':<44} {'user':<18} {'median ms':>10} {'p95 ms':>9} {'× ping':>8}")
    for label, username, _path, figures in results:
        ratio = figures["median"] / baseline["median"]
        median, p95 = figures["median"], figures["p95"]
        print(f"{label:<44} {username or '-':<18} {median:>10.2f} {p95:>9.2f} {ratio:>8.2f}")


if __name__ == "__main__":
    main()
