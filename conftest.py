"""Shared test fixtures: one persona per role in school A, an outsider in school B, factories.

Personas come from apcase.tests.factories; every app's tests use them so access tests read the
same everywhere (healthchecks' Alice/Bob/Charlie, as pytest fixtures).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from io import StringIO
from pathlib import Path

import pytest
import time_machine

from apcase.access import forget_roles
from apcase.models import Role

# The real SMTP server fixture (`smtp`) for any test that checks what was sent.
pytest_plugins = ["apcase.tests.smtp"]

time_machine.naive_mode = time_machine.NaiveMode.ERROR

# The personas themselves are declared once, in apcase.tests.access.PERSONAS; each has a fixture
# of the same name below.


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix):
    """pytest-django's hook before the test database is made: reuse the migrated copy (SQLite)."""
    from apcase.tests.migrated_db import use_saved_migrations

    use_saved_migrations()


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path):
    # Uploads and stored letters go to a per-test folder, never the developer's var/.
    settings.MEDIA_ROOT = tmp_path / "private"
    # Password hashing is not under test here; the slow default hasher would dominate run time.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Every request in a test fails on an N+1 query (django-zeal middleware, development installs).
    settings.ZEAL_RAISE = True


@pytest.fixture(autouse=True)
def _celery_in_process(request):
    """Unit tests run tasks in-process even when REDIS_URL is set; `integration` tests use a real
    worker instead (see reviews/tests/test_reminders_worker.py)."""
    from apcase.celery import app

    if request.node.get_closest_marker("integration"):
        yield
        return
    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = previous


@pytest.fixture
def school(db):
    from apcase.tests.factories import SchoolFactory

    return SchoolFactory(name="Oakfield Primary School")


@pytest.fixture
def other_school(db):
    from apcase.tests.factories import SchoolFactory

    return SchoolFactory(name="Hillside Primary School")


def _member(school, role, username):
    from apcase.tests.factories import MembershipFactory, UserFactory

    user = UserFactory(username=username)
    MembershipFactory(user=user, school=school, role=role)
    forget_roles(user)
    return user


@pytest.fixture
def sendco(school):
    return _member(school, Role.SENDCO, "sendco")


@pytest.fixture
def head(school):
    return _member(school, Role.HEAD, "head")


@pytest.fixture
def dsl(school):
    return _member(school, Role.DSL, "dsl")


@pytest.fixture
def teacher(school):
    return _member(school, Role.TEACHER, "teacher")


@pytest.fixture
def office(school):
    user = _member(school, Role.OFFICE, "office")
    user.is_staff = True
    user.save()
    return user


@pytest.fixture
def governor(school):
    return _member(school, Role.GOVERNOR, "governor")


@pytest.fixture
def outsider(other_school):
    """A SENDCo of another school: sees everything in their own school, nothing in ours."""
    return _member(other_school, Role.SENDCO, "outsider")


def _trust_lead(school, trust_name: str, username: str):
    """A SENDCo trust-wide, whose own membership is at the trust's central team (a school record
    of its own), so `school` is reached through the trust, as a trust lead reaches each school."""
    from apcase.models import Membership, Trust, User
    from apcase.tests.factories import SchoolFactory, UserFactory

    trust, _ = Trust.objects.get_or_create(name=trust_name)
    type(school).objects.filter(pk=school.pk).update(trust=trust)
    school.trust = trust
    central = SchoolFactory(name=f"{trust_name} central team", trust=trust, calendar=False)
    user: User = UserFactory(username=username)
    Membership.objects.create(user=user, school=central, role=Role.SENDCO, trust_wide=True)
    forget_roles(user)
    return user


@pytest.fixture
def trustlead(school):
    """The inclusion lead of school A's trust: a SENDCo in every school of the trust."""
    return _trust_lead(school, "Northbridge Learning Trust", "trustlead")


@pytest.fixture
def other_trust_lead(other_school):
    """The lead of another trust (school B's): nothing of school A's trust is theirs."""
    return _trust_lead(other_school, "Hillside Schools Trust", "other_trust_lead")


@pytest.fixture
def provider_staff(school, other_school):
    """Jo at Littleton Green, a provider body both schools place with (the provider portal): no
    school role; one pupil of each school placed with them, running."""
    from datetime import date

    from audits.tests.factories import ProviderFactory, ProviderStaffFactory
    from placements.models import Placement
    from placements.tests.factories import PlacementFactory

    staff = ProviderStaffFactory(
        user__username="provider_staff",
        user__first_name="Jo",
        organisation__name="Littleton Green",
        invited_from__school=school,
    )
    for owner in (school, other_school):
        entry = ProviderFactory(school=owner, organisation=staff.organisation, urn=staff.organisation.urn)
        PlacementFactory(
            pupil__school=owner, provider=entry, status=Placement.Status.ACTIVE, start_date=date(2026, 11, 16)
        )
    return staff.user


