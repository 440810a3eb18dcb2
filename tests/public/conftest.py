"""A world with something of every kind: what must be public, and, with unique marker texts, what must
never be (drafts, a thread, preparation notes, unsigned minutes, contact details, documents)."""

import datetime
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

# Texts that must never appear on a public page, in the API, a CSV file, the feed or the sitemap.
MARKERS = {
    "draft": "UTKASTMARKÖR-7f3a",
    "draft_contact": "utkast.kontakt.9b1c@example.se",
    "thread": "TRÅDMARKÖR-2d8e",
    "preparation": "BEREDNINGSMARKÖR-5c4f",
    "unsigned_minutes": "OJUSTERATMARKÖR-1a6b",
    "contact_email": "kontakt.4e2d@karlstad.se",
    "contact_phone": "070-555 01 99",
    "contact_name": "Kontaktperson Hemligsson",
    "adjuster_email": "justerare.8c3b@example.se",
    "document": "DOKUMENTMARKÖR-6d1e",
    "unapproved_outcome": "OGRANSKATMARKÖR-3f9a",
}


@pytest.fixture(autouse=True)
def _empty_cache():
    """The public pages are cached: every test starts from an empty cache (and leaves one)."""
    cache.clear()
    yield
    cache.clear()


def hold_minutes(meeting, *, secretariat, chair, adjuster):
    from council import minutes, services

    minutes.meeting_open(meeting=meeting, chair=chair, adjusters=[adjuster], user=secretariat)
    services.meeting_hold(meeting=meeting, user=secretariat)


def sign_minutes(meeting, *, secretariat, chair, adjuster):
    from council import services

    hold_minutes(meeting, secretariat=secretariat, chair=chair, adjuster=adjuster)
    services.minutes_sign(meeting=meeting, user=chair)
    return services.minutes_sign(meeting=meeting, user=adjuster)


@pytest.fixture
def public_world(settings, tmp_path, karlstad, arvika, initiator, other_initiator, secretariat, finance):
    from council import services as council_services
    from council.models import Paragraph
    from initiatives import services as initiative_services
    from initiatives.models import Initiative, Message
    from outcomes import services as outcome_services
    from outcomes.selectors import outcome_schedule
    from people.models import Party
    from people.roles import Role
    from reports.services import report_issue
    from tests.council.factories import seat
    from tests.factories import UserFactory, initiative_draft, initiative_submitted
    from tests.reports.factories import worked_year

    settings.MEDIA_ROOT = tmp_path
    # First: the ledger factories number their initiatives above the real series.
    submitted = initiative_submitted(initiator, title="Gemensam kollektivtrafikapp")
    fund = worked_year(
        finance=finance,
        karlstad=karlstad,
        arvika=arvika,
        initiator=initiator,
        other_initiator=other_initiator,
    )
    cycle = Initiative.objects.get(party=karlstad, title__startswith="Cykelstråk")
    bus = Initiative.objects.get(party=arvika, title="Pendelbussar")
    # The public initiative holds contact details, which stay inside DGR.
    cycle.contact_name = MARKERS["contact_name"]
    cycle.contact_email = MARKERS["contact_email"]
    cycle.contact_phone = MARKERS["contact_phone"]
    cycle.summary = "Ett sammanhängande cykelnät."
    cycle.start_date, cycle.end_date = datetime.date(2026, 3, 1), datetime.date(2027, 12, 31)
    cycle.save()
    cycle.co_parties.add(arvika)
    Message.objects.create(initiative=cycle, author=initiator, body=MARKERS["thread"])
    adjuster = seat(
        UserFactory(
            first_name="Jenny",
            last_name="Justerare",
            email=MARKERS["adjuster_email"],
            party=Party.objects.get(slug="hammaro"),
            roles=[Role.COUNCIL_REPRESENTATIVE],
        ),
        "varmlandsradet",
    )
    chair = seat(
        UserFactory(
            first_name="Olle",
            last_name="Ordförande",
            party=Party.objects.get(slug="torsby"),
            roles=[Role.COUNCIL_REPRESENTATIVE],
        ),
        "varmlandsradet",
    )
    cycle_item = cycle.agenda_items.get()
    council_services.document_add(
        item=cycle_item,
        title=MARKERS["document"],
        file=SimpleUploadedFile("underlag.pdf", PDF),
        user=secretariat,
    )
    signed = sign_minutes(cycle_item.meeting, secretariat=secretariat, chair=chair, adjuster=adjuster)
    # The bus initiative's minutes are held but not signed: their text is not yet public.
    bus_meeting = bus.agenda_items.get().meeting
    hold_minutes(bus_meeting, secretariat=secretariat, chair=chair, adjuster=adjuster)
    council_services.paragraph_edit(
        paragraph=Paragraph.objects.get(meeting=bus_meeting, item__isnull=False),
        text=f"Protokollstext {MARKERS['unsigned_minutes']}",
        user=secretariat,
    )
    # A draft with contact details and an attachment; a submitted initiative with preparation notes.
    draft = initiative_draft(
        initiator, title=f"Laddstationer {MARKERS['draft']}", contact_email=MARKERS["draft_contact"]
    )
    initiative_services.attachment_add(
        initiative=draft, user=initiator, upload=SimpleUploadedFile("plan.pdf", PDF)
    )
    initiative_services.preparation_save(
        initiative=submitted, user=secretariat, checklist={}, assessment=MARKERS["preparation"]
    )
    # Outcome reports: one approved (public summary), one waiting for review (not public).
    due, next_due = outcome_schedule(cycle)[:2]

    def data(due):
        return {
            "period_start": due.period_start,
            "period_end": due.period_end,
            "activities": "Förstudie.",
            "status": "on_track",
            "spent": Decimal("400000.00"),
            "co_financing_received": Decimal("0.00"),
            "overspend_explanation": "",
        }

    approved = outcome_services.outcome_report_submit(
        initiative=cycle,
        user=initiator,
        kind=due.kind,
        due_on=due.due_on,
        data={**data(due), "summary": "Stråket är projekterat."},
        indicators=[{"name": "Möten", "target": Decimal("10"), "actual": Decimal("7")}],
        uploads=[],
    )
    outcome_services.outcome_report_review(report=approved, user=secretariat, approve=True)
    outcome_services.outcome_report_submit(
        initiative=cycle,
        user=initiator,
        kind=next_due.kind,
        due_on=next_due.due_on,
        data={**data(next_due), "summary": MARKERS["unapproved_outcome"]},
        indicators=[{"name": "Möten", "target": Decimal("10"), "actual": Decimal("8")}],
        uploads=[],
    )
    archived = report_issue(
        kind="balance", fund=fund, year=2026, is_final=True, render=lambda: PDF, user=finance
    )
    paragraph = Paragraph.objects.get(meeting=signed, item__isnull=False)
    return {
        "fund": fund,
        "cycle": cycle,
        "bus": bus,
        "draft": draft,
        "submitted": submitted,
        "signed": signed,
        "unsigned": bus_meeting,
        "paragraph": paragraph,
        "archived": archived,
        "adjuster": adjuster,
        "chair": chair,
    }
