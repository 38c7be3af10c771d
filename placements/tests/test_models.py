from __future__ import annotations

from datetime import date, time

import pytest
from django.core.exceptions import ValidationError

from audits.tests.factories import ProviderFactory, ProviderSiteFactory
from placements.models import AttendanceCode, Placement
from placements.tests.factories import PlacementFactory
from placements.threshold import is_compulsory_school_age
from placements.timetable import SESSION_KEYS, timetable_summary, validate_timetable, week_grid

P = Placement


class TestTimetable:
    def test_it_accepts_the_ten_sessions_of_the_week(self):
        validate_timetable(list(SESSION_KEYS))

    @pytest.mark.parametrize("value", [["sat_am"], ["mon_am", "mon_am"], "mon_am", [1]])
    def test_it_refuses_anything_else(self, value):
        with pytest.raises(ValidationError):
            validate_timetable(value)

    def test_it_says_the_week_as_a_letter_would(self):
        keys = ["mon_am", "mon_pm", "tue_am", "tue_pm", "wed_am", "fri_pm"]
        assert timetable_summary(keys) == "Monday and Tuesday (all day); Wednesday (mornings); Friday (afternoons)"

    def test_it_lays_the_week_out_as_a_grid(self):
        assert week_grid(["mon_am", "thu_pm"]) == [
            ("Morning", [True, False, False, False, False]),
            ("Afternoon", [False, False, False, True, False]),
        ]


@pytest.mark.django_db
class TestPlacementRules:
    def _clean(self, **fields):
        PlacementFactory(**fields).clean()

    def test_a_complete_placement_is_valid(self):
        self._clean()

    def test_its_kind_is_its_providers(self):
        with pytest.raises(ValidationError) as error:
            self._clean(kind=P.Kind.INTERNAL)
        assert "provider" in error.value.message_dict

    def test_only_an_off_site_placement_is_a_direction(self, school):
        provider = ProviderFactory(school=school, internal=True)
        with pytest.raises(ValidationError) as error:
            self._clean(provider=provider, site=None, kind=P.Kind.INTERNAL, directed_off_site=True)
        assert "directed_off_site" in error.value.message_dict

    def test_the_site_belongs_to_the_provider(self, school):
        other_site = ProviderSiteFactory(provider=ProviderFactory(school=school))
        with pytest.raises(ValidationError) as error:
            self._clean(site=other_site)
        assert "site" in error.value.message_dict

    def test_full_time_is_every_session_and_every_session_is_full_time(self):
        with pytest.raises(ValidationError) as error:
            self._clean(timetable=["mon_am"])
        assert "timetable" in error.value.message_dict
        with pytest.raises(ValidationError) as error:
            self._clean(pattern=P.Pattern.SPLIT)
        assert "pattern" in error.value.message_dict

    def test_a_cost_says_per_what(self):
        with pytest.raises(ValidationError) as error:
            self._clean(cost_unit="")
        assert "cost_unit" in error.value.message_dict

    def test_the_plan_stays_inside_the_proposed_maximum_period(self):
        with pytest.raises(ValidationError) as error:
            self._clean(maximum_end_date=date(2026, 12, 11))
        assert "proposed maximum period (11/12/2026)" in error.value.message_dict["planned_end_date"][0]

    @pytest.mark.parametrize(
        ("sessions", "times"),
        [
            (2, {"day_starts": time(9), "break_starts": time(13), "break_ends": time(12), "day_ends": time(15)}),
            (2, {"day_starts": time(9), "break_starts": time(12), "break_ends": time(12), "day_ends": time(15)}),
            (1, {"day_starts": time(12, 30), "day_ends": time(9)}),
        ],
    )
    def test_session_times_follow_each_other(self, sessions, times):
        with pytest.raises(ValidationError) as error:
            self._clean(sessions_a_day=sessions, **times)
        assert "day_ends" in error.value.message_dict


@pytest.mark.django_db
def test_the_register_codes_are_seeded_with_k_not_for_school_placements():
    codes = {code.code: code for code in AttendanceCode.objects.all()}
    assert codes["B"].meaning == AttendanceCode.Meaning.ATTENDING and codes["B"].allowed_for_school_placements
    assert not codes["K"].allowed_for_school_placements
    assert codes["C2"].meaning == AttendanceCode.Meaning.AUTHORISED
    assert codes["N"].meaning == AttendanceCode.Meaning.UNAUTHORISED and not codes["N"].needs_reason
    assert codes["Y1"].meaning == AttendanceCode.Meaning.NOT_COUNTED
    assert {"D", "E", "I", "M", "C", "C1", "G", "O", "U"} <= codes.keys()


@pytest.mark.parametrize(
    ("born", "on", "expected"),
    [
        (date(2021, 9, 1), date(2026, 9, 1), False),  # five today: school age starts on 31/12
        (date(2021, 9, 1), date(2026, 12, 31), True),
        (date(2021, 8, 31), date(2026, 8, 31), True),  # fifth birthday on a prescribed day
        (date(2021, 1, 15), date(2026, 3, 30), False),
        (date(2021, 1, 15), date(2026, 3, 31), True),
        (date(2010, 10, 2), date(2027, 6, 25), True),  # turns 16 in 2026/27: last Friday of June 2027
        (date(2010, 10, 2), date(2027, 6, 26), False),
        (date(2011, 8, 31), date(2027, 6, 25), True),  # turns 16 on 31/08/2027, still in 2026/27
        (date(2011, 8, 31), date(2027, 6, 26), False),
    ],
)
def test_compulsory_school_age_runs_from_the_term_after_five_to_the_june_after_sixteen(born, on, expected):
    assert is_compulsory_school_age(born, on) is expected
