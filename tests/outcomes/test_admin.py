"""The admin shows outcome reports read-only: they are handed in and reviewed only through the services."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_the_admin_lists_outcome_reports_but_adds_and_changes_none(client, administrator):
    client.force_login(administrator)
    assert client.get(reverse("admin:outcomes_outcomereport_changelist")).status_code == 200
    assert client.get(reverse("admin:outcomes_outcomereport_add")).status_code == 403
