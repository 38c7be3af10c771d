"""Attendance: recording marks, the figures and the DfE thresholds, the SENDCo's alert, unmarked
sessions, and a provider's CSV return."""

from __future__ import annotations

import io
from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command
from django.urls import reverse

from apcase.calendar import SchoolCalendar
from placements.models import AttendanceMark, Placement
from placements.selectors import attendance_missing, attendance_summary, placement_unmarked
from placements.services import AttendanceImportRefused, MarkEntry, attendance_import, attendance_marks_record
from placements.tests.factories import AttendanceMarkFactory, PlacementFactory
from pupils.models import CaseEvent

S = Placement.Status
pytestmark = pytest.mark.django_db
MON, TUE, WED, THU, FRI = (date(2026, 11, 16) + timedelta(days=n) for n in range(5))


@pytest.fixture
def running(at):
    """Active since Monday 02/11/2026 (after half-term), full time, notice given in time."""
    return at(S.ACTIVE, start_date=date(2026, 11, 3))


def _marks(*entries) -> list[MarkEntry]:
    return [MarkEntry(*entry) for entry in entries]


def _week(day: date, code="B", reason="") -> list[MarkEntry]:
    return [MarkEntry(day + timedelta(days=n), half, code, reason) for n in range(5) for half in ("am", "pm")]


class TestRecording:
    def test_it_records_corrects_and_clears_marks(self, running, office):
        result = attendance_marks_record(
            actor=office, placement=running, entries=_marks((MON, "am", "b"), (MON, "pm", " i ", "Ear infection"))
        )
        assert (result.saved, result.cleared) == (2, 0)
        mark = AttendanceMark.objects.get(placement=running, date=MON, session="pm")
        assert (mark.code.code, mark.reason, mark.recorded_by) == ("I", "Ear infection", office)
        unchanged = attendance_marks_record(actor=office, placement=running, entries=_marks((MON, "am", "B")))
        assert unchanged.saved == 0
        cleared = attendance_marks_record(actor=office, placement=running, entries=_marks((MON, "pm", "")))
        assert cleared.cleared == 1 and mark.history.count() == 2  # created, then deleted: the history keeps it

    @pytest.mark.parametrize(
        ("entry", "problem"),
        [
            ((date(2026, 11, 24), "am", "B"), "has not happened yet"),
            ((date(2026, 11, 2), "am", "B"), "outside the placement"),
            ((date(2026, 11, 21), "am", "B"), "is not a school day"),
            ((MON, "am", "ZZ"), "“ZZ” is not an attendance code in use."),
            ((MON, "am", "K"), "K is not used for provision the school arranges"),
            ((MON, "am", "I"), "Give the reason for the absence recorded as I."),
            ((MON, "eve", "B"), "The session is AM or PM."),
        ],
    )
    def test_it_refuses_a_mark_that_cannot_be_right(self, running, office, entry, problem):
        with pytest.raises(ValidationError) as error:
            attendance_marks_record(actor=office, placement=running, entries=_marks((TUE, "am", "B"), entry))
        assert problem in " ".join(error.value.message_dict[f"{entry[0]:%Y-%m-%d}-{entry[1]}"])
        assert not AttendanceMark.objects.exists()  # the good mark was not saved either

    def test_a_session_the_timetable_does_not_expect_is_refused(self, at, office):
        placement = at(S.ACTIVE, start_date=date(2026, 11, 3), pattern="split", timetable=["tue_am", "tue_pm"])
        with pytest.raises(ValidationError, match="does not expect the pupil at the provision on Monday mornings"):
            attendance_marks_record(actor=office, placement=placement, entries=_marks((MON, "am", "B")))

    @pytest.mark.parametrize("who", ["dsl", "teacher", "governor"])
    def test_only_leaders_and_the_office_record_attendance(self, request, running, who):
        with pytest.raises(PermissionDenied):
            attendance_marks_record(actor=request.getfixturevalue(who), placement=running, entries=[])

    @pytest.mark.parametrize("status", [S.PLANNED, S.AWAITING_APPROVAL, S.APPROVED, S.NOTICE_ISSUED])
    def test_the_register_takes_marks_from_the_first_day_whatever_the_status(self, at, office, status):
        """From the morning of the first day a pupil is expected somewhere, started or not."""
        placement = at(status, start_date=MON)
        result = attendance_marks_record(actor=office, placement=placement, entries=_marks((MON, "am", "B")))
        assert result.saved == 1 and placement.takes_marks_on(MON) and not placement.takes_marks_on(MON - timedelta(1))

    def test_no_marks_before_the_first_day_nor_for_a_cancelled_placement(self, at, office):
        with pytest.raises(ValidationError, match="is outside the placement"):
            attendance_marks_record(actor=office, placement=at(S.APPROVED), entries=_marks((MON, "am", "B")))
        cancelled = at(S.CANCELLED, start_date=MON)
        with pytest.raises(ValidationError, match="was cancelled, so it has no register"):
            attendance_marks_record(actor=office, placement=cancelled, entries=_marks((MON, "am", "B")))

    @pytest.mark.parametrize(("first_day", "opens"), [(MON, True), (date(2026, 11, 30), False)])
    def test_the_register_page_opens_on_the_first_day(self, at, client_for, office, first_day, opens):
        placement = at(S.APPROVED, start_date=first_day)
        url = reverse("placements:attendance", args=[placement.public_id])
        page = client_for(office).get(f"{url}?week={first_day:%Y-%m-%d}")
        assert page.status_code == (200 if opens else 302)
        assert (f'name="{first_day:%Y-%m-%d}-am"' in page.content.decode()) is opens


