"""Background work of the council: mailing a meeting's notice to its members (council/notices.py), and
sealing signed minutes and their excerpts once (council/sealing.py).

Rendering a PDF takes seconds: in a worker, not in a request. Retried a few times when it fails;
`notice_send` and `minutes_seal` themselves make a retry harmless (once per calendar sequence; once per
meeting and paragraph).
"""

from procrastinate import RetryStrategy
from procrastinate.contrib.django import app

from core.pdf import worker_base_url
from council import notices, sealing


@app.task(name="council.notice_send", queue="mail", retry=RetryStrategy(max_attempts=3, wait=30))
def notice_send(*, meeting_id: int, sequence: int) -> None:
    notices.notice_send(meeting_id=meeting_id, sequence=sequence, base_url=worker_base_url())


@app.task(name="council.minutes_seal", queue="seal", retry=RetryStrategy(max_attempts=3, wait=30))
def minutes_seal(*, meeting_id: int) -> int:
    return sealing.minutes_seal(meeting_id=meeting_id, base_url=worker_base_url())
