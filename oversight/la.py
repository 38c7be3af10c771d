"""The local authority's figures: what its schools notified it of, and counts across its schools
(docs/oversight.md). Grouped queries, so the number of queries does not grow with the schools."""

from __future__ import annotations

import statistics
from collections import Counter
from dataclasses import dataclass
from datetime import date

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from apcase.models import LocalAuthority, School
from placements.models import AttendanceCode, AttendanceMark, LANotification, Placement
from placements.models.placements import PlacementQuerySet
from placements.selectors.attendance import FIGURE_COUNTS, Figures

M = AttendanceCode.Meaning
# Children missing education: the LA looks into a pupil absent without a reason for ten school days
# in a row (twenty sessions), the point at which schools tell it (docs/oversight.md).
CME_RUN_SESSIONS = 20


@dataclass(frozen=True)
class LAFigures:
    placements: int
    by_school: list[tuple[str, int]]
    by_provider: list[tuple[str, int]]
    attendance: Figures
    median_weeks: float | None  # length of the notified placements that ended
    outcomes: list[tuple[str, int]]


@dataclass(frozen=True)
class MissingEducation:
    school: School
    placements: int  # running placements whose latest marks are a run of unexplained absence


def notifications_received(local_authority: LocalAuthority) -> QuerySet[LANotification]:
    """What the LA's schools sent it, newest first, with what the letter itself names."""
    return LANotification.objects.received_by(local_authority).select_related(
        "placement__school", "placement__provider", "placement__pupil", "created_by", "acknowledged_by"
    )


def _notified(local_authority: LocalAuthority) -> PlacementQuerySet:
    return Placement.objects.filter(pk__in=LANotification.objects.received_by(local_authority).values("placement_id"))


def la_figures(local_authority: LocalAuthority) -> LAFigures:
    """Counts over the placements notified to the LA only (six queries)."""
    notified = _notified(local_authority)
    by_school = notified.values_list("school__name").annotate(n=Count("pk")).order_by("school__name")
    by_provider = notified.values_list("provider__name").annotate(n=Count("pk")).order_by("provider__name")
    marks = AttendanceMark.objects.filter(placement__in=notified).aggregate(**FIGURE_COUNTS)
    ended = list(notified.ended().values_list("start_date", "actual_end_date", "outcome"))
    weeks = [(end - start).days / 7 for start, end, _outcome in ended if start and end]
    outcomes = Counter(outcome for _start, _end, outcome in ended)
    return LAFigures(
        placements=notified.count(),
        by_school=list(by_school),
        by_provider=list(by_provider),
        attendance=Figures(marks["possible"], marks["attended"]),
        median_weeks=round(statistics.median(weeks), 1) if weeks else None,
        outcomes=[(label, outcomes[value]) for value, label in Placement.Outcome.choices if outcomes[value]],
    )


def missing_education(local_authority: LocalAuthority, *, today: date) -> list[MissingEducation]:
    """Per school of the LA, running placements whose marks since the last present or authorised
    one are at least CME_RUN_SESSIONS of unauthorised absence. Counts only: no pupil crosses to the
    LA this way (one query)."""
    explained = (
        AttendanceMark.objects.filter(placement=OuterRef("pk"), date__lte=today)
        .filter(code__meaning__in=[M.ATTENDING, M.AUTHORISED])
        .order_by("-date")
        .values("date")[:1]
    )
    since = Coalesce(Subquery(explained), date.min)
    run = Count(
        "attendance_marks",
        filter=Q(attendance_marks__code__meaning=M.UNAUTHORISED, attendance_marks__date__gt=since),
    )
    placements = (
        Placement.objects.running()
        .filter(school__local_authority=local_authority)
        .annotate(run=run)
        .filter(run__gte=CME_RUN_SESSIONS)
    )
    counts = Counter(placements.values_list("school_id", flat=True))
    schools = School.objects.filter(local_authority=local_authority).order_by("name")
    return [MissingEducation(school, counts[school.pk]) for school in schools]
