"""Provider staff's sign-ins and sign-outs go in the portal's access log (issue 16)."""

from __future__ import annotations

from apcase.access import client_ip
from audits.models import ProviderAccessEvent, ProviderStaff


def _log(request, user, kind: str) -> None:
    if user is None or not getattr(user, "is_provider_staff", False):
        return
    ip = client_ip(request) if request is not None else None
    staff = ProviderStaff.objects.filter(user=user).exclude(status=ProviderStaff.Status.REMOVED)
    ProviderAccessEvent.objects.bulk_create(
        [ProviderAccessEvent(staff=member, kind=kind, by=user, ip_address=ip) for member in staff]
    )


def log_sign_in(sender, request, user, **kwargs) -> None:
    _log(request, user, ProviderAccessEvent.Kind.SIGNED_IN)


def log_sign_out(sender, request, user, **kwargs) -> None:
    _log(request, user, ProviderAccessEvent.Kind.SIGNED_OUT)
