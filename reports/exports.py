"""The governors' report as a PDF, made as a background job with progress (apcase.exports)."""

from __future__ import annotations

from django.utils import timezone

from apcase.calendar import CalendarGap
from apcase.exports import ExportKind, ExportResult, register_export
from apcase.pdf import render_pdf
from reports.governors import governors_report
from reports.periods import period_for
from reports.suppression import PUBLISHED


def build_governors_report(job, report_progress) -> ExportResult:
    """The PDF is for governors and may be published: small groups are always suppressed in it,
    whoever asks for it."""
    report_progress(0, 2)
    period = period_for(job.school, timezone.localdate(), job.params.get("period", ""))
    if period is None:
        raise CalendarGap("The school has no term dates yet.")
    report = governors_report(school=job.school, period=period, disclosure=PUBLISHED)
    report_progress(1, 2)
    content = render_pdf(
        "letters/governors_report.html", {"school": job.school, "report": report, "made_at": timezone.localtime()}
    )
    report_progress(2, 2)
    return ExportResult(report.title, content, content_type="application/pdf", extension="pdf")


def register_reporting_exports() -> None:
    register_export(
        ExportKind(
            "governors_report", "Governors' AP report", "reviews.view_governors_report", build=build_governors_report
        )
    )
