"""The governors' termly AP report: use, impact and value for money, with no pupil identifiable.

Everything is counted per school for a period (normally a term from the school's calendar).
Figures go through reports.suppression before anyone sees them.
"""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

import pygal
from django.db.models import Count, Q

from apcase.calendar import CalendarGap, Period, SchoolCalendar
from apcase.charts import BASE_OPTIONS, chart_data_url
from apcase.models import School
from placements.models import AttendanceCode, AttendanceMark, Placement
from placements.selectors.figures import Spending, placement_figures
from pupils.models import Referral
from reports.impact import Returns, StepsTable, returns_to_class, steps_by_group
from reports.suppression import SMALLEST_GROUP, Figure, breakdown, count, measure

DURATION_BANDS = [(30, "Up to 6 weeks"), (60, "6 to 12 weeks"), (10_000, "More than 12 weeks")]


@dataclass
class GovernorsReport:
    school: School
    period: Period
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
    charts: dict[str, str] = field(default_factory=dict)

    @property
    def title(self) -> str:
        return f"Alternative provision report to governors: {self.period.name} {self.period.academic_year}"


def report_periods(school: School) -> list[Period]:
    """The terms a report can cover, newest first."""
    return list(reversed(SchoolCalendar.for_school(school).terms))


def period_for(school: School, today: date, wanted: str = "") -> Period | None:
    """The term asked for ("Autumn 2026/27"), else the term containing today, else the latest."""
    periods = report_periods(school)
    for period in periods:
        if f"{period.name} {period.academic_year}" == wanted:
            return period
    current = SchoolCalendar.for_school(school).term_for(today)
    return current or next((p for p in periods if p.start <= today), periods[-1] if periods else None)


def _placements_in(school: School, period: Period) -> list[Placement]:
    return list(
        Placement.objects.started()
        .filter(school=school, start_date__lte=period.end)
        .filter(Q(actual_end_date__isnull=True) | Q(actual_end_date__gte=period.start))
        .select_related("provider", "pupil")
    )


def _attendance_during(placements: list[Placement], period: Period) -> dict[int, tuple[int, int]]:
    """{placement id: (attended, possible)} from the marks in the period, in one query."""
    rows = (
        AttendanceMark.objects.filter(placement__in=placements, date__range=(period.start, period.end))
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
    shown = [(label, figure.value) for label, figure in rows if not figure.suppressed]
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
    chart.add("Attendance", [None if f.suppressed else float(f.value) for f in (before, during)])
    return chart_data_url(chart)


def governors_report(*, school: School, period: Period) -> GovernorsReport:
    calendar = SchoolCalendar.for_school(school)
    referrals = Referral.objects.filter(school=school, submitted_at__date__range=(period.start, period.end))
    referral_status = Counter(referrals.values_list("status", flat=True))
    placements = _placements_in(school, period)
    pupils = {p.pupil_id for p in placements}
    ended = [p for p in placements if p.status == Placement.Status.ENDED and p.actual_end_date in period]
    lengths = [d for p in ended if p.start_date and (d := _school_days(calendar, p.start_date, p.actual_end_date))]
    year = calendar.academic_year_on(period.end) or period
    figures = placement_figures(school=school, year=year, ended_from=period.start, ended_to=period.end)
    outcome_counts = figures.ended
    bands = Counter(next(label for upper, label in DURATION_BANDS if days <= upper) for days in lengths)

    during = _attendance_during(placements, period)
    with_baseline = [p for p in placements if p.baseline_attendance is not None and p.pk in during]
    before_avg = statistics.fmean(float(p.baseline_attendance) for p in with_baseline) if with_baseline else None
    during_avg = (
        statistics.fmean(100 * during[p.pk][0] / during[p.pk][1] for p in with_baseline) if with_baseline else None
    )

    cost_total = sum((p.estimated_cost or Decimal(0) for p in placements), Decimal(0))
    reintegrated = outcome_counts.get(Placement.Outcome.REINTEGRATED, 0)

    def labelled(choices, counter):
        return [(label, counter.get(value, 0)) for value, label in choices]

    report = GovernorsReport(
        school=school,
        period=period,
        referrals=count(sum(referral_status.values())),
        referral_outcomes=breakdown(labelled(Referral.Status.choices, referral_status), other_label="Other outcomes"),
        pupils_in_ap=count(len(pupils)),
        by_kind=breakdown(labelled(Placement.Kind.choices, Counter(p.kind for p in placements))),
        by_provider=breakdown(
            sorted(Counter(p.provider.name for p in placements).items()), other_label="Other providers"
        ),
        durations=breakdown([(label, bands.get(label, 0)) for _upper, label in DURATION_BANDS]),
        median_duration=measure(
            statistics.median(lengths) if lengths else None, group_size=len(lengths), fmt="{:.0f} school days"
        ),
        outcomes=breakdown(labelled(Placement.Outcome.choices, outcome_counts), other_label="Other outcomes"),
        attendance_before=measure(before_avg, group_size=len(with_baseline), fmt="{:.1f}%"),
        attendance_during=measure(during_avg, group_size=len(with_baseline), fmt="{:.1f}%"),
        attendance_pupils=len(with_baseline),
        cost_total=cost_total,
        cost_per_pupil=measure(cost_total / len(pupils) if pupils else None, group_size=len(pupils), fmt="£{:,.0f}"),
        cost_per_reintegration=measure(
            cost_total / reintegrated if reintegrated else None, group_size=reintegrated, fmt="£{:,.0f}"
        ),
        spending=figures.spending,
        returns=returns_to_class(school=school, period=period),
        steps=steps_by_group(school=school, period=period),
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


def smallest_group_note() -> str:
    return f"Groups of fewer than {SMALLEST_GROUP} pupils are not shown, so that no child can be identified."
