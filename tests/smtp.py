"""A real SMTP server for the tests of mail (aiosmtpd): the `smtp` fixture, shared by every test that reads
what a worker delivered (tests/conftest.py makes it available)."""

import socket
import threading
import time
from email import message_from_bytes

import pytest
from aiosmtpd.controller import Controller


class Mailbox:
    """An SMTP server's handler that keeps what it accepts (and can be slow, to make workers overlap)."""

    def __init__(self, delay: float = 0.0):
        self.messages = []
        self.delay = delay
        self._lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        if self.delay:
            time.sleep(self.delay)  # blocks the server's loop: one delivery at a time, as a slow relay
        with self._lock:
            self.messages.append(message_from_bytes(envelope.content))
        return "250 OK"

    def to(self) -> list[str]:
        return sorted(m["To"] for m in self.messages)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def smtp(settings):
    """A real SMTP server on a free port; EMAIL_BACKEND pointed at it. `smtp.start()` / `smtp.stop()`
    take it up and down (down: connections are refused)."""

    class Server:
        def __init__(self):
            self.port = free_port()
            self.mailbox = Mailbox()
            self.controller = None

        def start(self):
            self.controller = Controller(self.mailbox, hostname="127.0.0.1", port=self.port)
            self.controller.start()

        def stop(self):
            if self.controller is not None:
                self.controller.stop()
                self.controller = None

    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    server = Server()
    settings.EMAIL_PORT = server.port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_TIMEOUT = 5
    server.start()
    yield server
    server.stop()
