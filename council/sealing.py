"""The sealed copies of signed minutes and of their excerpts (issue 14): made once, by the worker, when the
minutes are locked; handed out as they are.

A download is a read and changes nothing (a GET changes nothing): the seal carries its own time, so a copy
sealed per download would differ from every other and need a row of its own. Instead `minutes_sign`
queues `council.minutes_seal` in the transaction that locks the minutes (the last signature), and the
worker renders the minutes and each item's paragraph as an excerpt, seals each (core/seal.py) and stores
it as a council.SealedCopy, one per meeting and paragraph (a second run finds them made and does nothing).
From then on the download is that file, byte for byte, for everyone, and the public check page names it.

Until the job has run (seconds after the last signature), the download is rendered as before, unsealed,
with a line saying that the sealed copy is being prepared; nothing is stored. Without a certificate the
job stores the unsealed PDF (`sealed` false; core.seal logs it), as core.seal's docstring explains.
"""

import hashlib
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone

from core.language import in_swedish
from core.pdf import render_pdf
from core.seal import seal_pdf
from council import selectors
from council.models import Meeting, SealedCopy

MINUTES_TEMPLATE = "council/pdf/minutes.html"
EXCERPT_TEMPLATE = "council/pdf/excerpt.html"
ONE_COPY = {"council_sealedcopy_one_minutes", "council_sealedcopy_one_excerpt"}


def meeting_date(meeting: Meeting) -> str:
    return f"{timezone.localtime(meeting.starts_at):%Y-%m-%d}"


def sealed_copy_title(*, meeting: Meeting, paragraph: int | None) -> str:
    """What the check page calls the copy: "Justerat protokoll, Värmlandsrådet 2026-03-12" or
    "Protokollsutdrag § 4, …"."""
    what = "Justerat protokoll" if paragraph is None else f"Protokollsutdrag § {paragraph}"
    return f"{what}, {meeting.body.name} {meeting_date(meeting)}"[:200]


def minutes_context(meeting: Meeting) -> dict:
    page = selectors.meeting_page(meeting=meeting)  # its opening paragraphs read with the others
    return {"page": page, "meeting": meeting, "opening": page.opening}


# --- Reads -------------------------------------------------------------------------------------------


def sealed_copy_content(*, meeting: Meeting, paragraph: int | None) -> bytes | None:
    """The stored sealed copy's bytes, or None while the worker has not made it (one query)."""
    content = (
        SealedCopy.objects.filter(meeting=meeting, paragraph=paragraph)
        .values_list("content", flat=True)
        .first()
    )
    return bytes(content) if content is not None else None


# --- Writes ------------------------------------------------------------------------------------------


def minutes_seal_queue(*, meeting: Meeting) -> None:
    """Queue the sealing job in the caller's transaction (the one that locks the minutes): a signature
    that rolls back queues nothing."""
    from council.tasks import minutes_seal

    minutes_seal.defer(meeting_id=meeting.pk)


@dataclass(frozen=True)
class _Document:
    paragraph: int | None
    template: str
    context: dict


def _documents(meeting: Meeting) -> list[_Document]:
    """The minutes and the excerpt of each item's paragraph (the opening paragraphs, chair and adjusters,
    have no excerpt of their own: as on the meeting's page)."""
    context = minutes_context(meeting)
    page = context["page"]
    # The excerpt is certified by the meeting's secretary; by DGR's seal when none is named (there is
    # nobody downloading it whose name a copy for everyone could carry).
    certified_by = meeting.secretary or "Region Värmland (elektronisk stämpel)"
    documents = [_Document(None, MINUTES_TEMPLATE, context)]
    documents += [
        _Document(
            view.paragraph.number,
            EXCERPT_TEMPLATE,
            {"page": page, "meeting": meeting, "view": view, "certified_by": certified_by},
        )
        for view in page.items
        if view.paragraph
    ]
    return documents


def minutes_seal(*, meeting_id: int, base_url: str) -> int:
    """The worker's part: render, seal and store each copy of the locked minutes not made yet; returns
    how many it made. Rendered outside any transaction (seconds per PDF; the minutes no longer change),
    each stored in a transaction of its own, so a job stopped half-way is completed by its retry."""
    meeting = Meeting.objects.select_related("body").get(pk=meeting_id)
    if not meeting.is_locked:  # queued only by the last signature; never seal minutes that may change
        return 0
    made = set(meeting.sealed_copies.values_list("paragraph", flat=True))
    count = 0
    for document in _documents(meeting):
        if document.paragraph in made:
            continue
        title = sealed_copy_title(meeting=meeting, paragraph=document.paragraph)
        with in_swedish():
            html = render_to_string(
                document.template, {**document.context, "generated_at": timezone.localtime()}
            )
            pdf = render_pdf(html, base_url=base_url)
        sealed = seal_pdf(pdf, reason=title)
        try:
            with transaction.atomic():
                SealedCopy.objects.create(
                    meeting=meeting,
                    paragraph=document.paragraph,
                    content=sealed,
                    sha256=hashlib.sha256(sealed).hexdigest(),
                    title=title,
                    sealed=sealed != pdf,
                )
        except IntegrityError as error:
            if _constraint(error) not in ONE_COPY:
                raise
            continue  # another worker stored it first: its copy is the one
        count += 1
    return count


def _constraint(error: IntegrityError) -> str:
    return getattr(getattr(error.__cause__, "diag", None), "constraint_name", "") or ""
