from __future__ import annotations

from datetime import date

import pytest

# The same frozen Monday, pupil and provider as the placements tests: reviews follow placements.
from placements.tests.conftest import provider, pupil, today  # noqa: F401


@pytest.fixture
def running(pupil, provider, sendco, head, today):  # noqa: F811
    """running(**fields) -> a direction off-site of `pupil` started through the real services (so its
    reviews are scheduled), from Tuesday 03/11/2026 to the end of term unless told otherwise."""
    from placements.models import Placement
    from placements.tests.cases import placement_at

    def make(**fields):
        fields = {"start_date": date(2026, 11, 3), "planned_end_date": date(2026, 12, 18), **fields}
        return placement_at(Placement.Status.ACTIVE, pupil=pupil, provider=provider, sendco=sendco, head=head, **fields)

    return make
