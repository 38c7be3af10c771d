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


@pytest.fixture
def pupil(school):
    from placements.tests.cases import pupil_with_parent

    return pupil_with_parent(school, legal_first_name="Jayden", legal_last_name="Clarke")


@pytest.fixture
def provider(school, dsl, today):
    from placements.tests.cases import offsite_provider

    return offsite_provider(school, dsl, name="Littleton Green")


@pytest.fixture
def running(pupil, provider, sendco, head, today):
    """running(**fields) -> a direction off-site of `pupil` started through the real services (so its
    reviews are scheduled), from Tuesday 03/11/2026 to the end of term unless told otherwise."""
    from placements.models import Placement
    from placements.tests.cases import placement_at

    def make(**fields):
        fields = {"start_date": date(2026, 11, 3), "planned_end_date": date(2026, 12, 18), **fields}
        return placement_at(Placement.Status.ACTIVE, pupil=pupil, provider=provider, sendco=sendco, head=head, **fields)

    return make
