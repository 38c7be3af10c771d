"""Attendance at a placement: the figures (DfE: persistent absence at 10% of possible sessions,
severe at 50%), the week grid, and expected sessions nobody has marked."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from functools import reduce
from operator import or_

from django.db.models import Count, Q
from django.db.models.functions import TruncWeek
from django.utils import timezone

from apcase.calendar import CalendarGap, SchoolCalendar
from placements.models import AttendanceCode, AttendanceMark, Placement
from placements.schedule import SESSIONS, calendar_for, expected_sessions, is_expected, with_shared_schools
from placements.timetable import Session

# Shares of possible sessions missed (docs/domain-rules.md#absence-thresholds), compared exactly: 9.96% is
# not persistent absence, even though it is shown rounded as 10.0%.
PERSISTENT_ABSENCE = Fraction(10, 100)
SEVERE_ABSENCE = Fraction(50, 100)
# Below a week's sessions a single absence reads as 10% or 50%: the flags wait for enough marks.
MIN_SESSIONS_FOR_FLAGS = 10
RECENT_DAYS = 28  # "the last four weeks"
# How far back the dashboards and reminders chase unmarked sessions: half a term.
CHASE_WINDOW = timedelta(weeks=6)
M = AttendanceCode.Meaning
# Sessions counted in a figure: every mark but "not counted" is possible; "attending" attended.
FIGURE_COUNTS = {
    "possible": Count("pk", filter=~Q(code__meaning=M.NOT_COUNTED)),
    "attended": Count("pk", filter=Q(code__meaning=M.ATTENDING)),
}


@dataclass(frozen=True)
class Figures:
    possible: int = 0
    attended: int = 0

    @property
    def percentage(self) -> Decimal | None:
        """Attendance in per cent, rounded to one place: for display only."""
        if not self.possible:
            return None
        return (Decimal(100 * self.attended) / self.possible).quantize(Decimal("0.1"), ROUND_HALF_UP)

    @property
    def absence(self) -> Decimal | None:
        """Absence in per cent as shown beside the attendance (the two add up to 100): display only."""
        return None if self.percentage is None else Decimal(100) - self.percentage

    @property
    def absence_share(self) -> Fraction | None:
        """The exact share of possible sessions missed, which the thresholds compare."""
        return Fraction(self.possible - self.attended, self.possible) if self.possible else None

    def level(self) -> str:
        """Placement.AbsenceLevel reached by these figures ("" below the thresholds or too few marks)."""
        share = self.absence_share
        if self.possible < MIN_SESSIONS_FOR_FLAGS or share is None:
            return Placement.AbsenceLevel.NONE
        if share >= SEVERE_ABSENCE:
            return Placement.AbsenceLevel.SEVERE
        if share >= PERSISTENT_ABSENCE:
            return Placement.AbsenceLevel.PERSISTENT
        return Placement.AbsenceLevel.NONE


def _figures(meanings: list[str]) -> Figures:
    counted = [meaning for meaning in meanings if meaning != M.NOT_COUNTED]
    return Figures(possible=len(counted), attended=sum(1 for meaning in counted if meaning == M.ATTENDING))


@dataclass(frozen=True)
class AttendanceSummary:
    overall: Figures
    last_four_weeks: Figures
    baseline: Decimal | None
    baseline_note: str
    weekly: list[tuple[date, Figures]] = field(default_factory=list)  # Monday of each week, oldest first
    # Expected sessions due to be marked by now that have no mark: the figures leave them out, so
    # a page showing the figures must say how many there are.
    unrecorded: int = 0

    @property
    def level(self) -> str:
        return self.overall.level()

    @property
    def persistent(self) -> bool:
        return self.level in (Placement.AbsenceLevel.PERSISTENT, Placement.AbsenceLevel.SEVERE)

    @property
    def severe(self) -> bool:
        return self.level == Placement.AbsenceLevel.SEVERE

    @property
    def level_label(self) -> str:
        return Placement.AbsenceLevel(self.level).label


def attendance_summary(
    placement: Placement, *, today: date | None = None, marks: list[tuple[date, str, str]] | None = None
) -> AttendanceSummary:
    """The placement's attendance from its marks (one query unless the caller read them, as
    (date, session, meaning) in date order, and the school's calendar): overall, the last four
    weeks, week by week, the baseline before it, and how many sessions lack a mark."""
    today = today or timezone.localdate()
    if marks is None:
        marks = list(placement.attendance_marks.values_list("date", "session", "code__meaning").order_by("date"))
    recent_from = today - timedelta(days=RECENT_DAYS)
    by_week: dict[date, list[str]] = defaultdict(list)
    for day, _session, meaning in marks:
        by_week[day - timedelta(days=day.weekday())].append(meaning)
    marked = {(placement.pk, day, session) for day, session, _meaning in marks}
    return AttendanceSummary(
        overall=_figures([meaning for _day, _session, meaning in marks]),
        last_four_weeks=_figures([meaning for day, _session, meaning in marks if day > recent_from]),
        baseline=placement.baseline_attendance,
        baseline_note=placement.baseline_note,
        weekly=[(week, _figures(meanings)) for week, meanings in sorted(by_week.items())],
        unrecorded=len(_unmarked(placement, today, marked)) if placement.start_date else 0,
    )


def school_attendance_by_week(*, school_id: int, today: date, weeks: int = 8) -> list[tuple[date, Figures]]:
    """Attendance at every placement of a school, week by week over the last `weeks` weeks
    (Monday of each week that has marks, oldest first): the SENDCo's trend. One query."""
    this_monday = today - timedelta(days=today.weekday())
    rows = (
        AttendanceMark.objects.filter(
            placement__school_id=school_id, date__range=(this_monday - timedelta(weeks=weeks - 1), today)
        )
        .annotate(week=TruncWeek("date"))
        .values("week")
        .annotate(**FIGURE_COUNTS)
        .order_by("week")
    )
    return [(row["week"], Figures(row["possible"], row["attended"])) for row in rows]


