"""/trust/: a trust lead's view across the trust's schools (docs/oversight.md)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.views.decorators.http import require_GET

from oversight.access import require_trust
from oversight.trust import trust_dashboard


def _in_school(name: str, **query) -> str:
    return reverse(name) + (f"?{urlencode(query)}" if query else "")


# The list behind each figure; a figure opens it in its own school (the switch takes `next`).
TRUST_LINKS = {
    "running": ("placements:list", {"group": "running"}),
    "notices": ("placements:list", {"attention": "notice"}),
    "reviews_overdue": ("reviews:list", {"view": "overdue"}),
    "year": ("reports:governors", {}),
}


@require_GET
def trust_page(request: HttpRequest) -> HttpResponse:
    trust = require_trust(request.user)
    dashboard = trust_dashboard(user=request.user, trust=trust, today=timezone.localdate())
    links = {key: _in_school(name, **query) for key, (name, query) in TRUST_LINKS.items()}
    return render(request, "oversight/trust.html", {"dashboard": dashboard, "links": links})
