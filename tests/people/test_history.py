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


def test_createsuperuser_records_the_new_administrator_as_creating_themselves(monkeypatch):
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", "ett-langt-losenord-2026")
    call_command(
        "createsuperuser", interactive=False, username="forsta", email="forsta@example.se", verbosity=0
    )
    user = User.objects.get(username="forsta")
    assert user.is_superuser and user.check_password("ett-langt-losenord-2026")
    created = user.history.get()
    assert created.history_type == "+"
    assert created.history_user == user
    assert created.history_change_reason == "skapad med createsuperuser"


def test_the_demos_first_administrator_leaves_no_history_without_an_actor():
    from people.demo import demo_admin

    admin = demo_admin(password="demo-dgr-2026")
    rows = list(admin.history.all())
    assert rows and all(row.history_user_id == admin.pk for row in rows)
    assert rows[-1].history_change_reason == "skapad med createsuperuser"
    again = demo_admin(password="demo-dgr-2026")  # idempotent, and still with an actor
    assert again == admin
    assert not admin.history.filter(history_user__isnull=True).exists()


def test_a_role_given_in_the_admin_is_recorded_with_who_gave_it(client, administrator, initiator):
    from django.contrib.auth.models import Group

    from people.roles import Role

    client.force_login(administrator)
    url = reverse("admin:people_user_change", args=[initiator.pk])
    response = client.post(
        url,
        {
            "username": initiator.username,
            "first_name": initiator.first_name,
            "last_name": initiator.last_name,
            "email": initiator.email,
            "title": initiator.title,
            "party": initiator.party_id,
            "is_active": "on",
            "groups": [Group.objects.get(name=Role.INITIATOR).pk, Group.objects.get(name=Role.FINANCE).pk],
            "date_joined_0": "2026-01-01",
            "date_joined_1": "08:00:00",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    initiator.refresh_from_db()
    assert initiator.has_role(Role.FINANCE)
    grant = initiator.history.first()
    assert grant.history_user == administrator
    assert {g.group.name for g in grant.groups.all()} == {Role.INITIATOR, Role.FINANCE}
    before = grant.prev_record
    assert {g.group.name for g in before.groups.all()} == {Role.INITIATOR}

    # The admin's history reads as people do: the roles by their Swedish names, and who gave them.
    page = client.get(reverse("admin:people_user_history", args=[initiator.pk])).content.decode()
    assert "Ekonomi (Region Värmland)" in page and str(administrator) in page
    assert "pk=None" not in page
