from __future__ import annotations

from datetime import date

from apcase.models import School
from reports.periods import ReportPeriod, period_for


def report_period(school: School, today: date, wanted: str = "") -> ReportPeriod:
    """The period the report pages would pick (the tests' schools always have term dates)."""
    period = period_for(school, today, wanted)
    assert period is not None
    return period
