"""Small numbers identify children. Every figure a governor sees passes through here.

A count from 1 to 4 is shown as "fewer than 5"; a rate or an average over fewer than 5 pupils is
not shown at all. Zero is shown: nobody is identified by nobody.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

SMALLEST_GROUP = 5  # docs/domain-rules.md#governors-figures
SUPPRESSED = "fewer than 5"


@dataclass(frozen=True)
class Figure:
    """A count or measure as it may be published."""

    value: int | Decimal | None
    shown: str

    @property
    def suppressed(self) -> bool:
        return self.value is None


def count(value: int) -> Figure:
    if 0 < value < SMALLEST_GROUP:
        return Figure(None, SUPPRESSED)
    return Figure(value, f"{value:,}")


def measure(value: Decimal | float | None, *, group_size: int, fmt: str = "{:.1f}") -> Figure:
    """A rate or average about group_size pupils: hidden when the group is too small to publish."""
    if value is None or group_size < SMALLEST_GROUP:
        return Figure(None, "not shown (fewer than 5 pupils)" if group_size else "—")
    return Figure(Decimal(str(value)), fmt.format(value))


def breakdown(counts: Iterable[tuple[str, int]], *, other_label: str = "Other") -> list[tuple[str, Figure]]:
    """Rows of a table by group: groups under 5 are merged into one "other" row (itself suppressed
    if still under 5), so no small group can be read off the table."""
    rows, other = [], 0
    for label, value in counts:
        if 0 < value < SMALLEST_GROUP:
            other += value
        elif value:
            rows.append((label, count(value)))
    if other:
        rows.append((other_label, count(other)))
    return rows


@dataclass(frozen=True)
class Disclosure:
    """Who the figures are for. Published (governors, the PDF, anything meant for publication):
    small counts read "fewer than 5", rates over fewer than 5 pupils are hidden, small groups are
    merged. In full (the school's own leaders): the real numbers, so a small school's report says
    something to the people who run its AP."""

    published: bool
    note: str

    def count(self, value: int) -> Figure:
        return count(value) if self.published else Figure(value, f"{value:,}")

    def measure(self, value: Decimal | float | None, *, group_size: int, fmt: str = "{:.1f}") -> Figure:
        if self.published:
            return measure(value, group_size=group_size, fmt=fmt)
        return Figure(None, "—") if value is None else Figure(Decimal(str(value)), fmt.format(value))

    def breakdown(self, counts: Iterable[tuple[str, int]], *, other_label: str = "Other") -> list[tuple[str, Figure]]:
        if self.published:
            return breakdown(counts, other_label=other_label)
        return [(label, self.count(value)) for label, value in counts if value]


PUBLISHED = Disclosure(
    True,
    f"Figures as published: groups of fewer than {SMALLEST_GROUP} pupils are not shown, so that no child can be "
    "identified. This is what governors see, and what the PDF holds.",
)
IN_FULL = Disclosure(
    False,
    "Real numbers, for the school's leaders: small groups are shown as they are, so this page is not for "
    f"publication. Governors, and the PDF, see groups of fewer than {SMALLEST_GROUP} pupils suppressed.",
)
