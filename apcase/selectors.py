"""Reads of core records for views, each scoped to the user asking."""

from __future__ import annotations

from typing import TYPE_CHECKING, TypedDict

from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, Prefetch, QuerySet
from django.http import Http404
from django_otp.plugins.otp_totp.models import TOTPDevice

from apcase.access import current_school, require_perm, roles_by_school, schools_of
from apcase.models import Membership, Notification, Role, School, User

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations


def school_list_for_user(*, user: User) -> list[School]:
    """The schools where the user holds a role, by name (read with their roles: no query)."""
    return schools_of(user)


def school_current(*, user: User, wanted_id: int | None) -> School | None:
    allowed = roles_by_school(user)
    if not allowed:
        return None
    school_id = wanted_id if wanted_id in allowed else min(allowed)
    known = getattr(user, "_apcase_schools", {})
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


class PersonHere(TypedDict):
    roles_here: list[Membership]  # their memberships in this school
    has_second_factor: bool


def people_list_for_school(*, school: School) -> QuerySet[WithAnnotations[User, PersonHere]]:
    """Everyone with a role in the school (never superusers), with those roles, in name order."""
    here = Membership.objects.filter(school=school).order_by("role")
    return (
        User.objects.filter(memberships__school=school, is_superuser=False)
        .distinct()
        .prefetch_related(Prefetch("memberships", queryset=here, to_attr="roles_here"))
        .annotate(has_second_factor=Exists(TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True)))
        .order_by("last_name", "first_name", "username")
    )


def person_for_head(*, request, public_id) -> WithAnnotations[User, PersonHere]:
    """A person in the user's current school (404 otherwise), for its head (403 otherwise)."""
    school = current_school(request)
    try:
        person = people_list_for_school(school=school).get(public_id=public_id)
    except (User.DoesNotExist, ValidationError, ValueError):
        raise Http404("No such person in your school.") from None
    require_perm(request, "apcase.manage_people", school)
    return person
