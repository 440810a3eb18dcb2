import pytest

from core.db import swedish_sort_key
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
