"""The placement list, planning a placement, its page, status moves, ending and history."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from apcase.access import current_school, get_object_for_user, record_access_log, require_perm
from apcase.http import AuthedRequest
from apcase.views import history_page
from audits.selectors import provider_clearance
from placements import selectors
from placements.charts import attendance_chart
from placements.forms import (
    CancelForm,
    EndForm,
    ExtensionWithdrawForm,
    PlacementFilterForm,
    PlacementForm,
    PlacementStartForm,
)
from placements.hooks import placement_sections
from placements.models import ChaseNotice, Placement
from placements.notice import session_times_summary
from placements.schedule import calendar_for, iap_extension_warning
from placements.selectors.chase import escalated_among
from placements.selectors.placements import first_day_passed
from placements.services import (
    placement_create,
    placement_extension_withdraw,
    placement_transition,
    placement_update,
)
from pupils.models import Referral
from pupils.views import submit_form

if TYPE_CHECKING:
    from collections.abc import Callable

    from django.forms import Form

    from placements.selectors.placements import PlacementDetail

S = Placement.Status


def placement_for(request: AuthedRequest, public_id, perm: str = "placements.view_placement") -> PlacementDetail:
    return get_object_for_user(request, selectors.placement_detail_queryset(), public_id, perm)


def _warn_about_length(request: AuthedRequest, placement: Placement) -> None:
    warning = iap_extension_warning(placement, calendar_for(placement))
    if warning:
        messages.warning(request, warning)


def placement_list(request: AuthedRequest) -> HttpResponse:
    require_perm(request, "placements.list_placements")
    school = current_school(request)
    filters = PlacementFilterForm(request.GET, school=school)
    placements = selectors.placement_list_for_user(user=request.user, school=school, **filters.selector_arguments())
    today = timezone.localdate()
    context = {
        "page_obj": Paginator(placements, settings.PAGINATE_BY).get_page(request.GET.get("page")),
        "filters": filters,
        "notices_due": selectors.notices_due(user=request.user, today=today),
        "serious_incidents": selectors.incidents_needing_review(user=request.user),
        "iap_overruns": selectors.iaps_past_six_weeks(user=request.user, today=today),
        "can_open": request.user.has_perm("placements.view_placement_record", school),
    }
    return render(request, "placements/placement_list.html", context)


def placement_new(request: AuthedRequest) -> HttpResponse:
    """Plan a placement: from an approved referral (?referral=<uuid>), or without one, with a reason."""
    school = current_school(request)
    require_perm(request, "placements.add_placement", school)
    ready = selectors.referrals_ready_for_placement(user=request.user, school=school)
    referral = None
    if request.GET.get("referral"):
        referral = get_object_for_user(request, Referral.objects.select_related("pupil"), request.GET["referral"])
        if referral not in ready:
            messages.error(request, "That referral is not an approved recommendation of AP waiting for a placement.")
            return redirect("placements:new")
    elif "without-referral" not in request.GET:
        return render(request, "placements/placement_start.html", {"referrals": ready})
    form_class = PlacementForm if referral else PlacementStartForm
    form = form_class(request.POST or None, school=school, initial={"school_contact": request.user})

    def create() -> Placement:
        return placement_create(
            actor=request.user,
            pupil=referral.pupil if referral else form.cleaned_data["pupil"],
            details=form.details(),
            referral=referral,
            no_referral_reason=form.cleaned_data.get("no_referral_reason", ""),
            **form.length(),
        )

    placement = submit_form(request, form, create)
    if placement is not None:
        messages.success(request, "The placement is planned. Next: complete the plan and ask the headteacher.")
        _warn_about_length(request, placement)
        return redirect(placement)
    return render(request, "placements/placement_form.html", {"form": form, "referral": referral, "placement": None})


def placement_detail(request: AuthedRequest, public_id) -> HttpResponse:
    placement = placement_for(request, public_id)
    record_access_log(request, placement)
    user, today = request.user, timezone.localdate()
    full = user.has_perm("placements.view_placement_record", placement)
    attendance = selectors.attendance_summary(placement, today=today)
    context = {
        "placement": placement,
        "pupil": placement.pupil,
        "full": full,
        "moves": selectors.placement_moves(user, placement),
        "can_change": user.has_perm("placements.change_placement", placement),
        "attendance": attendance,
        "chart": attendance_chart(attendance),
        "session_times": session_times_summary(placement),
        "attendance_open": placement.register_open_by(today),
        "iap_warning": iap_extension_warning(placement, calendar_for(placement)),
        "sections": placement_sections(user, placement),
    }
    if full:
        context |= _full_record(user, placement, today)
    return render(request, "placements/placement_detail.html", context)


def _full_record(user, placement: Placement, today) -> dict:
    """What those who run or safeguard the placement see beyond the summary."""
    gate = selectors.placement_approval_gate(placement) if placement.is_unapproved else None
    judged = placement.is_offsite or placement.is_in_force  # an approved on-site provision must stay cleared too
    clearance = gate.clearance if gate else provider_clearance(placement.provider) if judged else None
    return {
        "gate": gate,
        "clearance": clearance,
        "no_longer_cleared": placement.is_in_force and clearance is not None and not clearance.cleared,
        "first_day_passed": first_day_passed(placement) if placement.first_day_passed_unstarted(today) else "",
        "approvals": selectors.placement_approvals(placement),
        "notice": selectors.notice_state(placement, today) if placement.notice_required else None,
        "agreement": None if placement.notice_required else selectors.parents_agreement(placement),
        "suitability": selectors.suitability_decision(placement) if placement.is_offsite else None,
        "can_decide_suitability": user.has_perm("placements.decide_suitability", placement),
        "cost": selectors.placement_cost_summary(placement),
        "can_notify_la": user.has_perm("placements.notify_la", placement),
        # A run of unexplained absence, and the attendance return or the Virtual School it calls for.
        "chase": next(iter(escalated_among([placement], today=today)), None),
        "can_send": user.has_perm("placements.send_chase_notice", placement),
        "kinds": ChaseNotice.Kind,
        **selectors.placement_records(placement),
    }


def placement_edit(request: AuthedRequest, public_id) -> HttpResponse:
    placement = placement_for(request, public_id, "placements.change_placement")
    record_access_log(request, placement)
    form = PlacementForm(
        request.POST or None,
        instance=placement,
        school=placement.school,
        pending_until=placement.pending_extension_until,
    )
    saved = submit_form(
        request,
        form,
        lambda: placement_update(
            actor=request.user,
            placement=placement,
            details=form.details(),
            extension_reason=form.cleaned_data.get("extension_reason", ""),
            **form.length(),
        ),
    )
    if saved is not None:
        extension = selectors.placement_pending_extension(saved) if form.extending else None
        if extension is not None:
            messages.success(
                request,
                f"The placement is saved, but not its new last day: the extension to "
                f"{extension.requested_end_date:%d/%m/%Y} has gone to the headteacher for approval. Until they "
                f"decide, the placement still ends on {saved.planned_end_date:%d/%m/%Y}.",
            )
        else:
            messages.success(request, "The placement is saved.")
        _warn_about_length(request, saved)
        return redirect(saved)
    return render(request, "placements/placement_form.html", {"form": form, "placement": placement})


@require_POST
def placement_move(request: AuthedRequest, public_id) -> HttpResponse:
    placement: Placement = placement_for(request, public_id)
    target = request.POST.get("target", "")
    try:
        placement = placement_transition(placement=placement, target=target, actor=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, f"The placement is now “{placement.get_status_display().lower()}”.")
    return redirect(placement)


def step_page(
    request: AuthedRequest, placement: Placement, form, *, title: str, submit: str, back: str = "Cancel"
) -> HttpResponse:
    """A short form about one placement (cancelling, ending, recording a handover, incident, visit)."""
    record_access_log(request, placement)
    context = {"form": form, "placement": placement, "title": title, "submit": submit, "back": back}
    return render(request, "placements/placement_step.html", context)


def _move_with_form(
    request: AuthedRequest, public_id, make_form: Callable[[Placement], Form], target: str, *, done: str, **page
) -> HttpResponse:
    """A move that needs details first: the form's fields go to placement_transition."""
    placement = placement_for(request, public_id, "placements.change_placement")
    form = make_form(placement)
    moved = submit_form(
        request,
        form,
        lambda: placement_transition(placement=placement, target=target, actor=request.user, **form.cleaned_data),
    )
    if moved is not None:
        messages.success(request, done)
        return redirect(moved)
    return step_page(request, placement, form, **page)


