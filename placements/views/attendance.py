"""The attendance grid of a placement: a week of sessions to mark, fast from the keyboard."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from apcase.access import record_access_log, require_perm
from apcase.http import AuthedRequest
from placements.forms import grid_entries, grid_rows, parse_week, present_entries
from placements.models import Placement
from placements.selectors import attendance_codes, attendance_summary, attendance_week, default_week
from placements.selectors.attendance import placement_unmarked, week_monday
from placements.services import attendance_marks_record
from placements.views.placements import placement_for


def _week_of(request: AuthedRequest, placement: Placement):
    today = timezone.localdate()
    asked = parse_week(request.GET.get("week") or request.POST.get("week"))
    monday = week_monday(asked) if asked else default_week(placement, today)
    return attendance_week(placement, monday, today)


def _week_url(placement: Placement, monday) -> str:
    return f"{reverse('placements:attendance', args=[placement.public_id])}?week={monday:%Y-%m-%d}"


def _record(request: AuthedRequest, placement: Placement, entries) -> dict[str, str]:
    """Record the entries; returns the problems per cell (nothing recorded) or {} on success."""
    try:
        result = attendance_marks_record(actor=request.user, placement=placement, entries=entries)
    except ValidationError as error:
        if hasattr(error, "error_dict"):
            return {key: " ".join(messages_) for key, messages_ in error.message_dict.items()}
        return {"": " ".join(error.messages)}
    messages.success(request, f"{result.saved} mark{'s' if result.saved != 1 else ''} saved.")
    if result.alert:
        messages.warning(request, f"Attendance alert: {result.alert.lower()}. The SENDCo has been told.")
    return {}


def attendance_page(request: AuthedRequest, public_id) -> HttpResponse:
    placement = placement_for(request, public_id, "placements.view_attendance")
    if not placement.register_open_by(timezone.localdate()):
        messages.info(request, "Attendance is recorded from the placement's first day.")
        return redirect(placement)
    record_access_log(request, placement)
    week = _week_of(request, placement)
    problems = {}
    if request.method == "POST":
        require_perm(request, "placements.record_attendance", placement)
        problems = _record(request, placement, grid_entries(week, request.POST))
        if not problems:
            return redirect(_week_url(placement, week.monday))
    context = {
        "placement": placement,
        "pupil": placement.pupil,
        "week": week,
        "rows": grid_rows(week, request.POST, problems),
        "codes": attendance_codes(),
        "summary": attendance_summary(placement),
        "unmarked": placement_unmarked(placement, timezone.localdate()),
        "problems": problems,
        "can_record": request.user.has_perm("placements.record_attendance", placement),
        "can_open_placement": request.user.has_perm("placements.view_placement", placement),
    }
    return render(request, "placements/attendance.html", context, status=400 if problems else 200)


@require_POST
def attendance_all_present(request: AuthedRequest, public_id) -> HttpResponse:
    placement = placement_for(request, public_id, "placements.record_attendance")
    week = _week_of(request, placement)
    entries = present_entries(week, placement.present_code)
    if not entries:
        messages.info(request, "Every session so far this week already has a mark.")
    else:
        problems = _record(request, placement, entries)
        for problem in problems.values():
            messages.error(request, problem)
    return redirect(_week_url(placement, week.monday))
