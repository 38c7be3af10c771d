"""The daily attendance chase (docs/outbox.md, "The daily chase"): every pupil expected at a
placement today who is not marked by the school's morning cut-off, or is marked absent without a
reason, is a "call home" for the office; a run of unexplained absence is escalated, and a run long
enough for the law's attendance return says so.

The law: the School Attendance (Pupil Registration) (England) Regulations 2024 (SI 2024/208),
reg 13 ("Returns"), require the school to make a return to its local authority, at intervals they
agree, of each registered pupil who has been absent without authorisation (a code the register
classes as unauthorised: G, N, O or U) for a continuous period of not less than 10 school days;
"Working together to improve school attendance" (DfE, August 2024) repeats it and expects the
intervals to be no longer than a month. docs/domain-rules.md#attendance-return.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.utils import timezone

from apcase.calendar import CalendarGap
from placements.models import AttendanceMark, ChaseNotice, ContactLog, Placement
from placements.schedule import SESSIONS, calendar_for, is_expected, with_shared_schools
from placements.selectors.attendance import placements_expected_on
from placements.timetable import Session
from pupils.models import Contact

# SI 2024/208 reg 13: a continuous period of not less than 10 school days.
LA_RETURN_SCHOOL_DAYS = 10
# How far back a run is followed: 10 school days with a fortnight's holiday inside them, and more.
RUN_WINDOW = timedelta(weeks=8)


@dataclass(frozen=True)
class AbsenceRun:
    """The unexplained absence a placement has run up to today, counted back on the school
    calendar over the sessions the pupil was expected at the provision. A school day the pupil was
    not expected there ends the run: the school's own register covers that day, apcase does not.
    Today's sessions not yet marked neither count nor end it."""

    sessions: int = 0  # consecutive unexplained sessions
    sessions_from: date | None = None
    school_days: int = 0  # consecutive whole school days absent without authorisation
    days_from: date | None = None


def _school_days_back(placement: Placement, today: date):
    """(day, sessions expected at the provision) for today and each school day before it, until
    the placement's first day or the calendar's known terms end. A school day with no session at
    the provision is given with none: it ends a run."""
    calendar = calendar_for(placement)
    day = today
    while day >= today - RUN_WINDOW and placement.takes_marks_on(day):
        try:
            school_day = calendar.is_school_day(day)
        except CalendarGap:
            return
        if school_day or day == today:
            yield day, tuple(s for s in SESSIONS if school_day and is_expected(placement, day, s))
        day -= timedelta(days=1)


def absence_run(placement: Placement, marks: dict[tuple[date, str], AttendanceMark], today: date) -> AbsenceRun:
    return AbsenceRun(*_session_run(placement, marks, today), *_day_run(placement, marks, today))


def _session_run(placement, marks, today) -> tuple[int, date | None]:
    count, first = 0, None
    for day, expected in _school_days_back(placement, today):
        if not expected and day != today:
            break
        for session in reversed(expected):
            mark = marks.get((day, session))
            if mark is None and day == today:
                continue
            if mark is None or not mark.is_unexplained:
                return count, first
            count, first = count + 1, day
    return count, first


def _day_run(placement, marks, today) -> tuple[int, date | None]:
    count, first = 0, None
    for day, expected in _school_days_back(placement, today):
        if not expected:
            if day == today:
                continue
            break
        day_marks = [marks.get((day, session)) for session in expected]
        if all(mark is not None and mark.is_unauthorised for mark in day_marks):
            count, first = count + 1, day
        elif day == today and all(mark is None or mark.is_unauthorised for mark in day_marks):
            continue  # today is not over: it counts once its register says so
        else:
            break
    return count, first


def _marks_by_placement(placements: list[Placement], today: date) -> dict[int, dict[tuple[date, str], AttendanceMark]]:
    marks: dict[int, dict[tuple[date, str], AttendanceMark]] = defaultdict(dict)
    if not placements:
        return marks
    rows = AttendanceMark.objects.filter(
        placement__in=placements, date__gte=today - RUN_WINDOW, date__lte=today
    ).select_related("code")
    for mark in rows:
        marks[mark.placement_id][(mark.date, mark.session)] = mark
    return marks


# --- Call home --------------------------------------------------------------------------------


@dataclass(frozen=True)
class ChasedSession:
    session: str
    mark: AttendanceMark | None  # None: not marked by the cut-off

    @property
    def said(self) -> str:
        return "not marked by the cut-off" if self.mark is None else f"absent ({self.mark.code.code}), no reason"

    @property
    def label(self) -> str:
        return f"{Session(self.session).label}: {self.said}"

    @property
    def in_a_sentence(self) -> str:
        return f"{Session(self.session).label.lower()}: {self.said}"


