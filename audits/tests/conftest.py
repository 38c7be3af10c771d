from __future__ import annotations

from datetime import date, datetime

import pytest
import time_machine
from django.utils import timezone

TODAY = date(2026, 11, 23)


@pytest.fixture
def today():
    """Monday 23/11/2026, 10:00 in London, frozen: every date in these tests counts from it."""
    with time_machine.travel(timezone.make_aware(datetime(2026, 11, 23, 10, 0)), tick=False):
        yield TODAY
