from allauth.account import views as allauth_views
from allauth.mfa.adapter import get_adapter as get_mfa_adapter
from allauth.mfa.models import Authenticator
from allauth.mfa.webauthn.views import remove_webauthn
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from core import notifications
from core import selectors as core_selectors
from core.forms import NotificationSettingsForm, apply_service_error
from core.navigation import entries_for
from core.services import notification_settings_save
from core.todo import todo_list
from people import permissions, selectors, services
from people.accounts import LAST_SECOND_FACTOR, requires_two_factor
from people.forms import InterestEndForm, InterestForm, InviteForm, PartyAndRolesForm, SetPasswordForm
from people.models import Interest, Party, User
from people.roles import Role


def start(request):
    """The start page: what waits for this person (the to-do list of their roles), what their roles let
    them do, and where things stand."""
    user = request.user
    roles = [Role(name).label for name in sorted(user.role_names) if name in Role.values]
    return render(
        request,
        "people/start.html",
        {"roles": roles, "tasks": entries_for(user), "todo": todo_list(user)},
    )


def party_list(request):
    return render(request, "people/party_list.html", {"parties": selectors.party_list()})


def party_detail(request, slug):
    party = get_object_or_404(Party, slug=slug)
    return render(
        request, "people/party_detail.html", {"party": party, "people": selectors.party_people(party=party)}
    )


def security_key_remove(request, pk):
    """allauth's removal of a security key, refusing a person's last second factor when their role
    requires one (allauth itself asks the adapter only when an authenticator app is turned off)."""
    key = get_object_or_404(Authenticator, pk=pk, user=request.user, type=Authenticator.Type.WEBAUTHN)
    if request.method == "POST" and not get_mfa_adapter().can_delete_authenticator(key):
        messages.error(request, LAST_SECOND_FACTOR)
        return redirect("mfa_list_webauthn")
    return remove_webauthn(request, pk=pk)


# allauth's login: password (username or e-mail), then the second factor when the person has one.
LoginView = allauth_views.LoginView


def ping(request):
    """A trivial logged-in view with one database query. It keeps a session alive, and it is the
    benchmark's yardstick for what every page costs before doing any work of its own."""
    return JsonResponse({"ok": True, "parties": Party.objects.count()})


def my_account(request):
    """Everyone's account page: password, second factor, single sign-on."""
    user = request.user
    return render(
        request,
        "people/my_account.html",
        {
            "two_factor": get_mfa_adapter().is_mfa_enabled(user),
            "two_factor_required": requires_two_factor(user),
            "sso_accounts": selectors.person_sso_accounts(person=user),
            "has_password": user.has_usable_password(),
        },
    )


def notification_settings(request):
    """Everyone's own choice, per kind of event DGR mails about: at once, in the daily digest, or none."""
    user = request.user
    kinds = notifications.kinds_for(user)
    form = NotificationSettingsForm(
        request.POST if request.method == "POST" else None,
        kinds=kinds,
        current=core_selectors.notification_settings_of(user),
    )
    if request.method == "POST" and form.is_valid():
        try:
            changed = notification_settings_save(user=user, choices=form.cleaned_data)
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            if changed:
                messages.success(request, _("Dina val för e-post är sparade."))
            else:
                messages.info(request, _("Inget ändrades."))
            return redirect("people:notification-settings")
    labels = {kind.key: kind.label for kind in kinds}
    history = [
        {"row": row, "label": labels.get(row.event, row.event)}
        for row in core_selectors.notification_settings_history(user)
    ]
    return render(
        request,
        "people/notification_settings.html",
        {"form": form, "history": history},
        status=400 if form.errors else 200,
    )


def _require_account_manager(request) -> None:
    if not permissions.can_manage_accounts(request.user):
        raise PermissionDenied


def account_list(request):
    """Administrators: accounts waiting for approval and invitations not yet used."""
    _require_account_manager(request)
    return _account_list_page(request)


