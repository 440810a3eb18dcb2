from allauth.socialaccount.models import SocialAccount
from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.db.models import Count, OuterRef, Prefetch, Q, QuerySet, Subquery

from people.models import Invitation, Party, User


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


def accounts_awaiting_approval() -> QuerySet[User]:
    """People whose first single sign-on login made an account that an administrator has to approve."""
    return User.objects.in_swedish_order().filter(awaiting_approval=True).select_related("party")


def people_invited_not_joined() -> QuerySet[User]:
    """Invited people who have not yet set a password, with their latest invitation."""
    latest = Invitation.objects.filter(person=OuterRef("pk")).order_by("-created_at")
    return (
        User.objects.in_swedish_order()
        .filter(is_active=True, password__startswith=UNUSABLE_PASSWORD_PREFIX, invitations__isnull=False)
        .distinct()
        .select_related("party")
        .annotate(
            invited_at=Subquery(latest.values("created_at")[:1]),
            invitation_expires_at=Subquery(latest.values("expires_at")[:1]),
        )
    )


def person_sso_accounts(*, person: User) -> QuerySet[SocialAccount]:
    return SocialAccount.objects.filter(user=person)


def party_choices() -> QuerySet[Party]:
    """The parties a person can be placed in, the way the agreement lists them."""
    return Party.objects.active().in_swedish_order()
