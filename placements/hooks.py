"""Hooks other apps use to act on what happens here without placements importing them
(dependencies point one way: reviews -> placements).

A serious incident must lead to a placement review (docs/domain-rules.md#serious-incident). The reviews app registers a
listener that schedules one:

    register_serious_incident_listener(review_schedule_for_incident)

placement_incident_record calls every listener inside its own transaction, so an incident is never
recorded without its review being scheduled, and a failing listener records neither.

A placement's reviews follow its dates: the reviews app registers a schedule listener, called in
the same transaction when a placement starts, when it ends, and when a running placement's planned
last day changes.

The placement page shows what other apps keep about the placement (reviews, progress, the
reintegration plan) through sections they register: a section function gets the user and the
placement and returns the template and context to include, or None to show nothing.

Ending a placement as "reintegrated" needs what the reviews app keeps: an agreed reintegration
plan and a final report (docs/policy-steps.md). The reviews app registers an end check, which
returns what is missing for an outcome; placement_transition refuses the end unless the
headteacher records why it goes ahead without it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from placements.models import Incident, Placement

SeriousIncidentListener = Callable[["Incident", Any], object]  # (incident, actor)
ScheduleListener = Callable[["Placement", Any], None]  # (placement, actor)


@dataclass(frozen=True)
class PlacementSection:
    template: str
    context: dict


SectionFunction = Callable[[Any, "Placement"], PlacementSection | None]  # (user, placement)
EndCheck = Callable[["Placement", str], list[str]]  # (placement, outcome) -> what is missing, one sentence each

_serious_incident_listeners: list[SeriousIncidentListener] = []
_schedule_listeners: list[ScheduleListener] = []
_sections: list[SectionFunction] = []
_end_checks: list[EndCheck] = []


def _register(registry: list, func):
    if func not in registry:
        registry.append(func)
    return func


def register_serious_incident_listener(func: SeriousIncidentListener) -> SeriousIncidentListener:
    """Call func(incident, actor) whenever a serious incident is recorded (usable as a decorator)."""
    return _register(_serious_incident_listeners, func)


def serious_incident_listeners() -> tuple[SeriousIncidentListener, ...]:
    return tuple(_serious_incident_listeners)


def register_schedule_listener(func: ScheduleListener) -> ScheduleListener:
    """Call func(placement, actor) when a placement starts or ends and when a running placement's
    planned last day changes."""
    return _register(_schedule_listeners, func)


def schedule_listeners() -> tuple[ScheduleListener, ...]:
    return tuple(_schedule_listeners)


def register_placement_section(func: SectionFunction) -> SectionFunction:
    """Show func(user, placement)'s section on the placement page."""
    return _register(_sections, func)


def placement_sections(user, placement: Placement) -> list[PlacementSection]:
    return [section for func in _sections if (section := func(user, placement)) is not None]


def register_end_check(func: EndCheck) -> EndCheck:
    """Ask func(placement, outcome) what is missing before a placement ends with that outcome."""
    return _register(_end_checks, func)


def missing_before_end(placement: Placement, outcome: str) -> list[str]:
    return [missing for func in _end_checks for missing in func(placement, outcome)]
