"""Who reaches the views across schools.

- A trust's view is for a trust lead: someone given a leader's role (SENDCo or headteacher) in
  every school of the trust (a trust-wide membership). What they open behind a figure is each
  school's own page, with the rights that role gives them there.
- The local authority's view (/la/) is for its AP officers: people of the LA, with no school
  membership. They see what the LA's schools sent it (notifications), counts across the schools,
  and the provider directory's clearance; never a pupil's record. A notification sent to another
  LA is a 404 for them, as it is for everyone who is not an officer of the LA it was sent to.
- Anyone else signed in gets 403 at /trust/ and /la/: pages of no school, so there is nothing to
  hide behind a 404.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied

from apcase.models import TRUST_LEAD_ROLES, LocalAuthority, LocalAuthorityOfficer, Membership, Trust, User


def trust_led_by(user: User) -> Trust | None:
    """The trust the user leads (the first by name if, unusually, they lead two)."""
    membership = (
        Membership.objects.filter(
            user=user, is_active=True, trust_wide=True, role__in=TRUST_LEAD_ROLES, school__trust__isnull=False
        )
        .select_related("school__trust")
        .order_by("school__trust__name")
        .first()
    )
    return membership.school.trust if membership else None


def require_trust(user: User) -> Trust:
    trust = trust_led_by(user)
    if trust is None:
        raise PermissionDenied("The trust's view is for a trust lead.")
    return trust


def la_of(user: User) -> LocalAuthority | None:
    officer = LocalAuthorityOfficer.objects.filter(user=user, is_active=True).select_related("local_authority").first()
    return officer.local_authority if officer else None


def require_la(user: User) -> LocalAuthority:
    local_authority = la_of(user)
    if local_authority is None:
        raise PermissionDenied("The local authority's view is for its officers.")
    return local_authority
