import io
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from initiatives import services
from initiatives.models import Attachment, BudgetYear, CoFinancing, Initiative, Revision, Status
from tests.core.factories import docx_bytes, docx_with_entries, odf_bytes
from tests.factories import initiative_draft, initiative_in, initiative_submitted

pytestmark = pytest.mark.django_db

ROLES = [
    "initiator",
    "representative",
    "other_initiator",
    "secretariat",
    "finance",
    "auditor",
    "administrator",
]

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def upload(name, content, content_type="application/octet-stream"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content, content_type=content_type)


@pytest.fixture
def draft(initiator):
    initiative = initiative_draft(initiator)
    services.attachment_add(initiative=initiative, user=initiator, upload=upload("plan.pdf", PDF))
    return initiative


@pytest.fixture
def submitted(initiator):
    initiative = initiative_draft(initiator, title="Inlämnat")
    services.attachment_add(initiative=initiative, user=initiator, upload=upload("plan.pdf", PDF))
    return services.initiative_submit(
        initiative=initiative, user=initiator, token=initiative.submission_token
    )


DRAFT_EXPECTED = {
    # view: {role: status}; roles not named get 404 (another party's draft does not exist for them)
    "initiative-detail": {"initiator": 200, "representative": 200},
    "initiative-edit": {"initiator": 200, "representative": 403},
    "initiative-prepare": {"initiator": 403, "representative": 403},
    "initiative-history": {"initiator": 200, "representative": 200},
    "initiative-withdraw": {"initiator": 200, "representative": 403},
    "attachment-download": {"initiator": 200, "representative": 200},
}

SUBMITTED_EXPECTED = {
    "initiative-detail": dict.fromkeys(ROLES, 200),
    "initiative-edit": dict.fromkeys(ROLES, 403),
    "initiative-prepare": {**dict.fromkeys(ROLES, 403), "secretariat": 200},
    "initiative-history": dict.fromkeys(ROLES, 200),
    "revision-compare": dict.fromkeys(ROLES, 200),
    "initiative-withdraw": {**dict.fromkeys(ROLES, 403), "initiator": 200},
    "attachment-download": dict.fromkeys(ROLES, 200),
}


def _url(view, initiative):
    if view == "attachment-download":
        attachment = initiative.attachments.get()
        return reverse(f"initiatives:{view}", args=[initiative.pk, attachment.pk])
    return reverse(f"initiatives:{view}", args=[initiative.pk])


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("view", list(DRAFT_EXPECTED))
def test_who_may_open_a_draft(client, request, role, view, draft):
    client.force_login(request.getfixturevalue(role))
    response = client.get(_url(view, draft))
    assert response.status_code == DRAFT_EXPECTED[view].get(role, 404)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("view", list(SUBMITTED_EXPECTED))
def test_who_may_open_a_submitted_initiative(client, request, role, view, submitted):
    client.force_login(request.getfixturevalue(role))
    response = client.get(_url(view, submitted))
    assert response.status_code == SUBMITTED_EXPECTED[view][role]


@pytest.mark.parametrize(
    ("role", "list_status", "queue_status", "create_status"),
    [
        ("initiator", 200, 403, 200),
        ("representative", 200, 403, 403),
        ("other_initiator", 200, 403, 200),
        ("secretariat", 200, 200, 403),
        ("finance", 200, 403, 403),
        ("auditor", 200, 403, 403),
        ("administrator", 200, 403, 403),
    ],
)
def test_lists_and_the_new_form_by_role(client, request, role, list_status, queue_status, create_status):
    client.force_login(request.getfixturevalue(role))
    assert client.get(reverse("initiatives:initiative-list")).status_code == list_status
    assert client.get(reverse("initiatives:initiative-queue")).status_code == queue_status
    assert client.get(reverse("initiatives:initiative-create")).status_code == create_status


@pytest.mark.parametrize("role", ["other_initiator", "secretariat", "finance", "auditor", "representative"])
def test_posting_to_another_partys_initiative_changes_nothing(client, request, role, submitted, initiator):
    services.initiative_request_complement(
        initiative=submitted, user=request.getfixturevalue("secretariat"), message="Mer."
    )
    client.force_login(request.getfixturevalue(role))
    before = BudgetYear.objects.count()
    response = client.post(
        reverse("initiatives:budget-year-add", args=[submitted.pk]),
        {"budget-year": "2027", "budget-total_cost": "10", "budget-requested_amount": "5"},
    )
    assert response.status_code == 403
    response = client.post(
        reverse("initiatives:initiative-submit", args=[submitted.pk]), {"token": submitted.submission_token}
    )
    assert response.status_code == 403
    assert BudgetYear.objects.count() == before
    assert Initiative.objects.get(pk=submitted.pk).status == Status.COMPLEMENT_REQUESTED


