from __future__ import annotations

from apcase.access import roles_by_school
from apcase.navigation import nav_for
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
        "nav_items": nav_for({r.value for r in roles}, request.path),
        "unread_notifications": _unread_count(user),
    }


def _unread_count(user) -> int:
    """Counted with the user when apcase.backends loaded them for this request, otherwise here."""
    counted = getattr(user, "unread_notification_count", None)
    return counted if counted is not None else notification_unread_count(user=user)