class TestFigures:
    def test_percentages_count_possible_sessions_only(self, running):
        for day, half, code in [
            (MON, "am", "B"),
            (MON, "pm", "B"),
            (TUE, "am", "I"),
            (TUE, "pm", "Y1"),
            (WED, "am", "N"),
        ]:
            AttendanceMarkFactory(placement=running, date=day, session=half, register_code=code)
        summary = attendance_summary(running, today=date(2026, 11, 23))
        assert (summary.overall.possible, summary.overall.attended) == (4, 2)  # Y1 is not a possible session
        assert summary.overall.percentage == 50 and summary.baseline is None
        assert not summary.persistent  # fewer than ten possible sessions: too few to flag

    @pytest.mark.parametrize(
        ("absent", "level"),
        [(0, ""), (1, ""), (2, "persistent"), (9, "persistent"), (10, "severe"), (20, "severe")],
    )
    def test_persistent_absence_is_ten_percent_and_severe_fifty(self, running, absent, level):
        _record_direct(running, present=20 - absent, absent=absent)
        summary = attendance_summary(running, today=date(2026, 11, 23))
        assert summary.overall.possible == 20 and summary.level == level
        assert summary.persistent is (level != "") and summary.severe is (level == "severe")

    @pytest.mark.parametrize(
        ("possible", "attended", "shown", "level"),
        [
            (251, 226, "10.0", ""),  # 25 absent: 9.96%, shown rounded as 10.0% but under the threshold
            (250, 225, "10.0", "persistent"),  # exactly 10%
            (1001, 501, "50.0", "persistent"),  # 500 absent: 49.95%, shown as 50.0%
            (1000, 500, "50.0", "severe"),  # exactly 50%
        ],
    )
    def test_thresholds_compare_exact_figures_and_round_only_for_display(self, possible, attended, shown, level):
        from placements.selectors.attendance import Figures

        figures = Figures(possible=possible, attended=attended)
        assert str(figures.absence) == shown
        assert figures.percentage is not None and figures.absence is not None
        assert figures.percentage + figures.absence == 100
        assert figures.level() == level

    def test_the_figures_take_one_query_however_many_marks(self, running, django_assert_num_queries):
        _record_direct(running, present=25, absent=5)
        SchoolCalendar.for_school(running.school)  # pages have the school's calendar loaded already
        with django_assert_num_queries(1):
            summary = attendance_summary(running, today=date(2026, 11, 23))
        assert summary.overall.possible == 30 and summary.level == "persistent"

    def test_sessions_without_a_mark_are_counted_and_the_pages_say_so(self, running, client_for, sendco):
        """Figures over marked sessions only would read 100% with weeks unmarked: say how many lack a mark."""
        AttendanceMarkFactory(placement=running, date=MON, session="am", register_code="B")
        unmarked = len(placement_unmarked(running, date(2026, 11, 25)))
        summary = attendance_summary(running, today=date(2026, 11, 25))
        assert summary.overall.percentage == 100 and summary.unrecorded == unmarked > 0
        page = client_for(sendco).get(running.get_absolute_url()).content.decode()
        assert "have no mark</strong>, so the figures count only the sessions marked" in page

    def test_the_last_four_weeks_and_the_week_by_week_figures(self, at):
        placement = at(S.ACTIVE, start_date=date(2026, 10, 5), baseline_attendance="92.5")
        for day, half, code in [(date(2026, 10, 5), "am", "I"), (date(2026, 10, 5), "pm", "B"), (MON, "am", "B")]:
            AttendanceMarkFactory(placement=placement, date=day, session=half, register_code=code)
        summary = attendance_summary(placement, today=date(2026, 11, 23))
        assert summary.last_four_weeks.possible == 1 and summary.last_four_weeks.percentage == 100
        assert [(week, f.possible, f.attended) for week, f in summary.weekly] == [
            (date(2026, 10, 5), 2, 1),
            (MON, 1, 1),
        ]
        assert str(summary.baseline) == "92.5"