@dataclass
class CallHome:
    """One pupil the office calls home about today, with everything the call needs."""

    placement: Placement
    sessions: list[ChasedSession]
    run: AbsenceRun
    contacts: list[Contact] = field(default_factory=list)
    calls: list[ContactLog] = field(default_factory=list)  # today's calls about this placement
    notices: dict[str, ChaseNotice] = field(default_factory=dict)  # sent for the current run, by kind

    @property
    def settled(self) -> bool:
        """Somebody reached the family or left a message today; after no answer, call again."""
        return any(call.outcome in ContactLog.CALL_SETTLED for call in self.calls)

    @property
    def family(self) -> list[Contact]:
        """Whom to call, first to ring first: everyone on the pupil's contacts with a phone,
        except the Virtual School (told by the escalation, not asked why a pupil is off)."""
        return [c for c in self.contacts if c.relationship != Contact.Relationship.VIRTUAL_SCHOOL]

    @property
    def virtual_school(self) -> list[Contact]:
        return [c for c in self.contacts if c.relationship == Contact.Relationship.VIRTUAL_SCHOOL]

    @property
    def escalated(self) -> bool:
        return self.run.sessions >= self.placement.school.chase_escalation_sessions

    @property
    def virtual_school_due(self) -> bool:
        return self.escalated and self.placement.pupil.looked_after

    @property
    def return_due(self) -> bool:
        """The attendance return to the LA (SI 2024/208 reg 13): 10 school days in a row."""
        return self.run.school_days >= LA_RETURN_SCHOOL_DAYS

    def run_started_on(self, kind: str) -> date | None:
        """The run a notice of this kind reports: whole days for the return, sessions otherwise."""
        return self.run.days_from if kind == ChaseNotice.Kind.ATTENDANCE_RETURN else self.run.sessions_from

    @property
    def return_sent(self) -> ChaseNotice | None:
        return self.notices.get(ChaseNotice.Kind.ATTENDANCE_RETURN)

    @property
    def virtual_school_sent(self) -> ChaseNotice | None:
        return self.notices.get(ChaseNotice.Kind.VIRTUAL_SCHOOL)

    @property
    def explainable_sessions(self) -> list[str]:
        """Today's sessions a reason given on the phone turns into an explained absence."""
        return [chased.session for chased in self.sessions]


def _chased_today(placement: Placement, sessions: tuple[str, ...], marks, today: date, now: datetime):
    cutoff_passed = now.time() >= placement.school.attendance_cutoff
    chased = []
    for session in sessions:
        mark = marks.get((today, session))
        if mark is None and session == Session.AM and cutoff_passed:
            chased.append(ChasedSession(session, None))
        elif mark is not None and mark.code.is_absence and mark.is_unexplained:
            chased.append(ChasedSession(session, mark))
    return chased


def _attach(items: list[CallHome], today: date) -> list[CallHome]:
    """Contacts, today's calls and the current runs' notices: three queries for the whole list."""
    if not items:
        return items
    pupil_ids = {item.placement.pupil_id for item in items}
    contacts: dict[int, list[Contact]] = defaultdict(list)
    for contact in Contact.objects.filter(pupil_id__in=pupil_ids):
        contacts[contact.pupil_id].append(contact)
    placement_ids = [item.placement.pk for item in items]
    calls: dict[int, list[ContactLog]] = defaultdict(list)
    today_calls = ContactLog.objects.filter(
        placement_id__in=placement_ids, contacted_on=today, how=ContactLog.How.CALL
    ).select_related("recorded_by")  # the page names who made each call
    for call in today_calls.order_by("recorded_at"):
        calls[call.placement_id].append(call)
    notices: dict[int, list[ChaseNotice]] = defaultdict(list)
    for notice in ChaseNotice.objects.filter(placement_id__in=placement_ids):
        notices[notice.placement_id].append(notice)
    for item in items:
        item.contacts = contacts[item.placement.pupil_id]
        item.calls = calls[item.placement.pk]
        item.notices = {
            n.kind: n for n in notices[item.placement.pk] if n.run_started_on == item.run_started_on(n.kind)
        }
    return items


def calls_home(placements, *, now: datetime | None = None) -> list[CallHome]:
    """Of `placements` (scoped by the caller), the pupils to call home about today: seven queries
    however many pupils (the expected placements and calendars, marks, contacts, calls, notices)."""
    now = timezone.localtime(now or timezone.now())
    today = now.date()
    expected = placements_expected_on(placements, today)
    all_marks = _marks_by_placement([item.placement for item in expected], today)
    items = []
    for item in expected:
        marks = all_marks.get(item.placement.pk, {})
        chased = _chased_today(item.placement, item.sessions, marks, today, now)
        if chased:
            items.append(CallHome(item.placement, chased, absence_run(item.placement, marks, today)))
    return _attach(items, today)


def escalated_runs(placements, *, today: date) -> list[CallHome]:
    """Open placements of `placements` whose current run of unexplained absence has reached the
    school's escalation, or the attendance return: what the SENDCo and DSL are told of, whether or
    not the pupil is expected today."""
    rows = with_shared_schools(
        placements.filter(status__in=Placement.WITH_REGISTER, start_date__lte=today)
        .exclude(actual_end_date__lt=today - RUN_WINDOW)
        .select_related("school", "pupil", "provider")
        .order_by("school_id", "pk")
    )
    return escalated_among(rows, today=today)


def escalated_among(placements: list[Placement], *, today: date) -> list[CallHome]:
    """The same for placements already loaded (one query for their marks, and three more only
    when a run has been escalated)."""
    all_marks = _marks_by_placement(placements, today)
    items = []
    for placement in placements:
        marks = all_marks.get(placement.pk)
        if not marks:
            continue
        item = CallHome(placement, [], absence_run(placement, marks, today))
        if item.escalated or item.return_due:
            items.append(item)
    return _attach(items, today)


def call_home_for(placement: Placement, *, now: datetime | None = None) -> CallHome | None:
    """The one placement's call home today, for recording its outcome."""
    found = calls_home(Placement.objects.filter(pk=placement.pk), now=now)
    return found[0] if found else None
