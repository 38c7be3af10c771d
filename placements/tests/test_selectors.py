"""Reads for lists and dashboards: who sees which placements, and queries that do not grow."""

from __future__ import annotations

from datetime import date

import pytest

from audits.tests.factories import ProviderFactory
from placements.models import Placement
from placements.selectors import (
    caseload,
    iaps_past_six_weeks,
    incidents_needing_review,
    notices_due,
    placement_approval_facts,
    placement_list_for_user,
)
from placements.tests.factories import IncidentFactory, PlacementFactory
from pupils.tests.factories import PupilFactory

S = Placement.Status
pytestmark = pytest.mark.django_db
TODAY = date(2026, 11, 23)


class TestList:
    def test_a_teacher_sees_only_the_placements_of_pupils_they_teach(self, school, teacher):
        taught = PlacementFactory(pupil__school=school, pupil__class_teacher=teacher)
        key_adult = PlacementFactory(pupil=PupilFactory(school=school, key_adults=[teacher]))
        PlacementFactory(pupil__school=school)
        assert set(placement_list_for_user(user=teacher)) == {taught, key_adult}

    @pytest.mark.parametrize("who", ["sendco", "head", "dsl", "office"])
    def test_those_who_run_safeguard_or_register_see_every_placement(self, request, who, school):
        placements = PlacementFactory.create_batch(3, pupil__school=school)
        assert set(placement_list_for_user(user=request.getfixturevalue(who))) == set(placements)

    @pytest.mark.parametrize("who", ["governor", "outsider"])
    def test_governors_and_other_schools_see_none(self, request, who, school):
        PlacementFactory(pupil__school=school)
        assert not placement_list_for_user(user=request.getfixturevalue(who)).exists()

    def test_it_filters_by_status_provider_and_kind(self, school, sendco):
        first = PlacementFactory(pupil__school=school, status=S.ACTIVE)
        internal = ProviderFactory(school=school, internal=True)
        second = PlacementFactory(pupil__school=school, provider=internal, site=None)
        assert list(placement_list_for_user(user=sendco, status=S.ACTIVE)) == [first]
        assert list(placement_list_for_user(user=sendco, provider=internal)) == [second]
        assert list(placement_list_for_user(user=sendco, kind="internal")) == [second]


class TestDashboards:
    def test_notices_due_give_the_deadline_and_school_days_left(self, school, sendco, django_assert_num_queries):
        soon = PlacementFactory(pupil__school=school, directed_off_site=True, start_date=date(2026, 11, 26))
        later = PlacementFactory(pupil__school=school, directed_off_site=True, start_date=date(2026, 12, 7))
        PlacementFactory(pupil__school=school, directed_off_site=False)
        for _ in range(10):
            PlacementFactory(pupil__school=school, directed_off_site=True, start_date=date(2026, 12, 14))
        with django_assert_num_queries(3):  # the scope, the placements, and the school's calendar
            due = notices_due(user=sendco, today=TODAY)
        assert [(item.placement, item.deadline.day, item.deadline.days_left) for item in due[:2]] == [
            (soon, date(2026, 11, 24), 1),
            (later, date(2026, 12, 3), 8),
        ]
        assert len(due) == 12
        assert notices_due(user=sendco, today=date(2026, 11, 25))[0].deadline.is_passed

    def test_an_iap_running_past_six_weeks_is_listed(self, school, sendco, django_assert_num_queries):
        iap = ProviderFactory(school=school, internal=True, short_term_iap=True)
        on_time = {
            "provider": iap,
            "site": None,
            "status": S.ACTIVE,
            "start_date": date(2026, 11, 2),
            "planned_end_date": date(2026, 12, 11),
        }
        PlacementFactory(pupil__school=school, **on_time)
        late = PlacementFactory(
            pupil__school=school, **{**on_time, "start_date": date(2026, 9, 28), "planned_end_date": date(2026, 11, 16)}
        )
        extended = PlacementFactory(pupil__school=school, **{**on_time, "planned_end_date": date(2027, 1, 15)})
        for _ in range(8):
            PlacementFactory(pupil__school=school, **on_time)
        with django_assert_num_queries(3):
            overruns = iaps_past_six_weeks(user=sendco, today=TODAY)
        assert [(o.placement, o.six_weeks_end, o.extended) for o in overruns] == [
            (late, date(2026, 11, 16), False),  # due to end on its sixth week, still running
            (extended, date(2026, 12, 14), True),
        ]

    def test_the_caseload_says_each_placements_next_step(self, school, sendco, django_assert_num_queries):
        steps = {
            S.PLANNED: "Complete the plan and ask the headteacher to approve it",
            S.AWAITING_APPROVAL: "Waiting for the headteacher's decision",
            S.APPROVED: "Issue the parent notice by 26/11/2026",
            S.NOTICE_ISSUED: "Starts on 30/11/2026",
            S.ACTIVE: "Attendance and visits; planned to end on 18/12/2026",
            S.ENDING: "Plan the return: the last day is 18/12/2026",
        }
        for status in steps:
            PlacementFactory(pupil__school=school, status=status, directed_off_site=True)
        PlacementFactory(pupil__school=school, status=S.CANCELLED, cancellation_reason="x")
        with django_assert_num_queries(3):
            items = caseload(user=sendco, today=date(2026, 11, 23))
        assert {item.placement.status: item.next_step for item in items} == steps

    def test_serious_incidents_without_a_decision_wait_for_leaders(
        self, school, sendco, dsl, django_assert_num_queries
    ):
        placement = PlacementFactory(pupil__school=school, status=S.ACTIVE)
        waiting = IncidentFactory.create_batch(5, placement=placement, severity="serious")
        IncidentFactory(placement=placement, severity="moderate")
        IncidentFactory(
            placement=placement, severity="serious", response="Reviewed.", responded_at=waiting[0].occurred_at
        )
        with django_assert_num_queries(2):  # the user's roles, the incidents
            queue = list(incidents_needing_review(user=sendco))
        assert set(queue) == set(waiting)
        assert list(incidents_needing_review(user=dsl)) == []  # the DSL records incidents; leaders decide


def test_the_heads_inbox_shows_the_cost_with_the_placement(at):
    placement = at(S.AWAITING_APPROVAL, pattern="split", timetable=["mon_am", "mon_pm"])
    facts = dict(placement_approval_facts(placement))
    assert facts["Provider"] == "Littleton Green, Main site (ST99 8SS)"
    assert facts["Kind"] == "Off-site: a direction off-site to improve behaviour"
    assert facts["Dates"] == "30/11/2026 to 18/12/2026 (15 school days)"
    assert facts["Pattern"].startswith("Split with the home school")
    assert facts["Sessions a week"] == "2: Monday (all day)"
    assert facts["Cost and funding"] == "£170.00 per day; about £510.00 in total, funded by the school's AP budget"
