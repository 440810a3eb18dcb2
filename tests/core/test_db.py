import pytest

from core.db import JSONRow, swedish_sort_key
from people.models import Party


@pytest.mark.django_db
def test_parties_sort_in_swedish_order_in_the_database():
    names = list(Party.objects.in_swedish_order().values_list("name", flat=True))
    assert names[0] == "Region Värmland"
    municipalities = names[1:]
    assert municipalities[-5:] == ["Storfors", "Sunne", "Säffle", "Torsby", "Årjäng"]
    assert (
        municipalities.index("Hagfors") < municipalities.index("Hammarö") < municipalities.index("Karlstad")
    )


def test_swedish_sort_key_in_python_matches_the_alphabet():
    words = ["Örebro", "Årjäng", "Ängelholm", "Zinkgruvan", "arvika", "Östra", "Eda", "Émile"]
    assert sorted(words, key=swedish_sort_key) == [
        "arvika",
        "Eda",
        "Émile",
        "Zinkgruvan",
        "Årjäng",
        "Ängelholm",
        "Örebro",
        "Östra",
    ]


@pytest.mark.django_db
def test_the_swedish_order_holds_with_distinct_and_across_a_relation():
    # With parameters bound on the server, an ordering key with parameters in both SELECT DISTINCT and
    # ORDER BY fails ("ORDER BY expressions must appear in select list"); the keys are literals.
    from django.contrib.auth.models import Group

    from people.models import User, agreement_order
    from people.roles import Role

    ordered = list(Party.objects.in_swedish_order().values_list("name", flat=True))
    assert list(Party.objects.in_swedish_order().distinct().values_list("name", flat=True)) == ordered
    group = Group.objects.get(name=Role.INITIATOR)
    for party in Party.objects.order_by("?"):
        User.objects.create(username=f"u-{party.slug}", party=party).groups.add(group)
    by_party = User.objects.filter(groups=group).order_by(*agreement_order("party__")).distinct()
    assert [user.party.name for user in by_party.select_related("party")] == ordered


@pytest.mark.django_db
def test_json_row_reads_the_same_object_as_jsonobject():
    from django.db.models import F
    from django.db.models.functions import JSONObject

    region = Party.objects.in_swedish_order().first()
    fields = {"name": "name", "kind": "kind", "id": "id", "note": F("code")}
    rows = Party.objects.filter(pk=region.pk)
    assert (
        rows.values_list(JSONRow(**fields), flat=True).get()
        == rows.values_list(JSONObject(**fields), flat=True).get()
    )
    assert rows.values_list(JSONRow(**fields), flat=True).get()["name"] == "Region Värmland"


def test_json_row_keys_are_identifiers():
    with pytest.raises(ValueError):
        JSONRow(**{"it's": "name"})
