"""Who a provider person works for: the organisations where they are current staff, computed once
per user object (one query), as apcase.access does for school roles (docs/portal.md)."""

from __future__ import annotations

_CACHE_ATTR = "_apcase_provider_organisations"


def provider_organisation_ids(user) -> frozenset[int]:
    """Ids of the ProviderOrganisations where the user is current (active) staff; empty for school
    staff without a query, since only invited provider people carry User.is_provider_staff."""
    if not getattr(user, "is_authenticated", False) or not getattr(user, "is_provider_staff", False):
        return frozenset()
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is None:
        from audits.models import ProviderStaff

        cached = frozenset(ProviderStaff.objects.current().filter(user=user).values_list("organisation_id", flat=True))
        setattr(user, _CACHE_ATTR, cached)
    return cached


def forget_provider_organisations(user) -> None:
    if hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)
