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

from apcase.access import la_officer_of, schools_of, trusts_led
from apcase.models import TRUST_LEAD_ROLES, LocalAuthority, School, Trust, User


def trust_led_by(user: User) -> Trust | None:
    """The trust the user leads (the first by name if, unusually, they lead two); read with the
    user's roles, no query of its own."""
    return next(iter(trusts_led(user, TRUST_LEAD_ROLES)), None)


def trust_schools(user: User, trust: Trust) -> list[School]:
    """The schools of a trust the user leads, by name: a trust-wide role reaches every one of them,
    so they came with the user's roles (no query)."""
    return [school for school in schools_of(user) if school.trust_id == trust.pk]


def require_trust(user: User) -> Trust:
    trust = trust_led_by(user)
    if trust is None:
        raise PermissionDenied("The trust's view is for a trust lead.")
    return trust


def la_of(user: User) -> LocalAuthority | None:
    officer = la_officer_of(user)
    return officer.local_authority if officer else None


def require_la(user: User) -> LocalAuthority:
    local_authority = la_of(user)
    if local_authority is None:
        raise PermissionDenied("The local authority's view is for its officers.")
    return local_authority
