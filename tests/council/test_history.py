"""The council's audit trail names every actor (issue 17, item 7): each adjuster of a meeting, who
recorded each party's adoption of the agreement."""

import datetime

import pytest
from django.urls import reverse

from council import services
from council.selectors import meeting_history

pytestmark = pytest.mark.django_db


def test_every_adjuster_appears_in_the_meetings_history_not_only_the_last(
    client, held_meeting_factory, secretariat, adjusters, auditor
):
    meeting = held_meeting_factory()
    for adjuster in adjusters:
        services.minutes_sign(meeting=meeting, user=adjuster)

    entries = meeting_history(meeting=meeting)
    # The first was chosen chair, the others adjusters: each signs, each is named with their role.
    roles = ["Ordförande"] + ["Justerare"] * (len(adjusters) - 1)
    for adjuster, role in zip(adjusters, roles, strict=True):
        mine = [e for e in entries if e.what == f"{role}: {adjuster}"]
        chosen = next(e for e in mine if e.kind == "+")
        assert chosen.who == str(secretariat) and chosen.reason == f"{role.lower()} vald"
        signed = next(e for e in mine if e.kind == "~")
        assert signed.who == str(adjuster) and signed.reason == "justerat"
        assert [c.label for c in signed.changes] == ["justerat"]

    client.force_login(auditor)
    page = client.get(reverse("council:meeting-history", args=[meeting.pk])).content.decode()
    for adjuster, role in zip(adjusters, roles, strict=True):
        assert page.count(f"{role}: {adjuster}") == 2  # chosen, then signed
    assert "minutes_signed" not in page and "Justerat" in page  # the status as a label, not its code


def test_the_agreement_page_names_who_recorded_each_adoption(client, secretariat, parties, initiator):
    services.adoption_record(
        party=parties[0], adopted_on=datetime.date(2021, 11, 1), reference="KF § 12", user=secretariat
    )
    client.force_login(initiator)
    page = client.get(reverse("council:agreement")).content.decode()
    row = page[page.index("KF § 12") :]
    assert str(secretariat) in row[: row.index("</tr>")]
