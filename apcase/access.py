"""Tenancy: which schools a user may see, in which roles, and the one way views fetch objects.

Rule (docs/decisions.md, Tenancy and access): an object of a school the user has no role in is a 404; an object in
scope that the user's role may not see or change is a 403.
"""

from __future__ import annotations

import ipaddress
from collections import defaultdict
from collections.abc import Iterable
from typing import TYPE_CHECKING, TypeVar

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, PermissionDenied, ValidationError
from django.db import models
from django.http import Http404, HttpRequest

from apcase.http import AuthedRequest

if TYPE_CHECKING:
    from apcase.models import LocalAuthorityOfficer, School, Trust

M = TypeVar("M", bound=models.Model)

_CACHE_ATTR = "_apcase_roles"


def roles_by_school(user) -> dict[int, frozenset[str]]:
    """Return {school_id: roles} for the user, computed once per user object (two queries at most)."""
    if not getattr(user, "is_authenticated", False):
        return {}
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is not None:
        return cached
    from apcase.models import Membership, School

    roles: dict[int, set[str]] = defaultdict(set)
    trust_roles: dict[int, set[str]] = defaultdict(set)
    schools = {}
    for membership in Membership.objects.filter(user=user, is_active=True).select_related("school__trust"):
        roles[membership.school_id].add(membership.role)
        schools[membership.school_id] = membership.school
        if membership.trust_wide and membership.school.trust_id:
            trust_roles[membership.school.trust_id].add(membership.role)
    if trust_roles:
        for school in School.objects.filter(trust_id__in=trust_roles).select_related("trust"):
            assert school.trust_id is not None  # filtered on it
            roles[school.pk] |= trust_roles[school.trust_id]
            schools.setdefault(school.pk, school)
    result = {school_id: frozenset(r) for school_id, r in roles.items()}
    setattr(user, _CACHE_ATTR, result)
    # The School rows (with their trust) came with the memberships and the trusts' schools: the
    # school switcher, the current school and the trust a lead leads reuse them, with no query.
    user._apcase_schools = schools
    user._apcase_trust_roles = {trust_id: frozenset(r) for trust_id, r in trust_roles.items()}
    return result


def schools_of(user) -> list[School]:
    """The schools where the user holds a role, by name (read with their roles)."""
    roles_by_school(user)
    return sorted(getattr(user, "_apcase_schools", {}).values(), key=lambda school: school.name)


def trusts_led(user, roles: Iterable[str]) -> list[Trust]:
    """The trusts across which the user holds one of roles (a trust-wide membership), by name."""
    roles_by_school(user)
    held, wanted = getattr(user, "_apcase_trust_roles", {}), set(roles)
    trusts = {
        school.trust_id: school.trust
        for school in getattr(user, "_apcase_schools", {}).values()
        if school.trust is not None and held.get(school.trust_id, frozenset()) & wanted
    }
    return sorted(trusts.values(), key=lambda trust: trust.name)


def trust_wide_roles(user) -> frozenset[str]:
    """The roles the user holds across a whole trust (trust leads), read with their other roles."""
    roles_by_school(user)
    return frozenset().union(*getattr(user, "_apcase_trust_roles", {}).values())


def la_officer_of(user) -> LocalAuthorityOfficer | None:
    """The user's active LA officer record with its LA, read once per user object: the menu, the
    home page and the LA's views each ask."""
    if not hasattr(user, "_apcase_la_officer"):
        from apcase.models import LocalAuthorityOfficer

        officer = LocalAuthorityOfficer.objects.filter(user=user, is_active=True).select_related("local_authority")
        user._apcase_la_officer = officer.first()
    return user._apcase_la_officer


def forget_roles(user) -> None:
    """Drop the cached roles (after a membership changes in the same request or test)."""
    for attr in (_CACHE_ATTR, "_apcase_schools", "_apcase_trust_roles", "_apcase_la_officer"):
        if hasattr(user, attr):
            delattr(user, attr)


