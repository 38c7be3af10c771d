"""The reviews app's fixtures (a frozen Monday, a pupil, a provider, a running placement)."""

from reviews.tests.conftest import provider, pupil, running, today  # noqa: F401