def attendance_by_provider(periods: dict[int, tuple[date, date]]) -> dict[tuple[int, int], Figures]:
    """{(school id, provider id): Figures} from the marks of each school's placements within that
    school's own period (each school's half-term), in one grouped query however many schools."""
    if not periods:
        return {}
    within = reduce(or_, (Q(placement__school_id=sid, date__range=span) for sid, span in periods.items()))
    rows = (
        AttendanceMark.objects.filter(within)
        .values("placement__school_id", "placement__provider_id")
        .annotate(**FIGURE_COUNTS)
        .order_by()
    )
    return {
        (row["placement__school_id"], row["placement__provider_id"]): Figures(row["possible"], row["attended"])
        for row in rows
    }


def attendance_codes() -> list[AttendanceCode]:
    """The codes offered for entry, in register order (the grid's list and the import's lookup)."""
    return list(AttendanceCode.objects.filter(is_active=True).order_by("order", "code"))


# --- The week grid ------------------------------------------------------------------------------


# What a cell of the grid is: open for a mark, or why not.
CELL_OPEN = "open"
CELL_FUTURE = "future"
CELL_NOT_EXPECTED = "not_expected"
CELL_OUTSIDE = "outside"


@dataclass(frozen=True)
class GridCell:
    day: date
    session: str
    state: str
    mark: AttendanceMark | None

    @property
    def name(self) -> str:
        """The form field name of the cell's code (its reason is "reason-" + the same)."""
        return f"{self.day:%Y-%m-%d}-{self.session}"

    @property
    def label(self) -> str:
        return f"{self.day:%A %d/%m/%Y} {Session(self.session).label.lower()}"

    @property
    def editable(self) -> bool:
        return self.state == CELL_OPEN

    @property
    def is_future(self) -> bool:
        return self.state == CELL_FUTURE

    @property
    def is_not_expected(self) -> bool:
        return self.state == CELL_NOT_EXPECTED

    @property
    def is_outside(self) -> bool:
        return self.state == CELL_OUTSIDE


@dataclass(frozen=True)
class GridDay:
    day: date
    closed: str  # why the school is closed that day ("" on a school day)
    cells: list[GridCell]


@dataclass(frozen=True)
class AttendanceWeek:
    monday: date
    days: list[GridDay]
    previous: date | None
    next: date | None

    @property
    def open_cells(self) -> list[GridCell]:
        return [cell for day in self.days for cell in day.cells if cell.editable]


def week_monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def default_week(placement: Placement, today: date) -> date:
    """This week, or the placement's first or last week when today is outside it."""
    day = today
    if placement.start_date and day < placement.start_date:
        day = placement.start_date
    elif placement.end_date and day > placement.end_date:
        day = placement.end_date
    return week_monday(day)


def _closed_reason(calendar: SchoolCalendar, day: date) -> str:
    try:
        if calendar.is_school_day(day):
            return ""
    except CalendarGap:
        return "Outside the school's term dates"
    return "School closed" if calendar.half_term_for(day) else "School holiday"


def _cell_state(placement: Placement, day: date, session: str, today: date) -> str:
    assert placement.start_date is not None  # only a placement with a first day has a register
    if day < placement.start_date or (placement.end_date and day > placement.end_date):
        return CELL_OUTSIDE
    if not is_expected(placement, day, session):
        return CELL_NOT_EXPECTED
    return CELL_FUTURE if day > today else CELL_OPEN


def attendance_week(placement: Placement, monday: date, today: date) -> AttendanceWeek:
    """Monday to Friday of one week: each school day's two sessions with their state and mark."""
    calendar = calendar_for(placement)
    friday = monday + timedelta(days=4)
    marks = {
        (mark.date, mark.session): mark
        for mark in placement.attendance_marks.filter(date__range=(monday, friday)).select_related(
            "code", "recorded_by", "recorded_by_provider"
        )
    }
    days = []
    for offset in range(5):
        day = monday + timedelta(days=offset)
        closed = _closed_reason(calendar, day)
        cells = [
            GridCell(day, session, _cell_state(placement, day, session, today), marks.get((day, session)))
            for session in Session.values
        ]
        days.append(GridDay(day, closed, [] if closed else cells))
    assert placement.start_date is not None  # only a placement with a first day has a register
    first, last = week_monday(placement.start_date), week_monday(placement.end_date or today)
    return AttendanceWeek(
        monday=monday,
        days=days,
        previous=monday - timedelta(days=7) if monday > first else None,
        next=monday + timedelta(days=7) if monday < max(last, week_monday(today)) else None,
    )


