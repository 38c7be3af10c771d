"""The AP report: use, impact and value for money, for a period on the school's calendar (a term,
the year to date or the last three terms), compared with the period before.

Figures go through a reports.suppression.Disclosure before anyone sees them: published for
governors and the PDF (no pupil identifiable), in full for the school's own leaders.
"""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import reduce
from operator import or_

import pygal
from django.db.models import Count, Q

from apcase.calendar import CalendarGap, SchoolCalendar
from apcase.charts import BASE_OPTIONS, chart_data_url
from apcase.models import School
from placements.models import AttendanceCode, AttendanceMark, Placement
from placements.selectors.figures import FiguresAsked, PlacementFigures, Spending, placement_figures_by_school
from pupils.models import Referral
from reports.impact import Returns, StepsTable, returns_to_class, steps_by_group
from reports.periods import ReportPeriod, previous_period
from reports.suppression import IN_FULL, PUBLISHED, SMALLEST_GROUP, Disclosure, Figure

Asked = list[tuple[School, ReportPeriod]]  # schools, each over its own period
DURATION_BANDS = [(30, "Up to 6 weeks"), (60, "6 to 12 weeks"), (10_000, "More than 12 weeks")]


@dataclass(frozen=True)
class Comparison:
    """The report's headline figures beside the same figures for the period before."""

    previous: ReportPeriod
    rows: list[tuple[str, Figure, Figure]]  # (what, this period, the period before)


@dataclass
class GovernorsReport:
    school: School
    period: ReportPeriod
    disclosure: Disclosure
    referrals: Figure
    referral_outcomes: list[tuple[str, Figure]]
    pupils_in_ap: Figure
    by_kind: list[tuple[str, Figure]]
    by_provider: list[tuple[str, Figure]]
    durations: list[tuple[str, Figure]]
    median_duration: Figure
    outcomes: list[tuple[str, Figure]]
    attendance_before: Figure
    attendance_during: Figure
    attendance_pupils: int
    cost_total: Decimal
    cost_per_pupil: Figure
    cost_per_reintegration: Figure
    spending: Spending
    returns: Returns
    steps: StepsTable
    comparison: Comparison | None = None
    charts: dict[str, str] = field(default_factory=dict)

    @property
    def title(self) -> str:
        return f"Alternative provision report to governors: {self.period.label}"


def _placements_in(asked: Asked) -> list[Placement]:
    """The placements that ran for at least a day of each school's period (one query)."""
    ran = reduce(
        or_,
        (
            Q(school_id=school.pk, start_date__lte=period.end)
            & (Q(actual_end_date__isnull=True) | Q(actual_end_date__gte=period.start))
            for school, period in asked
        ),
    )
    return list(Placement.objects.started().filter(ran).select_related("provider", "pupil"))


def _attendance_during(placements: list[Placement], asked: Asked) -> dict[int, tuple[int, int]]:
    """{placement id: (attended, possible)} from the marks in each school's period, in one query."""
    within = reduce(
        or_, (Q(placement__school_id=school.pk, date__range=(period.start, period.end)) for school, period in asked)
    )
    rows = (
        AttendanceMark.objects.filter(within, placement__in=placements)
        .exclude(code__meaning=AttendanceCode.Meaning.NOT_COUNTED)
        .values("placement_id", "code__meaning")
        .annotate(n=Count("id"))
    )
    totals: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for row in rows:
        totals[row["placement_id"]][1] += row["n"]
        if row["code__meaning"] == AttendanceCode.Meaning.ATTENDING:
            totals[row["placement_id"]][0] += row["n"]
    return {pk: (attended, possible) for pk, (attended, possible) in totals.items() if possible}


def _school_days(calendar: SchoolCalendar, start: date, end: date) -> int | None:
    try:
        return len(calendar.school_days(start, end))
    except CalendarGap:
        return None


