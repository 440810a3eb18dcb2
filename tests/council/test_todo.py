"""What waits for council representatives on the start page: minutes to sign as adjuster, and
Värmlandsrådet's coming meetings whose notice has gone out (council/todo.py)."""

import datetime

import pytest
from django.utils import timezone
from django.utils.html import strip_tags

from council import services
from tests.council.factories import MeetingFactory, proposed_initiative

pytestmark = pytest.mark.django_db


def todo_section(client, user) -> str:
    client.force_login(user)
    html = client.get("/").content.decode()
    section = html.split('id="todo-heading"', 1)[1].split("</section>", 1)[0]
    return section + "\n" + " ".join(strip_tags(section).split())  # the links, and the text as read


def test_a_representative_sees_the_coming_meeting_whose_notice_went_out(client, secretariat, representative):
    coming = MeetingFactory(created_by=secretariat, starts_at=timezone.now() + datetime.timedelta(days=10))
    assert "Inget väntar på dig just nu." in todo_section(client, representative)
    services.item_add(meeting=coming, user=secretariat, initiative=proposed_initiative(user=secretariat))
    assert "Inget väntar på dig just nu." in todo_section(client, representative)  # planned: no notice yet
    services.meeting_publish_agenda(meeting=coming, user=secretariat)
    section = todo_section(client, representative)
    assert "Kommande sammanträden med utskickad kallelse (1)" in section
    assert f'href="/sammantraden/{coming.pk}/"' in section
    assert client.get(f"/sammantraden/{coming.pk}/").status_code == 200
    # Others than Värmlandsrådet's representatives are not summoned.
    assert "Kommande sammanträden" not in todo_section(client, secretariat)


def test_adjusters_see_the_minutes_to_sign_until_they_have_signed(
    client, published_meeting, held_meeting_factory, adjusters
):
    vr_meeting = published_meeting
    held_meeting_factory()
    adjuster = adjusters[0]
    section = todo_section(client, adjuster)
    assert "Protokoll att justera (1)" in section and f'href="/sammantraden/{vr_meeting.pk}/"' in section
    assert '<span class="nav-count">1<' in client.get("/").content.decode()

    services.minutes_sign(meeting=vr_meeting, user=adjuster)
    assert "Inget väntar på dig just nu." in todo_section(client, adjuster)
    assert "Protokoll att justera (1)" in todo_section(client, adjusters[1])  # not signed yet
