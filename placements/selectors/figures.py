"""The figures about placements that more than one page shows (the headteacher's dashboard and
the governors' report): each is counted here once, with the words it is shown under, so the
pages cannot disagree."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Count, Sum

from apcase.calendar import Period
from placements.models import Placement


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


def committed_spending(*, school, year: Period) -> Spending:
    """The estimated cost of every placement the headteacher approved whose first day falls in the
    academic year: the money is committed once approved, so it stays counted when the placement
    starts, runs and ends (Placement.COMMITTED). One query."""
    total = (
        Placement.objects.committed()
        .filter(school_id=school.pk, start_date__range=(year.start, year.end))
        .aggregate(total=Sum("estimated_cost"))["total"]
    )
    return Spending(year.academic_year, total or Decimal(0), school.annual_ap_budget)


def outcomes_between(*, school_id: int, start: date, end: date) -> Counter:
    """{outcome: placements} for the placements whose last day fell from start to end. One query."""
    rows = (
        Placement.objects.ended()
        .filter(school_id=school_id, actual_end_date__range=(start, end))
        .values("outcome")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return Counter({row["outcome"]: row["n"] for row in rows})
