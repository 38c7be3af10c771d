"""The figures about placements that more than one page shows (the headteacher's dashboard and
the governors' report): each is counted here once, with the words it is shown under, so the
pages cannot disagree."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import reduce
from operator import or_
from typing import Protocol

from django.db.models import Count, Q, Sum

from apcase.models import School
from placements.models import Placement


class YearSpan(Protocol):
    """An academic year (apcase.calendar.Period), or a report period standing in for one."""

    @property
    def academic_year(self) -> str: ...
    @property
    def start(self) -> date: ...
    @property
    def end(self) -> date: ...


@dataclass(frozen=True)
class Spending:
    """What the school has committed to AP in an academic year, against its AP budget."""

    academic_year: str
    committed: Decimal
    budget: Decimal | None

    @property
    def label(self) -> str:
        return f"Committed to placements starting in {self.academic_year} (estimated cost)"

    @property
    def share_of_budget(self) -> int | None:
        """Whole per cent, for display only."""
        return round(100 * self.committed / self.budget) if self.budget else None


@dataclass(frozen=True)
class PlacementFigures:
    spending: Spending
    ended: Counter  # {outcome: placements that ended in the period}

    def outcomes(self) -> list[tuple[str, int]]:
        """(label, count) for each outcome that happened, in the order of the outcomes' list."""
        return [(label, self.ended[value]) for value, label in Placement.Outcome.choices if self.ended[value]]


@dataclass(frozen=True)
class FiguresAsked:
    """One school's question: its academic year, and the days whose endings are counted."""

    school: School
    year: YearSpan
    ended_from: date
    ended_to: date


def placement_figures(*, school, year: YearSpan, ended_from: date, ended_to: date) -> PlacementFigures:
    """In one query: what the school committed in the academic year (the estimated cost of every
    placement the headteacher approved whose first day falls in it: the money is committed once
    approved, so it stays counted when the placement starts, runs and ends), and how the
    placements whose last day fell from ended_from to ended_to ended."""
    return placement_figures_by_school([FiguresAsked(school, year, ended_from, ended_to)])[school.pk]


def placement_figures_by_school(asked: list[FiguresAsked]) -> dict[int, PlacementFigures]:
    """The same figures for many schools in one grouped query (a trust's or an LA's dashboard),
    each school counted over its own year and days, so each matches the school's own pages."""
    if not asked:
        return {}
    committed = Q(status__in=Placement.COMMITTED) & reduce(
        or_, (Q(school_id=a.school.pk, start_date__range=(a.year.start, a.year.end)) for a in asked)
    )
    ended = Q(status=Placement.Status.ENDED) & reduce(
        or_, (Q(school_id=a.school.pk, actual_end_date__range=(a.ended_from, a.ended_to)) for a in asked)
    )
    outcomes = {value: Count("pk", filter=ended & Q(outcome=value)) for value in Placement.Outcome.values}
    rows = {
        row.pop("school_id"): row
        for row in Placement.objects.filter(school_id__in=[a.school.pk for a in asked])
        .values("school_id")
        .annotate(committed=Sum("estimated_cost", filter=committed), **outcomes)
        .order_by()
    }
    figures = {}
    for a in asked:
        row = rows.get(a.school.pk, {})
        total = row.pop("committed", None) or Decimal(0)
        figures[a.school.pk] = PlacementFigures(
            Spending(a.year.academic_year, total, a.school.annual_ap_budget),
            Counter({k: n for k, n in row.items() if n}),
        )
    return figures
