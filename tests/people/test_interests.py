"""Declared interests (jäv): each person's own, declared and ended on their page, kept with history."""

import pytest
from django.urls import reverse

from people.models import Interest

pytestmark = pytest.mark.django_db


def test_a_person_declares_and_ends_an_interest_of_their_own(client, initiator):
    client.force_login(initiator)
    url = reverse("people:interest-list")
    missing = client.post(
        url, {"kind": "assignment", "organisation": "", "role": "", "valid_from": "2026-01-01"}
    )
    assert "Ange organisationen" in missing.content.decode() and not Interest.objects.exists()
    client.post(
        url,
        {
            "kind": "assignment",
            "organisation": "Värmlandstrafik AB",
            "role": "Ledamot",
            "valid_from": "2026-01-01",
        },
    )
    interest = Interest.objects.get(person=initiator)
    end = reverse("people:interest-end", args=[interest.pk])
    client.post(end, {"valid_to": "2025-12-31"})  # before it began: refused, nothing changes
    interest.refresh_from_db()
    assert interest.valid_to is None
    client.post(end, {"valid_to": "2026-06-30"})
    interest.refresh_from_db()
    assert str(interest.valid_to) == "2026-06-30"
    assert [h.history_user for h in interest.history.order_by("history_id")] == [initiator, initiator]
    page = client.get(url).content.decode()
    assert "Värmlandstrafik AB" in page and "2026-06-30" in page


def test_nobody_ends_another_persons_interest(client, initiator, other_initiator):
    client.force_login(initiator)
    client.post(
        reverse("people:interest-list"),
        {"kind": "employment", "organisation": "Karlstads kommun", "role": "", "valid_from": "2026-01-01"},
    )
    interest = Interest.objects.get()
    client.force_login(other_initiator)
    response = client.post(reverse("people:interest-end", args=[interest.pk]), {"valid_to": "2026-02-01"})
    assert response.status_code == 404
    interest.refresh_from_db()
    assert interest.valid_to is None
