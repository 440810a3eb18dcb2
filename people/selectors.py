from django.db.models import Count, Prefetch, Q, QuerySet

from people.models import Party, User


def party_list() -> QuerySet[Party]:
    return Party.objects.in_swedish_order().annotate(
        people_count=Count("people", filter=Q(people__is_active=True))
    )


def party_people(*, party: Party) -> QuerySet[User]:
    return (
        User.objects.in_swedish_order()
        .filter(party=party, is_active=True)
        .prefetch_related(Prefetch("groups"))
    )
