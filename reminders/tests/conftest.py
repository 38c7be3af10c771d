"""The reviews app's fixtures (a frozen Monday, a pupil, a provider, a running placement)."""

from reminders.tests.helpers import due_source  # noqa: F401
from reviews.tests.conftest import provider, pupil, running, today  # noqa: F401
