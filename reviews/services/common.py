"""What the review services share: permission and date checks (chronology steps are
placements.services.common.placement_step, linking to the review or plan they are about)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from apcase.models import User


def check_perm(actor: User, perm: str, obj, message: str) -> None:
    if not actor.has_perm(perm, obj):
        raise PermissionDenied(message)


def check_not_future(field: str, day) -> None:
    if day and day > timezone.localdate():
        raise ValidationError({field: "This date cannot be in the future."})
