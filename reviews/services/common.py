"""What the review services share: the permission check (the date check is the core's
apcase.services.check_not_future; chronology steps are placements.services.common.placement_step,
linking to the review or plan they are about)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied

from apcase.models import User


def check_perm(actor: User, perm: str, obj, message: str) -> None:
    if not actor.has_perm(perm, obj):
        raise PermissionDenied(message)
