"""School-day arithmetic of a placement on the term calendar (England's 2025/26 and 2026/27 dates,
which every test school has): lengths, the notice deadline, expected sessions, the IAP's six weeks."""

from __future__ import annotations

from datetime import date, time

import pytest

from audits.tests.factories import ProviderFactory
from placements.notice import notice_deadline
from placements.schedule import (
    calendar_for,
    expected_sessions,
    iap_extension_warning,
    iap_limit,
    last_day_after,
    school_days_in,
)
from placements.tests.factories import PlacementFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("first_day", "deadline"),
    [
        (date(2026, 11, 26), date(2026, 11, 24)),  # Thursday: Tuesday, same week
        (date(2026, 12, 1), date(2026, 11, 27)),  # Tuesday: Friday, over the weekend
        (date(2026, 11, 3), date(2026, 10, 22)),  # after half-term and an INSET day: Thursday before
        (date(2027, 5, 5), date(2027, 4, 30)),  # Wednesday after the May bank holiday: Friday before
        (date(2027, 4, 13), date(2027, 3, 25)),  # after Easter and Good Friday: the Thursday before
    ],
)
def test_the_notice_is_due_two_school_days_before_the_first_day(first_day, deadline):
    assert notice_deadline(PlacementFactory(start_date=first_day)) == deadline


def test_a_length_in_school_days_skips_holidays_and_closures():
    calendar = calendar_for(PlacementFactory())
    # 30/11 to 18/12 is three school weeks; 30 school days run into the spring term past its INSET day.
    assert school_days_in(calendar, date(2026, 11, 30), date(2026, 12, 18)) == 15
    assert last_day_after(calendar, date(2026, 11, 30), 30) == date(2027, 1, 25)
    assert last_day_after(calendar, date(2026, 10, 19), 10) == date(2026, 11, 9)  # half-term and INSET


def test_the_timetable_says_which_sessions_are_expected():
    placement = PlacementFactory(
        pattern="split", timetable=["mon_am", "mon_pm", "wed_pm"], start_date=date(2026, 11, 23), start_time=time(13)
    )
    sessions = expected_sessions(placement, calendar_for(placement), date(2026, 11, 23), date(2026, 12, 2))
    assert sessions == [
        (date(2026, 11, 23), "pm"),  # arriving after midday on the first day: no morning session
        (date(2026, 11, 25), "pm"),
        (date(2026, 11, 30), "am"),
        (date(2026, 11, 30), "pm"),
        (date(2026, 12, 2), "pm"),
    ]


def test_expected_sessions_stop_at_the_end_of_the_placement_and_the_term_dates():
    placement = PlacementFactory(start_date=date(2026, 12, 14), planned_end_date=date(2026, 12, 16))
    calendar = calendar_for(placement)
    assert len(expected_sessions(placement, calendar, date(2026, 12, 1), date(2027, 9, 30))) == 6


class TestIap:
    def _iap(self, school, **fields):
        provider = ProviderFactory(school=school, internal=True, short_term_iap=True)
        return PlacementFactory(pupil__school=school, provider=provider, site=None, **fields)

    def test_its_six_weeks_are_thirty_school_days(self, school):
        placement = self._iap(school, start_date=date(2026, 10, 5), planned_end_date=date(2026, 11, 23))
        assert iap_limit(placement, calendar_for(placement)) == date(2026, 11, 23)
        assert iap_extension_warning(placement, calendar_for(placement)) is None

    def test_it_warns_when_extended_past_six_weeks(self, school):
        placement = self._iap(school, start_date=date(2026, 10, 5), planned_end_date=date(2026, 12, 7), school_days=40)
        warning = iap_extension_warning(placement, calendar_for(placement))
        assert warning is not None
        assert warning.startswith("This IAP now runs to 07/12/2026 (8 school weeks), past its six weeks")
        assert "(which end on 23/11/2026)" in warning

    def test_other_placements_have_no_six_week_limit(self):
        placement = PlacementFactory(start_date=date(2026, 10, 5), planned_end_date=date(2027, 3, 26))
        assert iap_limit(placement, calendar_for(placement)) is None
