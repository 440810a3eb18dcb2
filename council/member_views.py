"""The pages about the bodies' members: the member lists (membership), the notice they receive (time,
place, cancellation, stances in advance) and the stance a member enters for their own party. Thin: each
authorises, calls one service or selector, and renders."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from core.forms import apply_service_error
from council import membership, notices, permissions, stances
from council.member_forms import (
    AdvanceStancesForm,
    MeetingCancelForm,
    MeetingChangeForm,
    MembershipEndForm,
    MembershipForm,
    StanceForm,
)
from council.models import AgendaItem, Body, Meeting, NoticeMailing, Stance
from people.models import Party, User


def membership_index(request):
    """The menu's entry: Värmlandsrådet's members (the page links the other bodies)."""
    if not membership.can_view_memberships(request.user):
        raise PermissionDenied
    body = Body.objects.filter(is_active=True).order_by("-takes_positions", "name").first()
    if body is None:
        raise Http404
    return redirect("council:membership-list", body.slug)


def membership_list(request, slug):
    """A body's members, current and past; the secretariat and administrators add and end terms."""
    if not membership.can_view_memberships(request.user):
        raise PermissionDenied
    body = get_object_or_404(Body, slug=slug, is_active=True)
    can_manage = membership.can_manage_memberships(request.user)
    action = request.POST.get("action") if request.method == "POST" else None
    if action and not can_manage:
        raise PermissionDenied
    parties = list(Party.objects.active().in_swedish_order())
    people = list(
        User.objects.in_swedish_order().filter(is_active=True, party__isnull=False).select_related("party")
    )
    add_form = MembershipForm(
        request.POST if action == "add" else None, parties=parties, people=people, prefix="add"
    )
    memberships = list(membership.membership_list(body=body))
    ending = request.POST.get("membership", "") if action == "end" else ""
    for row in memberships:
        row.end_form = MembershipEndForm(
            request.POST if ending == str(row.pk) else None, prefix=f"end-{row.pk}"
        )
    try:
        if action == "add" and add_form.is_valid():
            membership.membership_add(body=body, user=request.user, **add_form.cleaned_data)
            messages.success(request, _("Ledamoten är tillagd."))
            return redirect("council:membership-list", body.slug)
        if action == "end":
            row = next((m for m in memberships if str(m.pk) == ending), None)
            if row is None:
                raise PermissionDenied
            if row.end_form.is_valid():
                try:
                    membership.membership_end(membership=row, user=request.user, **row.end_form.cleaned_data)
                except ValidationError as error:
                    apply_service_error(row.end_form, error)
                else:
                    messages.success(request, _("Mandatperioden är avslutad."))
                    return redirect("council:membership-list", body.slug)
    except ValidationError as error:
        apply_service_error(add_form, error)
    today = timezone.localdate()
    return render(
        request,
        "council/membership_list.html",
        {
            "body": body,
            "bodies": Body.objects.filter(is_active=True),
            "memberships": memberships,
            "today": today,
            "current": [
                m for m in memberships if m.starts_on <= today and (m.ends_on is None or m.ends_on >= today)
            ],
            "can_manage": can_manage,
            "add_form": add_form,
        },
    )


def _managed_meeting(request, pk) -> Meeting:
    meeting = get_object_or_404(Meeting.objects.visible_to(request.user).select_related("body"), pk=pk)
    if not permissions.can_manage_meetings(request.user):
        raise PermissionDenied
    return meeting


def meeting_notice(request, pk):
    """The secretariat's page for the notice: time and place (an update is mailed once the notice is out),
    cancellation, stances in advance, and the mailings sent."""
    meeting = _managed_meeting(request, pk)
    action = request.POST.get("action") if request.method == "POST" else None
    local = timezone.localtime(meeting.starts_at)
    change_form = MeetingChangeForm(
        request.POST if action == "change" else None,
        prefix="change",
        initial={"date": local.date(), "time": local.time(), "place": meeting.place},
    )
    cancel_form = MeetingCancelForm(request.POST if action == "cancel" else None, prefix="cancel")
    advance_form = AdvanceStancesForm(
        request.POST if action == "advance" else None,
        prefix="advance",
        initial={"advance_stances": meeting.advance_stances},
    )
    form = {"change": change_form, "cancel": cancel_form, "advance": advance_form}.get(action)
    if form is not None and form.is_valid():
        try:
            if action == "change":
                notices.meeting_change(
                    meeting=meeting,
                    starts_at=change_form.starts_at(),
                    place=change_form.cleaned_data["place"],
                    user=request.user,
                )
                messages.success(request, _("Tid och plats är sparade."))
            elif action == "cancel":
                notices.meeting_cancel(
                    meeting=meeting, reason=cancel_form.cleaned_data["reason"], user=request.user
                )
                messages.success(request, _("Sammanträdet är inställt."))
            else:
                stances.meeting_advance_stances_set(
                    meeting=meeting, enabled=advance_form.cleaned_data["advance_stances"], user=request.user
                )
                messages.success(request, _("Inställningen är sparad."))
        except ValidationError as error:
            apply_service_error(form, error)
        else:
            return redirect("council:meeting-notice", meeting.pk)
    return render(
        request,
        "council/meeting_notice.html",
        {
            "meeting": meeting,
            "open": meeting.status in ("planned", "agenda_published"),
            "change_form": change_form,
            "cancel_form": cancel_form,
            "advance_form": advance_form,
            "mailings": NoticeMailing.objects.filter(meeting=meeting).order_by("sequence"),
        },
    )


def stance_enter(request, pk, item_pk):
    """A member's own party's stance on an initiative, before the meeting (per capsulam)."""
    meeting = get_object_or_404(Meeting.objects.visible_to(request.user).select_related("body"), pk=pk)
    item = get_object_or_404(
        AgendaItem.objects.select_related("initiative", "initiative__party"),
        meeting=meeting,
        pk=item_pk,
        initiative__isnull=False,
    )
    item.meeting = meeting
    party = stances.stance_party(request.user, meeting)
    if party is None:
        raise PermissionDenied
    existing = Stance.objects.filter(item=item, party=party).select_related("recorded_by").first()
    may_enter = existing is None and stances.can_enter_stance(request.user, item)
    form = StanceForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if not may_enter:
            raise PermissionDenied
        if form.is_valid():
            try:
                # The party is the one the person sits for, never one the request names.
                stances.stance_enter(item=item, party=party, user=request.user, **form.cleaned_data)
            except ValidationError as error:
                apply_service_error(form, error)
            else:
                messages.success(
                    request, _("Ställningstagandet för %(party)s är registrerat.") % {"party": party.name}
                )
                return redirect("council:meeting-detail", meeting.pk)
    proposed = notices.proposed_decisions(meeting=meeting, items=[item]).get(item.pk, "")
    return render(
        request,
        "council/stance_form.html",
        {
            "meeting": meeting,
            "item": item,
            "party": party,
            "existing": existing,
            "may_enter": may_enter,
            "form": form,
            "proposed": proposed,
            "documents": list(item.documents.all()),
        },
    )
