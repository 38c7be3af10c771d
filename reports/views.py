"""/reports/: the governors' report (page and PDF), the census export, the LA notification."""

from __future__ import annotations

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from apcase.access import current_school, get_object_for_user, record_access_log, require_perm
from apcase.http import AuthedRequest
from apcase.models import RecordAccess
from apcase.views import download_name, pdf_response
from placements.la_notification import la_notification_pdf
from placements.models import Placement
from reports.census import census_csv, census_rows
from reports.forms import CensusRangeForm, PeriodForm
from reports.governors import governors_report
from reports.periods import period_for, report_periods
from reports.suppression import IN_FULL, PUBLISHED


def report_index(request: AuthedRequest) -> HttpResponse:
    school = current_school(request)
    allowed = [
        perm
        for perm in ("reviews.view_governors_report", "reviews.export_census")
        if request.user.has_perm(perm, school)
    ]
    if not allowed:
        require_perm(request, "reviews.view_governors_report", school)
    return render(request, "reports/index.html", {"school": school})


def governors_report_page(request: AuthedRequest) -> HttpResponse:
    school = current_school(request)
    require_perm(request, "reviews.view_governors_report", school)
    today = timezone.localdate()
    period = period_for(school, today, request.GET.get("period", ""))
    if period is None:
        raise Http404("The school has no term dates yet.")
    # Leaders see the real numbers unless they ask to see the page as governors do.
    in_full = request.user.has_perm("reviews.view_report_in_full", school)
    as_published = not in_full or request.GET.get("view") == "published"
    disclosure = PUBLISHED if as_published else IN_FULL
    form = PeriodForm(initial={"period": period.key}, periods=report_periods(school, today))
    report = governors_report(school=school, period=period, disclosure=disclosure)
    return render(request, "reports/governors.html", {"report": report, "form": form, "can_see_in_full": in_full})


def census_page(request: AuthedRequest) -> HttpResponse:
    school = current_school(request)
    require_perm(request, "reviews.export_census", school)
    form = CensusRangeForm(request.GET or None)
    rows = census_rows(school=school, **form.cleaned_data) if form.is_valid() else None
    if rows is not None and request.GET.get("format") == "csv":
        record_access_log(request, school, RecordAccess.Action.EXPORT)
        response = HttpResponse(census_csv(rows), content_type="text/csv")
        start, end = form.cleaned_data["start"], form.cleaned_data["end"]
        response["Content-Disposition"] = f'attachment; filename="census-ap-{school.urn}-{start}-{end}.csv"'
        return response
    problems = [problem for row in rows or [] for problem in row.problems]
    return render(request, "reports/census.html", {"form": form, "rows": rows, "problems": problems})


def la_notification_download(request: AuthedRequest, public_id) -> HttpResponse:
    """The stored copy of the latest notification, byte for byte; before one, a watermarked draft."""
    placement = get_object_for_user(
        request,
        Placement.objects.select_related("school__local_authority", "pupil", "provider", "site", "school_contact"),
        public_id,
        "placements.notify_la",
    )
    record_access_log(request, placement, RecordAccess.Action.DOWNLOAD)
    initials = placement.pupil.initials
    latest = placement.la_notifications.select_related("document").first()
    if latest is not None:
        made = timezone.localdate(latest.created_at)
        return pdf_response(latest.document.read_bytes(), download_name("LA notification", initials, made))
    content = la_notification_pdf(
        placement,
        local_authority=placement.school.local_authority,
        letter_date=timezone.localdate(),
        draft=True,
    )
    return pdf_response(content, download_name("LA notification", initials, None, draft=True))
