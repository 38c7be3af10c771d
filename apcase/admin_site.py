from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme


class ApcaseAdminSite(admin.AdminSite):
    """The back office. It has no sign-in form of its own: one sign-in page for everything means
    the brute-force limits and two-factor checks cover the admin too."""

    site_header = "apcase back office"
    site_title = "apcase back office"
    index_title = "Schools, people, term dates and records"

    def login(self, request, extra_context=None):
        next_url = request.GET.get("next", "")
        if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
            next_url = reverse("admin:index")
        if not request.user.is_authenticated:
            return redirect_to_login(next_url)
        if not self.has_permission(request):
            raise PermissionDenied("The back office is for school office staff and administrators.")
        return redirect(next_url)
