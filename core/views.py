import logging

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import requires_csrf_token
from django.views.decorators.http import require_POST

from core import security_log
from core.forms import AccessibilityReportForm
from core.models import OutgoingMail
from core.permissions import can_manage_mail
from core.selectors import mail_unsent
from core.services import accessibility_report_create, mail_retry


@login_not_required
@requires_csrf_token
def permission_denied(request, exception=None):
    # Logged by core.middleware.SecurityLogMiddleware, as every 403.
    return render(request, "403.html", status=403)


@login_not_required
@requires_csrf_token
def page_not_found(request, exception=None):
    # "Not found" and "not yours" look the same to the user (visible_to querysets); a logged-in user's
    # 404 is logged by core.middleware.SecurityLogMiddleware: a series of them is someone trying other
    # parties' object numbers.
    return render(request, "404.html", status=404)


@login_not_required
@requires_csrf_token
def server_error(request):
    # No context processors beyond the template itself: the database may be what failed.
    from django.http import HttpResponseServerError
    from django.template import loader

    return HttpResponseServerError(loader.get_template("500.html").render())


@login_not_required
def csrf_failure(request, reason=""):
    security_log.log_event(
        security_log.ACCESS_REFUSED,
        request=request,
        level=logging.WARNING,
        status=403,
        reason=f"csrf: {reason}",
    )
    response = render(request, "403_csrf.html", status=403)
    response.security_logged = True  # with its reason, here: not again by SecurityLogMiddleware
    return response


@login_not_required
def accessibility_statement(request):
    if request.method == "POST":
        form = AccessibilityReportForm(request.POST)
        if form.is_valid():
            accessibility_report_create(user=request.user, **form.cleaned_data)
            messages.success(
                request,
                _("Tack! Vi har tagit emot din rapport och återkommer om du lämnat kontaktuppgifter."),
            )
            return redirect("accessibility")
    else:
        form = AccessibilityReportForm(initial={"page_url": request.GET.get("sida", "")})
    return render(request, "core/accessibility.html", {"form": form})


@login_not_required
def health(request):
    """For the load balancer and monitoring: the app answers and reaches its database (HTTP 200,
    `"status": "ok"`), and how the background work goes: jobs due and how long the oldest has waited, failed
    jobs, live workers and failed mail. Figures, no names: the page is public."""
    from django.http import JsonResponse

    from core.selectors import queue_health

    queue = queue_health()
    return JsonResponse(
        {
            "status": "ok",
            "database": "ok",
            "queue": {
                "waiting_jobs": queue.waiting_jobs,
                "oldest_waiting_seconds": queue.oldest_waiting_seconds,
                "failed_jobs": queue.failed_jobs,
                "active_workers": queue.active_workers,
                "failed_mail": queue.failed_mail,
            },
        },
        json_dumps_params={"indent": 1},
    )


def mail_list(request):
    """Administrators: the mail that waits for a worker or that could not be sent, to send again."""
    if not can_manage_mail(request.user):
        raise PermissionDenied
    page = Paginator(mail_unsent(), 50).get_page(request.GET.get("sida"))
    return render(request, "core/outgoingmail_list.html", {"page": page})


@require_POST
def mail_retry_view(request, pk: int):
    if not can_manage_mail(request.user):
        raise PermissionDenied
    mail = get_object_or_404(OutgoingMail, pk=pk)
    try:
        mail_retry(mail=mail, user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request, _("E-posten till %(recipient)s skickas igen.") % {"recipient": mail.recipient}
        )
    return redirect("mail-list")
