"""The local authority's figures: what its schools notified it of, and counts across its schools
(docs/oversight.md). Grouped queries, so the number of queries does not grow with the schools."""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Count, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce

from apcase.models import LocalAuthority, School
from audits.models import LAQualityVisit, Provider, ProviderOrganisation
from audits.selectors import ClearanceItem, la_visits_of, organisations_used_in, provider_clearances
from placements.models import AttendanceCode, AttendanceMark, LANotification, Placement
from placements.models.placements import PlacementQuerySet
from placements.selectors.attendance import FIGURE_COUNTS, Figures
from placements.threshold import placement_counts_by_organisation

M = AttendanceCode.Meaning
# A school's clearance "expires soon" when it holds today but not this many days on: time for the
# school to renew its confirmation, audit or agreement before placements stop.
EXPIRING_WITHIN = timedelta(days=30)
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
    """Counts over the placements notified to the LA only (four queries)."""
    notified = _notified(local_authority)
    by_school = list(notified.values_list("school__name").annotate(n=Count("pk")).order_by("school__name"))
    by_provider = notified.values_list("provider__name").annotate(n=Count("pk")).order_by("provider__name")
    marks = AttendanceMark.objects.filter(placement__in=notified).aggregate(**FIGURE_COUNTS)
    ended = list(notified.ended().values_list("start_date", "actual_end_date", "outcome"))
    weeks = [(end - start).days / 7 for start, end, _outcome in ended if start and end]
    outcomes = Counter(outcome for _start, _end, outcome in ended)
    return LAFigures(
        placements=sum(n for _school, n in by_school),  # every placement has its school
        by_school=by_school,
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
    # Two correlated subqueries per running placement, each an index range on its marks; a join of
    # every mark with the "since" subquery evaluated per mark took 10 s at 10,000 pupils (bench/).
    unauthorised_since = (
        AttendanceMark.objects.filter(placement=OuterRef("pk"), date__lte=today, date__gt=OuterRef("since"))
        .filter(code__meaning=M.UNAUTHORISED)
        .values("placement")
        .annotate(n=Count("pk"))
        .values("n")
    )
    placements = (
        Placement.objects.running()
        .filter(school__local_authority=local_authority)
        .annotate(since=Coalesce(Subquery(explained), date.min))
        .annotate(run=Coalesce(Subquery(unauthorised_since), 0))
        .filter(run__gte=CME_RUN_SESSIONS)
    )
    counts = Counter(placements.values_list("school_id", flat=True))
    schools = School.objects.filter(local_authority=local_authority).order_by("name")
    return [MissingEducation(school, counts[school.pk]) for school in schools]


# --- The provider directory (docs/oversight.md) ---------------------------------------------------


@dataclass(frozen=True)
class SchoolClearance:
    """One school's own directory entry for the provider, and its clearance today and a month on."""

    provider: Provider
    items: list[ClearanceItem]  # today's
    cleared: bool
    lapsing: list[str]  # cleared today: what will no longer hold by the end of EXPIRING_WITHIN

    @property
    def expiring(self) -> bool:
        return self.cleared and bool(self.lapsing)

    @property
    def missing(self) -> list[str]:
        return [item.detail for item in self.items if not item.ok]


@dataclass(frozen=True)
class DirectoryEntry:
    organisation: ProviderOrganisation
    schools: list[SchoolClearance]
    full_time: int  # full-time pupils of compulsory school age placed there by any school
    lac_or_ehcp: int  # of them, looked after or with an EHC plan
    visits: list[LAQualityVisit]  # the authority's own, newest first

    @property
    def cleared(self) -> int:
        return sum(1 for row in self.schools if row.cleared and not row.expiring)

    @property
    def expiring(self) -> int:
        return sum(1 for row in self.schools if row.expiring)

    @property
    def not_cleared(self) -> int:
        return sum(1 for row in self.schools if not row.cleared)

    @property
    def last_visit(self) -> LAQualityVisit | None:
        return self.visits[0] if self.visits else None


def la_directory(
    local_authority: LocalAuthority, *, today: date, organisation: ProviderOrganisation | None = None
) -> list[DirectoryEntry]:
    """Every provider body the authority's schools list off-site (or only `organisation`), each
    school's clearance of it, the registration threshold's counts across the installation, and the
    authority's own visits. A fixed number of queries however many schools: the clearances of every
    entry are judged together, today and EXPIRING_WITHIN on."""
    entries = Provider.objects.filter(
        school__local_authority=local_authority, kind=Provider.Kind.OFFSITE, organisation__isnull=False
    )
    if organisation is not None:
        entries = entries.filter(organisation=organisation)
    related = ("school", "organisation", "registration_checked_by")
    providers = list(entries.select_related(*related).order_by("school__name"))
    now, later = provider_clearances(providers, on=today), provider_clearances(providers, on=today + EXPIRING_WITHIN)
    organisations: dict[int, ProviderOrganisation] = {}
    schools: dict[int, list[SchoolClearance]] = defaultdict(list)
    for provider in providers:
        assert provider.organisation is not None  # entries without one are left out above
        organisations[provider.organisation.pk] = provider.organisation
        clearance, after = now[provider.pk], later[provider.pk]
        lapsing = after.missing if clearance.cleared else []
        schools[provider.organisation.pk].append(SchoolClearance(provider, clearance.items, clearance.cleared, lapsing))
    counts = placement_counts_by_organisation(list(organisations))
    visits: dict[int, list[LAQualityVisit]] = defaultdict(list)
    for visit in la_visits_of(list(organisations)).filter(local_authority=local_authority):
        visits[visit.organisation_id].append(visit)
    rows = [
        DirectoryEntry(organisation, schools[pk], *counts.get(pk, (0, 0)), visits[pk])
        for pk, organisation in organisations.items()
    ]
    return sorted(rows, key=lambda row: row.organisation.name.lower())


def la_organisation(local_authority: LocalAuthority, public_id) -> ProviderOrganisation:
    """A provider body the authority's schools list; any other raises DoesNotExist (a 404)."""
    return organisations_used_in(local_authority).get(public_id=public_id)
