import hashlib
import secrets
from datetime import timedelta

from allauth.account.adapter import get_adapter as get_account_adapter
from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.models import Session
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core import security_log
from core.mail import absolute_url
from people.models import Interest, Invitation, Party, User
from people.permissions import can_manage_accounts
from people.roles import PARTY_ROLES


@transaction.atomic
def user_deactivate(*, user: User, acting_user: User) -> User:
    """Deactivate a person: they can no longer log in, but stay named in the history. Their open
    sessions end at once (also were they reactivated later, those sessions stay gone)."""
    user = User.objects.select_for_update().get(pk=user.pk)
    if not user.is_active:
        return user
    user.is_active = False
    user._history_user = acting_user
    user._change_reason = "deactivated"
    user.save(update_fields=["is_active"])
    user_sessions_end(user=user, acting_user=acting_user)
    return user


@transaction.atomic
def user_sessions_end(*, user: User, acting_user: User | None, keep_session_key: str | None = None) -> int:
    """End every open session of `user` (but `keep_session_key`, the acting browser's own) and return
    how many ended. Sessions are stored signed, not by user, so the open ones are read: a few hundred at
    most (an hour's idle timeout), and this runs on deactivation, not per request."""
    ended = [
        session.pk
        for session in Session.objects.filter(expire_date__gt=timezone.now()).exclude(
            session_key=keep_session_key or ""
        )
        if session.get_decoded().get("_auth_user_id") == str(user.pk)
    ]
    Session.objects.filter(pk__in=ended).delete()
    if ended:
        security_log.log_event(
            security_log.SESSIONS_ENDED,
            user=user,
            count=len(ended),
            by=getattr(acting_user, "username", None),
        )
    return len(ended)


def _check_party_and_roles(*, party: Party | None, roles: list[str]) -> None:
    if party is None and PARTY_ROLES.intersection(roles):
        raise ValidationError(
            {"party": _("Initiativtagare och representanter i Värmlandsrådet måste tillhöra en part.")}
        )


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _send_invitation(*, person: User, acting_user: User) -> Invitation:
    """A new one-time link for the person; earlier open links stop working."""
    now = timezone.now()
    for earlier in Invitation.objects.select_for_update().filter(
        person=person, accepted_at__isnull=True, revoked_at__isnull=True
    ):
        earlier.revoked_at = now
        earlier._history_user = acting_user
        earlier.save(update_fields=["revoked_at"])
    token = secrets.token_urlsafe(32)
    invitation = Invitation(
        person=person,
        email=person.email,
        token_hash=_token_hash(token),
        invited_by=acting_user,
        created_at=now,
        expires_at=now + timedelta(days=settings.DGR_INVITATION_DAYS),
    )
    invitation.full_clean()
    invitation._history_user = acting_user
    invitation.save()
    link = absolute_url(reverse("people:invitation-accept", args=[token]))
    context = {
        "person": person,
        "invited_by": acting_user,
        "link": link,
        "expires_at": invitation.expires_at,
        "party": person.party,
    }
    # Queued in this transaction (core.mail): an invitation that rolls back mails no link.
    get_account_adapter().send_mail("people/email/invitation", person.email, context)
    return invitation


@transaction.atomic
def person_invite(
    *,
    acting_user: User,
    first_name: str,
    last_name: str,
    email: str,
    party: Party | None,
    roles: list[str],
    title: str = "",
) -> Invitation:
    """An administrator invites a person: the account exists at once (with the roles given), without a
    password; the person sets one from the e-mailed one-time link."""
    if not can_manage_accounts(acting_user):
        raise PermissionDenied
    email = email.strip().lower()
    _check_party_and_roles(party=party, roles=roles)
    if User.objects.filter(email__iexact=email).exists() or User.objects.filter(username=email).exists():
        raise ValidationError({"email": _("Det finns redan ett konto med den här e-postadressen.")})
    person = User(
        username=email,
        email=email,
        first_name=first_name.strip(),
        last_name=last_name.strip(),
        title=title.strip(),
        party=party,
        is_active=True,
    )
    person.set_unusable_password()
    person.full_clean()
    person._history_user = acting_user
    person._change_reason = "invited"
    person.save()
    person.groups.set(Group.objects.filter(name__in=roles))
    EmailAddress.objects.create(user=person, email=email, primary=True, verified=False)
    return _send_invitation(person=person, acting_user=acting_user)