def _bar_chart(title: str, rows: list[tuple[str, Figure]], *, y_title: str = "Pupils") -> str | None:
    shown = [(label, figure.value) for label, figure in rows if figure.value is not None]
    if not shown:
        return None
    chart = pygal.HorizontalBar(
        **BASE_OPTIONS,
        width=640,
        height=60 + 36 * len(shown),
        show_legend=False,
        print_values=True,
        x_title=y_title,
        title=title,
    )
    for label, value in shown:
        chart.add(label, [int(value)])
    chart.x_labels = [label for label, _value in shown]
    return chart_data_url(chart)


def _attendance_chart(before: Figure, during: Figure) -> str | None:
    if before.suppressed and during.suppressed:
        return None
    chart = pygal.Bar(
        **BASE_OPTIONS,
        width=480,
        height=300,
        range=(0, 100),
        print_values=True,
        y_title="% of sessions attended",
        show_legend=False,
        title="Attendance before and during AP",
    )
    chart.x_labels = ["Before AP", "During AP"]
    chart.add("Attendance", [None if f.value is None else round(float(f.value), 1) for f in (before, during)])
    return chart_data_url(chart)


@dataclass(frozen=True)
class _Counts:
    """What the report counts over one period, before any figure is shown (five queries)."""

    referral_status: Counter
    placements: list[Placement]
    pupils: set[int]
    lengths: list[int]  # school days of each placement that ended in the period
    figures: PlacementFigures
    with_baseline: list[Placement]
    attendance_before: float | None
    attendance_during: float | None
    cost_total: Decimal

    @property
    def reintegrated(self) -> int:
        return self.figures.ended.get(Placement.Outcome.REINTEGRATED, 0)


def _counts(school: School, period: ReportPeriod, calendar: SchoolCalendar) -> _Counts:
    return _counts_by_school([(school, period)], {school.pk: calendar})[school.pk]


def _counts_by_school(asked: Asked, calendars: dict[int, SchoolCalendar]) -> dict[int, _Counts]:
    """Each school's counts over its own period, in the same five queries however many schools (a
    trust board's report), so a school's column always equals its own report."""
    if not asked:
        return {}
    within = reduce(
        or_, (Q(school_id=school.pk, submitted_at__date__range=(period.start, period.end)) for school, period in asked)
    )
    referrals: dict[int, Counter] = defaultdict(Counter)
    for school_id, status in Referral.objects.filter(within).values_list("school_id", "status"):
        referrals[school_id][status] += 1
    placements: dict[int, list[Placement]] = defaultdict(list)
    for placement in _placements_in(asked):
        placements[placement.school_id].append(placement)
    during = _attendance_during([p for ran in placements.values() for p in ran], asked)
    figures = placement_figures_by_school(
        [
            FiguresAsked(school, calendars[school.pk].academic_year_on(period.end) or period, period.start, period.end)
            for school, period in asked
        ]
    )
    return {
        school.pk: _one_school(
            period, calendars[school.pk], referrals[school.pk], placements[school.pk], during, figures[school.pk]
        )
        for school, period in asked
    }


def _one_school(
    period: ReportPeriod,
    calendar: SchoolCalendar,
    referral_status: Counter,
    placements: list[Placement],
    during: dict[int, tuple[int, int]],
    figures: PlacementFigures,
) -> _Counts:
    ended = [
        p
        for p in placements
        if p.status == Placement.Status.ENDED and p.actual_end_date and p.actual_end_date in period
    ]
    lengths = [
        d
        for p in ended
        if p.start_date and p.actual_end_date and (d := _school_days(calendar, p.start_date, p.actual_end_date))
    ]
    with_baseline = [p for p in placements if p.baseline_attendance is not None and p.pk in during]
    return _Counts(
        referral_status=referral_status,
        placements=placements,
        pupils={p.pupil_id for p in placements},
        lengths=lengths,
        figures=figures,
        with_baseline=with_baseline,
        attendance_before=statistics.fmean(float(b) for p in with_baseline if (b := p.baseline_attendance) is not None)
        if with_baseline
        else None,
        attendance_during=statistics.fmean(100 * during[p.pk][0] / during[p.pk][1] for p in with_baseline)
        if with_baseline
        else None,
        cost_total=sum((p.estimated_cost or Decimal(0) for p in placements), Decimal(0)),
    )


