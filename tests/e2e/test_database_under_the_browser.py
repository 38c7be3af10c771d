"""The database the browser tests stand on is the migrated one, whatever ran before them."""

from __future__ import annotations

import pytest
from django.db import connections

from placements.models import AttendanceCode

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_with_the_browser_running_the_tests_connection_can_restore_the_migrated_rows(browser):
    # Playwright's sync API keeps an event loop running in this thread, so Django keeps this
    # thread's connections per context from then on. That connection must still carry the test
    # database's serialized contents, or serialized_rollback restores nothing once an earlier
    # transactional test has emptied the tables.
    assert hasattr(connections["default"], "_test_serialized_contents")


def test_rows_made_by_data_migrations_are_there_for_a_browser_test(browser):
    assert AttendanceCode.objects.exists()
