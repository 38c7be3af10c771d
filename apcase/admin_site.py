from __future__ import annotations

import sys

from django.contrib import admin
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme


class SuperuserOnlyMixin(admin.ModelAdmin):
    """Records of every school at once (sign-in attempts, devices, notifications): superusers only,
    whatever permissions a group has been given."""

    def has_module_permission(self, request):
        return request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_add_permission(self, request, *args):
        return request.user.is_superuser and super().has_add_permission(request, *args)

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser


def _is_ours(admin_class) -> bool:
    module = sys.modules.get(admin_class.__module__)
    return "site-packages" not in str(getattr(module, "__file__", "site-packages"))


class ApcaseAdminSite(admin.AdminSite):
    """The back office. It has no sign-in form of its own: one sign-in page for everything means
    the brute-force limits and two-factor checks cover the admin too."""

    site_header = "apcase back office"
    site_title = "apcase back office"
    index_title = "Schools, people, term dates and records"

    def register(self, model_or_iterable, admin_class=None, **options):
        # A library's admin (sign-in attempts, OTP devices, groups) knows nothing of schools, so it
        # is for superusers only: fail closed rather than trust whatever a group is granted.
        admin_class = admin_class or admin.ModelAdmin
        if not _is_ours(admin_class):
            admin_class = type(admin_class.__name__, (SuperuserOnlyMixin, admin_class), {})
        super().register(model_or_iterable, admin_class, **options)

    def login(self, request, extra_context=None):
        next_url = request.GET.get("next", "")
        if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
            next_url = reverse("admin:index")
        if not request.user.is_authenticated:
            return redirect_to_login(next_url)
        if not self.has_permission(request):
            raise PermissionDenied("The back office is for school office staff and administrators.")
        return redirect(next_url)
