"""The provider portal's register at a provider 10 schools place 60 pupils with (issue 16).

    DATABASE_URL=postgresql://apcase:apcase@127.0.0.1:5432/<db> .venv/bin/python -m bench.portal

On a migrated database, inside one transaction that is rolled back at the end (nothing stays):
10 schools with England's term dates, 6 full-time pupils each at their own directory entry for
one provider organisation, and the provider's member of staff. On Tuesday 1 December 2026 at
09:30 it times, with bench.timing (3 warm-ups, then 30 requests): the register page (120
sessions), and saving a whole morning (60 marks) as a POST that changes nothing (the steady state
of a second save); the first save of the morning, which writes the 60 marks and checks each for an
alert, is timed once. Writes bench/results/portal.md.
"""

from __future__ import annotations

import os
import sys
from datetime import date, datetime
from pathlib import Path
from time import perf_counter
from zoneinfo import ZoneInfo

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
os.environ.setdefault("DJANGO_DEBUG", "false")
os.environ.setdefault("AXES_ENABLED", "false")
django.setup()

import time_machine  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402

from apcase.services import calendar_seed_england  # noqa: E402
from apcase.tests.factories import SchoolFactory  # noqa: E402
from audits.tests.factories import ProviderFactory, ProviderStaffFactory  # noqa: E402
from bench.timing import fetch, signed_in, timed  # noqa: E402
from placements.models import Placement  # noqa: E402
from placements.tests.factories import PlacementFactory  # noqa: E402

SCHOOLS, PUPILS_PER_SCHOOL, SAMPLES = 10, 6, 30
MORNING = datetime(2026, 12, 1, 9, 30, tzinfo=ZoneInfo("Europe/London"))
RESULTS = Path(__file__).resolve().parent / "results" / "portal.md"


class RolledBack(Exception):
    pass


def _world():
    staff = ProviderStaffFactory(user__username="bench-provider", organisation__name="Littleton Green")
    placements = []
    for _ in range(SCHOOLS):
        school = SchoolFactory()
        calendar_seed_england(school=school)
        entry = ProviderFactory(school=school, organisation=staff.organisation, urn="")
        placements += PlacementFactory.create_batch(
            PUPILS_PER_SCHOOL,
            pupil__school=school,
            provider=entry,
            site=None,
            status=Placement.Status.ACTIVE,
            start_date=date(2026, 11, 2),
            planned_end_date=date(2026, 12, 18),
        )
    return staff.user, placements


def main() -> None:
    lines = []
    ran_on = datetime.now()
    try:
        with transaction.atomic(), time_machine.travel(MORNING, tick=True):
            user, placements = _world()
            client = signed_in(user)
            url = reverse("provider_portal:register")
            page = timed("Register page (60 pupils, 10 schools)", lambda: fetch(client, url), SAMPLES)
            morning = {f"{p.public_id}-am": "B" for p in placements}
            with CaptureQueriesContext(connection) as first:
                started = perf_counter()
                fetch(client, url, method="post", expect=302, **morning)
                first_ms = (perf_counter() - started) * 1000
            first_queries = len(first)  # read now: the next request clears the query log
            again = timed(
                "Saving the morning again (60 marks, unchanged)",
                lambda: fetch(client, url, method="post", expect=302, **morning),
                SAMPLES,
            )
            lines = [
                "# Provider portal: the register of a provider with 60 pupils from 10 schools",
                "",
                f"PostgreSQL {getattr(connection, 'pg_version', connection.vendor)}; "
                f"{SAMPLES} requests after 3 warm-ups; {ran_on:%d/%m/%Y %H:%M}, load average {os.getloadavg()[0]:.1f} "
                "on this machine (other work shows in the numbers). Made by `python -m bench.portal`.",
                "",
                "| what | queries | median ms | p95 ms |",
                "|---|---:|---:|---:|",
                f"| {page.name} | {page.queries} | {page.median_ms} | {page.p95_ms} |",
                f"| First save of the morning (60 marks written, alerts checked; once) | {first_queries} | "
                f"{first_ms:.1f} | — |",
                f"| {again.name} | {again.queries} | {again.median_ms} | {again.p95_ms} |",
            ]
            raise RolledBack
    except RolledBack:
        pass
    RESULTS.write_text("\n".join(lines) + "\n")
    sys.stdout.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
