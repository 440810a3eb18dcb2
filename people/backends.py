from django.contrib.auth.backends import ModelBackend, UserModel


class PartyAwareModelBackend(ModelBackend):
    """Loads the user's party with the user: every page shows it in the header."""

    def get_user(self, user_id):
        user = UserModel._default_manager.select_related("party").filter(pk=user_id).first()
        return user if user is not None and self.user_can_authenticate(user) else None