@transaction.atomic
def invitation_resend(*, acting_user: User, person: User) -> Invitation:
    """A new link for someone who has not yet set a password (the old link expired or was lost)."""
    if not can_manage_accounts(acting_user):
        raise PermissionDenied
    person = User.objects.select_for_update().get(pk=person.pk)
    if person.has_usable_password() or not person.is_active:
        raise ValidationError(_("Personen har redan ett lösenord eller är inte aktiv."))
    return _send_invitation(person=person, acting_user=acting_user)


def invitation_for_token(token: str) -> Invitation | None:
    return Invitation.objects.select_related("person").filter(token_hash=_token_hash(token)).first()


def invitation_problem(invitation: Invitation | None) -> str | None:
    """Why a link cannot be used, in words for the person holding it; None when it can."""
    if invitation is None or invitation.revoked_at is not None:
        return _(
            "Länken gäller inte. Den kan ha ersatts av en nyare inbjudan – använd länken i det senaste "
            "mejlet, eller be administratören skicka en ny."
        )
    if invitation.accepted_at is not None:
        return _(
            "Inbjudan är redan använd och lösenordet är satt. Logga in, eller välj ”Glömt lösenord?” "
            "på inloggningssidan."
        )
    if invitation.expires_at <= timezone.now():
        return _("Länken har gått ut. Be administratören skicka en ny inbjudan.")
    if not invitation.person.is_active:
        return _("Kontot är inte aktivt. Kontakta administratören.")
    return None


@transaction.atomic
def invitation_accept(*, token: str, password: str) -> User:
    """The invited person sets their password. The link works once, until it expires."""
    invitation = invitation_for_token(token)
    if invitation is not None:
        invitation = Invitation.objects.select_for_update().select_related("person").get(pk=invitation.pk)
    problem = invitation_problem(invitation)
    if problem:
        raise ValidationError(problem)
    person = User.objects.select_for_update().get(pk=invitation.person_id)
    validate_password(password, person)
    person.set_password(password)
    person._history_user = person
    person._change_reason = "invitation accepted"
    person.save(update_fields=["password"])
    invitation.accepted_at = timezone.now()
    invitation._history_user = person
    invitation.save(update_fields=["accepted_at"])
    # Receiving the link proves the address.
    EmailAddress.objects.filter(user=person, email__iexact=invitation.email).update(verified=True)
    return person


@transaction.atomic
def person_approve(*, acting_user: User, person: User, party: Party | None, roles: list[str]) -> User:
    """An administrator approves an account created by a first single sign-on login, and grants roles."""
    if not can_manage_accounts(acting_user):
        raise PermissionDenied
    person = User.objects.select_for_update().get(pk=person.pk)
    if not person.awaiting_approval:
        raise ValidationError(_("Kontot väntar inte på godkännande."))
    _check_party_and_roles(party=party, roles=roles)
    person.party = party
    person.awaiting_approval = False
    person.is_active = True
    person._history_user = acting_user
    person._change_reason = "approved"
    person.save(update_fields=["party", "awaiting_approval", "is_active"])
    person.groups.set(Group.objects.filter(name__in=roles))
    return person


# --- declared interests (jäv) --------------------------------------------------------------------------


def _require_own(interest_person: User, user: User) -> None:
    # A declaration is the person's own statement: nobody declares on another's behalf.
    if interest_person.pk != user.pk or not user.is_active:
        raise PermissionDenied(_("Du kan bara anmäla och avsluta dina egna intressen."))


@transaction.atomic
def interest_declare(
    *,
    person: User,
    kind: str,
    organisation: str,
    party: Party | None,
    role: str,
    valid_from,
    user: User,
) -> Interest:
    _require_own(person, user)
    interest = Interest(
        person=person,
        kind=kind,
        organisation=organisation.strip(),
        party=party,
        role=role.strip(),
        valid_from=valid_from,
    )
    if not interest.organisation and party is None:
        raise ValidationError(
            {"organisation": _("Ange organisationen, eller välj den part intresset gäller.")}, code="required"
        )
    interest.full_clean()
    interest._history_user = user
    interest._change_reason = "intresse anmält"
    interest.save()
    return interest


@transaction.atomic
def interest_end(*, interest: Interest, valid_to, user: User) -> Interest:
    """The interest ends (kept, with its dates, for the meetings it concerned)."""
    interest = Interest.objects.select_for_update().get(pk=interest.pk)
    _require_own(interest.person, user)
    if interest.valid_to is not None:
        raise ValidationError(_("Intresset är redan avslutat."), code="ended")
    if valid_to < interest.valid_from:
        raise ValidationError(
            {"valid_to": _("Slutdagen kan inte ligga före den dag intresset började.")}, code="before_start"
        )
    interest.valid_to = valid_to
    interest._history_user = user
    interest._change_reason = "intresse avslutat"
    interest.save()
    return interest
