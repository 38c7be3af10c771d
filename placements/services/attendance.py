"""Recording attendance at a placement, one mark per session, and alerting the SENDCo when absence
crosses the persistent (10%) or severe (50%) threshold."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from apcase.calendar import CalendarGap
from apcase.history import history_stamp
from apcase.models import Role, User
from apcase.services import notification_send
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


def _recorder(actor: User, placement: Placement) -> int | None:
    """The id of the provider organisation an actor records for, or None for school staff."""
    if placement.provider.organisation_id in provider_organisation_ids(actor):
        return placement.provider.organisation_id
    return None


def _overwrite_problem(mark: AttendanceMark | None, entry: MarkEntry, provider: int | None) -> str | None:
    """The provider changes only its own marks; the school changes a provider's mark only with a reason."""
    if mark is None or (mark.code.code == entry.code and mark.reason == entry.reason):
        return None
    if provider is not None and mark.recorded_by_provider_id != provider:
        return "The school has recorded this session: ask the school to change it."
    if provider is None and mark.recorded_by_provider_id and not entry.correction:
        return f"{mark.recorded_by_provider} recorded this session: give the reason for correcting it."
    return None


class RegistersRefused(Exception):
    """Some placements' marks cannot be recorded: {placement pk: the ValidationError for its
    entries, as attendance_marks_record raises it}. Nothing was saved."""

    def __init__(self, problems: dict[int, ValidationError]):
        super().__init__(problems)
        self.problems = problems


def _checked(
    actor: User,
    placement: Placement,
    entries: list[MarkEntry],
    codes: dict[str, AttendanceCode],
    existing: dict[tuple[int, date, str], AttendanceMark],
) -> list[MarkEntry]:
    """The entries, normalised, once every one can be recorded; the ValidationError maps each
    entry's key to what is wrong with it."""
    if not actor.has_perm("placements.record_attendance", placement):
        raise PermissionDenied("Only the SENDCo, headteacher, school office or the provider records attendance.")
    if placement.status not in Placement.WITH_REGISTER:
        raise ValidationError("This placement was cancelled, so it has no register.")
    if placement.start_date is None:
        raise ValidationError("Set the placement's first day: attendance is recorded from that day.")
    entries = [_normalise(entry) for entry in entries]
    problems = check_marks(placement, entries, codes)
    if problems:
        raise ValidationError(problems)
    provider = _recorder(actor, placement)
    problems = {
        entry.key: problem
        for entry in entries
        if (problem := _overwrite_problem(existing.get((placement.pk, entry.date, entry.session)), entry, provider))
    }
    if problems:
        raise ValidationError(problems)
    return entries


# The mark's foreign keys are the placement, code and people the checks above already hold:
# full_clean would query each again, mark by mark.
_CHECKED_ELSEWHERE = ["placement", "code", "recorded_by", "recorded_by_provider"]


@transaction.atomic
def attendance_registers_record(*, actor: User, entries: dict[Placement, list[MarkEntry]]) -> dict[int, RecordedMarks]:
    """Record (or correct, or clear) session marks of many placements at once, {placement pk: what
    was recorded}: the school's grid (one placement) and the provider's register (one a pupil).
    Every entry is checked first and nothing is saved if any is wrong (RegistersRefused). The
    queries do not grow with the placements: one for the codes, one for the marks there are, one
    insert and one update with their history, one for the threshold checks; only a cleared mark or
    a threshold crossed costs its own."""
    codes = active_codes()
    existing = {
        (mark.placement_id, mark.date, mark.session): mark
        for mark in AttendanceMark.objects.filter(
            placement__in=list(entries), date__in={entry.date for group in entries.values() for entry in group}
        ).select_related("code", "recorded_by_provider")
    }
    checked: dict[Placement, list[MarkEntry]] = {}
    problems: dict[int, ValidationError] = {}
    for placement, group in entries.items():
        try:
            checked[placement] = _checked(actor, placement, group, codes, existing)
        except ValidationError as error:
            problems[placement.pk] = error
    if problems:
        raise RegistersRefused(problems)
    created: list[AttendanceMark] = []
    updated: list[AttendanceMark] = []
    results: dict[int, RecordedMarks] = {}
    now = timezone.now()
    for placement, group in checked.items():
        saved = cleared = 0
        provider = _recorder(actor, placement)
        for entry in group:
            mark = existing.get((placement.pk, entry.date, entry.session))
            if not entry.code:
                if mark is not None:
                    history_stamp(mark, user=actor)
                    mark.delete()
                    cleared += 1
                continue
            if mark is not None and mark.code.code == entry.code and mark.reason == entry.reason:
                continue
            if mark is None:
                mark = AttendanceMark(placement=placement, date=entry.date, session=entry.session)
                created.append(mark)
            else:
                updated.append(mark)
            correcting = provider is None and mark.recorded_by_provider_id is not None
            mark.code, mark.reason = codes[entry.code], entry.reason
            mark.recorded_by, mark.recorded_at = actor, now
            mark.recorded_by_provider_id = provider
            mark.correction_reason = entry.correction if correcting else ""
            mark.full_clean(exclude=_CHECKED_ELSEWHERE, validate_unique=False, validate_constraints=False)
            saved += 1
        results[placement.pk] = RecordedMarks(saved, cleared, None)
    try:
        with transaction.atomic():  # a savepoint, so the refusal below is a message, not a 500
            bulk_create_with_history(created, AttendanceMark, default_user=actor, default_date=now)
    except IntegrityError:
        # Someone else saved one of these sessions between our read and our insert (two people at
        # the provider saving the register at once): the unique constraint refuses the second.
        meanwhile = ValidationError("Someone else recorded these sessions a moment ago: look again and save.")
        raise RegistersRefused({mark.placement_id: meanwhile for mark in created}) from None
    bulk_update_with_history(updated, AttendanceMark, fields=_MARK_FIELDS, default_user=actor, default_date=now)
    changed = [placement for placement in checked if results[placement.pk].saved or results[placement.pk].cleared]
    for placement, alert in _check_absence_thresholds(changed, actor).items():
        results[placement.pk] = RecordedMarks(results[placement.pk].saved, results[placement.pk].cleared, alert)
    return results


_MARK_FIELDS = ["code", "reason", "recorded_by", "recorded_at", "recorded_by_provider", "correction_reason"]


def attendance_marks_record(*, actor: User, placement: Placement, entries: list[MarkEntry]) -> RecordedMarks:
    """Record (or correct, or clear) one placement's session marks; the ValidationError maps each
    entry's key to what is wrong with it, and nothing is saved if any is wrong."""
    try:
        return attendance_registers_record(actor=actor, entries={placement: entries})[placement.pk]
    except RegistersRefused as refused:
        raise refused.problems[placement.pk] from None


def _check_absence_thresholds(placements: list[Placement], actor: User) -> dict[Placement, str | None]:
    """Each placement's threshold check, from one query for all their marks."""
    if not placements:
        return {}
    marks: dict[int, list[tuple[date, str, str]]] = defaultdict(list)
    rows = AttendanceMark.objects.filter(placement__in=placements).order_by("date")
    for placement_id, day, session, meaning in rows.values_list("placement_id", "date", "session", "code__meaning"):
        marks[placement_id].append((day, session, meaning))
    return {placement: _check_absence_threshold(placement, actor, marks[placement.pk]) for placement in placements}


def _check_absence_threshold(placement: Placement, actor: User, marks: list[tuple[date, str, str]]) -> str | None:
    """Alert the SENDCo once each time absence rises past a threshold; when it falls back below,
    the next crossing alerts again."""
    figures = attendance_summary(placement, marks=marks).overall
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
