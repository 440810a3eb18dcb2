import pytest
from django.core.management import call_command
from django.urls import reverse

from people.models import Party, User
from people.services import user_deactivate

pytestmark = pytest.mark.django_db


def test_admin_edit_of_a_party_records_the_acting_administrator(client, administrator):
    client.force_login(administrator)
    kil = Party.objects.get(code="1715")
    response = client.post(
        reverse("admin:people_party_change", args=[kil.pk]),
        {"name": "Kils kommun", "kind": "municipality", "slug": "kil", "is_active": "on"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    latest = kil.history.first()
    assert latest.name == "Kils kommun"
    assert latest.history_user == administrator


def test_deactivation_leaves_history_with_who_and_why(administrator, initiator):
    user_deactivate(user=initiator, acting_user=administrator)
    initiator.refresh_from_db()
    assert not initiator.is_active
    latest = initiator.history.first()
    assert latest.history_user == administrator
    assert latest.history_change_reason == "deactivated"


def test_admin_action_deactivates_instead_of_deleting(client, administrator, initiator):
    client.force_login(administrator)
    client.post(
        reverse("admin:people_user_changelist"),
        {"action": "deactivate", "_selected_action": [initiator.pk]},
    )
    initiator.refresh_from_db()
    assert not initiator.is_active
    assert initiator.history.first().history_user == administrator


def test_demo_data_refuses_to_run_without_debug(settings):
    from django.core.management.base import CommandError

    settings.DEBUG = False
    with pytest.raises(CommandError, match="DJANGO_DEBUG=1"):
        call_command("demo_data")


def test_demo_data_is_idempotent_and_records_the_admin_as_actor(settings):
    settings.DEBUG = True
    call_command("demo_data")
    call_command("demo_data")
    assert User.objects.filter(username__startswith="vr-").count() == 17
    for username in ("admin", "vrag", "ekonomi", "revisor", "karlstad", "arvika", "vr-region", "vr-arjang"):
        assert User.objects.filter(username=username, is_active=True).exists(), username
    admin = User.objects.get(username="admin")
    vrag = User.objects.get(username="vrag")
    assert vrag.history.last().history_user == admin
    assert User.objects.get(username="vr-karlstad").party.code == "1780"