def placement_cancel(request: AuthedRequest, public_id) -> HttpResponse:
    return _move_with_form(
        request,
        public_id,
        lambda placement: CancelForm(request.POST or None),
        S.CANCELLED,
        done="The placement is cancelled.",
        title="Cancel the placement",
        submit="Cancel the placement",
        back="Keep the placement",  # never "Cancel it" beside "Cancel"
    )


def placement_end(request: AuthedRequest, public_id) -> HttpResponse:
    return _move_with_form(
        request,
        public_id,
        lambda placement: EndForm(
            request.POST or None,
            initial={"actual_end_date": placement.planned_end_date},
            placement=placement,
            actor=request.user,
        ),
        S.ENDED,
        done="The end of the placement and its outcome are recorded.",
        title="Record the end and the outcome",
        submit="Record",
    )


def extension_withdraw(request: AuthedRequest, public_id) -> HttpResponse:
    placement = placement_for(request, public_id, "placements.change_placement")
    extension = selectors.placement_pending_extension(placement)
    if extension is None:
        messages.info(request, "No extension of this placement is waiting for the headteacher's decision.")
        return redirect(placement)
    form = ExtensionWithdrawForm(request.POST or None)
    withdrawn = submit_form(
        request,
        form,
        lambda: placement_extension_withdraw(placement=placement, actor=request.user, **form.cleaned_data),
    )
    if withdrawn is not None:
        messages.success(
            request, f"The request to extend the placement to {extension.requested_end_date:%d/%m/%Y} is withdrawn."
        )
        return redirect(withdrawn)
    title = f"Withdraw the request to extend the placement to {extension.requested_end_date:%d/%m/%Y}"
    return step_page(request, placement, form, title=title, submit="Withdraw the request")


def placement_history(request: AuthedRequest, public_id) -> HttpResponse:
    placement = placement_for(request, public_id, "placements.view_placement_record")
    record_access_log(request, placement)
    label = f"Placement of {placement.pupil.display_name} at {placement.provider.name}"
    return history_page(request, placement, record_label=label, back_url=placement.get_absolute_url())
