"""The return to class: the plan and its numbered versions, the final report, the check-ins; and
setting targets and recording measurements."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from placements.models import Placement
from pupils.models import CaseEvent
from pupils.tests.factories import PupilFactory
from reviews.models import FinalReport, PlanVersion
from reviews.services import (
    TargetDetails,
    check_in_record,
    final_report_save,
    measurement_record,
    plan_version_agree,
    target_set,
    target_update,
)
from reviews.tests.factories import CheckInFactory, ReviewMeetingFactory, RunningPlacementFactory, TargetFactory

pytestmark = pytest.mark.django_db
PLAN: dict[str, Any] = {
    "strengths": "Kind to younger children.",
    "needs": "Regulation after lunch.",
    "agreed_targets": "Join Friday Together Time by week 4.",
    "classroom_strategies": "A 'help' card.",
    "return_timetable": [["fri_pm"], ["thu_pm", "fri_pm"]],
    "who_supports": "Mr Ashworth daily.",
}


@pytest.fixture
def placement(school, today):
    return RunningPlacementFactory(pupil__school=school)


class TestThePlan:
    def test_each_agreement_is_a_new_version_and_the_old_ones_stay(self, placement, sendco):
        first = plan_version_agree(actor=sendco, placement=placement, agreed_on=date(2026, 11, 3), **PLAN)
        review = ReviewMeetingFactory(placement=placement, held=True, due_on=date(2026, 11, 10))
        second = plan_version_agree(
            actor=sendco,
            placement=placement,
            agreed_on=date(2026, 11, 10),
            review=review,
            change_summary="Mornings in class from week 2.",
            **(PLAN | {"return_timetable": [["fri_pm"], ["mon_am", "tue_am"]]}),
        )
        assert (first.number, second.number) == (1, 2) and second.review == review
        first.refresh_from_db()
        assert first.return_timetable == [["fri_pm"], ["thu_pm", "fri_pm"]]  # as it was agreed
        assert list(
            CaseEvent.objects.filter(kind=CaseEvent.Kind.REINTEGRATION)
            .order_by("occurred_at")
            .values_list("summary", flat=True)
        ) == [
            "Reintegration plan agreed (version 1)",
            "Reintegration plan changed (version 2): Mornings in class from week 2.",
        ]

    def test_a_change_says_what_changed_and_why(self, placement, sendco):
        plan_version_agree(actor=sendco, placement=placement, agreed_on=date(2026, 11, 3), **PLAN)
        with pytest.raises(ValidationError) as error:
            plan_version_agree(
                actor=sendco, placement=placement, agreed_on=date(2026, 11, 10), **(PLAN | {"needs": "More."})
            )
        assert "change_summary" in error.value.message_dict

    def test_agreeing_the_same_plan_again_is_refused(self, placement, sendco):
        plan_version_agree(actor=sendco, placement=placement, agreed_on=date(2026, 11, 3), **PLAN)
        with pytest.raises(ValidationError, match="Nothing has changed since version 1"):
            plan_version_agree(
                actor=sendco, placement=placement, agreed_on=date(2026, 11, 10), change_summary="Same.", **PLAN
            )
        assert PlanVersion.objects.count() == 1

    def test_a_plan_waits_for_the_placements_approval(self, school, sendco):
        planned = RunningPlacementFactory(pupil__school=school, status=Placement.Status.PLANNED)
        with pytest.raises(ValidationError, match="once the placement is approved"):
            plan_version_agree(actor=sendco, placement=planned, agreed_on=date(2026, 11, 3), **PLAN)

    @pytest.mark.parametrize("persona", ["dsl", "teacher", "office"], indirect=True)
    def test_only_leaders_agree_it(self, placement, persona):
        with pytest.raises(PermissionDenied):
            plan_version_agree(actor=persona, placement=placement, agreed_on=date(2026, 11, 3), **PLAN)

    def test_a_timetable_of_unknown_sessions_is_refused(self, placement, sendco):
        with pytest.raises(ValidationError):
            plan_version_agree(
                actor=sendco,
                placement=placement,
                agreed_on=date(2026, 11, 3),
                **(PLAN | {"return_timetable": [["sat_am"]]}),
            )


REPORT = {
    "attainment_progress": "Up a stage in reading.",
    "behaviour_evidence": "No incidents since week 2.",
    "pupil_views": "Wants to sit by the window.",
    "pupil_views_heard_by": "Mrs Marsh, headteacher",
    "objectives_on_return": "Whole of carpet time.",
}


class TestTheFinalReport:
    def test_it_is_written_then_corrected_with_its_history(self, placement, head, sendco):
        final_report_save(actor=head, placement=placement, prepared_on=date(2026, 11, 20), **REPORT)
        report = final_report_save(
            actor=sendco, placement=placement, prepared_on=date(2026, 11, 23), **(REPORT | {"pupil_views": "Ready."})
        )
        assert FinalReport.objects.count() == 1 and report.prepared_by == sendco and report.history.count() == 2
        summaries = CaseEvent.objects.filter(kind=CaseEvent.Kind.FINAL_REPORT).values_list("summary", flat=True)
        assert sorted(summaries) == sorted(
            [
                f"Final report before the return prepared by {head}",
                f"Final report before the return updated by {sendco}",
            ]
        )

    def test_it_waits_for_the_placement_to_start(self, school, head):
        approved = RunningPlacementFactory(pupil__school=school, status=Placement.Status.APPROVED)
        with pytest.raises(ValidationError, match="once the placement has started"):
            final_report_save(actor=head, placement=approved, prepared_on=date(2026, 11, 20), **REPORT)


class TestCheckIns:
    @pytest.fixture
    def check_in(self, school, teacher, today):
        return CheckInFactory(placement__pupil=PupilFactory(school=school, class_teacher=teacher))

    def test_the_class_teacher_records_whether_the_pupil_is_still_in_class(self, check_in, teacher):
        check_in_record(
            actor=teacher, check_in=check_in, held_on=date(2026, 11, 3), still_in_class=True, notes="Settled."
        )
        assert check_in.still_in_class and check_in.recorded_by == teacher
        assert (
            CaseEvent.objects.get(kind=CaseEvent.Kind.FOLLOW_UP).summary
            == "2-week check-in after the return: still in class"
        )

    def test_not_in_class_says_where(self, check_in, sendco):
        with pytest.raises(ValidationError) as error:
            check_in_record(actor=sendco, check_in=check_in, held_on=date(2026, 11, 3), still_in_class=False)
        assert "where_now" in error.value.message_dict
        check_in_record(
            actor=sendco, check_in=check_in, held_on=date(2026, 11, 3), still_in_class=False, where_now="part_time"
        )
        assert CaseEvent.objects.get(kind=CaseEvent.Kind.FOLLOW_UP).summary == (
            "2-week check-in after the return: not in class: on a reduced timetable"
        )

    def test_a_teacher_of_another_class_cannot(self, check_in, school):
        from apcase.models import Role
        from apcase.tests.factories import MembershipFactory, UserFactory

        other = UserFactory()
        MembershipFactory(user=other, school=school, role=Role.TEACHER)
        with pytest.raises(PermissionDenied):
            check_in_record(actor=other, check_in=check_in, held_on=date(2026, 11, 3), still_in_class=True)

    def test_a_check_in_is_after_the_return(self, check_in, sendco):
        with pytest.raises(ValidationError) as error:
            check_in_record(actor=sendco, check_in=check_in, held_on=date(2026, 10, 9), still_in_class=True)
        assert "held_on" in error.value.message_dict


class TestTargets:
    def test_a_target_is_set_with_its_baseline_and_is_a_step(self, placement, sendco):
        target = target_set(
            actor=sendco,
            placement=placement,
            details=TargetDetails(
                area="ns_reading",
                description="Decoding",
                baseline=Decimal("2"),
                target_value=Decimal("4"),
                unit="stage",
            ),
        )
        assert target.is_framework and target.created_by == sendco
        assert CaseEvent.objects.get(kind=CaseEvent.Kind.NOTE).summary == (
            "Target set: Next Steps reading, Decoding: from 2 to 4 (stage)"
        )

    def test_a_target_is_a_change_from_the_baseline(self, placement, sendco):
        with pytest.raises(ValidationError) as error:
            target_set(
                actor=sendco,
                placement=placement,
                details=TargetDetails(
                    area="sas",
                    description="Reading age",
                    baseline=Decimal("85"),
                    target_value=Decimal("85"),
                    unit="score",
                ),
            )
        assert "target_value" in error.value.message_dict

    def test_lower_is_better_for_incidents(self, placement, sendco):
        target = TargetFactory(
            placement=placement, area="behaviour", baseline=5, target_value=1, higher_is_better=False
        )
        assert target.is_met_by(Decimal("1")) and not target.is_met_by(Decimal("2"))

    def test_a_reading_between_reviews_takes_its_half_term(self, placement, sendco):
        target = TargetFactory(placement=placement)
        reading = measurement_record(actor=sendco, target=target, measured_on=date(2026, 11, 20), value=Decimal("3"))
        assert reading.period == "Autumn 2 2026/27" and reading.review is None

    def test_a_reading_is_not_in_the_future_or_before_the_placement(self, placement, sendco):
        target = TargetFactory(placement=placement)
        for day in (date(2026, 11, 24), date(2026, 10, 1)):
            with pytest.raises(ValidationError):
                measurement_record(actor=sendco, target=target, measured_on=day, value=Decimal("3"))

    def test_only_leaders_change_targets(self, placement, dsl):
        target = TargetFactory(placement=placement)
        with pytest.raises(PermissionDenied):
            details = replace(TargetDetails.of(target), target_value=Decimal("5"))
            target_update(actor=dsl, target=target, details=details)
        with pytest.raises(PermissionDenied):
            measurement_record(actor=dsl, target=target, measured_on=date(2026, 11, 20), value=Decimal("3"))
