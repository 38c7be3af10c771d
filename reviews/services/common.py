"""What the review services share: permission checks and chronology steps that link to the record."""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from apcase.models import User
from placements.models import Placement
from pupils.services import case_event_record


def check_perm(actor: User, perm: str, obj, message: str) -> None:
    if not actor.has_perm(perm, obj):
        raise PermissionDenied(message)


def check_not_future(field: str, day) -> None:
    if day and day > timezone.localdate():
        raise ValidationError({field: "This date cannot be in the future."})


def step(placement: Placement, kind: str, summary: str, actor: User | None, *, link: str, when: datetime | None = None):
    """A step in the pupil's chronology, linking to the record it is about."""
    return case_event_record(
        pupil=placement.pupil, kind=kind, summary=summary, actor=actor, occurred_at=when, link=link
    )
