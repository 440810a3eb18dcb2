"""Administrators reach the admin from the menu, and the login-throttling admin (django-axes) is Swedish."""

import pytest
from axes.models import AccessAttempt
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_the_menu_offers_the_admin_to_administrators_only(client, administrator, initiator):
    client.force_login(administrator)
    admin_url = reverse("admin:index")
    assert f'href="{admin_url}"' in client.get(reverse("start")).content.decode()
    client.force_login(initiator)
    assert f'href="{admin_url}"' not in client.get(reverse("start")).content.decode()


def test_the_login_throttling_admin_speaks_swedish(client, administrator):
    AccessAttempt.objects.create(
        username="karlstad",
        ip_address="127.0.0.1",
        user_agent="Firefox",
        path_info="/konto/logga-in/",
        http_accept="text/html",
        get_data="",
        post_data="",
        failures_since_start=3,
    )
    client.force_login(administrator)
    index = client.get(reverse("admin:index")).content.decode()
    assert "Inloggningsspärr" in index and "Inloggningsförsök" in index
    assert "Access attempts" not in index and "Axes" not in index
    listing = client.get(reverse("admin:axes_accessattempt_changelist")).content.decode()
    for swedish in ("Tidpunkt", "IP-adress", "Användarnamn", "Misslyckade försök"):
        assert swedish in listing
    for english in ("Attempt Time", "IP Address", "Failed Logins", "Clean up expired attempts"):
        assert english not in listing
    attempt = AccessAttempt.objects.get()
    change = client.get(reverse("admin:axes_accessattempt_change", args=[attempt.pk])).content.decode()
    assert "Webbläsare" in change and "User Agent" not in change
