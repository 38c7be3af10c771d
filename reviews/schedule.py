"""When reviews and check-ins fall due, on the school's term calendar (never calendar days).

Routine reviews (docs/domain-rules.md#review-cadence):
- an IAP is reviewed weekly (its reintegration plan);
- any other placement every half-term with the provider, and every term with the parents and
  provider too; where both fall in the same week the termly review covers both;
- a placement with a planned last day has a final review before the return, which replaces any
  routine review in its own school week or after it.
"""

from __future__ import annotations

from datetime import date

from apcase.calendar import CalendarGap, SchoolCalendar
from placements.models import Placement
from reviews.models import CheckIn, ReviewMeeting

K = ReviewMeeting.Kind
FINAL_REVIEW_SCHOOL_DAYS_BEFORE_END = 5
# A routine review this close before the final review (or after it) is left to the final one.
SAME_WEEK = 4
# A serious incident is reviewed within a school week (docs/domain-rules.md#serious-incident).
INCIDENT_REVIEW_SCHOOL_DAYS = 5
# Reg 4A: "as soon as reasonably practicable" (docs/domain-rules.md#review-requests). Two school weeks leave
# time to invite the parents (the DfE advises at least six days' notice) and to hear from the provider.
REQUESTED_REVIEW_SCHOOL_DAYS = 10
SCHOOL_DAYS_A_WEEK = 5


def final_review_due(placement: Placement, calendar: SchoolCalendar) -> date | None:
    """Five school days before the planned last day (None without one, or beyond the term dates)."""
    if placement.start_date is None or placement.end_date is None:
        return None
    try:
        last = calendar.school_day_on_or_before(placement.end_date)
        due = calendar.add_school_days(last, -FINAL_REVIEW_SCHOOL_DAYS_BEFORE_END)
        return max(due, calendar.school_day_on_or_after(placement.start_date))
    except CalendarGap:
        return None


def routine_reviews(placement: Placement, calendar: SchoolCalendar) -> list[tuple[str, date]]:
    """(kind, due date) of every routine review from the first day to the last, oldest first.

    Without a planned last day the schedule runs to the end of the term dates the school has
    entered; nothing is scheduled beyond them.
    """
    if placement.start_date is None or calendar.last_day is None:
        return []
    start, end = placement.start_date, min(placement.end_date or calendar.last_day, calendar.last_day)
    if end < start:
        return []
    try:
        if placement.is_iap:
            reviews = [(K.IAP_WEEKLY, day) for day in calendar.weekly_dates(start, end)]
        else:
            termly = calendar.termly_review_dates(start, end)
            half_termly = [day for day in calendar.half_termly_review_dates(start, end) if day not in termly]
            reviews = [(K.TERMLY, day) for day in termly] + [(K.HALF_TERMLY, day) for day in half_termly]
    except CalendarGap:
        return []  # the first day is outside the term dates: nothing can be counted yet
    final = final_review_due(placement, calendar)
    if final is not None:
        replaced_from = calendar.add_school_days(final, -SAME_WEEK)
        reviews = [(kind, day) for kind, day in reviews if day < replaced_from] + [(K.FINAL, final)]
    return sorted(reviews, key=lambda review: review[1])


def school_day_offset(calendar: SchoolCalendar, day: date, count: int) -> date:
    """The count-th school day after day (before it when count is negative), or day itself when the
    term dates do not reach it: a review or reminder is then due at once rather than on a guess."""
    try:
        return calendar.add_school_days(day, count)
    except CalendarGap:
        return day


def check_in_dates(placement: Placement, calendar: SchoolCalendar) -> dict[int, date]:
    """{weeks after the return: due date} for the check-ins after a return to class, counted in
    school weeks from the first school day back; points beyond the term dates are left out."""
    dates: dict[int, date] = {}
    assert placement.actual_end_date is not None  # check-ins follow a return to class
    try:
        back = calendar.add_school_days(placement.actual_end_date, 1)
    except CalendarGap:
        return dates
    for weeks in CheckIn.WEEKS:
        try:
            dates[weeks] = calendar.add_school_days(back, weeks * SCHOOL_DAYS_A_WEEK)
        except CalendarGap:
            break
    return dates


def period_label(calendar: SchoolCalendar, day: date) -> str:
    """The half-term a day falls in, e.g. "Autumn 2 2026/27" ("" in a holiday)."""
    half_term = calendar.half_term_for(day)
    return f"{half_term.name} {half_term.academic_year}" if half_term else ""
