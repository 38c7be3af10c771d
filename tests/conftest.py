"""System tests reach across apps: they reuse the placements app's fixtures (a frozen Monday, a
pupil with a parent, an off-site provider, a placement moved to any status)."""

from placements.tests.conftest import at, provider, pupil, today  # noqa: F401
