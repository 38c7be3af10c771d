"""What every placement service shares: validated, attributed saves and chronology steps."""

from __future__ import annotations

from datetime import date, datetime, time

from django.utils import timezone

from apcase.models import User
from placements.models import Placement
from pupils.models import CaseEvent
from pupils.services import case_event_record


def placement_step(
    placement: Placement,
    kind: str,
    summary: str,
    actor: User | None,
    when: datetime | None = None,
    *,
    link: str = "",
) -> CaseEvent:
    """A step of this placement in the pupil's chronology, linking to the record it is about (the
    placement itself unless another is given: a review, the plan)."""
    return case_event_record(
        pupil=placement.pupil,
        kind=kind,
        summary=summary,
        actor=actor,
        occurred_at=when,
        link=link or placement.get_absolute_url(),
    )


def moment_on(day: date) -> datetime:
    """When a record dated only by its day goes in the chronology: now if today, else midday that
    day (the chronology orders by time as well as date)."""
    if day >= timezone.localdate():
        return timezone.now()
    return timezone.make_aware(datetime.combine(day, time(12, 0)))
