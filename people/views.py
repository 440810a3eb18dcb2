from django.contrib.auth import views as auth_views
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, render

from core.navigation import entries_for
from people import selectors
from people.forms import LoginForm
from people.models import Party
from people.roles import Role


def start(request):
    """The start page: what this user's roles let them do, and where things stand."""
    user = request.user
    roles = [Role(name).label for name in sorted(user.role_names) if name in Role.values]
    return render(request, "people/start.html", {"roles": roles, "tasks": entries_for(user)})


def party_list(request):
    return render(request, "people/party_list.html", {"parties": selectors.party_list()})


def party_detail(request, slug):
    party = get_object_or_404(Party, slug=slug)
    return render(
        request, "people/party_detail.html", {"party": party, "people": selectors.party_people(party=party)}
    )


class LoginView(auth_views.LoginView):
    form_class = LoginForm
    redirect_authenticated_user = True


def ping(request):
    """A trivial logged-in view with one database query. It keeps a session alive, and it is the
    benchmark's yardstick for what every page costs before doing any work of its own."""
    return JsonResponse({"ok": True, "parties": Party.objects.count()})
