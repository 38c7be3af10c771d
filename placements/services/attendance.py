"""Recording attendance at a placement, one mark per session, and alerting the SENDCo when absence
crosses the persistent (10%) or severe (50%) threshold."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from apcase.calendar import CalendarGap
from apcase.history import history_stamp
from apcase.models import Role, User
from apcase.services import notification_send, save_tracked
from audits.models import ProviderOrganisation
from audits.staff import provider_organisation_ids
from placements.models import AttendanceCode, AttendanceMark, Placement
from placements.schedule import calendar_for, is_expected
from placements.selectors.attendance import attendance_summary
from placements.services.common import placement_step
from placements.timetable import Session
from pupils.models import CaseEvent
from pupils.services import staff_of


@dataclass(frozen=True)
class MarkEntry:
    """One session's mark as entered or imported; an empty code clears the session's mark."""

    date: date
    session: str
    code: str
    reason: str = ""
    # Why the school changes a mark the provider recorded (the history keeps both).
    correction: str = ""

    @property
    def key(self) -> str:
        return f"{self.date:%Y-%m-%d}-{self.session}"


@dataclass(frozen=True)
class RecordedMarks:
    saved: int
    cleared: int
    alert: str | None  # the threshold crossed by these marks, if any


def _session_problem(placement: Placement, entry: MarkEntry, today: date) -> str | None:
    if entry.session not in Session.values:
        return "The session is AM or PM."
    if entry.date > today:
        return "Attendance cannot be recorded for a session that has not happened yet."
    if not placement.takes_marks_on(entry.date):
        return f"{entry.date:%d/%m/%Y} is outside the placement ({placement.start_date:%d/%m/%Y} onwards)."
    try:
        school_day = calendar_for(placement).is_school_day(entry.date)
    except CalendarGap as gap:
        return str(gap)
    if not school_day:
        return f"{entry.date:%A %d/%m/%Y} is not a school day."
    if not is_expected(placement, entry.date, entry.session):
        label = Session(entry.session).label.lower()
        return f"The timetable does not expect the pupil at the provision on {entry.date:%A} {label}s."
    return None


def _code_problem(placement: Placement, entry: MarkEntry, codes: dict[str, AttendanceCode]) -> str | None:
    if not entry.code:
        return None
    code = codes.get(entry.code)
    if code is None:
        return f"“{entry.code}” is not an attendance code in use."
    if not code.allowed_for_school_placements:
        return (
            f"{code.code} is not used for provision the school arranges ({code.description.lower()}). "
            f"Use {placement.present_code} when the pupil attended."
        )
    if code.needs_reason and not entry.reason.strip():
        return f"Give the reason for the absence recorded as {code.code}."
    return None


def check_marks(placement: Placement, entries: list[MarkEntry], codes: dict[str, AttendanceCode]) -> dict[str, str]:
    """{entry key: what is wrong} for every entry that cannot be recorded (empty: all good)."""
    today = timezone.localdate()
    problems = {}
    for entry in entries:
        problem = _session_problem(placement, entry, today) or _code_problem(placement, entry, codes)
        if problem:
            problems[entry.key] = problem
    return problems


def active_codes() -> dict[str, AttendanceCode]:
    return {code.code: code for code in AttendanceCode.objects.filter(is_active=True)}


def _normalise(entry: MarkEntry) -> MarkEntry:
    return MarkEntry(
        entry.date,
        entry.session.strip().lower(),
        entry.code.strip().upper(),
        entry.reason.strip(),
        entry.correction.strip(),
    )


def _recorder(actor: User, placement: Placement) -> ProviderOrganisation | None:
    """The provider organisation an actor records for, or None for school staff."""
    if placement.provider.organisation_id in provider_organisation_ids(actor):
        return placement.provider.organisation
    return None


def _overwrite_problem(
    mark: AttendanceMark | None, entry: MarkEntry, provider: ProviderOrganisation | None
) -> str | None:
    """The provider changes only its own marks; the school changes a provider's mark only with a reason."""
    if mark is None or (mark.code.code == entry.code and mark.reason == entry.reason):
        return None
    if provider is not None and mark.recorded_by_provider_id != provider.pk:
        return "The school has recorded this session: ask the school to change it."
    if provider is None and mark.recorded_by_provider_id and not entry.correction:
        return f"{mark.recorded_by_provider} recorded this session: give the reason for correcting it."
    return None