def _headlines(counts: _Counts, disclosure: Disclosure) -> list[tuple[str, Figure]]:
    """The figures a reader compares period with period, each as the disclosure allows."""
    return [
        ("Causes for Concern referred to the SENDCo", disclosure.count(sum(counts.referral_status.values()))),
        ("Pupils in alternative provision", disclosure.count(len(counts.pupils))),
        ("Placements that ended", disclosure.count(sum(counts.figures.ended.values()))),
        ("of them, back in class", disclosure.count(counts.reintegrated)),
        (
            "Average attendance during AP",
            disclosure.measure(counts.attendance_during, group_size=len(counts.with_baseline), fmt="{:.1f}%"),
        ),
        ("Estimated cost of the placements that ran", Figure(counts.cost_total, f"£{counts.cost_total:,.0f}")),
    ]


def _combined(parts: list[_Counts]) -> _Counts:
    """Several schools' counts as one: lists joined, pupils and outcomes added up, spending summed,
    and each attendance average weighted by the placements it is taken over."""

    def weighted(attr: str) -> float | None:
        pairs = [(getattr(c, attr), len(c.with_baseline)) for c in parts if getattr(c, attr) is not None]
        total = sum(n for _value, n in pairs)
        return sum(value * n for value, n in pairs) / total if total else None

    ended = sum((c.figures.ended for c in parts), Counter())
    committed = sum((c.figures.spending.committed for c in parts), Decimal(0))
    budgets = [b for c in parts if (b := c.figures.spending.budget) is not None]
    budget = sum(budgets, Decimal(0)) if len(budgets) == len(parts) else None
    year = parts[0].figures.spending.academic_year if parts else ""
    return _Counts(
        referral_status=sum((c.referral_status for c in parts), Counter()),
        placements=[p for c in parts for p in c.placements],
        pupils={pupil for c in parts for pupil in c.pupils},
        lengths=[n for c in parts for n in c.lengths],
        figures=PlacementFigures(Spending(year, committed, budget), ended),
        with_baseline=[p for c in parts for p in c.with_baseline],
        attendance_before=weighted("attendance_before"),
        attendance_during=weighted("attendance_during"),
        cost_total=sum((c.cost_total for c in parts), Decimal(0)),
    )


@dataclass(frozen=True)
class HeadlineTable:
    """The governors' report's headline figures for several schools and for them together (a
    trust's board): each column as the disclosure allows, the total too."""

    disclosure: Disclosure
    labels: list[str]
    schools: list[tuple[School, ReportPeriod | None, list[Figure]]]
    total: list[Figure]


def headline_table(
    *, schools: list[School], key: str, today: date, disclosure: Disclosure = PUBLISHED
) -> HeadlineTable:
    """Each school over its own period of the kind `key` (its own term dates), then all of them."""
    from reports.periods import period_for

    SchoolCalendar.load_for_schools(schools)  # two queries for every school's calendar
    periods = {school.pk: period_for(school, today, key) for school in schools}
    asked = [(school, period) for school in schools if (period := periods[school.pk]) is not None]
    by_school = _counts_by_school(asked, {school.pk: SchoolCalendar.for_school(school) for school in schools})
    parts = [by_school[school.pk] for school, _period in asked]
    columns = [
        (school, periods[school.pk], [f for _label, f in _headlines(by_school[school.pk], disclosure)])
        if school.pk in by_school
        else (school, None, [])
        for school in schools
    ]
    labels = [label for label, _figure in _headlines(_combined([]), disclosure)]
    raw = [[f for _label, f in _headlines(counts, IN_FULL)] for counts in parts]
    total = [figure for _label, figure in _headlines(_combined(parts), disclosure)]
    if disclosure.published:
        shown = [figures for _school, period, figures in columns if period is not None]
        total = [_guard_total(row, total[row], raw, shown) for row in range(len(total))]
    return HeadlineTable(disclosure, labels, columns, total)


