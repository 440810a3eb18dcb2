import shutil
import subprocess
from decimal import Decimal

import pytest
from django.urls import reverse

from council import services
from council.models import MeetingStatus, Stance, StanceKind
from council.selectors import initiative_panel_context
from people.models import Party
from tests.council.conftest import all_present, everyone, hold
from tests.council.factories import MeetingFactory, proposed_initiative
from tests.factories import UserFactory

AMOUNT = Decimal("1250000.00")


def text_of(pdf: bytes, tmp_path) -> str:
    path = tmp_path / "x.pdf"
    path.write_bytes(pdf)
    return subprocess.run(  # noqa: S603 - poppler on a file we wrote
        [shutil.which("pdftotext"), str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


@pytest.fixture
def signed(published_meeting, secretariat, parties, adjusters):
    first, second = published_meeting.items.order_by("order")
    services.item_decide(
        item=first,
        user=secretariat,
        stances=everyone(parties),
        supported_amount=AMOUNT,
        statement="Rådet står bakom laddinfrastrukturen.",
    )
    services.item_decide(
        item=second,
        user=secretariat,
        stances=everyone(parties, arvika=(StanceKind.OBJECTS, "Gynnar inte hela länet.")),
        resolution="back_to_preparation",
    )
    hold(published_meeting, secretariat, adjusters)
    for adjuster in adjusters:
        services.minutes_sign(meeting=published_meeting, user=adjuster)
    published_meeting.refresh_from_db()
    return published_meeting


def test_everyone_logged_in_reads_signed_minutes(client, signed, initiator):
    client.force_login(initiator)
    response = client.get(reverse("council:meeting-detail", args=[signed.pk]))
    assert response.status_code == 200
    assert "Gynnar inte hela länet." in response.text
    assert "Hantera sammanträdet" not in response.text


def test_a_planned_meeting_is_hidden_from_initiators_but_shown_to_representatives(
    client, vr_meeting, initiator, representative, auditor
):
    url = reverse("council:meeting-detail", args=[vr_meeting.pk])
    client.force_login(initiator)
    assert client.get(url).status_code == 404
    for reader in (representative, auditor):
        client.force_login(reader)
        assert client.get(url).status_code == 200


@pytest.mark.parametrize("role", ["initiator", "representative", "auditor", "finance"])
def test_only_the_secretariat_reaches_the_meeting_management_page(client, published_meeting, role, request):
    client.force_login(request.getfixturevalue(role))
    assert client.get(reverse("council:meeting-manage", args=[published_meeting.pk])).status_code in (
        403,
        404,
    )
    assert client.get(reverse("council:meeting-create")).status_code == 403


def test_the_secretariat_manages(client, published_meeting, secretariat):
    client.force_login(secretariat)
    assert client.get(reverse("council:meeting-manage", args=[published_meeting.pk])).status_code == 200


def test_an_objection_without_a_reason_is_shown_next_to_the_field_and_nothing_is_saved(
    client, published_meeting, secretariat, parties
):
    item = published_meeting.items.order_by("order").first()
    client.force_login(secretariat)
    data = {
        "action": "decide",
        "st-TOTAL_FORMS": "17",
        "st-INITIAL_FORMS": "17",
        "dec-supported_amount": "1 000 000",
    }
    for index, party in enumerate(parties):
        data[f"st-{index}-kind"] = StanceKind.OBJECTS if party.slug == "arvika" else StanceKind.SUPPORTS
        data[f"st-{index}-reason"] = ""
    response = client.post(reverse("council:item-record", args=[published_meeting.pk, item.pk]), data)
    assert response.status_code == 200
    assert "En part som motsätter sig måste ange skälet." in response.text
    assert not Stance.objects.exists()


def test_stances_entered_on_one_form_compute_the_outcome(client, published_meeting, secretariat, parties):
    item = published_meeting.items.order_by("order").first()
    client.force_login(secretariat)
    data = {
        "action": "decide",
        "st-TOTAL_FORMS": "17",
        "st-INITIAL_FORMS": "17",
        "dec-supported_amount": "1 000 000,00",
    }
    for index, _party in enumerate(parties):
        data[f"st-{index}-kind"] = StanceKind.SUPPORTS
    response = client.post(reverse("council:item-record", args=[published_meeting.pk, item.pk]), data)
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.outcome == "consensus"
    assert item.position.supported_amount == Decimal("1000000.00")


def test_signing_by_someone_not_an_adjuster_is_forbidden(
    client, published_meeting, secretariat, parties, adjusters, representative
):
    for item in published_meeting.items.all():
        services.item_decide(item=item, user=secretariat, stances=everyone(parties), supported_amount=AMOUNT)
    hold(published_meeting, secretariat, adjusters)
    client.force_login(representative)
    assert client.post(reverse("council:minutes-sign", args=[published_meeting.pk])).status_code == 403
    client.force_login(adjusters[0])
    assert client.post(reverse("council:minutes-sign", args=[published_meeting.pk])).status_code == 302
    published_meeting.refresh_from_db()
    assert published_meeting.status == MeetingStatus.HELD


def test_the_minutes_and_the_excerpt_contain_the_paragraph_text(client, signed, initiator, tmp_path):
    client.force_login(initiator)
    minutes = client.get(reverse("council:meeting-minutes-pdf", args=[signed.pk]))
    assert minutes["Content-Type"] == "application/pdf"
    text = text_of(minutes.content, tmp_path)
    assert "§ 1" in text and "Rådet står bakom laddinfrastrukturen." in text
    assert "Gynnar inte hela länet." in text
    # § 1 and § 2 are the choice of chair and adjusters; the items follow.
    assert "Val av ordförande" in text and "Val av justerare" in text
    excerpt = client.get(reverse("council:paragraph-excerpt-pdf", args=[signed.pk, 4]))
    text = text_of(excerpt.content, tmp_path)
    assert "Protokollsutdrag" in text and "Rätt utdraget intygar" in text
    assert "§ 4" in text and "blockerat av Arvika" in text
    assert "Rådet står bakom laddinfrastrukturen." not in text


def test_the_agenda_pdf_lists_the_items(client, published_meeting, representative, tmp_path):
    client.force_login(representative)
    response = client.get(reverse("council:meeting-agenda-pdf", args=[published_meeting.pk]))
    text = text_of(response.content, tmp_path)
    assert "Kallelse och föredragningslista" in text
    assert "Laddinfrastruktur i Värmland" in text


def test_the_initiative_panel_shows_meetings_stances_and_outcome(signed, initiator):
    item = signed.items.order_by("order").first()
    context = initiative_panel_context(item.initiative, initiator)
    assert [i.pk for i in context["council_items"]] == [item.pk]
    lines = context["council_items"][0].stance_lines
    assert len(lines) == 17
    assert [line.party_name for line in lines] == [p.name for p in Party.objects.in_swedish_order()]
    assert initiative_panel_context(item.initiative, UserFactory(is_active=False)) is None


def test_the_meeting_page_needs_a_fixed_number_of_queries(
    client, secretariat, parties, adjusters, django_assert_max_num_queries
):
    def meeting_with(items: int):
        meeting = MeetingFactory(created_by=secretariat)
        for n in range(items):
            services.item_add(
                meeting=meeting,
                user=secretariat,
                initiative=proposed_initiative(user=secretariat, title=f"I{items}-{n}"),
            )
        services.meeting_publish_agenda(meeting=meeting, user=secretariat)
        all_present(meeting, secretariat, parties)
        for item in meeting.items.all():
            services.item_decide(
                item=item, user=secretariat, stances=everyone(parties), supported_amount=AMOUNT
            )
        return meeting

    for size in (1, 6):
        meeting = meeting_with(size)
        client.force_login(secretariat)
        with django_assert_max_num_queries(12):
            assert client.get(reverse("council:meeting-detail", args=[meeting.pk])).status_code == 200
        with django_assert_max_num_queries(12):
            assert client.get(reverse("council:meeting-list")).status_code == 200
        # Held, with a chair and an adjuster to sign: the page asks nothing more of the database for the
        # signing button (it reads the signers once), also when a signer reads it.
        services.recusal_record(
            item=meeting.items.first(), person=adjusters[1], ground="Styrelseledamot", user=secretariat
        )
        hold(meeting, secretariat, adjusters)
        for reader in (secretariat, adjusters[0]):
            client.force_login(reader)
            with django_assert_max_num_queries(12):
                response = client.get(reverse("council:meeting-detail", args=[meeting.pk]))
            assert response.status_code == 200
            signs = 'action="{}"'.format(reverse("council:minutes-sign", args=[meeting.pk]))
            assert (signs in response.text) == (reader == adjusters[0])


def test_the_agreement_is_in_force_once_all_17_have_adopted(client, secretariat, parties, initiator):
    import datetime

    from council.selectors import agreement_status

    for party in parties[:-1]:
        services.adoption_record(
            party=party, adopted_on=datetime.date(2021, 11, 1), reference="KF § 1", user=secretariat
        )
    assert not agreement_status(today=datetime.date(2022, 6, 1)).in_force
    client.force_login(secretariat)
    response = client.post(
        reverse("council:agreement"),
        {
            "action": "adopt",
            "adopt-party": parties[-1].pk,
            "adopt-adopted_on": "2021-12-13",
            "adopt-reference": "KF 2021-12-13 § 99",
        },
    )
    assert response.status_code == 302
    status = agreement_status(today=datetime.date(2022, 6, 1))
    assert status.in_force and status.in_force_from == datetime.date(2022, 1, 1)
    services.agreement_end(
        ended_on=datetime.date(2030, 12, 31), reason="fund_consumed", note="", user=secretariat
    )
    assert agreement_status(today=datetime.date(2031, 1, 1)).ended
    client.force_login(initiator)
    assert client.post(reverse("council:agreement"), {"action": "end"}).status_code == 403
    assert "I kraft" in client.get(reverse("council:agreement")).text  # ends only in 2030


def test_the_auditor_reads_every_stance_in_the_meetings_history(client, signed, auditor, initiator):
    url = reverse("council:meeting-history", args=[signed.pk])
    client.force_login(auditor)
    response = client.get(url)
    assert response.status_code == 200
    assert "<td>Motsätter sig</td>" in response.text and "<td>Gynnar inte hela länet.</td>" in response.text
    assert response.text.count("<td>Står bakom</td>") == 33  # 16 + 17 supports, each recorded once
    client.force_login(initiator)
    assert client.get(url).status_code == 403


def test_a_stance_for_an_absent_party_is_refused_next_to_its_field(client, vr_meeting, secretariat, parties):
    services.item_add(meeting=vr_meeting, user=secretariat, initiative=proposed_initiative(user=secretariat))
    services.meeting_publish_agenda(meeting=vr_meeting, user=secretariat)
    all_present(vr_meeting, secretariat, parties, absent={"eda"})
    item = vr_meeting.items.get()
    client.force_login(secretariat)
    url = reverse("council:item-record", args=[vr_meeting.pk, item.pk])
    page = client.get(url).text
    assert page.count("<tr>") == 18  # header + all 17 parties
    data = {
        "action": "decide",
        "st-TOTAL_FORMS": "17",
        "st-INITIAL_FORMS": "17",
        "dec-supported_amount": "1000",
    }
    for index, _party in enumerate(parties):
        data[f"st-{index}-kind"] = StanceKind.SUPPORTS
    response = client.post(url, data)
    assert response.status_code == 200
    assert "Eda är inte närvarande och kan inte ta ställning." in response.text
    assert not Stance.objects.exists()


@pytest.mark.parametrize("items", [1, 5])
def test_the_secretariats_pages_need_a_fixed_number_of_queries(
    client, secretariat, parties, items, django_assert_max_num_queries
):
    meeting = MeetingFactory(created_by=secretariat)
    for n in range(items):
        services.item_add(
            meeting=meeting, user=secretariat, initiative=proposed_initiative(user=secretariat, title=f"S{n}")
        )
    proposed_initiative(user=secretariat, title="Väntar på en föredragningslista")
    services.meeting_publish_agenda(meeting=meeting, user=secretariat)
    all_present(meeting, secretariat, parties)
    client.force_login(secretariat)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("council:meeting-manage", args=[meeting.pk])).status_code == 200
    item = meeting.items.first()
    with django_assert_max_num_queries(12):
        assert client.get(reverse("council:item-record", args=[meeting.pk, item.pk])).status_code == 200


def test_the_council_panel_is_registered_for_the_initiative_page(signed, initiator):
    from django.template import engines

    from core.panels import panels_for

    initiative = signed.items.order_by("order").first().initiative
    assert [template for template, _context in panels_for("initiative-detail", initiative, initiator)] == [
        "council/initiative_panel.html"
    ]
    html = (
        engines["django"]
        .from_string('{% panels "initiative-detail" initiative %}')
        .render({"initiative": initiative, "request": type("R", (), {"user": initiator})()})
    )
    assert "Sammanträden och ställningstaganden" in html
    assert "1 250 000,00" in html.replace("\xa0", " ")


def test_the_meeting_page_lists_each_partys_stance_absence_and_escaped_reason(
    client, vr_meeting, secretariat, parties, initiator
):
    services.item_add(meeting=vr_meeting, user=secretariat, initiative=proposed_initiative(user=secretariat))
    services.meeting_publish_agenda(meeting=vr_meeting, user=secretariat)
    all_present(vr_meeting, secretariat, parties, absent={"eda"})
    item = vr_meeting.items.get()
    reason = "Gynnar <b>inte</b> hela länet & saknar medfinansiering."
    services.item_decide(
        item=item,
        user=secretariat,
        stances={
            p: (StanceKind.OBJECTS, reason) if p.slug == "arvika" else (StanceKind.SUPPORTS, "")
            for p in parties
            if p.slug != "eda"
        },
        not_decidable_confirmed=True,  # 16 of 17: the secretariat records it as not decidable
    )
    client.force_login(secretariat)
    page = client.get(reverse("council:meeting-detail", args=[vr_meeting.pk])).text
    table = page[page.index("Parternas ställningstaganden") :]
    rows = table.split("<tr>")[2:19]  # after the caption's header row: 17 parties
    names = [p.name for p in Party.objects.in_swedish_order()]
    assert [row.split('<th scope="row">')[1].split("</th>")[0] for row in rows] == names
    by_party = dict(zip(names, rows, strict=True))
    assert "<td>Motsätter sig</td>" in by_party["Arvika"]
    assert "Gynnar &lt;b&gt;inte&lt;/b&gt; hela länet &amp; saknar medfinansiering." in by_party["Arvika"]
    assert "<td>Frånvarande</td><td></td>" in by_party["Eda"]
    assert "<td>Står bakom</td><td></td>" in by_party["Karlstad"]
    assert "<b>inte</b>" not in page
    client.cookies["django_language"] = "en"
    english = client.get(reverse("council:meeting-detail", args=[vr_meeting.pk])).text
    assert "<td>Absent</td>" in english and "<td>Objects</td>" in english


def test_a_meeting_with_a_deferred_item_and_a_correction_stays_within_the_query_budget(
    client, signed, secretariat, django_assert_max_num_queries
):
    later = MeetingFactory(starts_at=signed.starts_at.replace(month=9), created_by=secretariat)
    earlier = MeetingFactory(starts_at=signed.starts_at.replace(month=4), created_by=secretariat)
    deferred = services.item_add(
        meeting=earlier, user=secretariat, initiative=proposed_initiative(user=secretariat, title="Bordlagd")
    )
    services.item_defer(item=deferred, user=secretariat, to_meeting=later, reason="Mer underlag behövs.")
    services.item_add(
        meeting=later, user=secretariat, title="Rättelse av § 1", corrects=signed.paragraphs.get(number=1)
    )
    client.force_login(secretariat)
    with django_assert_max_num_queries(12):
        page = client.get(reverse("council:meeting-detail", args=[later.pk])).text
    assert f"<dd>{earlier}</dd>" in page  # deferred from, named with its body and date
    assert f"§ 1 ({signed.starts_at.year})" in page  # what the correction corrects


def test_attendance_for_a_meeting_still_ahead_is_refused_on_the_page_and_nothing_is_saved(
    client, secretariat, parties
):
    import datetime

    from django.utils import timezone

    meeting = MeetingFactory(starts_at=timezone.now() + datetime.timedelta(days=2), created_by=secretariat)
    services.item_add(meeting=meeting, user=secretariat, initiative=proposed_initiative(user=secretariat))
    services.meeting_publish_agenda(meeting=meeting, user=secretariat)
    client.force_login(secretariat)
    data = {"action": "attendance", "att-TOTAL_FORMS": "17", "att-INITIAL_FORMS": "17"}
    for index, party in enumerate(parties):
        data[f"att-{index}-present"] = "on"
        data[f"att-{index}-represented_by"] = f"Ledamot {party.name}"
    response = client.post(reverse("council:meeting-manage", args=[meeting.pk]), data)
    assert response.status_code == 200
    day = timezone.localdate(meeting.starts_at).isoformat()
    assert f"Sammanträdet hålls {day}. Närvaro, ställningstaganden och utfall registreras" in response.text
    assert not meeting.attendance.exists()
