"""England's bank holidays, from the maintained `holidays` package (England and Wales calendar).

A bank holiday inside a half-term is never a school day, whether or not the school entered it as
a closure: term calendars keep counting correctly in years nobody typed in. The school still
enters its own term dates and INSET days.
"""

from __future__ import annotations

from datetime import date
from functools import cache

import holidays


@cache
def _year(year: int) -> dict[date, str]:
    return dict(holidays.country_holidays("GB", subdiv="ENG", years=year))


def bank_holidays_between(start: date, end: date) -> dict[date, str]:
    """{date: name} for every bank holiday in England from start to end, both included."""
    return {
        day: name
        for year in range(start.year, end.year + 1)
        for day, name in _year(year).items()
        if start <= day <= end
    }