@transaction.atomic
def attendance_marks_record(*, actor: User, placement: Placement, entries: list[MarkEntry]) -> RecordedMarks:
    """Record (or correct, or clear) session marks. Every entry is checked first and nothing is
    saved if any is wrong: the ValidationError maps each entry's key to what is wrong with it."""
    if not actor.has_perm("placements.record_attendance", placement):
        raise PermissionDenied("Only the SENDCo, headteacher, school office or the provider records attendance.")
    if placement.status not in Placement.WITH_REGISTER:
        raise ValidationError("This placement was cancelled, so it has no register.")
    if placement.start_date is None:
        raise ValidationError("Set the placement's first day: attendance is recorded from that day.")
    entries = [_normalise(entry) for entry in entries]
    codes = active_codes()
    problems = check_marks(placement, entries, codes)
    if problems:
        raise ValidationError(problems)
    existing = {
        (mark.date, mark.session): mark
        for mark in placement.attendance_marks.filter(date__in={entry.date for entry in entries}).select_related(
            "code", "recorded_by_provider"
        )
    }
    provider = _recorder(actor, placement)
    problems = {
        entry.key: problem
        for entry in entries
        if (problem := _overwrite_problem(existing.get((entry.date, entry.session)), entry, provider))
    }
    if problems:
        raise ValidationError(problems)
    saved = cleared = 0
    for entry in entries:
        mark = existing.get((entry.date, entry.session))
        if not entry.code:
            if mark is not None:
                history_stamp(mark, user=actor)
                mark.delete()
                cleared += 1
            continue
        if mark is not None and mark.code.code == entry.code and mark.reason == entry.reason:
            continue
        mark = mark or AttendanceMark(placement=placement, date=entry.date, session=entry.session)
        correcting = provider is None and mark.recorded_by_provider_id is not None
        mark.code, mark.reason = codes[entry.code], entry.reason
        mark.recorded_by, mark.recorded_at = actor, timezone.now()
        mark.recorded_by_provider = provider
        mark.correction_reason = entry.correction if correcting else ""
        save_tracked(mark, actor)
        saved += 1
    alert = _check_absence_threshold(placement, actor) if saved or cleared else None
    return RecordedMarks(saved, cleared, alert)


def _check_absence_threshold(placement: Placement, actor: User) -> str | None:
    """Alert the SENDCo once each time absence rises past a threshold; when it falls back below,
    the next crossing alerts again."""
    figures = attendance_summary(placement).overall
    level, previous = figures.level(), placement.absence_alert_level
    if level == previous:
        return None
    placement.absence_alert_level = level
    history_stamp(placement, user=actor)
    placement.save(update_fields=["absence_alert_level", "updated_at"])
    order = list(Placement.AbsenceLevel.values)
    if order.index(level) < order.index(previous):
        return None  # improving: no alert, but the next crossing will be reported
    label = Placement.AbsenceLevel(level).label
    placement_step(
        placement,
        CaseEvent.Kind.ATTENDANCE_ALERT,
        f"Attendance at {placement.provider.name} is {figures.percentage}%: {label.lower()}",
        actor,
    )
    for sendco in staff_of(placement.school, [Role.SENDCO]):
        notification_send(
            user=sendco,
            title=f"Attendance alert for {{pupil}}: {label.lower()}",
            link=placement.get_absolute_url(),
            kind="attendance_alert",
            school=placement.school,
            pupil=placement.pupil,
        )
    return label
