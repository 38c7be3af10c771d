"""The signed-in user's home page and the SENDCo dashboard's charts."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from apcase.access import current_school, la_officer_of
from apcase.http import AuthedRequest
from apcase.models import Role
from apcase.selectors import roles_in
from dashboards.panels import dashboard_for, sendco_charts


def home(request: AuthedRequest) -> HttpResponse:
    if request.school is None and la_officer_of(request.user) is not None:
        return redirect("oversight:la")  # an LA officer's home is the authority's view
    roles = roles_in(user=request.user, school=request.school)
    today = timezone.localdate()
    context = {
        "panels": dashboard_for(user=request.user, school=request.school, roles=roles, today=today),
        "today": today,
        "now_hour": timezone.localtime().hour,
    }
    return render(request, "dashboards/home.html", context)


@require_GET
def dashboard_charts(request: AuthedRequest) -> HttpResponse:
    """The SENDCo dashboard's charts, fetched once the page is shown (htmx) so the page stays quick."""
    school = current_school(request)
    if not {Role.SENDCO, Role.HEAD} & set(roles_in(user=request.user, school=school)):
        raise PermissionDenied("The dashboard charts are for the SENDCo and the headteacher.")
    charts = sendco_charts(school=school, today=timezone.localdate())
    return render(request, "dashboards/_charts.html", {"charts": charts})