def school_ids_for(user, roles: Iterable[str] | None = None) -> set[int]:
    wanted = set(roles) if roles is not None else None
    return {school_id for school_id, held in roles_by_school(user).items() if wanted is None or held & wanted}


def has_role(user, school_id: int | None, *roles: str) -> bool:
    if school_id is None:
        return False
    held = roles_by_school(user).get(school_id, frozenset())
    return bool(held & set(roles)) if roles else bool(held)


def school_id_of(obj) -> int | None:
    from apcase.models import School

    if isinstance(obj, School):
        return obj.pk
    return getattr(obj, "school_id", None)


class SchoolScopedQuerySet(models.QuerySet):
    """Base for every model that belongs to a school."""

    school_field = "school"

    def for_user(self, user, roles: Iterable[str] | None = None):
        """The tenancy scope: records of the schools where the user holds a role (any, or one of roles)."""
        return self.filter(**{f"{self.school_field}__in": school_ids_for(user, roles)})


class UserOwnedQuerySet(models.QuerySet):
    """Base for records that belong to one person (their notifications, their exports): only the
    owner may open them, whatever their roles."""

    owner_field = "user"

    def for_user(self, user, roles: Iterable[str] | None = None):
        return self.filter(**{self.owner_field: user})


def get_object_for_user(
    request: AuthedRequest,
    queryset: models.QuerySet[M] | models.Manager[M],
    public_id,
    perm: str | None = None,
) -> M:
    """Fetch by public UUID inside the user's scope (404 otherwise), then check a rules permission (403).

    Fails closed: a queryset whose model has no `for_user()` scope is a programming error, never an
    unscoped lookup."""
    if not hasattr(queryset, "for_user"):
        raise ImproperlyConfigured(
            f"{queryset.model.__name__} has no for_user() scope: give its manager a SchoolScopedQuerySet "
            "or a UserOwnedQuerySet before looking it up for a user."
        )
    scoped = queryset.for_user(request.user)
    try:
        obj = scoped.get(public_id=public_id)
    except (scoped.model.DoesNotExist, ValidationError, ValueError):
        raise Http404("No such record in your school.") from None
    if perm and not request.user.has_perm(perm, obj):
        raise PermissionDenied("Your role does not allow this.")
    return obj


def require_perm(request: AuthedRequest, perm: str, obj=None) -> None:
    if not request.user.has_perm(perm, obj):
        raise PermissionDenied("Your role does not allow this.")


def client_ip(request: HttpRequest) -> str | None:
    """The address of the person's device, for the sign-in lockout and the access log.

    Behind a TLS proxy every request comes from the proxy; the person's address is then in
    X-Forwarded-For, which each proxy appends to. Only the last TRUSTED_PROXY_COUNT entries were
    written by our own proxies; anything left of them the client could have typed. So the setting
    says how many proxies to trust (default none: REMOTE_ADDR, which nobody can forge) and the
    address is read that many places from the right (docs/security.md#client-addresses)."""
    remote = request.META.get("REMOTE_ADDR") or None
    trusted = settings.TRUSTED_PROXY_COUNT
    if not trusted:
        return remote
    hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
    if len(hops) < trusted:
        return remote  # not through the proxies we were told of: trust only the socket
    candidate = hops[-trusted]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote


def record_access_log(request: AuthedRequest, obj, action: str = "view", *, school=None) -> None:
    """Note that the signed-in user opened obj (a record with public_id) — never its content.
    `school` says where it happened when obj has no school of its own (a person)."""
    from django.contrib.contenttypes.models import ContentType

    from apcase.models import RecordAccess

    RecordAccess.objects.create(
        user=request.user if request.user.is_authenticated else None,
        school_id=school.pk if school is not None else school_id_of(obj),
        content_type=ContentType.objects.get_for_model(obj),
        object_id=obj.public_id,
        action=action,
        path=request.path[:300],
        ip_address=client_ip(request),
    )


def current_school(request: AuthedRequest) -> School:
    """The school new records are created in; 403 if the user has none."""
    school = getattr(request, "school", None)
    if school is None:
        raise PermissionDenied("You are not a member of any school.")
    return school
