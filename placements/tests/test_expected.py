"""Who is expected at a provision on a day: the one read the provider's register, the daily chase
and the oversight views share."""

from __future__ import annotations

from datetime import date

import pytest

from apcase.models import Closure
from placements.models import Placement
from placements.selectors import placements_expected_on
from placements.tests.factories import PlacementFactory

pytestmark = pytest.mark.django_db
S = Placement.Status
MONDAY = date(2026, 11, 30)


def _expected(day, **filters):
    return {(e.placement.pk, e.sessions) for e in placements_expected_on(Placement.objects.filter(**filters), day)}


def test_the_timetable_says_which_sessions_of_a_day(school):
    full = PlacementFactory(pupil__school=school, status=S.ACTIVE)
    mornings = PlacementFactory(
        pupil__school=school, status=S.ACTIVE, pattern=Placement.Pattern.PART_TIME, timetable=["mon_am", "tue_pm"]
    )
    assert _expected(MONDAY) == {(full.pk, ("am", "pm")), (mornings.pk, ("am",))}
    assert _expected(date(2026, 12, 1)) == {(full.pk, ("am", "pm")), (mornings.pk, ("pm",))}


def test_nobody_is_expected_on_a_closure_a_weekend_or_outside_the_placement(school):
    placement = PlacementFactory(pupil__school=school, status=S.ACTIVE)
    Closure.objects.create(school=school, date=date(2026, 12, 2), kind=Closure.Kind.INSET)
    assert _expected(date(2026, 12, 2)) == set()
    assert _expected(date(2026, 12, 5)) == set()
    assert _expected(date(2026, 11, 27)) == set()  # before the first day
    assert _expected(date(2026, 12, 21)) == set()  # after the planned last day
    assert _expected(date(2026, 12, 18)) == {(placement.pk, ("am", "pm"))}


def test_a_cancelled_placement_expects_nobody_an_unstarted_one_from_its_first_day(school):
    PlacementFactory(pupil__school=school, status=S.CANCELLED, cancellation_reason="Withdrawn.")
    unstarted = PlacementFactory(pupil__school=school, status=S.NOTICE_ISSUED)
    assert _expected(MONDAY) == {(unstarted.pk, ("am", "pm"))}


def test_a_placement_ended_early_expects_nobody_after_its_last_day(school):
    ended = PlacementFactory(
        pupil__school=school,
        status=S.ENDED,
        actual_end_date=date(2026, 12, 1),
        outcome=Placement.Outcome.REINTEGRATED,
    )
    assert _expected(date(2026, 12, 1)) == {(ended.pk, ("am", "pm"))}
    assert _expected(date(2026, 12, 2)) == set()


def test_a_first_day_starting_after_midday_expects_the_afternoon_only(school):
    from datetime import time

    late = PlacementFactory(pupil__school=school, status=S.APPROVED, start_time=time(13, 0))
    assert _expected(MONDAY) == {(late.pk, ("pm",))}


def test_the_queries_do_not_grow_with_the_placements(school, other_school, django_assert_max_num_queries):
    for owner in (school, other_school):
        PlacementFactory.create_batch(5, pupil__school=owner, status=S.ACTIVE)
    with django_assert_max_num_queries(3):  # the placements, and every school's calendar (two)
        expected = placements_expected_on(Placement.objects.all(), MONDAY)
        names = [e.placement.pupil.display_name + e.placement.provider.name + e.placement.school.name for e in expected]
    assert len(names) == 10
