"""A placement on the school's term calendar: its length in school days, the sessions its
timetable expects, and the IAP's six weeks. Nothing here counts calendar days."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, time
from typing import TypeVar

from apcase.calendar import CalendarGap, SchoolCalendar
from apcase.models import School
from placements.models import Placement
from placements.timetable import Session, session_key

SCHOOL_DAYS_A_WEEK = 5
# docs/domain-rules.md#iap-length: an IAP is "typically 2–6 weeks".
IAP_DEFAULT_SCHOOL_DAYS = 6 * SCHOOL_DAYS_A_WEEK
IAP_MAX_SCHOOL_DAYS = 6 * SCHOOL_DAYS_A_WEEK
# Arriving at or after midday on the first day, the pupil is not expected that morning.
AFTERNOON_STARTS = time(12, 0)
SESSIONS = tuple(Session.values)  # an enum's .values is rebuilt on every access
P = TypeVar("P", bound=Placement)  # a placement, with whatever a query annotated it with


def calendar_for(placement: Placement) -> SchoolCalendar:
    return SchoolCalendar.for_school(placement.school)


def with_shared_schools(placements: Iterable[P]) -> list[P]:
    """Give placements of one school the same School object, so its calendar (cached on the school)
    loads once for a list of placements rather than once per placement."""
    placements = list(placements)
    schools: dict[int, School] = {}
    for placement in placements:
        placement.school = schools.setdefault(placement.school_id, placement.school)
    return placements


def school_days_in(calendar: SchoolCalendar, start: date, end: date) -> int:
    """School days from start to end, both included (CalendarGap outside the term dates)."""
    return len(calendar.school_days(start, end))


def last_day_after(calendar: SchoolCalendar, start: date, school_days: int) -> date:
    """The last day of a period of `school_days` school days starting on `start`."""
    return calendar.add_school_days(calendar.school_day_on_or_after(start), school_days - 1)


def covered_school_days(calendar: SchoolCalendar, start: date, end: date) -> list[date]:
    """The school days from start to end that the school's term dates cover (gaps are skipped)."""
    first, last = calendar.first_day, calendar.last_day
    if first is None or last is None:
        return []
    start, end = max(start, first), min(end, last)
    return calendar.school_days(start, end) if start <= end else []


def is_expected(placement: Placement, day: date, session: str) -> bool:
    """Does the timetable put the pupil at the provision for this session (a school day assumed)?"""
    if session_key(day, session) not in placement.timetable:
        return False
    starts_late = placement.start_time is not None and placement.start_time >= AFTERNOON_STARTS
    return not (day == placement.start_date and session == Session.AM and starts_late)


def expected_sessions(placement: Placement, calendar: SchoolCalendar, start: date, end: date) -> list[tuple[date, str]]:
    """The (day, session) pairs the placement expects at the provision between start and end."""
    if placement.start_date is None:
        return []
    start = max(start, placement.start_date)
    if placement.end_date is not None:
        end = min(end, placement.end_date)
    return [
        (day, session)
        for day in covered_school_days(calendar, start, end)
        for session in SESSIONS
        if is_expected(placement, day, session)
    ]


def days_at_provision(placement: Placement, calendar: SchoolCalendar) -> int:
    """School days of the whole placement on which the timetable has the pupil at the provision."""
    if placement.start_date is None or placement.end_date is None:
        return 0
    return len(
        {day for day, _session in expected_sessions(placement, calendar, placement.start_date, placement.end_date)}
    )


def iap_limit(placement: Placement, calendar: SchoolCalendar) -> date | None:
    """The last day of an IAP's six weeks, or None (not an IAP, no start, or beyond the calendar)."""
    if not placement.is_iap or placement.start_date is None:
        return None
    try:
        return last_day_after(calendar, placement.start_date, IAP_MAX_SCHOOL_DAYS)
    except CalendarGap:
        return None


def iap_extension_warning(placement: Placement, calendar: SchoolCalendar) -> str | None:
    """The warning when an IAP is planned to run past six weeks (docs/domain-rules.md#iap-length)."""
    limit = iap_limit(placement, calendar)
    if limit is None or placement.end_date is None or placement.end_date <= limit:
        return None
    weeks = placement.school_days / SCHOOL_DAYS_A_WEEK if placement.school_days else None
    length = f" ({weeks:g} school weeks)" if weeks else ""
    return (
        f"This IAP now runs to {placement.end_date:%d/%m/%Y}{length}, past its six weeks (which end on "
        f"{limit:%d/%m/%Y}). An IAP is meant to be short: review the reintegration plan and record why it "
        "needs longer."
    )
