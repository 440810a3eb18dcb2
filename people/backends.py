from django.contrib.auth.backends import ModelBackend


class PartyAwareModelBackend(ModelBackend):
    """Loads the user's party with the user: every page shows it in the header."""

    def get_user(self, user_id):
        user = self.user_model_class()._default_manager.select_related("party").filter(pk=user_id).first()
        return user if user is not None and self.user_can_authenticate(user) else None

    def user_model_class(self):
        from django.contrib.auth import get_user_model

        return get_user_model()
