"""Reads for the pages, the dashboards and the governors' report: what each user sees, the
flag, and query counts that do not grow with the data."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from apcase.access import forget_roles
from apcase.models import Role
from apcase.tests.factories import MembershipFactory, SchoolFactory, UserFactory
from placements.models import Placement
from pupils.tests.factories import PupilFactory
from reviews.models import ReviewMeeting
from reviews.selectors import (
    ListView,
    check_ins_due,
    placement_targets,
    placements_flagged_for_ending,
    progress_steps,
    progress_table,
    reintegration_outcomes,
    review_calendar,
    review_counts,
    review_figures,
    review_list_for_user,
    reviews_due,
    reviews_overdue,
)
from reviews.tests.factories import (
    CheckInFactory,
    MeasurementFactory,
    ReviewMeetingFactory,
    RunningPlacementFactory,
    TargetFactory,
)

K = ReviewMeeting.Kind
pytestmark = pytest.mark.django_db
TODAY = date(2026, 11, 23)


def formal(placement, held_on: date, satisfactory: bool) -> ReviewMeeting:
    return ReviewMeetingFactory(
        placement=placement, kind=K.FORMAL, due_on=held_on, held=True, satisfactory_progress=satisfactory
    )


class TestThreeFormalReviewsWithoutImprovement:
    @pytest.fixture
    def placement(self, school):
        return RunningPlacementFactory(pupil__school=school)

    def flagged(self, user) -> list[Placement]:
        return [item.placement for item in placements_flagged_for_ending(user=user)]

    def test_two_are_not_enough(self, placement, head):
        formal(placement, date(2026, 11, 5), False)
        formal(placement, date(2026, 11, 12), False)
        assert self.flagged(head) == []

    def test_the_third_flags_the_placement_for_the_head(self, placement, head, sendco, dsl):
        reviews = [formal(placement, date(2026, 11, day), False) for day in (5, 12, 19)]
        assert self.flagged(head) == [placement] and self.flagged(sendco) == [placement]
        assert placements_flagged_for_ending(user=head)[0].formal_reviews == reviews
        assert self.flagged(dsl) == []  # reads reviews, does not run them

    def test_an_improving_review_in_between_starts_the_count_again(self, placement, head):
        formal(placement, date(2026, 10, 15), False)
        formal(placement, date(2026, 10, 22), False)
        formal(placement, date(2026, 11, 5), True)  # satisfactory progress
        formal(placement, date(2026, 11, 12), False)
        formal(placement, date(2026, 11, 19), False)
        assert self.flagged(head) == []
        formal(placement, date(2026, 11, 20), False)
        assert self.flagged(head) == [placement]

    def test_unheld_and_other_kinds_of_review_do_not_count(self, placement, head):
        formal(placement, date(2026, 11, 5), False)
        formal(placement, date(2026, 11, 12), False)
        ReviewMeetingFactory(placement=placement, kind=K.FORMAL, due_on=date(2026, 11, 19))
        ReviewMeetingFactory(placement=placement, kind=K.HALF_TERMLY, due_on=date(2026, 11, 19), held=True)
        assert self.flagged(head) == []

    def test_an_ended_placement_or_another_schools_is_not_flagged(self, placement, head, other_school):
        for day in (5, 12, 19):
            formal(placement, date(2026, 11, day), False)
        Placement.objects.filter(pk=placement.pk).update(status=Placement.Status.ENDING)
        assert self.flagged(head) == [placement]  # ending: the school may still decide
        Placement.objects.filter(pk=placement.pk).update(status=Placement.Status.CANCELLED)
        assert self.flagged(head) == []
        elsewhere = RunningPlacementFactory(pupil__school=other_school)
        for day in (5, 12, 19):
            formal(elsewhere, date(2026, 11, day), False)
        assert self.flagged(head) == []

    @pytest.mark.parametrize("count", [2, 20])
    def test_one_query_however_many_placements(self, school, head, count, django_assert_num_queries):
        for _ in range(count):
            placement = RunningPlacementFactory(pupil__school=school)
            for day in (5, 12, 19):
                formal(placement, date(2026, 11, day), False)
        forget_roles(head)
        with django_assert_num_queries(2):  # the roles, then the reviews
            assert len(placements_flagged_for_ending(user=head)) == count


class TestDashboards:
    def test_reviews_due_within_five_school_days_across_a_weekend(self, school, sendco, other_school):
        placement = RunningPlacementFactory(pupil__school=school)
        due = [
            ReviewMeetingFactory(placement=placement, due_on=day) for day in (date(2026, 11, 23), date(2026, 11, 30))
        ]
        ReviewMeetingFactory(placement=placement, due_on=date(2026, 12, 1))  # the sixth school day
        ReviewMeetingFactory(placement=placement, due_on=date(2026, 11, 24), held=True)
        ReviewMeetingFactory(placement=RunningPlacementFactory(pupil__school=other_school), due_on=date(2026, 11, 24))
        assert reviews_due(user=sendco, today=TODAY) == due

    def test_reviews_due_across_the_christmas_holiday(self, school, sendco):
        placement = RunningPlacementFactory(pupil__school=school)
        after = ReviewMeetingFactory(placement=placement, due_on=date(2027, 1, 8))
        # From Wednesday 16/12: 17, 18/12, then 05/01 (after the INSET day on 04/01), 06/01, 07/01.
        assert reviews_due(user=sendco, today=date(2026, 12, 16)) == []
        assert reviews_due(user=sendco, today=date(2026, 12, 17)) == [after]

    def test_overdue_reviews_oldest_first(self, school, head):
        placement = RunningPlacementFactory(pupil__school=school)
        later = ReviewMeetingFactory(placement=placement, due_on=date(2026, 11, 20))
        older = ReviewMeetingFactory(placement=placement, due_on=date(2026, 11, 2))
        ReviewMeetingFactory(placement=placement, due_on=date(2026, 11, 10), held=True)
        assert reviews_overdue(user=head, today=TODAY) == [older, later]

    def test_this_half_term_counts_what_is_held_to_hold_and_overdue(self, school, sendco):
        placement = RunningPlacementFactory(pupil__school=school)
        ReviewMeetingFactory(placement=placement, due_on=date(2026, 11, 10), held=True)
        ReviewMeetingFactory(placement=placement, due_on=date(2026, 11, 16))
        ReviewMeetingFactory(placement=placement, due_on=date(2026, 12, 14))
        ReviewMeetingFactory(placement=placement, due_on=date(2026, 10, 19))  # autumn 1
        ReviewMeetingFactory(placement=placement, due_on=date(2026, 12, 7), status="cancelled", cancellation_reason="x")
        ReviewMeetingFactory(placement__pupil__school=SchoolFactory(), due_on=date(2026, 11, 16))  # elsewhere
        tabs, half_term = review_figures(user=sendco, school=school, today=TODAY)
        assert half_term.period is not None and half_term.period.name == "Autumn 2"
        assert (half_term.held, half_term.to_hold, half_term.overdue) == (1, 1, 1)
        # The list's tabs in the same query count every term's, as the list itself does.
        assert tabs == review_counts(user=sendco, school=school, today=TODAY)
        assert tabs == {"upcoming": 1, "overdue": 2, "held": 1, "cancelled": 1}

    def test_in_a_holiday_this_half_term_is_the_next_one(self, school, sendco):
        period = review_figures(user=sendco, school=school, today=date(2026, 12, 24))[1].period
        assert period is not None and period.name == "Spring 1"

    def test_check_ins_due_reach_leaders_and_the_pupils_own_teachers(self, school, sendco, teacher):
        pupil = PupilFactory(school=school, class_teacher=teacher)
        mine = CheckInFactory(placement__pupil=pupil, due_on=date(2026, 11, 20))
        other = CheckInFactory(placement__pupil__school=school, due_on=date(2026, 11, 25))
        CheckInFactory(placement__pupil__school=school, due_on=date(2026, 12, 10))  # not yet
        CheckInFactory(
            placement__pupil__school=school, due_on=date(2026, 11, 16), held_on=date(2026, 11, 16), still_in_class=True
        )
        key_adult = UserFactory()
        MembershipFactory(user=key_adult, school=school, role=Role.TEACHER)
        other.placement.pupil.key_adults.add(key_adult)
        assert check_ins_due(user=sendco, today=TODAY) == [mine, other]
        assert check_ins_due(user=teacher, today=TODAY) == [mine]
        assert check_ins_due(user=key_adult, today=TODAY) == [other]

    @pytest.mark.parametrize("count", [2, 25])
    def test_dashboard_reads_take_a_fixed_number_of_queries(self, school, sendco, count, django_assert_max_num_queries):
        for n in range(count):
            placement = RunningPlacementFactory(pupil__school=school)
            ReviewMeetingFactory(placement=placement, due_on=date(2026, 11, 16 + n % 10))
            CheckInFactory(placement__pupil__school=school, due_on=date(2026, 11, 20))
        forget_roles(sendco)
        with django_assert_max_num_queries(8):  # roles, one per school calendar, one per list
            reviews_due(user=sendco, today=TODAY)
            reviews_overdue(user=sendco, today=TODAY)
            review_figures(user=sendco, school=school, today=TODAY)
            check_ins_due(user=sendco, today=TODAY)


class TestLists:
    def test_each_tab_holds_its_reviews_in_its_order(self, school, sendco):
        placement = RunningPlacementFactory(pupil__school=school)
        soon, later = (
            ReviewMeetingFactory(placement=placement, due_on=d) for d in (date(2026, 11, 24), date(2026, 12, 1))
        )
        overdue = ReviewMeetingFactory(placement=placement, due_on=date(2026, 11, 2))
        held = ReviewMeetingFactory(placement=placement, due_on=date(2026, 11, 9), held=True)

        def tab(view):
            return list(review_list_for_user(user=sendco, school=school, view=view, today=TODAY))

        assert tab(ListView.UPCOMING) == [soon, later] and tab(ListView.OVERDUE) == [overdue]
        assert tab(ListView.HELD) == [held]
        counts = review_counts(user=sendco, school=school, today=TODAY)
        assert counts == {"upcoming": 2, "overdue": 1, "held": 1, "cancelled": 0}

    def test_teachers_and_office_see_no_reviews(self, school, teacher, office):
        ReviewMeetingFactory(placement__pupil__school=school)
        for user in (teacher, office):
            assert not review_list_for_user(user=user, school=school, today=TODAY).exists()

    def test_the_calendar_is_this_half_term_week_by_week(self, school, sendco):
        placement = RunningPlacementFactory(pupil__school=school)
        review = ReviewMeetingFactory(placement=placement, due_on=date(2026, 11, 24))
        calendar = review_calendar(user=sendco, school=school, around=TODAY, today=TODAY)
        assert calendar.period is not None and calendar.period.name == "Autumn 2" and len(calendar.weeks) == 7
        first_monday = calendar.weeks[0][0]
        assert first_monday.day == date(2026, 11, 2) and first_monday.closed == "INSET (training) day"
        tuesday = calendar.weeks[3][1]
        assert tuesday.reviews == [review] and calendar.weeks[3][0].is_today
        assert calendar.previous == date(2026, 9, 1) and calendar.next == date(2027, 1, 4)


class TestForTheGovernorsReport:
    def test_steps_gained_per_pupil_and_framework_area_without_names(self, school):
        pupil = PupilFactory(school=school, sen_provision="K", primary_need="SEMH", pupil_premium=True, fsm=True)
        placement = RunningPlacementFactory(pupil=pupil)
        reading = TargetFactory(placement=placement, baseline=Decimal("2"))
        number = TargetFactory(placement=placement, area="ns_number", baseline=Decimal("4"))
        TargetFactory(placement=placement, area="attendance", baseline=Decimal("80"))  # not a framework
        MeasurementFactory(target=reading, measured_on=date(2026, 7, 10), value=Decimal("3"))  # before the period
        MeasurementFactory(target=reading, measured_on=date(2026, 10, 19), value=Decimal("4"))
        MeasurementFactory(target=reading, measured_on=date(2026, 11, 20), value=Decimal("5"))
        MeasurementFactory(target=number, measured_on=date(2026, 11, 20), value=Decimal("6"))
        [steps] = progress_steps(school_ids=[school.pk], start=date(2026, 9, 1), end=date(2026, 12, 18))
        assert steps.steps == {"ns_reading": Decimal("2"), "ns_number": Decimal("2")}  # 3 -> 5 and 4 -> 6
        assert steps.stages["ns_reading"] == (Decimal("3"), Decimal("5"))
        assert (steps.sen_label, steps.pupil_premium, steps.fsm) == ("SEN support", True, True)
        assert not hasattr(steps, "name") and steps.pupil_id == pupil.pk

    def test_pupils_without_a_reading_in_the_period_are_left_out(self, school):
        MeasurementFactory(target__placement__pupil__school=school, measured_on=date(2026, 7, 10))
        assert progress_steps(school_ids=[school.pk], start=date(2026, 9, 1), end=date(2026, 12, 18)) == []

    def test_reintegration_outcomes_say_whether_each_return_lasted(self, school, other_school):
        check_in = CheckInFactory(
            placement__pupil__school=school,
            weeks_after=6,
            due_on=date(2026, 11, 20),
            held_on=date(2026, 11, 20),
            still_in_class=True,
        )
        CheckInFactory(placement=check_in.placement, weeks_after=12, due_on=date(2027, 1, 27))
        CheckInFactory(placement__pupil__school=other_school)
        [outcome] = reintegration_outcomes(school_ids=[school.pk], start=date(2026, 9, 1), end=date(2026, 12, 18))
        assert outcome.in_class_at_6_weeks is True and outcome.in_class_at_12_weeks is None
        assert outcome.last_day == date(2026, 10, 9)

    @pytest.mark.parametrize("count", [2, 20])
    def test_reports_take_two_queries_each(self, school, count, django_assert_num_queries):
        for _ in range(count):
            MeasurementFactory(target__placement__pupil__school=school, measured_on=date(2026, 11, 2))
            CheckInFactory(
                placement__pupil__school=school, held_on=date(2026, 11, 3), still_in_class=False, where_now="part_time"
            )
        with django_assert_num_queries(4):
            assert len(progress_steps(school_ids=[school.pk], start=date(2026, 9, 1), end=date(2026, 12, 18))) == count
            assert (
                len(reintegration_outcomes(school_ids=[school.pk], start=date(2026, 9, 1), end=date(2026, 12, 18)))
                == count
            )


def test_the_progress_table_has_the_latest_reading_in_each_half_term(school):
    target = TargetFactory(placement__pupil__school=school)
    MeasurementFactory(target=target, measured_on=date(2026, 10, 5), period="Autumn 1 2026/27", value=Decimal("2.5"))
    MeasurementFactory(target=target, measured_on=date(2026, 10, 19), period="Autumn 1 2026/27", value=Decimal("3"))
    MeasurementFactory(target=target, measured_on=date(2026, 11, 20), period="Autumn 2 2026/27", value=Decimal("4"))
    table = progress_table(placement_targets(target.placement))
    assert table.columns == ["Autumn 1 2026/27", "Autumn 2 2026/27"]
    assert table.rows[0][1] == [Decimal("3"), Decimal("4")]
