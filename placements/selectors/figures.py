"""The figures about placements that more than one page shows (the headteacher's dashboard and
the governors' report): each is counted here once, with the words it is shown under, so the
pages cannot disagree."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Protocol

from django.db.models import Count, Q, Sum

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


def placement_figures(*, school, year: YearSpan, ended_from: date, ended_to: date) -> PlacementFigures:
    """In one query: what the school committed in the academic year (the estimated cost of every
    placement the headteacher approved whose first day falls in it: the money is committed once
    approved, so it stays counted when the placement starts, runs and ends), and how the
    placements whose last day fell from ended_from to ended_to ended."""
    committed = Q(status__in=Placement.COMMITTED, start_date__range=(year.start, year.end))
    ended = Q(status=Placement.Status.ENDED, actual_end_date__range=(ended_from, ended_to))
    outcomes = {value: Count("pk", filter=ended & Q(outcome=value)) for value in Placement.Outcome.values}
    row = Placement.objects.filter(school_id=school.pk).aggregate(
        committed=Sum("estimated_cost", filter=committed), **outcomes
    )
    total = row.pop("committed") or Decimal(0)
    return PlacementFigures(
        Spending(year.academic_year, total, school.annual_ap_budget), Counter({k: n for k, n in row.items() if n})
    )
