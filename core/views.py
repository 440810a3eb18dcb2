import logging

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import requires_csrf_token

from core.forms import AccessibilityReportForm
from core.services import accessibility_report_create

security_log = logging.getLogger("dgr.security")


def client_ip(request) -> str:
    return request.META.get("REMOTE_ADDR", "")


def log_refusal(request, what: str) -> None:
    user = getattr(request, "user", None)
    party = getattr(user, "party", None) if user is not None and user.is_authenticated else None
    security_log.warning(
        "access refused: %s user=%s party=%s ip=%s path=%s",
        what,
        user.get_username() if user is not None and user.is_authenticated else "-",
        party.code if party else "-",
        client_ip(request),
        request.path,
    )


@login_not_required
@requires_csrf_token
def permission_denied(request, exception=None):
    log_refusal(request, "403")
    return render(request, "403.html", status=403)


@login_not_required
@requires_csrf_token
def page_not_found(request, exception=None):
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
    log_refusal(request, f"csrf: {reason}")
    return render(request, "403_csrf.html", status=403)


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
    """For the load balancer: the app answers and reaches its database."""
    from django.db import connection
    from django.http import HttpResponse

    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return HttpResponse("ok", content_type="text/plain")
