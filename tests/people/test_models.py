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
