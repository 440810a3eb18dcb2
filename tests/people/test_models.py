import pytest
from django.db import IntegrityError, connection, transaction
from django.db.models import ProtectedError

from people.models import Party, User
from tests.factories import UserFactory


@pytest.mark.django_db
def test_the_seventeen_parties_are_loaded_with_official_codes():
    assert Party.objects.count() == 17
    assert Party.objects.filter(kind=Party.Kind.MUNICIPALITY).count() == 16
    assert Party.objects.get(code="1780").name == "Karlstad"
    assert Party.objects.get(code="1765").name == "Årjäng"
    assert Party.objects.get(kind=Party.Kind.REGION).name == "Region Värmland"


@pytest.mark.django_db
def test_a_party_is_never_deleted_by_the_model():
    with pytest.raises(ProtectedError):
        Party.objects.get(code="1715").delete()
    assert Party.objects.filter(code="1715").exists()


@pytest.mark.django_db
def test_the_database_refuses_to_delete_a_party_or_a_person(karlstad):
    person = UserFactory(party=karlstad)
    for table, pk in (("people_party", karlstad.pk), ("people_user", person.pk)):
        with (
            pytest.raises(IntegrityError, match="never deleted"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(f"DELETE FROM {table} WHERE id = %s", [pk])  # noqa: S608
    assert User.objects.filter(pk=person.pk).exists()


@pytest.mark.django_db
def test_people_sort_in_swedish_order(karlstad):
    for last in ["Öberg", "Andersson", "Åberg", "Zetterlund", "Ängström", "berg"]:
        UserFactory(last_name=last, first_name="A", party=karlstad)
    ordered = [u.last_name for u in User.objects.in_swedish_order().filter(party=karlstad)]
    assert ordered == ["Andersson", "berg", "Zetterlund", "Åberg", "Ängström", "Öberg"]


def test_the_login_backend_reads_the_users_party_and_roles_in_one_query(
    django_assert_num_queries, initiator, secretariat
):
    from django.contrib.auth.models import Group

    from people.backends import PartyAwareModelBackend
    from people.roles import Role

    backend = PartyAwareModelBackend()
    secretariat.groups.add(Group.objects.get(name=Role.FINANCE))
    with django_assert_num_queries(1):
        user = backend.get_user(secretariat.pk)
        assert user.party.name and user.role_names == {Role.SECRETARIAT, Role.FINANCE}
        assert user.has_role(Role.FINANCE) and not user.has_role(Role.ADMINISTRATOR)
    secretariat.groups.clear()
    with django_assert_num_queries(1):
        assert backend.get_user(secretariat.pk).role_names == frozenset()  # no roles: an empty set
    initiator.is_active = False
    initiator.save()
    assert backend.get_user(initiator.pk) is None
