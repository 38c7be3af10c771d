"""Fictional data at a trust's scale, for the benchmarks (`manage.py seed_bench`).

Each school gets England's term dates, one member of staff per role (sendco01, head01 … for school
1), pupils with contacts, a provider directory with its checks and audits, referrals and
placements at every status over the school year so far, a year of AM/PM attendance marks, the
records kept during placements, approvals, parent notices, the reviews of each placement with its
targets and readings, the return to class (reintegration plans, final reports, check-ins) and the
chronology of every case.

Rows go in with bulk inserts, and with a history row wherever the app's own save would write one
(dated and attributed as it would be). The same seed on the same day gives the same data.
"""

from __future__ import annotations

from collections.abc import Callable
from time import perf_counter

from django.apps import apps
from django.db import connection, transaction
from django.utils import timezone

from apcase.models import Document, LocalAuthority, Membership, Notification, School
from audits.models import Audit, AuditAnswer, FurtherAction, Provider, ProviderSite, SafeguardingConfirmation
from bench.generator.attendance import plan_marks, write_marks
from bench.generator.base import Build, dates_as_given
from bench.generator.chronology import write_chronology
from bench.generator.outbox import create_outbox
from bench.generator.oversight import create_oversight
from bench.generator.people import create_pupils, create_schools
from bench.generator.placements import build_placements, write_placements
from bench.generator.providers import create_providers
from bench.generator.records import create_records
from bench.generator.referrals import create_referrals
from bench.generator.reviews import create_reviews
from bench.generator.shapes import shape_placements
from outbox.models import Message
from placements.models import Handover, Incident, LANotification, ParentNotice, Placement, Visit
from pupils.models import CaseEvent, Contact, ParentMeeting, Pupil, Referral
from reviews.models import (
    FinalReport,
    Measurement,
    ReintegrationPlan,
    ReviewMeeting,
    ReviewRequest,
    Target,
)

DEFAULT_SEED = 2026

# Models whose automatic timestamps the generator sets itself (see base.dates_as_given).
DATED_MODELS = (
    School, Membership, Pupil, Contact, Provider, ProviderSite, SafeguardingConfirmation, Audit, AuditAnswer,
    FurtherAction, Referral, ParentMeeting, Placement, Document, ParentNotice, Handover, Incident, Visit,
    CaseEvent, Notification, Message, ReviewMeeting, ReviewRequest, Target, Measurement, ReintegrationPlan, FinalReport,
    LocalAuthority, LANotification,
)  # fmt: skip


def generate(
    *, schools: int, pupils_per_school: int, seed: int, password: str | None, report: Callable[[str], None]
) -> Build:
    """Fill an empty, migrated database; `report` is given one line per stage with its counts and time."""
    build = Build(seed=seed, today=timezone.localdate())
    marks: dict[int, list] = {}
    made: list = []

    def placements() -> None:
        made.extend(build_placements(build))
        for bs, placement, _shape in made:  # the marks decide each placement's absence alert level
            marks.setdefault(bs.school.pk, []).extend(plan_marks(build, bs, placement))
        write_placements(build, made)

    def referrals() -> None:
        shape_placements(build)
        create_referrals(build)

    def attendance() -> None:
        for bs in build.schools:
            write_marks(build, bs, marks.pop(bs.school.pk, []))

    stages = [
        ("schools, term dates and staff", lambda: create_schools(build, schools, password)),
        ("pupils and contacts", lambda: create_pupils(build, pupils_per_school)),
        ("providers, confirmations and audits", lambda: create_providers(build)),
        ("referrals, parents' meetings and approvals", referrals),
        ("placements, approvals and parent notices", placements),
        ("handovers, incidents and visits", lambda: create_records(build, made)),
        # Before the marks are written: a held review keeps the attendance as it stood from them.
        ("reviews, targets and the return to class", lambda: create_reviews(build, made, marks)),
        ("attendance marks", attendance),
        ("chronology and notifications", lambda: write_chronology(build)),
        ("the first school's outbox", lambda: create_outbox(build)),
        ("the trust, the local authority and its notifications", lambda: create_oversight(build, password)),
    ]
    with dates_as_given(DATED_MODELS), transaction.atomic():
        for title, stage in stages:
            before, started = build.inserted.copy(), perf_counter()
            stage()
            added = build.inserted - before
            counts = ", ".join(f"{count:,} {name}" for name, count in added.items())
            report(f"{title}: {counts} ({perf_counter() - started:.1f} s)")
    _analyse(report)
    note = _reviews_note(build)
    if note:
        report(note)
    return build


def _analyse(report: Callable[[str], None]) -> None:
    """Give PostgreSQL's planner the statistics autovacuum would have gathered on a live database.
    Measured straight after a bulk load without them, the planner guesses one row per table: the
    LA view's children-missing-education count took 10 s at 10,000 pupils, 0.02 s after ANALYZE."""
    if connection.vendor != "postgresql":
        return
    started = perf_counter()
    tables = ", ".join(connection.ops.quote_name(name) for name in connection.introspection.django_table_names())
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {tables}")
    report(f"planner statistics (ANALYZE) ({perf_counter() - started:.1f} s)")


def _reviews_note(build: Build) -> str:
    """Name any model of the reviews app that this run left empty."""
    models = [
        model for model in apps.get_app_config("reviews").get_models() if not model.__name__.startswith("Historical")
    ]
    empty = [name for model in models if not build.inserted[name := str(model._meta.verbose_name_plural)]]
    return f"reviews: none generated of {', '.join(empty)} (bench/generator/reviews.py)." if empty else ""