def _record_direct(placement, *, present: int, absent: int) -> None:
    days = [
        date(2026, 11, 3) + timedelta(days=n)
        for n in range(21)
        if (date(2026, 11, 3) + timedelta(days=n)).weekday() < 5
    ]
    sessions = [(day, half) for day in days for half in ("am", "pm")]
    for index, (day, half) in enumerate(sessions[: present + absent]):
        code = "O" if index < absent else "B"
        AttendanceMarkFactory(placement=placement, date=day, session=half, register_code=code, reason="Unknown")


class TestThresholdAlert:
    def test_crossing_a_threshold_tells_the_sendco_once(self, running, office, sendco):
        attendance_marks_record(actor=office, placement=running, entries=_week(date(2026, 11, 9)))
        assert not CaseEvent.objects.filter(kind=CaseEvent.Kind.ATTENDANCE_ALERT).exists()
        result = attendance_marks_record(
            actor=office, placement=running, entries=_marks((MON, "am", "N"), (MON, "pm", "N"))
        )
        assert result.alert == "Persistent absence (10% or more)"
        alert = CaseEvent.objects.get(kind=CaseEvent.Kind.ATTENDANCE_ALERT)
        assert alert.summary == "Attendance at Littleton Green is 83.3%: persistent absence (10% or more)"
        assert sendco.notifications.get(kind="attendance_alert").title == (
            f"Attendance alert for {running.pupil.initials}: persistent absence (10% or more)"
        )
        again = attendance_marks_record(actor=office, placement=running, entries=_marks((TUE, "am", "N")))
        assert again.alert is None and CaseEvent.objects.filter(kind=CaseEvent.Kind.ATTENDANCE_ALERT).count() == 1

    def test_falling_back_below_and_crossing_again_alerts_again(self, running, office):
        attendance_marks_record(actor=office, placement=running, entries=_week(date(2026, 11, 9))[:8])
        attendance_marks_record(actor=office, placement=running, entries=_marks((MON, "am", "N"), (MON, "pm", "N")))
        recovered = attendance_marks_record(
            actor=office, placement=running, entries=_marks((MON, "am", "B"), (MON, "pm", "B"))
        )
        assert recovered.alert is None
        running.refresh_from_db()
        assert running.absence_alert_level == ""
        crossed = attendance_marks_record(
            actor=office, placement=running, entries=_marks((TUE, "am", "O", "x"), (TUE, "pm", "O", "x"))
        )
        assert crossed.alert == "Persistent absence (10% or more)"
        assert CaseEvent.objects.filter(kind=CaseEvent.Kind.ATTENDANCE_ALERT).count() == 2

    def test_severe_absence_is_a_further_alert(self, running, office):
        attendance_marks_record(actor=office, placement=running, entries=_week(date(2026, 11, 9), "N"))
        assert CaseEvent.objects.get(kind=CaseEvent.Kind.ATTENDANCE_ALERT).summary.endswith(
            "severe absence (50% or more)"
        )


class TestMissing:
    def test_an_expected_session_is_missing_from_the_next_school_day(self, running, school, office):
        attendance_marks_record(actor=office, placement=running, entries=_week(date(2026, 11, 9))[:9])
        missing = attendance_missing(school_ids=[school.pk], today=date(2026, 11, 17))  # Tuesday
        days = {(m.date, m.session) for m in missing}
        assert (date(2026, 11, 13), "pm") in days  # last Friday afternoon
        assert (MON, "am") in days and (MON, "pm") in days  # Monday's are due by Tuesday
        assert (TUE, "am") not in days  # today's are not due yet
        assert all(m.placement == running for m in missing)

    def test_over_a_weekend_friday_is_due_on_monday(self, running, school, office):
        attendance_marks_record(actor=office, placement=running, entries=_week(date(2026, 11, 9))[:8])
        saturday = {(m.date, m.session) for m in attendance_missing(school_ids=[school.pk], today=date(2026, 11, 21))}
        assert (THU, "am") in saturday and (FRI, "am") not in saturday
        monday = {(m.date, m.session) for m in attendance_missing(school_ids=[school.pk], today=date(2026, 11, 23))}
        assert (FRI, "am") in monday

    def test_a_placement_past_its_first_day_with_no_start_recorded_is_chased(self, at, school):
        not_started = at(S.AWAITING_APPROVAL, start_date=MON)
        missing = attendance_missing(school_ids=[school.pk], today=date(2026, 11, 23))
        assert {m.placement.pk for m in missing} == {not_started.pk} and len(missing) == 10  # Monday to Friday

    def test_sessions_not_in_the_timetable_are_never_missing(self, at, school):
        at(S.ACTIVE, start_date=date(2026, 11, 3), pattern="split", timetable=["tue_am"])
        missing = attendance_missing(school_ids=[school.pk], today=date(2026, 11, 18))
        assert {m.date for m in missing} == {date(2026, 11, 3), date(2026, 11, 10), TUE}

    def test_its_queries_do_not_grow_with_placements(self, school, sendco, django_assert_num_queries):
        for _ in range(12):
            PlacementFactory(pupil__school=school, status=S.ACTIVE, start_date=date(2026, 11, 2))
        with django_assert_num_queries(3):  # placements, marks, and the school's calendar
            missing = attendance_missing(school_ids=[school.pk], today=date(2026, 11, 23))
        assert len(missing) == 12 * 3 * 5 * 2 - 12 * 2  # three weeks from Mon 02/11 (an INSET day)


