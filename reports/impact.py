"""The governors' report's view of whether AP worked: did pupils who returned to class stay there
(the 6- and 12-week check-ins), and how far did pupils move on their frameworks, by group.

Every figure passes through the report's reports.suppression.Disclosure: published, a group of
fewer than five pupils is never shown, so no child can be picked out of "pupil premium, EHC plan".
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass

from apcase.models import School
from pupils.models import SenProvision
from reports.suppression import Disclosure, Figure
from reviews.models import Target
from reviews.selectors import PupilSteps, ReintegrationOutcome, progress_steps, reintegration_outcomes

CHECK_IN_WEEKS = (6, 12)


@dataclass(frozen=True)
class StayedInClass:
    weeks: int
    checked: int  # pupils whose check-in at this point has been held
    rate: Figure  # % of them still in class


@dataclass(frozen=True)
class Returns:
    returned: Figure
    stayed: list[StayedInClass]


@dataclass(frozen=True)
class StepsRow:
    group: str
    pupils: Figure
    median_steps: list[Figure]  # one per area in StepsTable.areas


@dataclass(frozen=True)
class StepsTable:
    areas: list[str]  # labels of the framework areas anyone was measured in
    rows: list[StepsRow]


def returns_to_class(*, school: School, period, disclosure: Disclosure) -> Returns:
    outcomes = reintegration_outcomes(school_ids=[school.pk], start=period.start, end=period.end)
    return Returns(disclosure.count(len(outcomes)), [_stayed(outcomes, weeks, disclosure) for weeks in CHECK_IN_WEEKS])


def _stayed(outcomes: list[ReintegrationOutcome], weeks: int, disclosure: Disclosure) -> StayedInClass:
    found = [stayed for outcome in outcomes if (stayed := outcome.in_class.get(weeks)) is not None]
    rate = 100 * sum(found) / len(found) if found else None
    return StayedInClass(weeks, len(found), disclosure.measure(rate, group_size=len(found), fmt="{:.0f}%"))


def _groups(pupils: list[PupilSteps]) -> list[tuple[str, list[PupilSteps]]]:
    return [
        ("All pupils", pupils),
        *[(label, [p for p in pupils if p.sen_provision == value]) for value, label in SenProvision.choices],
        ("Pupil Premium", [p for p in pupils if p.pupil_premium]),
        ("Free school meals", [p for p in pupils if p.fsm]),
    ]


def steps_by_group(*, school: School, period, disclosure: Disclosure) -> StepsTable:
    """The median stages gained in each framework area over the period, for all pupils measured
    and by SEN provision, Pupil Premium and free school meals."""
    pupils = progress_steps(school_ids=[school.pk], start=period.start, end=period.end)
    areas = [area for area in Target.FRAMEWORK_AREAS if any(area in p.steps for p in pupils)]
    rows = []
    for label, members in _groups(pupils):
        medians = []
        for area in areas:
            steps = [p.steps[area] for p in members if area in p.steps]
            median = statistics.median(steps) if steps else None
            medians.append(disclosure.measure(median, group_size=len(steps), fmt="{:+.1f}"))
        rows.append(StepsRow(label, disclosure.count(len(members)), medians))
    return StepsTable([Target.Area(area).label for area in areas], rows)
