"""The daily attendance chase: the office's list of calls home today, the call's outcome in two
clicks, and the letters a long run of absence calls for."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from apcase.access import current_school, require_perm
from apcase.http import AuthedRequest
from apcase.services import AlreadySubmitted, form_submission_claim
from placements.models import AttendanceCode, ChaseNotice, ContactLog, Placement
from placements.selectors.chase import LA_RETURN_SCHOOL_DAYS, calls_home, escalated_runs
from placements.services.chase import chase_call_record, chase_notice_send
from placements.views.placements import placement_for
from pupils.models import Contact
from pupils.views import posted_once_token


def chase_list(request: AuthedRequest) -> HttpResponse:
    school = current_school(request)
    require_perm(request, "placements.chase_attendance", school)
    placements = Placement.objects.filter(school=school)
    context = {
        "school": school,
        "calls": calls_home(placements),
        "escalated": escalated_runs(placements, today=timezone.localdate()),
        "codes": AttendanceCode.objects.filter(is_active=True, meaning=AttendanceCode.Meaning.AUTHORISED),
        "return_days": LA_RETURN_SCHOOL_DAYS,
        "can_send": request.user.has_perm("placements.send_chase_notice", school),
        "kinds": ChaseNotice.Kind,
    }
    return render(request, "placements/chase.html", context)


def _contact_of(placement: Placement, public_id: str) -> Contact:
    try:
        contact = placement.pupil.contacts.filter(public_id=public_id).first()
    except ValidationError:  # not a UUID
        contact = None
    if contact is None:
        raise Http404("No such contact for this pupil.")
    return contact


@require_POST
def chase_call(request: AuthedRequest, public_id) -> HttpResponse:
    placement = placement_for(request, public_id, "placements.chase_attendance")
    contact = _contact_of(placement, request.POST.get("contact", ""))
    name = placement.pupil.display_name
    token = posted_once_token(request)

    def record() -> ContactLog:
        return chase_call_record(
            actor=request.user,
            placement=placement,
            contact=contact,
            outcome=request.POST.get("outcome", ""),
            code=request.POST.get("code", ""),
            reason=request.POST.get("reason", ""),
        )

    try:
        if token is None:
            record()
        else:
            form_submission_claim(actor=request.user, token=token, make=record)
    except AlreadySubmitted:  # a double press: the first press recorded the call
        messages.info(request, f"The call about {name} was recorded already: the contact log has it once.")
    except ValidationError as error:
        messages.error(request, f"{name}: {' '.join(error.messages)}")
    else:
        messages.success(request, f"The call about {name} is in the contact log.")
    return redirect(reverse("placements:chase") + f"#chase-{placement.public_id}")


@require_POST
def chase_notice(request: AuthedRequest, public_id, kind: str) -> HttpResponse:
    placement = placement_for(request, public_id, "placements.send_chase_notice")
    try:
        notice = chase_notice_send(actor=request.user, placement=placement, kind=kind)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"{notice.get_kind_display()} is in the outbox.")
    return redirect(reverse("placements:chase") + f"#chase-{placement.public_id}")
