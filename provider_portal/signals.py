"""Provider staff's sign-ins and sign-outs go in the portal's access log (issue 16)."""

from __future__ import annotations

from apcase.access import client_ip
from audits.models import ProviderAccessEvent, ProviderStaff
from provider_portal.selectors import portal_access_lapsed


def _log(request, user, kind: str) -> None:
    if user is None or not getattr(user, "is_provider_staff", False):
        return
    ip = client_ip(request) if request is not None else None
    staff = ProviderStaff.objects.filter(user=user).exclude(status=ProviderStaff.Status.REMOVED)
    ProviderAccessEvent.objects.bulk_create(
        [ProviderAccessEvent(staff=member, kind=kind, by=user, ip_address=ip) for member in staff]
    )


# Set when no school places a pupil with the person's provider, at sign-in or on a later portal
# request: the boundary middleware then signs them out and the sign-in page says why.
SESSION_LAPSED = "provider_portal_lapsed"


def mark_if_lapsed(request, user) -> bool:
    """Marks the session of a person whose access has lapsed and logs it as lapsed, once: the
    sign-out that follows is not logged (log_sign_out)."""
    if not portal_access_lapsed(user):
        return False
    request.session[SESSION_LAPSED] = True
    _log(request, user, ProviderAccessEvent.Kind.LAPSED)
    return True


def log_sign_in(sender, request, user, **kwargs) -> None:
    """Provider staff's sign-in is logged; when no school places a pupil with their provider(s)
    their access has lapsed, and the sign-in is refused and logged as such."""
    if user is None or not getattr(user, "is_provider_staff", False):
        return
    if not mark_if_lapsed(request, user):
        _log(request, user, ProviderAccessEvent.Kind.SIGNED_IN)


def log_sign_out(sender, request, user, **kwargs) -> None:
    if request is not None and request.session.get(SESSION_LAPSED):
        return  # the refused sign-in is logged once, as lapsed
    _log(request, user, ProviderAccessEvent.Kind.SIGNED_OUT)