def test_the_whole_form_saves_a_draft_with_alignment_and_co_parties(client, initiator, arvika):
    from initiatives.models import ActionArea

    area = ActionArea.objects.get(name="Höja kompetensen")
    client.force_login(initiator)
    response = client.post(
        reverse("initiatives:initiative-create"),
        {
            "title": "Yrkesutbildning i hela länet",
            "summary": "Kort.",
            "kind": "operation",
            "co_parties": [arvika.pk],
            f"area_{area.pk}": "on",
            f"area_{area.pk}_motivation": "Höjer kompetensen.",
            "start_date": "2027-01-01",
            "end_date": "2028-12-31",
        },
    )
    initiative = Initiative.objects.get(title="Yrkesutbildning i hela länet")
    assert response.status_code == 302
    assert initiative.status == Status.DRAFT and initiative.party == initiator.party
    assert list(initiative.co_parties.all()) == [arvika]
    assert initiative.alignments.get().motivation == "Höjer kompetensen."
    page = client.get(initiative.get_absolute_url()).content.decode()
    assert "Arvika" in page and "Höja kompetensen" in page


def test_end_before_start_is_refused_next_to_the_field(client, initiator, draft):
    client.force_login(initiator)
    response = client.post(
        reverse("initiatives:initiative-edit", args=[draft.pk]),
        {"title": "Ändrad titel", "start_date": "2028-01-01", "end_date": "2027-01-01"},
    )
    assert response.status_code == 400
    assert "Slutdatum kan inte vara före startdatum." in response.content.decode()
    assert Initiative.objects.get(pk=draft.pk).title == "Cykelstråk mellan kommunerna"


def test_an_alignment_without_motivation_is_refused(client, initiator, draft):
    from initiatives.models import ActionArea

    area = ActionArea.objects.get(name="Stärka konkurrenskraften")
    client.force_login(initiator)
    response = client.post(
        reverse("initiatives:initiative-edit", args=[draft.pk]),
        {"title": "X", f"area_{area.pk}": "on", f"area_{area.pk}_motivation": ""},
    )
    assert response.status_code == 400
    assert "Motivera kopplingen till insatsområdet." in response.content.decode()


def _add_budget(client, initiative, year, total, requested):
    return client.post(
        reverse("initiatives:budget-year-add", args=[initiative.pk]),
        {"budget-year": year, "budget-total_cost": total, "budget-requested_amount": requested},
    )


def test_swedish_amounts_are_accepted(client, initiator):
    initiative = initiative_draft(initiator)
    initiative.budget_years.get(year=2028).delete()
    client.force_login(initiator)
    response = _add_budget(client, initiative, "2028", "1 250 000,50", "625\u00a0000")
    assert response.status_code == 302
    row = BudgetYear.objects.get(initiative=initiative, year=2028)
    assert row.total_cost == Decimal("1250000.50")
    assert row.requested_amount == Decimal("625000.00")


@pytest.mark.parametrize(
    ("year", "total", "requested", "field_message"),
    [
        ("2028", "-100", "50", "Beloppet måste vara större än noll."),
        ("2028", "0", "0", "Beloppet måste vara större än noll."),
        ("2028", "100,005", "50", "Ett belopp kan ha högst två decimaler (öre)."),
        ("2028", "100", "200", "Det sökta beloppet kan inte vara större än den totala kostnaden."),
        ("2031", "100", "50", "Året måste ligga inom perioden 2027–2028."),
        ("2028", "tusen", "50", "Skriv beloppet med siffror"),
    ],
)
def test_bad_budget_input_is_refused_in_swedish_next_to_the_field(
    client, initiator, year, total, requested, field_message
):
    initiative = initiative_draft(initiator)
    initiative.budget_years.get(year=2028).delete()
    client.force_login(initiator)
    before = list(BudgetYear.objects.values_list("pk", "total_cost"))
    response = _add_budget(client, initiative, year, total, requested)
    assert response.status_code == 400
    html = response.content.decode()
    assert field_message in html
    assert 'class="field field--error"' in html
    assert list(BudgetYear.objects.values_list("pk", "total_cost")) == before


