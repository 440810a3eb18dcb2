#!/usr/bin/env python3
"""Mail throughput of one worker: N mails queued, one `manage.py procrastinate worker` process delivering
them to a local SMTP server (aiosmtpd) over loopback.

    .venv/bin/python bench/mail.py [N]          # default 500; database dgr_bench_mail (embedded PostgreSQL)

Prints the time to queue them (one transaction, as a service does) and the worker's delivery rate, from
its start (Django set-up included, reported apart) until the last mail is marked sent.
"""

import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dgr.settings")
os.environ.setdefault("DJANGO_DEBUG", "1")
os.environ.setdefault("DGR_EMBEDDED_DATABASE", "dgr_bench_mail")
os.environ.setdefault("XDG_RUNTIME_DIR", "/tmp")


class Counter:
    def __init__(self):
        self.count = 0

    async def handle_DATA(self, server, session, envelope):
        self.count += 1
        return "250 OK"


def main() -> None:
    import socket

    import django
    from aiosmtpd.controller import Controller

    n = int(sys.argv[1]) if len(sys.argv) > 1 else 500
    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction

    from core.mail import mail_queue
    from core.models import OutgoingMail

    call_command("migrate", verbosity=0)
    with connection.cursor() as cursor:  # the bench database only: start from an empty queue
        cursor.execute("TRUNCATE core_outgoingmail, core_historicaloutgoingmail, procrastinate_jobs CASCADE")

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    counter = Counter()
    smtp = Controller(counter, hostname="127.0.0.1", port=port)
    smtp.start()

    started = time.perf_counter()
    with transaction.atomic():
        mail_queue(
            subject="Bench",
            body="Ett meddelande från DGR.\n\nhttps://dgr.example.se/initiativ/1/\n",
            recipients=[f"person{i:05}@example.se" for i in range(n)],
        )
    queued = time.perf_counter() - started

    env = {
        **os.environ,
        "DJANGO_EMAIL_HOST": "127.0.0.1",
        "DJANGO_EMAIL_PORT": str(port),
        "DJANGO_EMAIL_USE_TLS": "0",
    }
    worker_started = time.perf_counter()
    worker = subprocess.Popen(
        [sys.executable, "manage.py", "procrastinate", "worker", "--one-shot", "--no-listen-notify"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
    )
    first_sent = None
    while worker.poll() is None:
        if first_sent is None and counter.count:
            first_sent = time.perf_counter()
        time.sleep(0.01)
    finished = time.perf_counter()
    smtp.stop()
    sent = OutgoingMail.objects.filter(status="sent").count()
    delivering = finished - (first_sent or worker_started)
    print(f"\n== mail throughput of one worker ({n} mails, local SMTP over loopback)")
    print(f"queue {n} mails in one transaction     {queued * 1000:8.0f} ms")
    print(f"worker start until first delivery     {((first_sent or finished) - worker_started):8.2f} s")
    print(f"first to last delivery                {delivering:8.2f} s")
    print(f"throughput                            {sent / delivering:8.1f} mails/s")
    print(f"sent / accepted by SMTP / queued      {sent} / {counter.count} / {n}")


if __name__ == "__main__":
    main()
