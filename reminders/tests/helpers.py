"""A reminder source for tests: one reminder per listed school, due on a fixed date."""

from __future__ import annotations

from datetime import date

import pytest

from reminders.specs import ReminderSpec


@pytest.fixture
def due_source(monkeypatch):
    """Register a source that says 'this school's thing is due' for each school added to it."""
    specs: list[ReminderSpec] = []

    def source(today: date):
        yield from specs

    def add(school, *users, due_on=date(2026, 1, 6)):
        specs.append(
            ReminderSpec(
                kind="test_due",
                target=school,
                school_id=school.pk,
                due_on=due_on,
                recipient_ids=tuple(user.pk for user in users),
                title="Review due for J.S.",
                link="/",
            )
        )

    monkeypatch.setattr("reminders.specs.SOURCES", [source])
    monkeypatch.setattr("reminders.services.SOURCES", [source])
    return add