CSV_HEADER = "UPN,Date,Session,Code,Reason\n"


class TestImport:
    def _csv(self, placement, *rows) -> bytes:
        lines = [f"{placement.pupil.upn},{day},{half},{code},{reason}" for day, half, code, reason in rows]
        return (CSV_HEADER + "\n".join(lines) + "\n").encode()

    def test_a_good_return_is_recorded(self, running, school, office):
        content = self._csv(running, ("16/11/2026", "AM", "B", ""), ("2026-11-16", "pm", "I", "Dentist? no: ill"))
        plan = attendance_import(actor=office, school=school, content=content)
        assert len(plan.rows) == 2 and AttendanceMark.objects.filter(placement=running).count() == 2

    def test_any_bad_row_stops_the_whole_return_and_every_problem_is_listed(self, running, school, office, pupil):
        content = (
            self._csv(
                running,
                ("16/11/2026", "AM", "B", ""),  # good
                ("31/11/2026", "AM", "B", ""),  # not a date
                ("17/11/2026", "AM", "K", ""),  # LA-arranged code
                ("17/11/2026", "PM", "I", ""),  # no reason
                ("16/11/2026", "am", "B", ""),  # the same session again
                ("24/11/2026", "AM", "B", ""),  # not happened yet
                ("02/11/2026", "AM", "B", ""),  # before the placement
            )
            + b"A123456789012,16/11/2026,AM,B,\n"
        )
        with pytest.raises(AttendanceImportRefused) as refused:
            attendance_import(actor=office, school=school, content=content)
        lines = refused.value.plan.error_lines()
        assert lines[0] == "Row 3: “31/11/2026” is not a date (use dd/mm/yyyy)."
        assert lines[1].startswith("Row 4: K is not used for provision the school arranges")
        assert lines[2] == "Row 5: Give the reason for the absence recorded as I."
        assert lines[3] == "Row 6: The same session is also on row 2."
        assert lines[4] == "Row 7: Attendance cannot be recorded for a session that has not happened yet."
        assert lines[5] == "Row 8: Jayden Clarke has no placement running on 02/11/2026."
        assert lines[6] == "Row 9: No pupil of Oakfield Primary School has the UPN “A123456789012”."
        assert not AttendanceMark.objects.exists()

    def test_a_file_without_the_columns_is_refused(self, school, office):
        with pytest.raises(AttendanceImportRefused) as refused:
            attendance_import(actor=office, school=school, content=b"Pupil,When\nx,y\n")
        assert refused.value.plan.error_lines() == [
            "The file needs the columns UPN, Date, Session, Code, Reason; missing: upn, date, session, code."
        ]

    def test_the_command_reports_rows_and_records_nothing_on_error(self, running, school, office, tmp_path):
        good, bad = tmp_path / "good.csv", tmp_path / "bad.csv"
        good.write_bytes(self._csv(running, ("16/11/2026", "AM", "B", "")))
        bad.write_bytes(self._csv(running, ("17/11/2026", "AM", "B", ""), ("17/11/2026", "PM", "Q9", "")))
        errors = io.StringIO()
        with pytest.raises(CommandError, match="Nothing was recorded"):
            call_command("import_attendance", str(bad), school=school.urn, user="office", stderr=errors)
        assert "Row 3: “Q9” is not an attendance code in use." in errors.getvalue()
        assert not AttendanceMark.objects.exists()
        out = io.StringIO()
        call_command("import_attendance", str(good), school=school.urn, user="office", stdout=out)
        assert "1 marks recorded for Oakfield Primary School." in out.getvalue()
        assert AttendanceMark.objects.get().recorded_by == office
