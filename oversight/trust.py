"""The trust dashboard's figures: each school's and each provider's, in a fixed number of queries
however many schools the trust has (grouped aggregates; docs/oversight.md says why).

Every figure is counted by the same selector, over the same status group and dates, as the school's
own page that shows it, so a school's row here always equals its own dashboard."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.http import urlencode

from apcase.calendar import Period, SchoolCalendar
from apcase.models import School, Trust, User
from audits.models import Provider
from audits.selectors import Clearance, provider_clearances
from oversight.access import trust_schools
from placements.models import Incident, Placement
from placements.selectors.attendance import Figures, attendance_by_provider
from placements.selectors.attention import Attention
from placements.selectors.figures import FiguresAsked, Spending, placement_figures_by_school
from reviews.selectors import reviews_overdue_by_school


@dataclass(frozen=True)
class SchoolFigures:
    school: School
    half_term: Period | None  # the half-term attendance is counted over (None in a holiday)
    running: int  # placements running now (Placement.RUNNING)
    pupils: int  # pupils with a placement running now
    attendance: Figures  # at the school's placements, this half-term
    notices: int  # parent notices to issue, as the head's tile counts them
    notices_late: int  # of them, past their deadline
    reviews_overdue: int
    outcomes: list[tuple[str, int]]  # how placements ended this academic year
    spending: Spending | None  # committed this academic year against the AP budget


@dataclass(frozen=True)
class ProviderUse:
    """One school's use of a provider: its own directory entry, and its own clearance of it."""

    school: School
    provider: Provider
    clearance: Clearance
    pupils: int
    attendance: Figures
    incidents: int

    @property
    def url(self) -> str:
        return reverse("providers:detail", args=[self.provider.public_id])

    @property
    def pupils_url(self) -> str:
        """The school's list of its placements running there: what "pupils placed" counts."""
        return reverse("placements:list") + f"?{urlencode({'group': 'running', 'provider': str(self.provider.pk)})}"


@dataclass(frozen=True)
class ProviderFigures:
    name: str
    uses: list[ProviderUse]

    @property
    def pupils(self) -> int:
        return sum(use.pupils for use in self.uses)

    @property
    def attendance(self) -> Figures:
        return _sum_figures(use.attendance for use in self.uses)

    @property
    def incidents(self) -> int:
        return sum(use.incidents for use in self.uses)


@dataclass(frozen=True)
class TrustDashboard:
    trust: Trust
    today: date
    schools: list[SchoolFigures]
    providers: list[ProviderFigures]

    @property
    def total_running(self) -> int:
        return sum(row.running for row in self.schools)

    @property
    def total_pupils(self) -> int:
        return sum(row.pupils for row in self.schools)

    @property
    def total_attendance(self) -> Figures:
        return _sum_figures(row.attendance for row in self.schools)

    @property
    def total_notices(self) -> int:
        return sum(row.notices for row in self.schools)

    @property
    def total_reviews_overdue(self) -> int:
        return sum(row.reviews_overdue for row in self.schools)


def _sum_figures(figures) -> Figures:
    figures = list(figures)
    return Figures(sum(f.possible for f in figures), sum(f.attended for f in figures))


def _running_counts(school_ids) -> dict[int, dict[str, int]]:
    rows = (
        Placement.objects.running()
        .filter(school_id__in=school_ids)
        .values("school_id")
        .annotate(running=Count("pk"), pupils=Count("pupil_id", distinct=True))
        .order_by()
    )
    return {row["school_id"]: row for row in rows}


def _notices(user: User, school_ids, today: date) -> tuple[Counter, Counter]:
    """Parent notices to issue per school, read exactly as the school's own tile reads them."""
    todos = Attention(user=user, today=today).todos("notice")
    mine = [todo for todo in todos if todo.placement.school_id in school_ids]
    due = Counter(todo.placement.school_id for todo in mine)
    late = Counter(todo.placement.school_id for todo in mine if todo.due and todo.due < today)
    return due, late


def _provider_uses(school_ids, half_terms, attendance, today: date, schools) -> list[ProviderFigures]:
    """The providers where the trust's pupils are placed now, each school's entry with its own
    clearance (three queries for the evidence, one for the counts, one for the incidents)."""
    running = (
        Placement.objects.running()
        .filter(school_id__in=school_ids)
        .values("school_id", "provider_id")
        .annotate(pupils=Count("pupil_id", distinct=True))
        .order_by()
    )
    pupils = {(row["school_id"], row["provider_id"]): row["pupils"] for row in running}
    used = Provider.objects.filter(pk__in={provider_id for _school_id, provider_id in pupils})
    providers = list(used.select_related("registration_checked_by", "school"))
    clearances = provider_clearances(providers, on=today)
    since = Q()
    for school_id, half_term in half_terms.items():
        since |= Q(placement__school_id=school_id, occurred_at__date__range=(half_term.start, half_term.end))
    incidents = (
        dict(
            Incident.objects.filter(since, placement__provider__in=providers)
            .values_list("placement__provider_id")
            .annotate(n=Count("pk"))
            .order_by()
        )
        if half_terms and providers
        else {}
    )
    by_name: dict[str, list[ProviderUse]] = defaultdict(list)
    for provider in providers:
        use = ProviderUse(
            school=schools[provider.school_id],
            provider=provider,
            clearance=clearances[provider.pk],
            pupils=pupils[(provider.school_id, provider.pk)],
            attendance=attendance.get((provider.school_id, provider.pk), Figures()),
            incidents=incidents.get(provider.pk, 0),
        )
        by_name[provider.name.strip().lower()].append(use)
    rows = [
        ProviderFigures(uses[0].provider.name, sorted(uses, key=lambda u: u.school.name)) for uses in by_name.values()
    ]
    return sorted(rows, key=lambda row: row.name.lower())


def trust_dashboard(*, user: User, trust: Trust, today: date) -> TrustDashboard:
    schools = {school.pk: school for school in trust_schools(user, trust)}
    # Every school's calendar in one query, shared with the notices' deadlines read below.
    calendars = SchoolCalendar.for_school_ids(schools)
    half_terms = {sid: ht for sid, cal in calendars.items() if (ht := cal.half_term_for(today))}
    years = {sid: year for sid, cal in calendars.items() if (year := cal.academic_year_on(today))}
    attendance = attendance_by_provider({sid: (ht.start, min(today, ht.end)) for sid, ht in half_terms.items()})
    by_school: dict[int, list[Figures]] = defaultdict(list)
    for (school_id, _provider_id), figures in attendance.items():
        by_school[school_id].append(figures)
    counts = _running_counts(schools)
    notices, late = _notices(user, schools.keys(), today)
    overdue = reviews_overdue_by_school(user=user, school_ids=schools.keys(), today=today)
    year_figures = placement_figures_by_school(
        [FiguresAsked(schools[sid], year, year.start, min(today, year.end)) for sid, year in years.items()]
    )
    rows = [
        SchoolFigures(
            school=school,
            half_term=half_terms.get(sid),
            running=counts.get(sid, {}).get("running", 0),
            pupils=counts.get(sid, {}).get("pupils", 0),
            attendance=_sum_figures(by_school[sid]),
            notices=notices[sid],
            notices_late=late[sid],
            reviews_overdue=overdue.get(sid, 0),
            outcomes=year_figures[sid].outcomes() if sid in year_figures else [],
            spending=year_figures[sid].spending if sid in year_figures else None,
        )
        for sid, school in schools.items()
    ]
    providers = _provider_uses(schools.keys(), half_terms, attendance, today, schools)
    return TrustDashboard(trust, today, rows, providers)
