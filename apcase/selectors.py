"""Reads of core records for views, each scoped to the user asking."""

from __future__ import annotations

from django.db.models import QuerySet

from apcase.access import roles_by_school, school_ids_for
from apcase.models import Notification, Role, School, User


def school_list_for_user(*, user: User) -> QuerySet[School]:
    return School.objects.filter(id__in=school_ids_for(user)).select_related("trust")


def school_current(*, user: User, wanted_id: int | None) -> School | None:
    allowed = roles_by_school(user)
    if not allowed:
        return None
    school_id = wanted_id if wanted_id in allowed else min(allowed)
    known = getattr(user, "_apcase_member_schools", {})
    return known.get(school_id) or School.objects.select_related("trust").get(pk=school_id)


def roles_in(*, user: User, school: School | None) -> list[Role]:
    if school is None:
        return []
    held = roles_by_school(user).get(school.pk, frozenset())
    return [role for role in Role if role.value in held]


def notification_list_for_user(*, user: User) -> QuerySet[Notification]:
    return Notification.objects.filter(user=user).order_by("-created_at")


def notification_unread_count(*, user: User) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).count()