@pytest.fixture
def laofficer(school):
    """An AP officer of school A's local authority: in no school at all."""
    from apcase.models import LocalAuthorityOfficer
    from apcase.tests.factories import UserFactory

    user = UserFactory(username="laofficer")
    LocalAuthorityOfficer.objects.create(user=user, local_authority=school.local_authority)
    return user


@pytest.fixture
def other_provider_staff(school, other_school):
    """Sam at Wharf Road, another provider both schools place with: sees none of Littleton Green's."""
    from datetime import date

    from audits.tests.factories import ProviderFactory, ProviderStaffFactory
    from placements.models import Placement
    from placements.tests.factories import PlacementFactory

    staff = ProviderStaffFactory(
        user__username="other_provider_staff", organisation__name="Wharf Road", invited_from__school=other_school
    )
    for owner in (school, other_school):
        entry = ProviderFactory(school=owner, organisation=staff.organisation, urn=staff.organisation.urn)
        PlacementFactory(
            pupil__school=owner, provider=entry, status=Placement.Status.ACTIVE, start_date=date(2026, 11, 16)
        )
    return staff.user


@pytest.fixture
def persona(request):
    """Indirect fixture: parametrize with a persona name to get that user."""
    return request.getfixturevalue(request.param)


@pytest.fixture
def client_for(client):
    """client_for(user) -> the test client signed in as that user."""

    def sign_in(user):
        client.force_login(user)
        return client

    return sign_in


# --- The demo, seeded once per session ----------------------------------------------------------
# seed_demo is the slowest thing the suite does, and five test modules each check a part of the
# same demo. Each moment below is seeded once per test process (twice, as `make run` may do, so
# every test also holds the demo idempotent), dumped, and loaded into each test's own transaction.
DEMO_MOMENTS = {
    "monday 23/11/2026": datetime(2026, 11, 23, 9, 0),
    "monday 07/12/2026": datetime(2026, 12, 7, 8, 30),
}
DEMO_PASSWORD = "pw-for-the-demo"


@dataclass
class DemoSnapshot:
    moment: datetime
    dump: Path
    media: Path
    counts_after_first_seed: dict[str, int]

    @staticmethod
    def counts() -> dict[str, int]:
        """Rows of every model but the history (seeding again saves again, and history records it)."""
        from django.apps import apps

        return {
            model._meta.label: model._base_manager.count()
            for model in apps.get_models()
            if not model.__name__.startswith("Historical")
        }


@pytest.fixture(scope="session")
def _demo_snapshots(tmp_path_factory, django_db_blocker):
    from django.core.management import call_command
    from django.db import transaction
    from django.test import override_settings
    from django.utils import timezone

    snapshots: dict[str, DemoSnapshot] = {}

    def snapshot(name: str) -> DemoSnapshot:
        if name not in snapshots:
            folder = tmp_path_factory.mktemp("demo")
            moment = timezone.make_aware(DEMO_MOMENTS[name])
            with (
                django_db_blocker.unblock(),
                override_settings(MEDIA_ROOT=folder / "private"),
                time_machine.travel(moment, tick=False),
                transaction.atomic(),
            ):
                call_command("seed_demo", "--password", DEMO_PASSWORD, stdout=StringIO())
                counts = DemoSnapshot.counts()
                call_command("seed_demo", "--password", DEMO_PASSWORD, stdout=StringIO())
                # Content types and permissions come from the migrations, the same in every test.
                call_command(
                    "dumpdata",
                    exclude=["contenttypes", "auth.permission"],
                    output=str(folder / "demo.json"),
                    verbosity=0,
                )
                transaction.set_rollback(True)
            snapshots[name] = DemoSnapshot(moment, folder / "demo.json", folder / "private", counts)
        return snapshots[name]

    return snapshot


@pytest.fixture
def demo(request, _demo_snapshots, db, settings, time_machine):
    """The demo as seeded (twice) at the moment the test names with
    @pytest.mark.demo("monday 23/11/2026"); the clock stays at that moment."""
    from django.core.management import call_command

    marker = request.node.get_closest_marker("demo")
    snapshot = _demo_snapshots(marker.args[0] if marker else "monday 23/11/2026")
    settings.MEDIA_ROOT = snapshot.media
    time_machine.move_to(snapshot.moment, tick=False)
    call_command("loaddata", str(snapshot.dump), verbosity=0)
    return snapshot


def pytest_collection_modifyitems(config, items):
    """Under xdist (`make test`), the tests of the demo share one worker, so it is seeded once."""
    if not config.pluginmanager.hasplugin("xdist"):
        return
    for item in items:
        if "demo" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.xdist_group("demo"))