def _guard_total(row: int, total: Figure, raw: list[list[Figure]], shown: list[list[Figure]]) -> Figure:
    """A published total must not give away a school's suppressed count by subtraction: hidden when
    one school's count is suppressed, or when the suppressed ones add up to a small group."""
    if total.suppressed or not all(isinstance(r[row].value, int) for r in raw):
        return total
    hidden = [v for r, s in zip(raw, shown, strict=True) if s[row].suppressed and isinstance(v := r[row].value, int)]
    if len(hidden) == 1 or 0 < sum(hidden) < SMALLEST_GROUP:
        return Figure(None, "not shown (it would reveal a small group)")
    return total


def _comparison(school, period, calendar, counts: _Counts, disclosure: Disclosure) -> Comparison | None:
    previous = previous_period(calendar, period)
    if previous is None:
        return None
    before = dict(_headlines(_counts(school, previous, calendar), disclosure))
    return Comparison(previous, [(label, now, before[label]) for label, now in _headlines(counts, disclosure)])


def governors_report(*, school: School, period: ReportPeriod, disclosure: Disclosure = PUBLISHED) -> GovernorsReport:
    calendar = SchoolCalendar.for_school(school)
    counts = _counts(school, period, calendar)
    placements, pupils, lengths = counts.placements, counts.pupils, counts.lengths
    bands = Counter(next(label for upper, label in DURATION_BANDS if days <= upper) for days in lengths)
    cost_total, reintegrated = counts.cost_total, counts.reintegrated
    d = disclosure

    def labelled(choices, counter):
        return [(label, counter.get(value, 0)) for value, label in choices]

    report = GovernorsReport(
        school=school,
        period=period,
        disclosure=disclosure,
        referrals=d.count(sum(counts.referral_status.values())),
        referral_outcomes=d.breakdown(
            labelled(Referral.Status.choices, counts.referral_status), other_label="Other outcomes"
        ),
        pupils_in_ap=d.count(len(pupils)),
        by_kind=d.breakdown(labelled(Placement.Kind.choices, Counter(p.kind for p in placements))),
        by_provider=d.breakdown(
            sorted(Counter(p.provider.name for p in placements).items()), other_label="Other providers"
        ),
        durations=d.breakdown([(label, bands.get(label, 0)) for _upper, label in DURATION_BANDS]),
        median_duration=d.measure(
            statistics.median(lengths) if lengths else None, group_size=len(lengths), fmt="{:.0f} school days"
        ),
        outcomes=d.breakdown(labelled(Placement.Outcome.choices, counts.figures.ended), other_label="Other outcomes"),
        attendance_before=d.measure(counts.attendance_before, group_size=len(counts.with_baseline), fmt="{:.1f}%"),
        attendance_during=d.measure(counts.attendance_during, group_size=len(counts.with_baseline), fmt="{:.1f}%"),
        attendance_pupils=len(counts.with_baseline),
        cost_total=cost_total,
        cost_per_pupil=d.measure(cost_total / len(pupils) if pupils else None, group_size=len(pupils), fmt="£{:,.0f}"),
        cost_per_reintegration=d.measure(
            cost_total / reintegrated if reintegrated else None, group_size=reintegrated, fmt="£{:,.0f}"
        ),
        spending=counts.figures.spending,
        returns=returns_to_class(school=school, period=period, disclosure=d),
        steps=steps_by_group(school=school, period=period, disclosure=d),
        comparison=_comparison(school, period, calendar, counts, d),
    )
    report.charts = {
        name: url
        for name, url in {
            "by_kind": _bar_chart("Pupils in AP by kind of provision", report.by_kind),
            "outcomes": _bar_chart("How placements ended", report.outcomes),
            "attendance": _attendance_chart(report.attendance_before, report.attendance_during),
        }.items()
        if url
    }
    return report
