from __future__ import annotations

from apcase.access import la_officer_of, roles_by_school, trust_wide_roles
from apcase.models import TRUST_LEAD_ROLES
from apcase.navigation import LA_OFFICER, TRUST_LEAD, nav_for
from apcase.selectors import notification_unread_count, roles_in, school_list_for_user


def navigation(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    if user.is_provider_staff:
        return {"portal_user": True}  # the portal's own layout; no school, roles or notifications
    school = getattr(request, "school", None)
    roles = roles_in(user=user, school=school)
    other_schools = []
    if len(roles_by_school(user)) > 1:
        other_schools = [s for s in school_list_for_user(user=user) if s != school]
    return {
        "current_school": school,
        "current_roles": roles,
        "other_schools": other_schools,
        "nav_items": nav_for(_scopes(user, roles), request.path),
        "unread_notifications": _unread_count(user),
    }


def _scopes(user, roles) -> set[str]:
    """The user's roles here, and whether they lead a trust or work for an LA (menu entries)."""
    scopes = {r.value for r in roles}
    if trust_wide_roles(user) & TRUST_LEAD_ROLES:
        scopes.add(TRUST_LEAD)
    # Only someone in no school can be an LA officer: everyone else is spared the query.
    if not roles_by_school(user) and la_officer_of(user) is not None:
        scopes.add(LA_OFFICER)
    return scopes


def _unread_count(user) -> int:
    """Counted with the user when apcase.backends loaded them for this request, otherwise here."""
    counted = getattr(user, "unread_notification_count", None)
    return counted if counted is not None else notification_unread_count(user=user)
