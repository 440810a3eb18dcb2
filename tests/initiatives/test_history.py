"""An initiative's history shows a reader exactly what its pages show them, kind of record by kind of
record (issue 17, item 1), and shows it as people read it (item 7)."""

import datetime
import re
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from core.money import format_amount
from council import services as council_services
from initiatives import services
from initiatives.selectors import initiative_history
from outcomes import services as outcome_services
from tests.accounting.factories import decide, make_fund, supported_initiative
from tests.council.factories import MeetingFactory, proposed_initiative
from tests.factories import initiative_draft, initiative_submitted

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def history_page(client, user, initiative) -> str:
    client.force_login(user)
    response = client.get(reverse("initiatives:initiative-history", args=[initiative.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_another_partys_thread_never_shows_in_the_history(
    client, initiator, other_initiator, secretariat, auditor
):
    # The example: arvika writes to the secretariat about Arvika's initiative; karlstad reads
    # the initiative's history.
    arvikas = initiative_submitted(other_initiator, title="Arvikas satsning")
    services.message_post(initiative=arvikas, user=other_initiator, body="Internt: budgeten kan krympa.")

    page = history_page(client, initiator, arvikas)
    assert "Internt: budgeten kan krympa." not in page
    assert "Internt: budgeten kan krympa." not in client.get(arvikas.get_absolute_url()).content.decode()
    # …and karlstad still sees what the initiative's page shows them: its content and its status.
    assert "Arvikas satsning" in page and "Under beredning" in page
    assert not [e for e in initiative_history(initiative=arvikas, user=initiator) if e.what == "Meddelande"]

    for reader in (other_initiator, secretariat, auditor):  # those who read the thread on the page
        assert "Internt: budgeten kan krympa." in history_page(client, reader, arvikas), reader


def test_a_draft_belongs_to_its_party_until_it_is_handed_in(client, initiator, other_initiator):
    draft = initiative_draft(other_initiator, title="Arbetsnamn")
    services.initiative_update(initiative=draft, user=other_initiator, data={"title": "Slutligt namn"})
    services.initiative_submit(initiative=draft, user=other_initiator, token=draft.submission_token)

    other_party = history_page(client, initiator, draft)
    assert "Slutligt namn" in other_party and "Arbetsnamn" not in other_party
    own_party = history_page(client, other_initiator, draft)
    assert "Arbetsnamn" in own_party and "Slutligt namn" in own_party


def test_attachments_show_from_the_moment_others_could_see_them(
    client, initiator, other_initiator, secretariat
):
    draft = initiative_draft(other_initiator)
    kept = services.attachment_add(
        initiative=draft, user=other_initiator, upload=SimpleUploadedFile("plan.pdf", PDF)
    )
    dropped = services.attachment_add(
        initiative=draft, user=other_initiator, upload=SimpleUploadedFile("utkast.pdf", PDF)
    )
    services.attachment_remove(initiative=draft, user=other_initiator, attachment_id=dropped.pk)
    services.initiative_submit(initiative=draft, user=other_initiator, token=draft.submission_token)
    services.initiative_request_complement(initiative=draft, user=secretariat, message="Bifoga en tidplan.")
    services.attachment_add(
        initiative=draft, user=other_initiator, upload=SimpleUploadedFile("tidplan.pdf", PDF)
    )
    assert kept.pk

    other_party = history_page(client, initiator, draft)
    assert "Bilaga: tidplan.pdf" in other_party  # added after submission: the page listed it to them
    assert "utkast.pdf" not in other_party  # added and removed in the draft: never theirs to see
    own_party = history_page(client, other_initiator, draft)
    assert "Bilaga: tidplan.pdf" in own_party and "Bilaga: utkast.pdf" in own_party


def test_the_preparation_in_progress_is_for_those_who_read_the_thread(
    client, initiator, other_initiator, secretariat, auditor
):
    arvikas = initiative_submitted(other_initiator)
    services.preparation_save(
        initiative=arvikas, user=secretariat, checklist={}, assessment="Preliminärt: tveksam nytta."
    )
    assert "Preliminärt" not in client.get(arvikas.get_absolute_url()).content.decode()
    assert "Preliminärt" not in history_page(client, initiator, arvikas)
    for reader in (other_initiator, auditor):
        assert "Preliminärt: tveksam nytta." in history_page(client, reader, arvikas)

    services.initiative_mark_prepared(
        initiative=arvikas,
        user=secretariat,
        checklist=dict.fromkeys(services.CHECKLIST_FIELDS, True),
        assessment="Uppfyller kraven.",
        proposed_position="support",
        proposed_amount=Decimal("500000.00"),
    )
    # Done, the preparation is on the initiative's page for everyone, and so in its history: as it was
    # published, never the working notes before it.
    page = history_page(client, initiator, arvikas)
    assert "Uppfyller kraven." in page and "Tillstyrk" in page
    assert "Preliminärt" not in page


@pytest.fixture
def funded(finance, karlstad, initiator):
    fund = make_fund(finance)
    initiative = supported_initiative(party=karlstad, user=initiator, title="Cykelstråk")
    initiative.start_date = datetime.date(2026, 3, 1)
    initiative.end_date = datetime.date(2027, 12, 31)
    initiative.save()
    decide(fund=fund, initiative=initiative, user=finance, amount="1000000.00")
    initiative.refresh_from_db()
    return initiative


def _report(initiative, initiator):
    return outcome_services.outcome_report_submit(
        initiative=initiative,
        user=initiator,
        kind="progress",
        due_on=datetime.date(2027, 2, 15),
        data={
            "period_start": datetime.date(2026, 3, 1),
            "period_end": datetime.date(2026, 12, 31),
            "activities": "Två workshoppar.",
            "summary": "Stråket är projekterat.",
            "status": "on_track",
            "spent": Decimal("400000.00"),
            "co_financing_received": Decimal("0.00"),
            "overspend_explanation": "",
        },
        indicators=[{"name": "Kilometer cykelväg", "target": Decimal("20"), "actual": Decimal("4")}],
    )


def test_outcome_reports_show_to_those_who_read_outcomes_with_who_approved_them(
    client, funded, initiator, other_initiator, secretariat, auditor
):
    report = _report(funded, initiator)
    outcome_services.outcome_report_review(report=report, user=secretariat, approve=True)

    assert "Stråket är projekterat." not in history_page(client, other_initiator, funded)
    for reader in (initiator, auditor):
        assert "Stråket är projekterat." in history_page(client, reader, funded)
    approval = next(
        e
        for e in initiative_history(initiative=funded, user=auditor)
        if e.what.startswith("Utfallsrapport") and e.kind == "~"
    )
    assert approval.who == str(secretariat)
    assert {(c.label, c.new) for c in approval.changes} >= {
        ("granskning", "Godkänd"),
        ("granskad av", str(secretariat)),
    }


def test_region_varmlands_decisions_show_to_those_who_read_the_initiatives_money(
    client, funded, initiator, other_initiator, finance
):
    assert "RS 2026/1 § 7" not in history_page(client, other_initiator, funded)
    for reader in (initiator, finance):
        page = history_page(client, reader, funded)
        assert "Beslut enligt delegation: RS 2026/1 § 7" in page
        # values as people read them: a label, kronor, a name
        assert "Regionstyrelsen" in page and "board" not in page
        assert format_amount(Decimal("1000000.00")) in page
        assert str(finance) in page


def test_council_records_show_only_from_meetings_the_reader_may_see(client, initiator, secretariat):
    initiative = proposed_initiative(user=secretariat, title="Laddinfrastruktur")
    meeting = MeetingFactory(created_by=secretariat)  # planned, its agenda not published
    council_services.item_add(meeting=meeting, user=secretariat, initiative=initiative)

    assert "Ärende VR" not in history_page(client, initiator, initiative)
    assert f"Ärende {meeting}: Laddinfrastruktur" in history_page(client, secretariat, initiative)


def test_the_history_shows_local_time_labels_yes_no_and_names(client, initiator, secretariat):
    initiative = initiative_submitted(initiator)
    page = history_page(client, secretariat, initiative)
    submitted = timezone.localtime(initiative.submitted_at)
    assert f">{submitted:%Y-%m-%d %H:%M}<" in page  # the entry's time, Europe/Stockholm
    assert "+00:00" not in page and not re.search(r"\d\d:\d\d:\d\d\.\d+", page)
    rows = dict(re.findall(r"<th scope=\"row\">([^<]+)</th>\s*<td>[^<]*</td>\s*<td>([^<]*)</td>", page))
    assert rows["Initierande part"] == "Karlstad"
    assert rows["Status"] == "Under beredning"
    assert rows["Typ av satsning"] == "Projekt"
    assert rows["Utgår från Trafikförsörjningsprogrammet"] == "Nej"
    assert rows["Skapad av"] == str(initiator)
    assert rows["Inlämnad"] == f"{submitted:%Y-%m-%d %H:%M}"


def test_the_history_page_costs_the_same_few_queries_whatever_it_lists(
    client, funded, initiator, secretariat, django_assert_max_num_queries
):
    url = reverse("initiatives:initiative-history", args=[funded.pk])
    client.force_login(secretariat)
    with django_assert_max_num_queries(12) as few:
        client.get(url)
    for _ in range(3):
        report = _report(funded, initiator)
        outcome_services.outcome_report_review(report=report, user=secretariat, approve=False, comment="Mer.")
    with django_assert_max_num_queries(12) as many:
        client.get(url)
    assert len(many.captured_queries) == len(few.captured_queries)
