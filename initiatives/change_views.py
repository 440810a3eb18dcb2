"""Change requests after the decision (ändringsbegäran): asked for by the party, read with their decision
trail, withdrawn while nobody has decided. Region Värmland's decisions are recorded in the ledger's views
(accounting:change-decision-create), the council's in its meeting pages."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from core.forms import apply_service_error
from initiatives import changes, forms, permissions, selectors
from initiatives.models import ChangeRequest, Initiative


def _visible_change(user, pk) -> ChangeRequest:
    """A change request of an initiative the user may see; otherwise not found."""
    change = get_object_or_404(
        ChangeRequest.objects.filter(initiative__in=Initiative.objects.visible_to(user)).select_related(
            "initiative__party", "submitted_by"
        ),
        pk=pk,
    )
    if not permissions.can_read_change_request(user, change):
        raise PermissionDenied
    return change


@require_http_methods(["GET", "POST"])
def change_request_create(request, pk):
    initiative = get_object_or_404(Initiative.objects.visible_to(request.user).select_related("party"), pk=pk)
    if not permissions.can_request_change(request.user, initiative):
        raise PermissionDenied
    form = forms.ChangeRequestForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            change = changes.change_request_submit(
                initiative=initiative, user=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            apply_service_error(form, error)
        else:
            messages.success(
                request, _("Ändringsbegäran är inlämnad. Region Värmland och sekretariatet har fått besked.")
            )
            return redirect(change.get_absolute_url())
    return render(
        request,
        "initiatives/changerequest_form.html",
        {"initiative": initiative, "form": form},
        status=400 if form.errors else 200,
    )


def change_request_detail(request, pk):
    change = _visible_change(request.user, pk)
    return render(
        request,
        "initiatives/changerequest_detail.html",
        {
            "change": change,
            "initiative": change.initiative,
            "trail": selectors.change_request_trail(change=change, user=request.user),
            "summary": changes.change_request_summary(change),
            "can_withdraw": permissions.can_withdraw_change_request(request.user, change),
            "can_decide": permissions.can_decide_change_request(request.user, change),
        },
    )


@require_POST
def change_request_withdraw(request, pk):
    change = _visible_change(request.user, pk)
    if not permissions.can_withdraw_change_request(request.user, change):
        raise PermissionDenied
    try:
        changes.change_request_withdraw(change_request=change, user=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Ändringsbegäran är återkallad."))
    return redirect(change.get_absolute_url())


def change_request_list(request):
    """The change requests for those who handle them: the open ones first, then the latest closed."""
    if not permissions.can_view_change_queue(request.user):
        raise PermissionDenied
    lists = selectors.change_request_lists()
    tables = [(lists["open"], _("Öppna")), (lists["closed"], _("Senast avgjorda"))]
    return render(request, "initiatives/changerequest_list.html", {"tables": tables})
