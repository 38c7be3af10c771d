"""A mark for every expected session of every started placement, from its first day to its last
(or to the school day before today: some registers are a few days behind, so the "unmarked"
lists have something in them). Most pupils attend; one in five is persistently absent and one in
twenty severely, and the placement carries the alert level the attendance service would have set."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from apcase.models import Role
from bench.generator.base import BenchSchool, Build
from bench.generator.shapes import STARTED
from placements.models import AttendanceCode, AttendanceMark, Placement
from placements.schedule import expected_sessions
from placements.selectors.attendance import Figures
from pupils.models import CaseEvent

# (code, reason) of an absence, and how often each is used.
ABSENCES = {
    ("I", "Unwell, mum phoned in"): 5,
    ("M", "Dental appointment"): 1,
    ("N", ""): 2,
    ("O", "No contact from home"): 2,
}
LATE = ("L", "")


@dataclass(frozen=True)
class PlannedMark:
    placement: Placement
    date: date
    session: str
    code: str
    reason: str


def plan_marks(build: Build, bs: BenchSchool, placement: Placement) -> list[PlannedMark]:
    """The placement's marks, and its absence alert level (set on the placement before it is saved)."""
    if placement.status not in STARTED:
        return []
    behind = build.rng.randrange(1, 6) if build.chance(0.15) else 0
    last = bs.calendar.add_school_days(build.last_school_day(bs), -behind)
    if placement.actual_end_date:
        last = min(last, placement.actual_end_date)
    absent = build.pick({0.04: 75, 0.15: 20, 0.6: 5})
    assert placement.start_date is not None  # started
    marks = []
    for day, session in expected_sessions(placement, bs.calendar, placement.start_date, last):
        if build.chance(absent):
            code, reason = build.pick(ABSENCES)
        elif build.chance(0.02):
            code, reason = LATE
        else:
            code, reason = placement.present_code, ""
        marks.append(PlannedMark(placement, day, session, code, reason))
    _alert(build, bs, placement, marks)
    return marks


def _alert(build: Build, bs: BenchSchool, placement: Placement, marks: list[PlannedMark]) -> None:
    absences = sum(1 for mark in marks if mark.code in {code for code, _reason in ABSENCES})
    figures = Figures(possible=len(marks), attended=len(marks) - absences)
    placement.absence_alert_level = figures.level()
    if not placement.absence_alert_level:
        return
    when = build.at(marks[-1].date, 17)
    label = Placement.AbsenceLevel(placement.absence_alert_level).label
    summary = f"Attendance at {placement.provider.name} is {figures.percentage}%: {label.lower()}"
    link = placement.get_absolute_url()
    build.event(placement.pupil, CaseEvent.Kind.ATTENDANCE_ALERT, summary, bs.staff[Role.OFFICE], when, link)
    title = f"Attendance alert for {placement.pupil.initials}: {label.lower()}"
    build.notify(bs.staff[Role.SENDCO], title, link, "attendance_alert", when, bs.school)


def write_marks(build: Build, bs: BenchSchool, planned: list[PlannedMark]) -> None:
    """Insert one school's marks, recorded by the office at the end of each day (or the next)."""
    codes = {code.code: code for code in AttendanceCode.objects.all()}
    office = bs.staff[Role.OFFICE]
    marks = []
    for mark in planned:
        next_day = mark.date + timedelta(days=1)
        late_entry = next_day < build.today and build.chance(0.25)
        recorded_at = build.at(next_day if late_entry else mark.date, 16)
        row = AttendanceMark(
            placement=mark.placement,
            date=mark.date,
            session=mark.session,
            code=codes[mark.code],
            reason=mark.reason,
            recorded_by=office,
            recorded_at=recorded_at,
        )
        marks.append(build.stamped(row, recorded_at, office))
    build.insert(AttendanceMark, marks)
