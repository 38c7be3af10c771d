"""Who may open each report URL that names an object (reports/permissions.py has the reasons)."""

from __future__ import annotations

from apcase.tests.access import Case, expect
from reviews.tests.access_cases import LEADERS, _placement_kwargs

CASES = {
    # The LA is told of a placement by the people who commission it.
    "reports:la_notification": Case(_placement_kwargs, expect(403, **LEADERS)),
}
