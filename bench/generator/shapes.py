"""The shape of each placement, decided before anything is written: where, which sessions, and when
each step happened (or, for a placement still to start, when it will start). Referrals are dated
from it, so a placement is always planned after the headteacher approved its referral."""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from audits.models import Provider
from bench.generator.base import BenchSchool, Build, PupilPlan
from placements.models import Placement
from placements.timetable import SESSION_KEYS, WEEKDAYS

S = Placement.Status
ALL_WEEK = list(SESSION_KEYS)
MORNINGS = [key for key in SESSION_KEYS if key.endswith("_am")]
PART_WEEKS = (
    [key for key in SESSION_KEYS if key[:3] in ("mon", "tue", "wed")],
    [key for key in SESSION_KEYS if key[:3] in ("tue", "thu")],
    [key for key in SESSION_KEYS if key[:3] in ("thu", "fri")],
)
STARTED = Placement.STARTED
NOT_YET_STARTED = Placement.BEFORE_START
WINDOW_OFFSET = 10  # placements start from two weeks into the 2025/26 year (plans made before it)


@dataclass
class PlacementShape:
    status: str
    provider: Provider
    directed: bool
    pattern: str
    timetable: list[str]
    from_referral: bool
    planned_at: datetime | None = None
    start: date | None = None
    planned_end: date | None = None
    asked_at: datetime | None = None
    decided_at: datetime | None = None
    ending_at: datetime | None = None
    actual_end: date | None = None
    cancelled_at: datetime | None = None

    @property
    def offsite(self) -> bool:
        return self.provider.kind == Provider.Kind.OFFSITE


def shape_placements(build: Build) -> None:
    for bs in build.schools:
        for plan in bs.plans:
            if plan.placement_status:
                plan.shape = _shape(build, bs, plan)


def _shape(build: Build, bs: BenchSchool, plan: PupilPlan) -> PlacementShape:
    rng, status = build.rng, plan.placement_status
    offsite = plan.year_long or build.chance(0.65)
    providers = bs.offsite_cleared if offsite else bs.internal
    if status == S.PLANNED and offsite and build.chance(0.3):
        providers = bs.offsite_not_cleared  # still being checked by the DSL
    provider = rng.choice(providers)
    pattern, timetable = _timetable(build, provider, full_time=plan.year_long)
    shape = PlacementShape(
        status=status,
        provider=provider,
        directed=offsite and (plan.year_long or build.chance(0.6)),
        pattern=pattern,
        timetable=timetable,
        from_referral=plan.year_long or build.chance(0.8),
    )
    _dates(build, bs, shape, plan.year_long)
    return shape


def _timetable(build: Build, provider: Provider, *, full_time: bool) -> tuple[str, list[str]]:
    if full_time or provider.short_term_iap:
        return Placement.Pattern.FULL_TIME, ALL_WEEK
    if provider.kind == Provider.Kind.INTERNAL:
        return Placement.Pattern.SPLIT, MORNINGS
    pattern = build.pick(
        {Placement.Pattern.FULL_TIME: 55, Placement.Pattern.PART_TIME: 20, Placement.Pattern.SPLIT: 25}
    )
    return pattern, ALL_WEEK if pattern == Placement.Pattern.FULL_TIME else build.rng.choice(PART_WEEKS)


def _dates(build: Build, bs: BenchSchool, shape: PlacementShape, year_long: bool) -> None:
    """Every step no later than the last school day; a placement yet to start starts in 4-25 school days."""
    rng, days = build.rng, bs.school_days
    last = bisect_left(days, build.last_school_day(bs))
    first = WINDOW_OFFSET
    length = 30 if shape.provider.short_term_iap else rng.randrange(20, 70)
    if shape.status in NOT_YET_STARTED:
        if not (shape.status == S.PLANNED and build.chance(0.2)):  # some plans have no first day yet
            shape.start = _first_session(days, last + rng.randrange(4, 26), shape.timetable)
            shape.planned_end = days[min(bisect_left(days, shape.start) + length, len(days) - 1)]
        shape.planned_at = build.at(build.weekday_on_or_before(build.today - timedelta(days=rng.randrange(9, 21))), 10)
    else:
        latest_starts = {S.ENDED: last - 40, S.ENDING: last - 20, S.ACTIVE: last - 5, S.CANCELLED: last - 5}
        latest_start = latest_starts[S(shape.status)]
        running = shape.status in (S.ACTIVE, S.ENDING)
        iap = shape.provider.short_term_iap
        earliest = max(first, last - 25) if iap and running else first  # a running IAP is in its six weeks
        index = first if year_long else rng.randrange(earliest, latest_start)
        shape.start = _first_session(days, index, shape.timetable)
        start_index = bisect_left(days, shape.start)
        end_index = start_index + length - 1
        if shape.status == S.ACTIVE:
            end_index = max(end_index, last + (2 if iap else rng.randrange(10, 50)))
        elif shape.status == S.ENDING:
            end_index = last + rng.randrange(2, 10)
        shape.planned_end = days[min(end_index, len(days) - 1)]
        planned_on = shape.start - timedelta(days=rng.randrange(14, 30))
        shape.planned_at = build.at(build.weekday_on_or_before(planned_on), 10)
        if shape.status == S.ENDED:
            early = build.chance(0.15)
            shape.actual_end = days[min(start_index + (length * 2 // 3 if early else length - 1), last - 2)]
        if shape.status == S.ENDING:
            shape.ending_at = build.at(days[max(start_index, last - rng.randrange(1, 8))], 15)
    _approval_dates(build, shape)


def _approval_dates(build: Build, shape: PlacementShape) -> None:
    assert shape.planned_at is not None  # shape_placement() dates the plan first
    asked = shape.planned_at + timedelta(days=build.rng.randrange(1, 3), hours=1)
    decided = asked + timedelta(days=build.rng.randrange(1, 3), hours=2)
    cancelled = shape.status == S.CANCELLED
    if shape.status != S.PLANNED and not (cancelled and build.chance(0.5)):
        shape.asked_at = asked
    if shape.status not in (S.PLANNED, S.AWAITING_APPROVAL, S.CANCELLED):
        shape.decided_at = decided
    if cancelled:
        shape.cancelled_at = (shape.asked_at or shape.planned_at) + timedelta(days=build.rng.randrange(1, 5))


def _first_session(days: list[date], index: int, timetable: list[str]) -> date:
    """The school day at `index`, or the next one with a session at the provision."""
    index = min(index, len(days) - 1)
    while index < len(days) - 1 and not any(key.startswith(WEEKDAYS[days[index].weekday()]) for key in timetable):
        index += 1
    return days[index]
