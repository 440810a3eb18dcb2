from allauth.account.auth_backends import AuthenticationBackend
from django.contrib.auth.backends import UserModel
from django.contrib.auth.models import Group
from django.contrib.postgres.expressions import ArraySubquery
from django.db.models import Exists, OuterRef
from django.utils import timezone

from people.models import Interest


class PartyAwareModelBackend(AuthenticationBackend):
    """Logs in by username or e-mail address (allauth's backend underneath), and loads the user with
    the party (every page shows it in the header) and the names of the user's roles (every page asks
    them what the user may do), in one query instead of two: a page's budget is 12 queries and this
    one is spent on every page. It also says whether the user has a declared interest today
    (`declares_interests_today`): most have none, and the pages that warn a reader of their own jäv then
    need not look."""

    def get_user(self, user_id):
        declared = Interest.objects.valid_on(timezone.localdate()).filter(person=OuterRef("pk"))
        user = (
            UserModel._default_manager.select_related("party")
            .annotate(
                role_list=ArraySubquery(Group.objects.filter(user=OuterRef("pk")).values("name")),
                declares_interests_today=Exists(declared),
            )
            .filter(pk=user_id)
            .first()
        )
        return user if user is not None and self.user_can_authenticate(user) else None
