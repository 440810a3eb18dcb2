from django.db import transaction

from people.models import User


@transaction.atomic
def user_deactivate(*, user: User, acting_user: User) -> User:
    """Deactivate a person: they can no longer log in, but stay named in the history."""
    user = User.objects.select_for_update().get(pk=user.pk)
    if not user.is_active:
        return user
    user.is_active = False
    user._history_user = acting_user
    user._change_reason = "deactivated"
    user.save(update_fields=["is_active"])
    return user