def test_co_financing_is_totalled_without_a_planned_leverage(client, initiator):
    initiative = initiative_draft(initiator)
    client.force_login(initiator)
    for year, source, amount in (("2027", "state", "200 000"), ("2028", "eu", "200 000,00")):
        response = client.post(
            reverse("initiatives:co-financing-add", args=[initiative.pk]),
            {
                "cofin-year": year,
                "cofin-source": source,
                "cofin-funder": "Tillväxtverket",
                "cofin-state": "applied",
                "cofin-amount": amount,
            },
        )
        assert response.status_code == 302
    page = client.get(initiative.get_absolute_url()).content.decode()
    assert "400\u00a0000,00\u00a0kr" in page  # co-financing in all
    assert "800\u00a0000,00\u00a0kr" in page  # requested in all
    # Leverage has one definition, money actually paid in per krona net from the fund (the money panel):
    # planned co-financing per krona applied for is not it.
    assert "Hävstång" not in page
    response = client.post(
        reverse("initiatives:co-financing-add", args=[initiative.pk]),
        {
            "cofin-year": "2026",
            "cofin-source": "eu",
            "cofin-funder": "EU",
            "cofin-state": "planned",
            "cofin-amount": "1",
        },
    )
    assert response.status_code == 400
    assert CoFinancing.objects.filter(initiative=initiative).count() == 2


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("plan.pdf", b"just text pretending to be a pdf", "Filen tas inte emot som PDF"),
        ("plan.docx", docx_with_entries(2)[:-30], "Filen tas inte emot som Word"),
        ("plan.docx", odf_bytes("text"), "Filen tas inte emot som Word"),
        ("plan.exe", b"MZ\x90\x00" + b"\x00" * 200, "Filtypen är inte tillåten"),
        ("tom.pdf", b"", "filen är tom"),
    ],
)
def test_wrong_files_are_refused(client, initiator, name, content, message):
    initiative = initiative_draft(initiator)
    client.force_login(initiator)
    response = client.post(
        reverse("initiatives:attachment-add", args=[initiative.pk]), {"file": upload(name, content)}
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Attachment.objects.exists()


def test_too_large_files_are_refused(client, initiator, monkeypatch):
    monkeypatch.setattr("core.uploads.MAX_SIZE", 1000)
    initiative = initiative_draft(initiator)
    client.force_login(initiator)
    response = client.post(
        reverse("initiatives:attachment-add", args=[initiative.pk]),
        {"file": upload("stor.pdf", PDF + b"0" * 2000)},
    )
    assert response.status_code == 400
    assert "Filen är för stor" in response.content.decode()
    assert not Attachment.objects.exists()


def test_office_files_are_stored_under_a_generated_name_and_downloaded_as_sent(client, initiator):
    initiative = initiative_draft(initiator)
    client.force_login(initiator)
    response = client.post(
        reverse("initiatives:attachment-add", args=[initiative.pk]),
        {"file": upload("../../Budget 2027.docx", docx_bytes())},
    )
    assert response.status_code == 302
    attachment = Attachment.objects.get()
    assert "Budget" not in attachment.file.name and ".." not in attachment.file.name
    assert attachment.content_type.endswith("wordprocessingml.document")
    download = client.get(reverse("initiatives:attachment-download", args=[initiative.pk, attachment.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == docx_bytes()
    assert "Budget 2027.docx" in download["Content-Disposition"]


def test_double_submission_creates_nothing_twice(client, initiator):
    initiative = initiative_draft(initiator)
    client.force_login(initiator)
    url = reverse("initiatives:initiative-submit", args=[initiative.pk])
    first = client.post(url, {"token": initiative.submission_token})
    second = client.post(url, {"token": initiative.submission_token})
    assert first.status_code == second.status_code == 302
    initiative.refresh_from_db()
    assert initiative.registration_serial == 1
    assert Revision.objects.filter(initiative=initiative).count() == 1
    page = client.get(initiative.get_absolute_url()).content.decode()
    assert initiative.registration_number in page


def test_an_incomplete_draft_says_what_is_missing(client, initiator):
    initiative = initiative_draft(initiator, complete=False)
    client.force_login(initiator)
    page = client.get(initiative.get_absolute_url()).content.decode()
    assert "Beskriv satsningen." in page
    assert "Lämna in initiativet" not in page


def test_the_list_filters_and_searches_in_swedish(client, secretariat, initiator, other_initiator):
    initiative_submitted(initiator, title="Cykelvägar mellan Karlstad och Hammarö")
    initiative_submitted(other_initiator, title="Kompetens inom vården")
    initiative_draft(other_initiator, title="Hemligt utkast om cyklar")
    client.force_login(secretariat)
    page = client.get(reverse("initiatives:initiative-list"), {"q": "cykelväg"}).content.decode()
    assert "Cykelvägar mellan Karlstad" in page
    assert "Kompetens inom vården" not in page
    assert "Hemligt utkast" not in page
    page = client.get(reverse("initiatives:initiative-list"), {"party": "arvika"}).content.decode()
    assert "Kompetens inom vården" in page and "Cykelvägar" not in page
    page = client.get(reverse("initiatives:initiative-list"), {"status": "draft"}).content.decode()
    assert "Hemligt utkast" not in page


def test_the_list_filters_by_action_area_and_year(client, secretariat, initiator):
    from initiatives.models import ActionArea

    initiative_submitted(initiator, title="Platsinitiativ")
    other = ActionArea.objects.get(name="Höja kompetensen")
    client.force_login(secretariat)
    year = Initiative.objects.get().registration_year
    page = client.get(reverse("initiatives:initiative-list"), {"area": other.pk}).content.decode()
    assert "Platsinitiativ" not in page
    page = client.get(reverse("initiatives:initiative-list"), {"year": year}).content.decode()
    assert "Platsinitiativ" in page
    page = client.get(reverse("initiatives:initiative-list"), {"year": year + 1}).content.decode()
    assert "Platsinitiativ" not in page


def test_the_list_is_paginated(client, secretariat, initiator):
    from initiatives.views import PAGE_SIZE

    for n in range(PAGE_SIZE + 2):
        initiative_submitted(initiator, title=f"Nummer {n}")
    client.force_login(secretariat)
    first = client.get(reverse("initiatives:initiative-list")).content.decode()
    assert "Sida 1 av 2" in first
    second = client.get(reverse("initiatives:initiative-list"), {"sida": 2}).content.decode()
    assert second.count('<td class="nowrap">DGR ') == 2


def test_exports_follow_the_current_list_and_visibility(client, other_initiator, initiator, secretariat):
    initiative_submitted(initiator, title="Cykelstråk")
    initiative_in(Status.PREPARED, initiator, secretariat, title="Berett initiativ")
    initiative_draft(initiator, title="Karlstads utkast")
    client.force_login(other_initiator)
    csv_text = client.get(reverse("initiatives:initiative-export-csv")).content.decode("utf-8-sig")
    lines = csv_text.strip().splitlines()
    assert lines[0].startswith("Diarienummer;Titel;Part;Status")
    assert len(lines) == 3
    assert "Karlstads utkast" not in csv_text
    assert "800 000,00" in csv_text
    csv_text = client.get(
        reverse("initiatives:initiative-export-csv"), {"status": "prepared"}
    ).content.decode("utf-8-sig")
    assert "Berett initiativ" in csv_text and "Cykelstråk" not in csv_text
    response = client.get(reverse("initiatives:initiative-export-xlsx"), {"status": "prepared"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("Diarienummer", "Titel", "Part")
    assert len(rows) == 2
    assert rows[1][1] == "Berett initiativ"
    assert rows[1][9] == 800000  # requested from the fund, a number Excel can sum


def test_the_complement_loop_in_the_browser_pages(client, initiator, secretariat):
    initiative = initiative_submitted(initiator)
    client.force_login(secretariat)
    url = reverse("initiatives:initiative-prepare", args=[initiative.pk])
    response = client.post(url, {"action": "complement", "message": ""})
    assert response.status_code == 400
    response = client.post(url, {"action": "complement", "message": "Tidplan saknas."})
    assert response.status_code == 302
    client.force_login(initiator)
    page = client.get(initiative.get_absolute_url()).content.decode()
    assert "Sekretariatet har begärt komplettering" in page and "Tidplan saknas." in page
    client.post(
        reverse("initiatives:initiative-edit", args=[initiative.pk]),
        {
            "title": initiative.title,
            "summary": "Ny sammanfattning med tidplan.",
            "description": "Tidplan: 2027 bygg, 2028 skyltning.",
            "kind": "project",
            "contact_name": "Karin Lund",
            "whole_varmland_motivation": "Hela länet.",
            "transport_plan": "on",
            "transport_plan_motivation": "Målbild 2040.",
            "start_date": "2027-01-01",
            "end_date": "2028-12-31",
        },
    )
    initiative.refresh_from_db()
    client.post(
        reverse("initiatives:initiative-submit", args=[initiative.pk]), {"token": initiative.submission_token}
    )
    initiative.refresh_from_db()
    assert initiative.status == Status.SUBMITTED
    compare = client.get(reverse("initiatives:revision-compare", args=[initiative.pk])).content.decode()
    assert "Version 1 jämförd med version 2" in compare
    assert "Tidplan: 2027 bygg" in compare
    client.force_login(secretariat)
    response = client.post(
        url,
        {
            "action": "prepared",
            **{f"prep-{name}": "on" for name in services.CHECKLIST_FIELDS},
            "prep-assessment": "Uppfyller kraven.",
            "prep-proposed_position": "support",
            "prep-proposed_amount": "750 000",
        },
    )
    assert response.status_code == 302
    initiative.refresh_from_db()
    assert initiative.status == Status.PREPARED
    assert initiative.preparation.proposed_amount == Decimal("750000.00")


def test_mark_prepared_with_an_incomplete_checklist_says_so(client, initiator, secretariat):
    initiative = initiative_submitted(initiator)
    client.force_login(secretariat)
    response = client.post(
        reverse("initiatives:initiative-prepare", args=[initiative.pk]),
        {"action": "prepared", "prep-assessment": "Ok", "prep-proposed_position": "not_support"},
    )
    assert response.status_code == 400
    assert "Gå igenom hela kontrollistan" in response.content.decode()
    assert Initiative.objects.get(pk=initiative.pk).status == Status.SUBMITTED


def test_the_thread_is_between_the_party_and_the_secretariat(client, initiator, other_initiator, secretariat):
    initiative = initiative_submitted(initiator)
    services.message_post(initiative=initiative, user=secretariat, body="Hemlig fråga om budgeten.")
    client.force_login(other_initiator)
    assert "Hemlig fråga" not in client.get(initiative.get_absolute_url()).content.decode()
    assert (
        client.post(reverse("initiatives:message-post", args=[initiative.pk]), {"body": "x"}).status_code
        == 403
    )
    client.force_login(initiator)
    assert "Hemlig fråga" in client.get(initiative.get_absolute_url()).content.decode()
    response = client.post(reverse("initiatives:message-post", args=[initiative.pk]), {"body": "Svar."})
    assert response.status_code == 302
    assert initiative.messages.count() == 2


def test_the_history_page_shows_field_by_field_who_and_when(client, initiator, secretariat):
    initiative = initiative_submitted(initiator)
    services.initiative_request_complement(initiative=initiative, user=secretariat, message="Mer.")
    client.force_login(initiator)
    page = client.get(reverse("initiatives:initiative-history", args=[initiative.pk])).content.decode()
    assert str(secretariat) in page and str(initiator) in page
    assert "Komplettering begärd" in page and "Under beredning" in page
    assert "Inlämnat" in page and "complement requested" not in page  # reasons in Swedish


def test_the_history_shows_co_party_changes_with_a_fixed_number_of_queries(
    client, initiator, secretariat, django_assert_max_num_queries
):
    from people.models import Party

    initiative = initiative_draft(initiator)
    eda, arvika, torsby = (Party.objects.get(slug=slug) for slug in ("eda", "arvika", "torsby"))
    url = reverse("initiatives:initiative-history", args=[initiative.pk])
    client.force_login(secretariat)

    def edit(co_parties):
        services.initiative_update(initiative=initiative, user=initiator, data={}, co_parties=co_parties)

    edit([eda, torsby])
    services.initiative_submit(initiative=initiative, user=initiator, token=initiative.submission_token)
    with django_assert_max_num_queries(12) as few:
        page = client.get(url).content.decode()
    assert "Eda, Torsby" in page
    services.initiative_request_complement(initiative=initiative, user=secretariat, message="Fler parter?")
    for co_parties in ([arvika, eda], [arvika, eda, torsby], [torsby]):
        edit(co_parties)
    with django_assert_max_num_queries(12) as many:
        page = client.get(url).content.decode()
    assert len(many.captured_queries) == len(few.captured_queries)
    rows = re.findall(r"<th scope=\"row\">Medverkande parter</th>\s*<td>(.*?)</td>\s*<td>(.*?)</td>", page)
    # Newest first, before and after in Swedish order. Replacing Torsby by Arvika is two recorded steps
    # (the removal, then the addition), as the audit trail keeps them.
    assert rows == [
        ("Arvika, Eda, Torsby", "Torsby"),
        ("Arvika, Eda", "Arvika, Eda, Torsby"),
        ("Eda", "Arvika, Eda"),
        ("Eda, Torsby", "Eda"),
        ("–", "Eda, Torsby"),
    ]


def _many(initiator, secretariat, n):
    for i in range(n):
        initiative_submitted(initiator, title=f"Initiativ {i}")


@pytest.mark.parametrize("role", ["initiator", "secretariat"])
def test_list_page_queries_do_not_grow_with_data(
    client, request, role, initiator, secretariat, django_assert_max_num_queries
):
    user = request.getfixturevalue(role)
    client.force_login(user)
    _many(initiator, secretariat, 2)
    with django_assert_max_num_queries(12) as small:
        client.get(reverse("initiatives:initiative-list"), {"q": "initiativ"})
    _many(initiator, secretariat, 12)
    with django_assert_max_num_queries(12) as large:
        client.get(reverse("initiatives:initiative-list"), {"q": "initiativ"})
    assert len(large.captured_queries) == len(small.captured_queries)


@pytest.mark.parametrize("role", ["initiator", "secretariat", "auditor"])
def test_detail_page_queries_do_not_grow_with_data(
    client, request, role, initiator, secretariat, django_assert_max_num_queries
):
    initiative = initiative_in(Status.SUBMITTED, initiator, secretariat)
    client.force_login(request.getfixturevalue(role))
    with django_assert_max_num_queries(12) as small:
        client.get(initiative.get_absolute_url())
    services.initiative_request_complement(initiative=initiative, user=secretariat, message="Mer.")
    for year in (2027, 2028):
        for funder in ("A", "B", "C"):
            services.co_financing_add(
                initiative=initiative,
                user=initiator,
                year=year,
                source="eu",
                funder=funder,
                state="planned",
                amount=Decimal("10.00"),
            )
    for n in range(3):
        services.attachment_add(initiative=initiative, user=initiator, upload=upload(f"b{n}.pdf", PDF))
        services.message_post(initiative=initiative, user=initiator, body=f"Meddelande {n}")
    services.initiative_submit(initiative=initiative, user=initiator, token=initiative.submission_token)
    with django_assert_max_num_queries(12) as large:
        client.get(initiative.get_absolute_url())
    assert len(large.captured_queries) == len(small.captured_queries)


def test_the_start_page_shows_each_role_its_initiatives(client, initiator, secretariat, other_initiator):
    initiative_submitted(initiator, title="Karlstads eget initiativ")
    client.force_login(secretariat)
    page = client.get(reverse("start")).content.decode()
    assert "Initiativ att bereda" in page and "Karlstads eget initiativ" in page  # the to-do list
    client.force_login(initiator)
    page = client.get(reverse("start")).content.decode()
    assert "Din parts pågående initiativ" in page and "Karlstads eget initiativ" in page
    client.force_login(other_initiator)
    assert "Karlstads eget initiativ" not in client.get(reverse("start")).content.decode()


def test_reopening_goes_through_a_button_for_the_secretariat_only(client, initiator, secretariat):
    prepared = initiative_in(Status.PREPARED, initiator, secretariat)
    url = reverse("initiatives:initiative-reopen", args=[prepared.pk])
    client.force_login(initiator)
    assert "Återuppta beredningen" not in client.get(prepared.get_absolute_url()).content.decode()
    assert client.post(url).status_code == 403
    client.force_login(secretariat)
    assert "Återuppta beredningen" in client.get(prepared.get_absolute_url()).content.decode()
    assert client.post(url).status_code == 302
    assert Initiative.objects.get(pk=prepared.pk).status == Status.SUBMITTED


def test_dates_are_iso_only(client, initiator, draft):
    client.force_login(initiator)
    response = client.post(
        reverse("initiatives:initiative-edit", args=[draft.pk]),
        {"title": "X", "start_date": "5/3/2027", "end_date": "2028-12-31"},
    )
    assert response.status_code == 400
    assert "Skriv datumet som år-månad-dag" in response.content.decode()
    assert Initiative.objects.get(pk=draft.pk).start_date.isoformat() == "2027-01-01"


def test_exports_never_turn_a_title_into_a_formula(client, initiator):
    initiative_submitted(initiator, title='=HYPERLINK("http://example.invalid","klicka")')
    client.force_login(initiator)
    csv_text = client.get(reverse("initiatives:initiative-export-csv")).content.decode("utf-8-sig")
    assert ";\"'=HYPERLINK" in csv_text
    response = client.get(reverse("initiatives:initiative-export-xlsx"))
    cell = load_workbook(io.BytesIO(response.content)).active["B2"]
    assert cell.data_type == "s" and cell.value.startswith("'=")
