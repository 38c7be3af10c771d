"""Placements that need someone to act, by reason: the dashboards' tiles count them, and the
placement list filters to them (?attention=<reason>) so every count has its list."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from apcase.access import school_ids_for
from apcase.models import User
from placements.models import Incident, Placement
from placements.selectors.attendance import attendance_missing
from placements.selectors.notices import notices_due
from placements.selectors.placements import RUNS_PLACEMENTS, iaps_past_six_weeks, incidents_needing_review

SAFEGUARDING_WINDOW = timedelta(days=30)


@dataclass(frozen=True)
class AttentionReason:
    label: str  # what the tile says after its count
    placement_ids: Callable[[User, date], set[int]]


def _notices(user: User, today: date) -> set[int]:
    return {item.placement.pk for item in notices_due(user=user, today=today)}


def _attendance(user: User, today: date) -> set[int]:
    return {m.placement.pk for m in attendance_missing(school_ids=school_ids_for(user, RUNS_PLACEMENTS), today=today)}


def _absence(user: User, today: date) -> set[int]:
    return set(
        Placement.objects.live()
        .filter(
            school_id__in=school_ids_for(user, RUNS_PLACEMENTS),
            absence_alert_level__in=[Placement.AbsenceLevel.PERSISTENT, Placement.AbsenceLevel.SEVERE],
        )
        .values_list("pk", flat=True)
    )


def _incidents(user: User, today: date) -> set[int]:
    return set(incidents_needing_review(user=user).values_list("placement_id", flat=True))


def _iaps(user: User, today: date) -> set[int]:
    return {item.placement.pk for item in iaps_past_six_weeks(user=user, today=today)}


def _safeguarding(user: User, today: date) -> set[int]:
    from apcase.models import Role

    return set(
        Incident.objects.filter(
            placement__school_id__in=school_ids_for(user, [*RUNS_PLACEMENTS, Role.DSL]),
            safeguarding_concern=True,
            occurred_at__date__gte=today - SAFEGUARDING_WINDOW,
        ).values_list("placement_id", flat=True)
    )


ATTENTION = {
    "notice": AttentionReason("parent notices to issue", _notices),
    "attendance": AttentionReason("placements with attendance not recorded", _attendance),
    "absence": AttentionReason("placements with absence at 10% or more", _absence),
    "incident": AttentionReason("serious incidents waiting for a decision", _incidents),
    "iap": AttentionReason("Internal AP placements past six weeks", _iaps),
    "safeguarding": AttentionReason("placements with a safeguarding concern in the last 30 days", _safeguarding),
}


def register_attention_reason(key: str, reason: AttentionReason) -> None:
    """Another app's reason a placement needs someone (the reviews app: the school may end it),
    so its tile links to this list like the rest. Called from an AppConfig.ready()."""
    ATTENTION.setdefault(key, reason)


def attention_ids(*, user: User, reason: str, today: date) -> set[int]:
    return ATTENTION[reason].placement_ids(user, today)
