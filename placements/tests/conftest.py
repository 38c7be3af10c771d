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
def at(pupil, provider, sendco, head, today):
    """at(status, **fields) -> a placement of `pupil` at `provider` moved to that status."""
    from placements.tests.cases import placement_at

    def make(status, **fields):
        fields = {"pupil": pupil, "provider": provider, **fields}
        return placement_at(status, sendco=sendco, head=head, **fields)

    return make
