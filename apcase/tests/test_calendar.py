"""School-day arithmetic on England's 2025/26 and 2026/27 calendar (as seeded for every school)."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from apcase.calendar import CalendarGap, SchoolCalendar
from apcase.models import Closure

UTC = ZoneInfo("UTC")


@pytest.fixture
def cal(school):
    return SchoolCalendar.for_school(school)


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2025, 9, 3), True),  # first teaching day of the year
        (date(2025, 9, 1), False),  # INSET
        (date(2025, 10, 4), False),  # Saturday
        (date(2025, 10, 27), False),  # October half-term
        (date(2025, 12, 25), False),  # Christmas holiday
        (date(2026, 4, 3), False),  # Good Friday, in the Easter holiday
        (date(2026, 5, 4), False),  # Early May bank holiday, in term
        (date(2026, 5, 5), True),
        (date(2027, 3, 26), False),  # Good Friday 2027 falls in term
    ],
)
def test_it_knows_a_school_day(cal, day, expected):
    assert cal.is_school_day(day) is expected


def test_adding_school_days_skips_half_term_and_the_inset_day_after_it(cal):
    assert cal.add_school_days(date(2025, 10, 24), 1) == date(2025, 11, 4)


def test_adding_school_days_crosses_christmas(cal):
    assert cal.add_school_days(date(2025, 12, 19), 1) == date(2026, 1, 6)
    assert cal.add_school_days(date(2026, 1, 6), -2) == date(2025, 12, 18)


def test_counting_back_skips_a_bank_holiday_and_the_weekend(cal):
    assert cal.add_school_days(date(2026, 5, 5), -1) == date(2026, 5, 1)


def test_zero_school_days_is_the_same_day(cal):
    assert cal.add_school_days(date(2025, 10, 4), 0) == date(2025, 10, 4)


def test_it_counts_school_days_between_two_dates(cal):
    assert cal.school_days_between(date(2025, 10, 24), date(2025, 11, 5)) == 2
    assert cal.school_days_between(date(2025, 11, 5), date(2025, 10, 24)) == -2
    assert cal.school_days_between(date(2025, 11, 5), date(2025, 11, 5)) == 0
    # A full autumn term: 1 Sep–19 Dec less INSET (3), half-term and weekends.
    assert len(cal.school_days(date(2025, 9, 1), date(2025, 12, 19))) == 72


def test_it_finds_the_half_term_and_term_of_a_date(cal):
    assert cal.half_term_for(date(2025, 11, 10)).name == "Autumn 2"
    term = cal.term_for(date(2025, 11, 10))
    assert (term.name, term.start, term.end) == ("Autumn", date(2025, 9, 1), date(2025, 12, 19))
    assert cal.half_term_for(date(2025, 10, 28)) is None  # holidays belong to no half-term


def test_a_new_closure_changes_the_arithmetic(school):
    Closure.objects.create(school=school, date=date(2025, 11, 5), kind=Closure.Kind.CLOSURE, reason="Snow")
    cal = SchoolCalendar.for_school(school)
    assert cal.add_school_days(date(2025, 11, 4), 1) == date(2025, 11, 6)


def test_half_termly_reviews_fall_in_the_last_week_of_each_half_term(cal):
    dates = cal.half_termly_review_dates(date(2025, 9, 3), date(2026, 7, 22))
    assert dates == [
        date(2025, 10, 20),
        date(2025, 12, 15),
        date(2026, 2, 9),
        date(2026, 3, 23),
        date(2026, 5, 18),
        date(2026, 7, 15),  # 22 July is INSET: the last teaching day is the 21st
    ]


def test_a_late_start_has_its_first_review_next_half_term(cal):
    assert cal.next_half_termly_review(date(2025, 10, 20)) == date(2025, 12, 15)
    assert cal.next_half_termly_review(date(2025, 9, 22)) == date(2025, 10, 20)


def test_termly_reviews_fall_at_the_end_of_each_term(cal):
    assert cal.termly_review_dates(date(2025, 9, 3), date(2026, 7, 22)) == [
        date(2025, 12, 15),
        date(2026, 3, 23),
        date(2026, 7, 15),
    ]
    assert cal.next_termly_review(date(2026, 1, 6)) == date(2026, 3, 23)


def test_weekly_dates_are_every_fifth_school_day(cal):
    assert cal.weekly_dates(date(2025, 10, 13), date(2025, 11, 12)) == [
        date(2025, 10, 20),
        date(2025, 11, 4),  # half-term week and the INSET day do not count
        date(2025, 11, 11),
    ]


def test_it_refuses_to_guess_outside_the_entered_calendar(cal):
    with pytest.raises(CalendarGap, match="do not cover 01/09/2027"):
        cal.is_school_day(date(2027, 9, 1))


@pytest.mark.parametrize(
    ("utc_moment", "london_date"),
    [
        # Clocks go forward at 01:00 UTC on Sunday 29 March 2026.
        (datetime(2026, 3, 29, 0, 30, tzinfo=UTC), date(2026, 3, 29)),
        (datetime(2026, 3, 29, 23, 30, tzinfo=UTC), date(2026, 3, 30)),
        # Clocks go back at 01:00 UTC on Sunday 25 October 2026: 23:30 UTC on the 24th is already the 25th.
        (datetime(2026, 10, 24, 23, 30, tzinfo=UTC), date(2026, 10, 25)),
        (datetime(2026, 10, 25, 23, 30, tzinfo=UTC), date(2026, 10, 25)),
    ],
)
def test_today_is_the_london_date_on_both_dst_sundays(time_machine, utc_moment, london_date):
    time_machine.move_to(utc_moment, tick=False)
    assert timezone.localdate() == london_date


def test_the_next_school_day_after_the_october_dst_change_is_after_half_term(time_machine, cal):
    time_machine.move_to(datetime(2026, 10, 24, 23, 30, tzinfo=UTC), tick=False)
    assert cal.school_day_on_or_after(timezone.localdate()) == date(2026, 11, 3)


def test_a_calendar_loads_once_per_request_for_every_copy_of_the_school(school, django_assert_num_queries):
    from apcase.calendar import calendars_shared
    from apcase.models import School

    with calendars_shared(), django_assert_num_queries(1):
        SchoolCalendar.for_school(School(pk=school.pk))
        SchoolCalendar.for_school(School(pk=school.pk))
    with django_assert_num_queries(1):  # outside, each School object loads its own
        SchoolCalendar.for_school(School(pk=school.pk))


def test_bank_holidays_close_the_school_in_years_nobody_typed_them_in(school):
    """The office enters 2028/29's summer half-term only; May Day and the spring bank holiday of
    2029 come from England's bank holiday calendar, not from a closure row."""
    from apcase.models import AcademicYear, HalfTerm

    year = AcademicYear.objects.create(
        school=school, label="2028/29", start_date=date(2028, 9, 1), end_date=date(2029, 7, 20)
    )
    HalfTerm.objects.create(
        academic_year=year, term="summer", half=1, start_date=date(2029, 4, 16), end_date=date(2029, 5, 25)
    )
    HalfTerm.objects.create(
        academic_year=year, term="summer", half=2, start_date=date(2029, 5, 28), end_date=date(2029, 7, 20)
    )
    cal = SchoolCalendar.for_school(school)

    assert not Closure.objects.filter(school=school, date__year=2029).exists()
    assert cal.is_school_day(date(2029, 5, 7)) is False  # May Day (first Monday in May)
    assert cal.is_school_day(date(2029, 5, 28)) is False  # spring bank holiday, first day of the half
    assert cal.is_school_day(date(2029, 5, 8)) is True
    assert cal.add_school_days(date(2029, 5, 25), 1) == date(2029, 5, 29)
