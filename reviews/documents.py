"""The PDFs of this app, rendered on request from records that no longer change once complete: the
minutes of a review (watermarked as a draft until the meeting is closed as held) and the final
report before the return to class."""

from __future__ import annotations

from django.utils import timezone

from apcase.pdf import render_pdf
from placements.models import Placement
from placements.selectors import attendance_summary
from reviews.charts import stages_chart, target_chart
from reviews.models import FinalReport, ReviewMeeting
from reviews.selectors import (
    attendance_figures,
    placement_targets,
    progress_table,
    review_attendance,
    review_readings,
)


def minutes_pdf(review: ReviewMeeting) -> bytes:
    context = {
        "school": review.school,
        "review": review,
        "placement": review.placement,
        "pupil": review.placement.pupil,
        "readings": review_readings(review),
        "attendance": review_attendance(review, timezone.localdate()),
        "printed_at": timezone.localtime(),
        "title": f"Minutes: {review.get_kind_display()}, {review.placement.pupil.full_name}",
    }
    return render_pdf("letters/review_minutes.html", context)


def final_report_pdf(placement: Placement, report: FinalReport) -> bytes:
    progress = placement_targets(placement)
    table = progress_table(progress)
    context = {
        "school": placement.school,
        "placement": placement,
        "pupil": placement.pupil,
        "report": report,
        "attendance": attendance_figures(attendance_summary(placement, today=timezone.localdate())),
        "table": table,
        "stages_chart": stages_chart(table),
        "charts": [(item, chart) for item in progress if not item.target.is_framework if (chart := target_chart(item))],
        "printed_at": timezone.localtime(),
        "title": f"Final report before the return: {placement.pupil.full_name}",
    }
    return render_pdf("letters/final_report.html", context)