# --- Unmarked sessions --------------------------------------------------------------------------


@dataclass(frozen=True)
class MissingMark:
    placement: Placement
    date: date
    session: str

    @property
    def session_label(self) -> str:
        return Session(self.session).label.lower()


def _marking_cutoff(calendar: SchoolCalendar, today: date) -> date:
    """The last school day whose sessions should be marked by today: a session is due by the next
    school day, so on Tuesday Monday's are due, and on Saturday Thursday's (Friday's by Monday)."""
    return calendar.add_school_days(calendar.school_day_on_or_before(today), -1)


def _unmarked(placement: Placement, today: date, marked: set, since: date | None = None) -> list[MissingMark]:
    calendar = calendar_for(placement)
    try:
        cutoff = _marking_cutoff(calendar, today)
    except CalendarGap:
        return []
    assert placement.start_date is not None  # only a placement with a first day has sessions to mark
    start = max(placement.start_date, since) if since else placement.start_date
    return [
        MissingMark(placement, day, session)
        for day, session in expected_sessions(placement, calendar, start, cutoff)
        if (placement.pk, day, session) not in marked
    ]


def attendance_missing(*, school_ids, today: date) -> list[MissingMark]:
    """Expected sessions with no mark by the next school day, over the last CHASE_WINDOW, of every
    placement whose register is open and not yet ended: running ones, and those past their first
    day with no start recorded, where a pupil is expected all the same (what the dashboards chase
    and the reminders remind about). Two queries, plus two per school for its calendar.

    The window keeps the cost to weeks of marks rather than a year of them for every placement;
    an older gap is still counted on the placement page and shown in its register."""
    placements = (
        Placement.objects.open()
        .filter(school_id__in=school_ids, start_date__lte=today)
        .select_related("school", "pupil", "provider")
        .order_by("school_id", "start_date", "pk")
    )
    return attendance_missing_among(with_shared_schools(placements), today)


def attendance_missing_among(placements: Sequence[Placement], today: date) -> list[MissingMark]:
    """The same for placements already loaded (one query for their marks)."""
    since = today - CHASE_WINDOW
    placements = [p for p in placements if not p.is_finished and p.register_open_by(today)]
    marked = set(
        AttendanceMark.objects.filter(placement__in=placements, date__gte=since).values_list(
            "placement_id", "date", "session"
        )
    )
    return [missing for placement in placements for missing in _unmarked(placement, today, marked, since)]


def placement_unmarked(placement: Placement, today: date) -> list[MissingMark]:
    """The same for one placement: the sessions the register page points to."""
    marked = set(placement.attendance_marks.values_list("placement_id", "date", "session"))
    return _unmarked(placement, today, marked)


# --- Expected on a day --------------------------------------------------------------------------


@dataclass(frozen=True)
class ExpectedPlacement:
    """A placement that expects its pupil at the provision on a day, and in which sessions."""

    placement: Placement
    sessions: tuple[str, ...]  # Session values, morning first


def _register_open_on(day: date) -> Q:
    """The database's half of Placement.takes_marks_on(day), so a day's list reads few rows."""
    ends_after = (
        Q(actual_end_date__gte=day)
        | Q(actual_end_date__isnull=True, planned_end_date__isnull=True)
        | Q(actual_end_date__isnull=True, planned_end_date__gte=day)
    )
    return Q(status__in=Placement.WITH_REGISTER, start_date__lte=day) & ends_after


def placements_expected_on(placements, day: date) -> list[ExpectedPlacement]:
    """Of `placements` (a queryset the caller has scoped: one school's, a provider's, a trust's),
    those expecting the pupil at the provision on `day`: the register open that day
    (Placement.takes_marks_on), a school day on the placement's school calendar, and a session of
    the timetable. The provider's register, the daily chase and the oversight views share it.

    Three queries: the placements (with school, pupil and provider) and every school's calendar
    (two, however many schools); a school with no term dates covering the day expects nobody."""
    rows = with_shared_schools(
        placements.filter(_register_open_on(day))
        .select_related("school", "pupil", "provider")
        .order_by("school_id", "pk")
    )
    SchoolCalendar.load_for_schools({placement.school_id: placement.school for placement in rows}.values())
    expected = []
    for placement in rows:
        if not placement.takes_marks_on(day):
            continue
        try:
            if not calendar_for(placement).is_school_day(day):
                continue
        except CalendarGap:
            continue
        sessions = tuple(session for session in SESSIONS if is_expected(placement, day, session))
        if sessions:
            expected.append(ExpectedPlacement(placement, sessions))
    return expected
