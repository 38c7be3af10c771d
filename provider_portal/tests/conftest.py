from __future__ import annotations

from datetime import date, datetime

import pytest
import time_machine
from django.utils import timezone

# Tuesday 1 December 2026: the provider_staff persona's placements (from 16/11, full time) expect
# both schools' pupils today.
TODAY = date(2026, 12, 1)


@pytest.fixture
def at_time():
    """at_time(hour, minute) freezes London time on TODAY."""
    travellers: list[time_machine.travel] = []

    def freeze(hour: int, minute: int = 0):
        if travellers:
            travellers.pop().stop()
        traveller = time_machine.travel(timezone.make_aware(datetime(2026, 12, 1, hour, minute)), tick=False)
        traveller.start()
        travellers.append(traveller)

    yield freeze
    for traveller in travellers:
        traveller.stop()


@pytest.fixture
def morning(at_time):
    at_time(9, 30)
    return TODAY


@pytest.fixture
def staff(provider_staff):
    from audits.models import ProviderStaff

    return ProviderStaff.objects.select_related("organisation").get(user=provider_staff)


@pytest.fixture
def ours(staff, school):
    """The persona's placement at school A."""
    from placements.models import Placement

    return Placement.objects.get(school=school, provider__organisation=staff.organisation)


@pytest.fixture
def theirs(staff, other_school):
    from placements.models import Placement

    return Placement.objects.get(school=other_school, provider__organisation=staff.organisation)
