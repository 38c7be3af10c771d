"""Charts drawn on the server as SVG (pygal, no JavaScript), shown as data: images so the page's
content security policy and the PDF renderer both accept them."""

from __future__ import annotations

import pygal

from apcase.charts import BASE_OPTIONS, chart_data_url
from placements.selectors.attendance import PERSISTENT_ABSENCE, AttendanceSummary


def attendance_chart(summary: AttendanceSummary) -> str | None:
    """Weekly attendance at the placement against the baseline before it and the persistent-absence
    line, as a data: URL; None until a week has marks."""
    weeks = [(monday, figures) for monday, figures in summary.weekly if figures.possible]
    if not weeks:
        return None
    chart = pygal.Line(
        **BASE_OPTIONS,
        width=720,
        height=300,
        range=(0, 100),
        show_legend=True,
        legend_at_bottom=True,
        legend_at_bottom_columns=3,
        x_label_rotation=0,
        show_minor_x_labels=len(weeks) <= 8,
        x_labels_major_every=max(1, len(weeks) // 6),
        dots_size=3,
        y_title="% of sessions attended",
        margin_bottom=32,  # pygal under-reserves the bottom legend at our font size: room for it
    )
    chart.x_labels = [f"{monday:%d/%m}" for monday, _figures in weeks]
    # A week with no possible session has no percentage: a gap in the line.
    chart.add("Each week", [None if (p := figures.percentage) is None else float(p) for _monday, figures in weeks])
    if summary.baseline is not None:
        chart.add("Before the placement", [float(summary.baseline)] * len(weeks), show_dots=False)
    threshold = float(100 * (1 - PERSISTENT_ABSENCE))
    chart.add(
        "Persistent absence below this", [threshold] * len(weeks), show_dots=False, stroke_style={"dasharray": "4,4"}
    )
    return chart_data_url(chart)


def school_attendance_chart(weeks: list) -> str | None:
    """The school's attendance at all its placements, week by week ([(monday, Figures)]), with the
    persistent-absence line; None without marks."""
    weeks = [(monday, figures) for monday, figures in weeks if figures.possible]
    if not weeks:
        return None
    chart = pygal.Bar(
        **BASE_OPTIONS,
        width=640,
        height=260,
        range=(0, 100),
        show_legend=False,
        print_values=True,
        y_title="% of sessions attended",
        margin_bottom=16,
    )
    chart.x_labels = [f"w/c {monday:%d/%m}" for monday, _figures in weeks]
    chart.add("Attendance", [float(figures.percentage) for _monday, figures in weeks])
    return chart_data_url(chart)
