"""England's usual term dates, used to give a new school a calendar it can then edit.

Half-terms run from the first to the last day of each half (INSET days inside them are listed as
closures). Bank holidays need no entry: the calendar takes them from the `holidays` package
(apcase/bank_holidays.py). Schools set their own INSET days, so these are a starting point,
editable in the admin; years after these are entered by the school office.
"""

from datetime import date
from typing import TypedDict


class TermYear(TypedDict):
    start: date
    end: date
    half_terms: list[tuple[str, int, date, date]]  # (term, half, first day, last day)
    closures: list[tuple[date, str, str]]  # (day, kind, reason)


ENGLAND_TERM_DATES: dict[str, TermYear] = {
    "2025/26": {
        "start": date(2025, 9, 1),
        "end": date(2026, 7, 22),
        "half_terms": [
            ("autumn", 1, date(2025, 9, 1), date(2025, 10, 24)),
            ("autumn", 2, date(2025, 11, 3), date(2025, 12, 19)),
            ("spring", 1, date(2026, 1, 5), date(2026, 2, 13)),
            ("spring", 2, date(2026, 2, 23), date(2026, 3, 27)),
            ("summer", 1, date(2026, 4, 13), date(2026, 5, 22)),
            ("summer", 2, date(2026, 6, 1), date(2026, 7, 22)),
        ],
        "closures": [
            (date(2025, 9, 1), "inset", "INSET day"),
            (date(2025, 9, 2), "inset", "INSET day"),
            (date(2025, 11, 3), "inset", "INSET day"),
            (date(2026, 1, 5), "inset", "INSET day"),
            (date(2026, 7, 22), "inset", "INSET day"),
        ],
    },
    "2026/27": {
        "start": date(2026, 9, 1),
        "end": date(2027, 7, 21),
        "half_terms": [
            ("autumn", 1, date(2026, 9, 1), date(2026, 10, 23)),
            ("autumn", 2, date(2026, 11, 2), date(2026, 12, 18)),
            ("spring", 1, date(2027, 1, 4), date(2027, 2, 12)),
            ("spring", 2, date(2027, 2, 22), date(2027, 3, 26)),
            ("summer", 1, date(2027, 4, 12), date(2027, 5, 28)),
            ("summer", 2, date(2027, 6, 7), date(2027, 7, 21)),
        ],
        "closures": [
            (date(2026, 9, 1), "inset", "INSET day"),
            (date(2026, 9, 2), "inset", "INSET day"),
            (date(2026, 11, 2), "inset", "INSET day"),
            (date(2027, 1, 4), "inset", "INSET day"),
            (date(2027, 7, 21), "inset", "INSET day"),
        ],
    },
}