def _account_list_page(request, bound: PartyAndRolesForm | None = None, parties=None):
    parties = parties if parties is not None else list(selectors.party_choices())
    waiting = []
    for person in selectors.accounts_awaiting_approval():
        form = bound if bound is not None and bound.prefix == f"p{person.pk}" else None
        if form is None:
            form = PartyAndRolesForm(
                prefix=f"p{person.pk}", initial={"party": person.party_id}, parties=parties
            )
        waiting.append((person, form))
    return render(
        request,
        "people/account_list.html",
        {"waiting": waiting, "invited": selectors.people_invited_not_joined()},
        status=200 if bound is None else 400,
    )


def person_invite(request):
    _require_account_manager(request)
    form = InviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            invitation = services.person_invite(
                acting_user=request.user,
                first_name=data["first_name"],
                last_name=data["last_name"],
                email=data["email"],
                title=data["title"],
                party=data["party"],
                roles=data["roles"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Inbjudan är skickad till %(email)s.") % {"email": invitation.email})
            return redirect("people:account-list")
    status = 400 if request.method == "POST" else 200  # a form with errors
    return render(request, "people/person_invite.html", {"form": form}, status=status)


@require_POST
def person_approve(request, pk):
    _require_account_manager(request)
    person = get_object_or_404(User, pk=pk, awaiting_approval=True)
    parties = list(selectors.party_choices())
    form = PartyAndRolesForm(request.POST, prefix=f"p{person.pk}", parties=parties)
    if form.is_valid():
        try:
            services.person_approve(
                acting_user=request.user,
                person=person,
                party=form.cleaned_data["party"],
                roles=form.cleaned_data["roles"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("%(name)s kan nu logga in.") % {"name": person})
            return redirect("people:account-list")
    return _account_list_page(request, bound=form, parties=parties)


@require_POST
def invitation_resend(request, pk):
    _require_account_manager(request)
    person = get_object_or_404(User, pk=pk)
    try:
        invitation = services.invitation_resend(acting_user=request.user, person=person)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, _("En ny inbjudan är skickad till %(email)s.") % {"email": invitation.email}
        )
    return redirect("people:account-list")


@login_not_required
def invitation_accept(request, token):
    """The invited person's one-time link: choose a password. A GET only shows the form."""
    invitation = services.invitation_for_token(token)
    problem = services.invitation_problem(invitation)
    if problem:
        return render(request, "people/invitation_accept.html", {"problem": problem}, status=410)
    form = SetPasswordForm(request.POST or None, user=invitation.person)
    if request.method == "POST" and form.is_valid():
        try:
            services.invitation_accept(token=token, password=form.cleaned_data["password1"])
        except ValidationError as error:
            return render(
                request, "people/invitation_accept.html", {"problem": " ".join(error.messages)}, status=410
            )
        messages.success(
            request, _("Lösenordet är sparat. Logga in med din e-postadress och ditt nya lösenord.")
        )
        return redirect("login")
    return render(
        request,
        "people/invitation_accept.html",
        {"form": form, "invitation": invitation},
        status=400 if request.method == "POST" else 200,  # a form with errors
    )


# --- declared interests (jäv) --------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def interest_list(request):
    """Everyone's own declared interests (jäv): declare one, end one, see the earlier ones."""
    form = InterestForm(request.POST or None, initial={"valid_from": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.interest_declare(person=request.user, user=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_service_error(form, error)
        else:
            messages.success(request, _("Intresset är anmält."))
            return redirect("people:interest-list")
    return render(
        request,
        "people/interest_list.html",
        {
            "form": form,
            "interests": request.user.interests.select_related("party").order_by("-valid_from", "-id"),
            "end_form": InterestEndForm(initial={"valid_to": timezone.localdate()}),
        },
    )


@require_POST
def interest_end(request, pk):
    # Only one's own: another person's interest is not found.
    interest = get_object_or_404(Interest, pk=pk, person=request.user)
    form = InterestEndForm(request.POST)
    if form.is_valid():
        try:
            services.interest_end(
                interest=interest, valid_to=form.cleaned_data["valid_to"], user=request.user
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Intresset är avslutat."))
    else:
        messages.error(request, _("Ange slutdagen som ÅÅÅÅ-MM-DD."))
    return redirect("people:interest-list")
