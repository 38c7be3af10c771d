"""Progress charts (pygal SVG drawn on the server, as data: URLs): the same chart in the page and
in the PDFs."""

from __future__ import annotations

import math
import statistics
from copy import copy

import pygal

from apcase.charts import BASE_OPTIONS, STYLE, chart_data_url
from reviews.models import Target
from reviews.selectors import HalfTermReviews, ProgressTable, TargetProgress

DASHED = {"dasharray": "6,4"}
# Held, to hold, overdue: done in green, waiting in blue, late in red.
HALF_TERM_STYLE = copy(STYLE)
HALF_TERM_STYLE.colors = ("#2a9d8f", "#1d4e6b", "#b42318")
# explicit_size: the image keeps its drawn size and shrinks to fit, rather than growing to fill the
# page; the right margin leaves room for the last x label.
SIZE = {"explicit_size": True, "margin_right": 40}


def _stages(values) -> list[int]:
    """Whole stages from just below the lowest to the highest: a framework has no half stages."""
    values = [float(v) for v in values if v is not None]
    return list(range(max(0, math.floor(min(values)) - 1), math.ceil(max(values)) + 1))


def stages_chart(table: ProgressTable) -> str | None:
    """Next Steps reading and number stages (docs/domain-rules.md#progress-measures), baseline then each
    half-term, one line per framework target; None without a framework target that has a reading."""
    rows = [(item, [item.target.baseline, *values]) for item, values in table.rows]
    rows = [(item, points) for item, points in rows if item.target.is_framework and item.measurements]
    if not rows:
        return None
    chart = pygal.Line(
        **BASE_OPTIONS,
        **SIZE,
        width=720,
        height=280,
        legend_at_bottom=True,
        legend_at_bottom_columns=len(rows),  # more columns than series pushes pygal's legend out of view
        allow_interruptions=True,
        y_title="Stage",
        dots_size=4,
        y_labels=_stages([v for item, points in rows for v in [*points, item.target.target_value]]),
    )
    chart.x_labels = ["Baseline", *table.columns]
    for item, points in rows:
        chart.add(item.target.get_area_display(), [None if v is None else float(v) for v in points])
    return chart_data_url(chart)


def target_chart(item: TargetProgress) -> str | None:
    """One target: the baseline, each reading, and the target as a dashed line; None without readings."""
    if not item.measurements:
        return None
    target = item.target
    values = [target.baseline, *(m.value for m in item.measurements)]
    labels = ["Baseline", *(f"{m.measured_on:%d/%m/%y}" for m in item.measurements)]
    stages = {"y_labels": _stages([*values, target.target_value])} if target.is_framework else {}
    chart = pygal.Line(
        **BASE_OPTIONS,
        **SIZE,
        **stages,
        width=480,
        height=240,
        legend_at_bottom=True,
        legend_at_bottom_columns=2,
        y_title=target.unit,
        dots_size=4,
        show_minor_x_labels=len(labels) <= 8,
        x_labels_major_every=max(1, len(labels) // 6),
    )
    chart.x_labels = labels
    chart.add(target.get_area_display(), [float(v) for v in values])
    chart.add("Target", [float(target.target_value)] * len(labels), show_dots=False, stroke_style=DASHED)
    return chart_data_url(chart)


def half_term_chart(half: HalfTermReviews) -> str | None:
    """One stacked bar of the half-term's reviews, held, to hold and overdue (the SENDCo's
    dashboard); None when no review falls in it."""
    if not half.total:
        return None
    chart = pygal.HorizontalStackedBar(
        **(BASE_OPTIONS | {"style": HALF_TERM_STYLE}),
        **SIZE,
        width=640,
        height=120,
        show_y_labels=False,
        legend_at_bottom=True,
        legend_at_bottom_columns=3,
        print_values=True,
        print_zeroes=False,
    )
    chart.add("Held", [half.held])
    chart.add("To hold", [half.to_hold])
    chart.add("Overdue", [half.overdue])
    return chart_data_url(chart)


def steps_chart(pupils: list) -> str | None:
    """The median framework stages gained this term in each area ([PupilSteps]), with how many
    pupils each bar stands for; None without a reading this term."""
    by_area: dict[str, list[float]] = {}
    for pupil in pupils:
        for area, steps in pupil.steps.items():
            by_area.setdefault(area, []).append(float(steps))
    if not by_area:
        return None
    chart = pygal.HorizontalBar(
        **BASE_OPTIONS, **SIZE, width=640, height=80 + 50 * len(by_area), show_legend=False, print_values=True
    )
    areas = [area for area in Target.FRAMEWORK_AREAS if area in by_area]
    chart.x_labels = [f"{Target.Area(area).label} ({len(by_area[area])})" for area in areas]
    chart.add("Median stages gained", [statistics.median(by_area[area]) for area in areas])
    return chart_data_url(chart)
