"""Provider staff reach the portal and nothing else (docs/portal.md).

A provider person holds no school role, so every school-scoped read is already empty for them;
this makes the boundary structural as well: any address outside the portal (dashboards,
referrals, approvals, reports, the back office, the school's own pages) answers 404, whatever
its view would have done. School staff, for their part, have no portal access, so the portal's
own scoping answers 404 to them."""

from __future__ import annotations

from django.contrib.auth import logout
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse

from apcase.middleware import resolve_or_none
from provider_portal.signals import SESSION_LAPSED, mark_if_lapsed

# Signing in and out, the password and the second factor work the same for everyone.
OPEN_TO_PROVIDER_STAFF = {
    "login",
    "logout",
    "password_change",
    "password_change_done",
    "two_factor_setup",
    "two_factor_verify",
    "two_factor_status",
    "two_factor_backup_codes",
    "healthz",
}
PORTAL_NAMESPACE = "provider_portal"


class ProviderStaffBoundaryMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated and user.is_provider_staff:
            match = resolve_or_none(request.path_info)
            in_portal = match is not None and match.namespace == PORTAL_NAMESPACE
            # A session opened before the provider's last placement ended is refused as a sign-in
            # would be (one query a portal request; addresses outside it stay a 404 without one).
            if request.session.get(SESSION_LAPSED) or (in_portal and mark_if_lapsed(request, user)):
                logout(request)
                return redirect(reverse("login") + "?lapsed=1")
            if match is not None and match.view_name == "home":
                return redirect("provider_portal:register")  # where signing in lands them
            allowed = in_portal or (match is not None and match.view_name in OPEN_TO_PROVIDER_STAFF)
            if not allowed:
                raise Http404("Not part of the provider portal.")
        return self.get_response(request)
