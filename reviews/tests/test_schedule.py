"""When reviews and check-ins fall due on the term calendar, and how the schedule follows a
placement: started, its last day moved, ended, and after a serious incident."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from django.utils import timezone

from apcase.calendar import SchoolCalendar
from audits.tests.factories import ProviderFactory
from placements.models import Placement
from placements.services import placement_incident_record, placement_transition
from placements.tests.cases import extended, placement_changed
from placements.tests.factories import PlacementFactory
from pupils.models import CaseEvent
from reviews.models import CheckIn, ReviewMeeting
from reviews.schedule import check_in_dates, routine_reviews
from reviews.services import review_schedule_sync

K = ReviewMeeting.Kind
S = Placement.Status
pytestmark = pytest.mark.django_db


def _schedule(placement) -> list[tuple[str, date]]:
    return routine_reviews(placement, SchoolCalendar.for_school(placement.school))


def _iap(school, **fields) -> Placement:
    provider = ProviderFactory(school=school, internal=True, short_term_iap=True)
    return PlacementFactory(pupil__school=school, provider=provider, site=None, **fields)


class TestRoutineReviews:
    def test_a_year_long_placement_has_its_reviews_across_the_whole_calendar(self, school):
        placement = PlacementFactory(
            pupil__school=school, start_date=date(2025, 9, 3), planned_end_date=date(2026, 7, 17)
        )
        assert _schedule(placement) == [
            (K.HALF_TERMLY, date(2025, 10, 20)),  # the last school week of autumn 1
            (K.TERMLY, date(2025, 12, 15)),  # autumn 2: the termly review covers the half-term too
            (K.HALF_TERMLY, date(2026, 2, 9)),
            (K.TERMLY, date(2026, 3, 23)),
            (K.HALF_TERMLY, date(2026, 5, 18)),
            # The summer termly review (15/07) falls in the final review's week: the final one covers it.
            (K.FINAL, date(2026, 7, 10)),
        ]

    def test_an_iap_is_reviewed_weekly_up_to_its_final_review(self, school):
        placement = _iap(school, start_date=date(2026, 10, 5), planned_end_date=date(2026, 11, 13))
        assert _schedule(placement) == [
            (K.IAP_WEEKLY, date(2026, 10, 12)),
            (K.IAP_WEEKLY, date(2026, 10, 19)),
            # Half-term and the INSET day on 02/11 are not school days: the next week's review on
            # 03/11 falls in the final review's own school week.
            (K.FINAL, date(2026, 11, 6)),
        ]

    def test_without_a_last_day_reviews_run_to_the_end_of_the_term_dates(self, school):
        placement = PlacementFactory(pupil__school=school, start_date=date(2026, 9, 14), planned_end_date=None)
        schedule = _schedule(placement)
        assert schedule[0] == (K.HALF_TERMLY, date(2026, 10, 19))
        assert schedule[-1] == (K.TERMLY, date(2027, 7, 14)) and K.FINAL not in dict(schedule)

    def test_a_late_start_has_its_first_review_in_the_next_half_term(self, school):
        placement = PlacementFactory(pupil__school=school, start_date=date(2026, 10, 14), planned_end_date=None)
        assert _schedule(placement)[0] == (K.TERMLY, date(2026, 12, 14))

    def test_nothing_is_scheduled_before_term_dates_exist(self, school):
        placement = PlacementFactory(pupil__school=school, start_date=date(2028, 1, 10), planned_end_date=None)
        assert _schedule(placement) == []

    def test_check_ins_fall_2_6_and_12_school_weeks_after_the_return(self, school):
        placement = PlacementFactory(
            pupil__school=school, start_date=date(2026, 9, 14), actual_end_date=date(2026, 10, 9)
        )
        # Back on Monday 12/10; half-term and the INSET day on 02/11 are not counted.
        assert check_in_dates(placement, SchoolCalendar.for_school(school)) == {
            2: date(2026, 11, 3),
            6: date(2026, 12, 1),
            12: date(2027, 1, 27),
        }


def _routine(placement) -> list[tuple[str, date, str]]:
    return list(
        placement.reviews.filter(from_calendar=True).order_by("due_on", "kind").values_list("kind", "due_on", "status")
    )


class TestTheScheduleFollowsThePlacement:
    def test_starting_a_placement_schedules_its_reviews_once(self, running, sendco):
        placement = running()
        # Autumn 2's termly review (14/12) falls in the final review's school week.
        assert _routine(placement) == [(K.FINAL, date(2026, 12, 11), "scheduled")]
        step = CaseEvent.objects.filter(kind=CaseEvent.Kind.REVIEW_SCHEDULED).get()
        assert (
            step.summary == "1 review (final review before return) from the term calendar, the first due by 11/12/2026"
        )
        review_schedule_sync(placement, sendco)
        assert placement.reviews.count() == 1

    def test_a_longer_placement_gains_reviews_and_a_new_final_review(self, running, sendco, head):
        placement = running()
        extended(placement, date(2027, 3, 26), sendco=sendco, head=head)
        assert [(kind, due, status) for kind, due, status in _routine(placement)] == [
            (K.FINAL, date(2026, 12, 11), "cancelled"),
            (K.TERMLY, date(2026, 12, 14), "scheduled"),
            (K.HALF_TERMLY, date(2027, 2, 8), "scheduled"),
            (K.FINAL, date(2027, 3, 18), "scheduled"),
        ]
        cancelled = placement.reviews.get(status="cancelled")
        assert cancelled.cancellation_reason == "No longer due: the placement now ends on 26/03/2027"

    def test_a_shorter_placement_cancels_the_reviews_it_no_longer_reaches(self, running, sendco):
        placement = running(planned_end_date=date(2027, 3, 26))
        placement_changed(actor=sendco, placement=placement, planned_end_date=date(2026, 12, 18))
        open_reviews = placement.reviews.filter(status="scheduled").values_list("kind", "due_on")
        assert list(open_reviews) == [(K.FINAL, date(2026, 12, 11))]
        assert CaseEvent.objects.filter(summary="3 reviews cancelled: the placement now ends on 18/12/2026").exists()

    def test_a_final_review_a_new_last_day_replaces_goes_even_when_overdue(self, running, sendco, head, time_machine):
        placement = running()
        time_machine.move_to(timezone.make_aware(datetime(2026, 12, 14, 10, 0)), tick=False)
        extended(placement, date(2027, 3, 26), sendco=sendco, head=head)
        assert placement.reviews.get(due_on=date(2026, 12, 11)).status == "cancelled"
        assert placement.reviews.get(kind=K.TERMLY).due_on == date(2026, 12, 14)  # due today, to hold

    def test_ending_cancels_the_reviews_after_the_last_day_and_schedules_check_ins_on_return(
        self, running, sendco, head
    ):
        placement = running()
        placement_transition(placement=placement, target=S.ENDING, actor=sendco)
        placement_transition(
            placement=placement,
            target=S.ENDED,
            actor=head,
            outcome=Placement.Outcome.REINTEGRATED,
            actual_end_date=date(2026, 11, 23),
            ended_without_steps_reason="Plan and report agreed on paper at the final review.",
        )
        final = placement.reviews.get(kind=K.FINAL)
        assert final.status == "cancelled" and final.cancellation_reason.endswith("ended on 23/11/2026")
        assert list(CheckIn.objects.values_list("weeks_after", "due_on")) == [
            (2, date(2026, 12, 8)),
            (6, date(2027, 1, 20)),
            (12, date(2027, 3, 10)),  # across Christmas, the INSET day on 04/01 and February half-term
        ]

    def test_no_check_ins_when_the_pupil_did_not_return_to_class(self, running, sendco):
        placement = running()
        placement_transition(
            placement=placement,
            target=S.ENDED,
            actor=sendco,
            outcome=Placement.Outcome.MOVED_PROVIDER,
            actual_end_date=date(2026, 11, 23),
        )
        assert not CheckIn.objects.exists()

    def test_a_serious_incident_adds_a_placement_review_within_a_school_week(self, running, dsl):
        placement = running()
        incident = placement_incident_record(
            actor=dsl,  # the DSL records it; the review is scheduled all the same
            placement=placement,
            occurred_at=timezone.now() - timedelta(days=3),  # Friday 20/11
            severity="serious",
            description="Threw a chair.",
            reported_by="Jo Whitfield",
        )
        review = placement.reviews.get(kind=K.INCIDENT)
        assert review.incident == incident and review.due_on == date(2026, 11, 27) and not review.from_calendar

    def test_a_minor_incident_adds_no_review(self, running, dsl):
        placement = running()
        placement_incident_record(
            actor=dsl,
            placement=placement,
            occurred_at=timezone.now() - timedelta(hours=1),
            severity="low",
            description="Swore.",
            reported_by="Jo Whitfield",
        )
        assert not placement.reviews.filter(kind=K.INCIDENT).exists()


class TestNewTermDates:
    """Points beyond the school's term dates are left out; entering the next year's dates adds them."""

    def test_next_years_dates_add_the_check_ins_that_lay_beyond_them(
        self, school, sendco, time_machine, django_capture_on_commit_callbacks
    ):
        from apcase.models import AcademicYear, HalfTerm
        from reviews.services import check_ins_schedule

        time_machine.move_to(timezone.make_aware(datetime(2027, 7, 5, 10, 0)), tick=False)
        placement = PlacementFactory(
            pupil__school=school,
            status=S.ENDED,
            outcome=Placement.Outcome.REINTEGRATED,
            start_date=date(2027, 4, 12),
            planned_end_date=date(2027, 7, 2),
            actual_end_date=date(2027, 7, 2),
        )
        check_ins_schedule(placement, sendco)
        assert list(CheckIn.objects.values_list("weeks_after", flat=True)) == [2]  # 6 and 12 lie past 21/07
        with django_capture_on_commit_callbacks(execute=True):
            year = AcademicYear.objects.create(
                school=school, label="2027/28", start_date=date(2027, 9, 1), end_date=date(2028, 7, 20)
            )
            for term, half, start, end in [
                ("autumn", 1, date(2027, 9, 1), date(2027, 10, 22)),
                ("autumn", 2, date(2027, 11, 1), date(2027, 12, 17)),
                ("spring", 1, date(2028, 1, 4), date(2028, 2, 11)),
            ]:
                HalfTerm.objects.create(academic_year=year, term=term, half=half, start_date=start, end_date=end)
        assert list(CheckIn.objects.values_list("weeks_after", "due_on")) == [
            (2, date(2027, 7, 19)),
            (6, date(2027, 9, 27)),  # 11 school days in July (21/07 is an INSET day), 19 from 1 September
            (12, date(2027, 11, 15)),  # across October half-term
        ]

    def test_an_inset_day_added_moves_the_reviews_it_falls_before(
        self, running, today, django_capture_on_commit_callbacks
    ):
        from apcase.models import Closure

        placement = running()  # to Friday 18/12/2026: its final review is due 5 school days before
        assert placement.reviews.get(kind=K.FINAL).due_on == date(2026, 12, 11)
        with django_capture_on_commit_callbacks(execute=True):
            Closure.objects.create(school=placement.school, date=date(2026, 12, 16), kind=Closure.Kind.INSET)
        moved = placement.reviews.get(kind=K.FINAL, due_on=date(2026, 12, 11))
        assert moved.status == ReviewMeeting.Status.CANCELLED
        assert moved.cancellation_reason == "No longer due: the school's term dates changed"
        assert placement.reviews.get(kind=K.FINAL, status=ReviewMeeting.Status.SCHEDULED).due_on == date(2026, 12, 10)
        summaries = CaseEvent.objects.filter(pupil=placement.pupil).values_list("summary", flat=True)
        assert "1 review cancelled: the school's term dates changed" in summaries

    def test_the_reviews_of_other_schools_do_not_move(
        self, running, today, other_school, django_capture_on_commit_callbacks
    ):
        from apcase.models import Closure

        placement = running()
        with django_capture_on_commit_callbacks(execute=True):
            Closure.objects.create(school=other_school, date=date(2026, 12, 16), kind=Closure.Kind.INSET)
        assert list(placement.reviews.filter(kind=K.FINAL).values_list("due_on", flat=True)) == [date(2026, 12, 11)]
