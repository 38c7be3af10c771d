"""School-day arithmetic on a school's own term calendar.

Legal and policy deadlines are counted in school days ("not less than two school days before",
"half-termly", "termly"), so nothing here counts calendar days. A school day is a weekday inside
a half-term that is not a closure (INSET, other) or one of England's bank holidays
(apcase/bank_holidays.py). Dates outside the calendar the
school has entered raise CalendarGap rather than guessing.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

from apcase.bank_holidays import bank_holidays_between

if TYPE_CHECKING:
    from apcase.models import School

ONE_DAY = timedelta(days=1)
# A review is due in the last school week of its period, so it still falls inside the period.
REVIEW_DAYS_BEFORE_PERIOD_END = 4
# A placement starting with fewer school days left in a period has its first review in the next.
MIN_SCHOOL_DAYS_BEFORE_FIRST_REVIEW = 10


# Calendars loaded during one request (or one dispatcher run), by school id: several selectors on a
# dashboard each load their own School objects, and the calendar should still load once.
_shared: ContextVar[dict | None] = ContextVar("school_calendars", default=None)


@contextmanager
def calendars_shared() -> Iterator[None]:
    token = _shared.set({})
    try:
        yield
    finally:
        _shared.reset(token)


def forget_calendar(school_id: int) -> None:
    """Drop a school's calendar from this request's cache, after its term dates change."""
    shared = _shared.get()
    if shared is not None:
        shared.pop(school_id, None)


class CalendarGap(Exception):
    """The school has not entered term dates covering the date asked about."""


@dataclass(frozen=True)
class Period:
    name: str
    academic_year: str
    start: date
    end: date

    def __contains__(self, day: date) -> bool:
        return self.start <= day <= self.end


class SchoolCalendar:
    def __init__(self, half_terms: list[Period], closures: dict[date, str]):
        self.half_terms = sorted(half_terms, key=lambda p: p.start)
        # England's bank holidays close the school whether or not anyone entered them.
        bank_holidays = (
            bank_holidays_between(self.half_terms[0].start, self.half_terms[-1].end) if self.half_terms else {}
        )
        self.closures = {**dict.fromkeys(bank_holidays, "bank_holiday"), **closures}
        self._starts = [p.start for p in self.half_terms]
        self.terms = self._merge_terms(self.half_terms)
        # A calendar never changes once loaded, and counting school days asks about the same days
        # again and again (every placement of the school on a dashboard): answers are kept.
        self._school_day: dict[date, bool] = {}

    @classmethod
    def for_school(cls, school: School) -> SchoolCalendar:
        """Load a school's calendar (one query), cached on the school instance and, inside
        calendars_shared(), for every instance of that school."""
        cached = getattr(school, "_calendar", None)
        if cached is None:
            cached = school._calendar = cls._for_school_id(school.pk)
        return cached

    @classmethod
    def for_school_ids(cls, school_ids) -> dict[int, SchoolCalendar]:
        """{school id: calendar} without loading the schools themselves: one query however many
        schools (a trust's or an LA's dashboard), none for calendars already shared."""
        shared = _shared.get() or {}
        ids = list(school_ids)
        loaded = cls._load([school_id for school_id in ids if school_id not in shared])
        return {school_id: loaded.get(school_id) or shared[school_id] for school_id in ids}

    @classmethod
    def _for_school_id(cls, school_id: int) -> SchoolCalendar:
        shared = _shared.get()
        if shared is not None and school_id in shared:
            return shared[school_id]
        return cls._load([school_id])[school_id]

    @classmethod
    def load_for_schools(cls, schools) -> None:
        """Load the calendars of many schools in one query and cache each on its School, as
        for_school would one by one (a page listing several schools' placements: the provider
        portal's register, the trust's views)."""
        wanted = {school.pk: school for school in schools if getattr(school, "_calendar", None) is None}
        if not wanted:
            return
        shared = _shared.get() or {}
        missing = [school_id for school_id in wanted if school_id not in shared]
        loaded = {**{school_id: shared[school_id] for school_id in wanted if school_id in shared}, **cls._load(missing)}
        for school_id, school in wanted.items():
            school._calendar = loaded[school_id]

    @classmethod
    def _load(cls, school_ids: list[int]) -> dict[int, SchoolCalendar]:
        if not school_ids:
            return {}
        from django.db.models import CharField, DateField, IntegerField, Value

        from apcase.models import Closure, HalfTerm

        # Half-terms and closures in one round trip (every dashboard and placement page loads a
        # calendar): a closure is the row with half 0, its kind in the term column.
        half_term_rows = (
            HalfTerm.objects.filter(academic_year__school_id__in=school_ids)
            .order_by()  # a part of a UNION may not be ordered
            .values_list("academic_year__school_id", "academic_year__label", "term", "half", "start_date", "end_date")
        )
        closure_rows = (
            Closure.objects.filter(school_id__in=school_ids)
            .order_by()
            .annotate(
                label=Value("", output_field=CharField()),
                half=Value(0, output_field=IntegerField()),
                end=Value(None, output_field=DateField()),
            )
            .values_list("school_id", "label", "kind", "half", "date", "end")
        )
        half_terms: dict[int, list[Period]] = {school_id: [] for school_id in school_ids}
        closures: dict[int, dict[date, str]] = {school_id: {} for school_id in school_ids}
        term_names = dict(HalfTerm.TermName.choices)
        for school_id, label, term_or_kind, half, start, end in half_term_rows.union(closure_rows, all=True):
            if half:
                period = Period(name=f"{term_names[term_or_kind]} {half}", academic_year=label, start=start, end=end)
                half_terms[school_id].append(period)
            else:
                closures[school_id][start] = term_or_kind
        calendars = {school_id: cls(half_terms[school_id], closures[school_id]) for school_id in school_ids}
        shared = _shared.get()
        if shared is not None:
            shared.update(calendars)
        return calendars

    @staticmethod
    def _merge_terms(half_terms: list[Period]) -> list[Period]:
        terms: dict[tuple[str, str], Period] = {}
        for half in half_terms:
            term_name = half.name.rsplit(" ", 1)[0]
            key = (half.academic_year, term_name)
            existing = terms.get(key)
            terms[key] = Period(
                name=term_name,
                academic_year=half.academic_year,
                start=existing.start if existing else half.start,
                end=half.end,
            )
        return sorted(terms.values(), key=lambda p: p.start)

    # --- coverage -------------------------------------------------------------------------------

    @property
    def first_day(self) -> date | None:
        return self.half_terms[0].start if self.half_terms else None

    @property
    def last_day(self) -> date | None:
        return self.half_terms[-1].end if self.half_terms else None

    def _check_covered(self, day: date) -> None:
        first, last = self.first_day, self.last_day
        if first is None or last is None or not (first <= day <= last):
            raise CalendarGap(
                f"The school's term dates do not cover {day:%d/%m/%Y}. "
                "Add the academic year's terms in the back office (Term calendar)."
            )

    # --- single days ----------------------------------------------------------------------------

    def half_term_for(self, day: date) -> Period | None:
        index = bisect.bisect_right(self._starts, day) - 1
        if index >= 0 and day in self.half_terms[index]:
            return self.half_terms[index]
        return None

    def term_for(self, day: date) -> Period | None:
        return next((term for term in self.terms if day in term), None)

    def latest_term_on(self, day: date) -> Period | None:
        """The term containing day, else the last one that started before it (in a holiday)."""
        return self.term_for(day) or next((term for term in reversed(self.terms) if term.start <= day), None)

    def academic_year_on(self, day: date) -> Period | None:
        """The academic year of latest_term_on(day), from its first term's start to its last's end."""
        term = self.latest_term_on(day)
        if term is None:
            return None
        terms = [t for t in self.terms if t.academic_year == term.academic_year]
        return Period("Academic year", term.academic_year, terms[0].start, terms[-1].end)

    def is_school_day(self, day: date) -> bool:
        known = self._school_day.get(day)
        if known is None:
            self._check_covered(day)
            known = day.weekday() < 5 and self.half_term_for(day) is not None and day not in self.closures
            self._school_day[day] = known
        return known

    # --- counting -------------------------------------------------------------------------------

    def add_school_days(self, day: date, count: int) -> date:
        """The count-th school day after day (before it when count is negative); day itself is not counted."""
        if count == 0:
            return day
        step = ONE_DAY if count > 0 else -ONE_DAY
        remaining = abs(count)
        current = day
        while remaining:
            current += step
            if self.is_school_day(current):
                remaining -= 1
        return current

    def school_days(self, start: date, end: date) -> list[date]:
        """Every school day from start to end, both included."""
        self._check_covered(start)
        self._check_covered(end)
        days, current = [], start
        while current <= end:
            if self.is_school_day(current):
                days.append(current)
            current += ONE_DAY
        return days

    def school_days_between(self, start: date, end: date) -> int:
        """School days after start up to and including end (negative when end is before start)."""
        if end < start:
            return -self.school_days_between(end, start)
        return len(self.school_days(start + ONE_DAY, end)) if end > start else 0

    def school_day_on_or_after(self, day: date) -> date:
        return day if self.is_school_day(day) else self.add_school_days(day, 1)

    def school_day_on_or_before(self, day: date) -> date:
        return day if self.is_school_day(day) else self.add_school_days(day, -1)

    # --- review dates ---------------------------------------------------------------------------

    def _review_due(self, period: Period) -> date:
        last = self.school_day_on_or_before(period.end)
        due = self.add_school_days(last, -REVIEW_DAYS_BEFORE_PERIOD_END)
        return max(due, self.school_day_on_or_after(period.start))

    def _review_dates(self, periods: list[Period], start: date, end: date) -> list[date]:
        earliest = self.add_school_days(self.school_day_on_or_after(start), MIN_SCHOOL_DAYS_BEFORE_FIRST_REVIEW - 1)
        return [
            due
            for period in periods
            if period.end >= start and period.start <= end
            for due in [self._review_due(period)]
            if earliest <= due <= end
        ]

    def half_termly_review_dates(self, start: date, end: date) -> list[date]:
        """One review in the last school week of every half-term the placement spans."""
        return self._review_dates(self.half_terms, start, end)

    def termly_review_dates(self, start: date, end: date) -> list[date]:
        """One review in the last school week of every term the placement spans."""
        return self._review_dates(self.terms, start, end)

    def next_half_termly_review(self, after: date) -> date:
        dates = self.half_termly_review_dates(after, self.last_day or after)
        if not dates:
            raise CalendarGap("No half-term after this date is in the school's term dates yet.")
        return dates[0]

    def next_termly_review(self, after: date) -> date:
        dates = self.termly_review_dates(after, self.last_day or after)
        if not dates:
            raise CalendarGap("No term after this date is in the school's term dates yet.")
        return dates[0]

    def weekly_dates(self, start: date, end: date) -> list[date]:
        """Every fifth school day from start (weekly IAP reintegration reviews)."""
        dates: list[date] = []
        current = self.school_day_on_or_after(start)
        while True:
            current = self.add_school_days(current, 5)
            if current > end:
                return dates
            dates.append(current)
