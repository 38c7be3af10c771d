"""Cause for Concern referrals: raise (pick a pupil, fill the form), review, meet the parents,
evidence files, status moves and history."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from apcase.access import current_school, get_object_for_user, record_access_log, require_perm
from apcase.http import AuthedRequest
from apcase.uploads import private_file_response
from apcase.views import history_page
from pupils.forms import AttachmentForm, ParentMeetingForm, ReferralForm, ReviewForm
from pupils.models import ParentMeeting, Pupil, Referral, ReferralAttachment
from pupils.selectors import (
    pupil_search_for_referral,
    referral_approval_blockers,
    referral_detail_queryset,
    referral_list_for_user,
    referral_parts,
)
from pupils.services import (
    ReferralDetails,
    parent_meeting_record,
    parent_meeting_update,
    referral_attachment_add,
    referral_attachment_remove,
    referral_create,
    referral_review_save,
    referral_transition,
    referral_update,
)
from pupils.views import submit_form, submit_once
from pupils.workflows import REFERRAL_WORKFLOW

DECIDED = (Referral.Status.APPROVED, Referral.Status.DECLINED)
SUBMIT = "submit"  # the name of the "save and submit" button on the Cause for Concern form


def _referral(request: AuthedRequest, public_id, perm: str = "pupils.view_referral") -> Referral:
    return get_object_for_user(request, referral_detail_queryset(), public_id, perm)


def referral_list(request: AuthedRequest) -> HttpResponse:
    require_perm(request, "pupils.list_referrals")
    status = request.GET.get("status", "")
    status = status if status in Referral.Status.values else ""
    flagged = request.GET.get("flagged") == "1"
    search = request.GET.get("q", "")
    referrals = referral_list_for_user(user=request.user, status=status, search=search, flagged=flagged)
    context = {
        "flagged": flagged,
        "page_obj": Paginator(referrals, settings.PAGINATE_BY).get_page(request.GET.get("page")),
        "status": status,
        "statuses": Referral.Status.choices,
        "status_label": Referral.Status(status).label if status else "",
        "only_own": not request.user.has_perm("pupils.review_referral")
        and not request.user.has_perm("pupils.record_parent_meeting"),
    }
    return render(request, "pupils/referral_list.html", context)


def referral_pick_pupil(request: AuthedRequest) -> HttpResponse:
    """Step 1 of raising a concern: find the pupil (any pupil on roll; name, year and class only)."""
    require_perm(request, "pupils.find_pupil_for_referral")
    search = request.GET.get("q", "")
    pupils = pupil_search_for_referral(user=request.user, school=current_school(request), search=search)
    template = "pupils/partials/pupil_picker_results.html" if request.htmx else "pupils/referral_pick_pupil.html"
    return render(request, template, {"pupils": pupils, "q": search})


def referral_new(request: AuthedRequest, pupil_id) -> HttpResponse:
    pupil = get_object_for_user(request, Pupil.objects.on_roll(), pupil_id, "pupils.add_referral")
    form = ReferralForm(request.POST or None)

    @transaction.atomic  # a draft that could not be submitted is not left behind
    def create() -> Referral:
        referral = referral_create(
            actor=request.user, pupil=pupil, details=ReferralDetails.from_data(form.cleaned_data)
        )
        if SUBMIT in request.POST:
            referral = referral_transition(referral=referral, target=Referral.Status.SUBMITTED, actor=request.user)
        return referral

    referral = submit_once(request, form, create)
    if referral is not None:
        submitted = referral.status == Referral.Status.SUBMITTED
        messages.success(request, "Submitted: the SENDCo has been told." if submitted else "Draft saved.")
        return redirect(referral)
    return render(request, "pupils/referral_form.html", {"form": form, "pupil": pupil})


def referral_edit(request: AuthedRequest, public_id) -> HttpResponse:
    referral = _referral(request, public_id, "pupils.change_referral")
    record_access_log(request, referral)
    form = ReferralForm(request.POST or None, instance=referral)

    @transaction.atomic
    def save() -> Referral:
        saved = referral_update(
            actor=request.user, referral=referral, details=ReferralDetails.from_data(form.cleaned_data)
        )
        if SUBMIT in request.POST:
            saved = referral_transition(referral=saved, target=Referral.Status.SUBMITTED, actor=request.user)
        return saved

    if submit_form(request, form, save):
        messages.success(request, "Submitted: the SENDCo has been told." if SUBMIT in request.POST else "Draft saved.")
        return redirect(referral)
    return render(request, "pupils/referral_form.html", {"form": form, "pupil": referral.pupil, "referral": referral})


def referral_detail(request: AuthedRequest, public_id) -> HttpResponse:
    referral = _referral(request, public_id)
    record_access_log(request, referral)
    user = request.user
    # Approve and decline happen in the approvals inbox, where the decision is recorded; withdrawing
    # is a rare step kept apart in the page's actions, behind a confirmation that asks why.
    moves = [t for t in REFERRAL_WORKFLOW.available_to(user, referral) if t.target not in DECIDED]
    blockers = (
        referral_approval_blockers(referral=referral)
        if referral.is_under_review and user.has_perm("pupils.review_referral", referral)
        else []
    )
    context = {
        "referral": referral,
        "pupil": referral.pupil,
        **referral_parts(referral=referral),
        "can_withdraw": any(t.target == Referral.Status.WITHDRAWN for t in moves),
        # (move, blocked): asking for approval waits until nothing blocks it.
        "moves": [
            (t, bool(blockers) and t.target == Referral.Status.AWAITING_APPROVAL)
            for t in moves
            if t.target != Referral.Status.WITHDRAWN
        ],
        "can_decide": user.has_perm("pupils.decide_approval", referral) and referral.is_awaiting_approval,
        "can_see_review": user.has_perm("pupils.view_referral_review", referral),
        "blockers": blockers,
        "can_edit": user.has_perm("pupils.change_referral", referral),
        "can_review": user.has_perm("pupils.review_referral", referral),
        "can_meet": user.has_perm("pupils.record_parent_meeting", referral),
        "can_add_evidence": user.has_perm("pupils.add_referral_evidence", referral) and referral.is_open,
        "can_see_pupil": user.has_perm("pupils.view_pupil", referral.pupil),
        "can_see_history": user.has_perm("pupils.view_referral_history", referral),
    }
    return render(request, "pupils/referral_detail.html", context)


@require_POST
def referral_move(request: AuthedRequest, public_id) -> HttpResponse:
    referral = _referral(request, public_id)
    target = request.POST.get("target", "")
    try:
        referral_transition(
            referral=referral, target=target, actor=request.user, reasons=request.POST.get("reasons", "")
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, f"The referral is now “{Referral.Status(target).label.lower()}”.")
    return redirect(referral)


def referral_review(request: AuthedRequest, public_id) -> HttpResponse:
    referral = _referral(request, public_id, "pupils.review_referral")
    record_access_log(request, referral)
    if referral.status != Referral.Status.UNDER_REVIEW:
        messages.info(request, "The review can be recorded only while the referral is under review.")
        return redirect(referral)
    form = ReviewForm(request.POST or None, instance=referral)

    def save() -> Referral:
        cleaned = form.cleaned_data
        return referral_review_save(
            actor=request.user,
            referral=referral,
            background=cleaned["background"],
            staff_consulted=cleaned["staff_consulted"],
            avenues_considered=cleaned["avenues_considered"],
            avenues_notes=cleaned["avenues_notes"],
            recommendation=cleaned["recommendation"],
            recommendation_reasons=cleaned["recommendation_reasons"],
        )

    if submit_form(request, form, save):
        messages.success(request, "Your review is saved.")
        return redirect(referral)
    return render(request, "pupils/referral_review.html", {"form": form, "referral": referral, "pupil": referral.pupil})


def meeting_new(request: AuthedRequest, public_id) -> HttpResponse:
    referral = _referral(request, public_id, "pupils.record_parent_meeting")
    form = ParentMeetingForm(request.POST or None)
    if submit_once(
        request, form, lambda: parent_meeting_record(actor=request.user, referral=referral, details=form.details())
    ):
        messages.success(request, "The meeting is recorded.")
        return redirect(referral)
    return render(request, "pupils/meeting_form.html", {"form": form, "referral": referral, "pupil": referral.pupil})


def meeting_edit(request: AuthedRequest, public_id) -> HttpResponse:
    meeting = get_object_for_user(request, ParentMeeting.objects.select_related("referral__pupil__school"), public_id)
    referral = meeting.referral
    require_perm(request, "pupils.record_parent_meeting", referral)
    record_access_log(request, referral)
    form = ParentMeetingForm(request.POST or None, instance=meeting)
    if submit_form(
        request, form, lambda: parent_meeting_update(actor=request.user, meeting=meeting, details=form.details())
    ):
        messages.success(request, "The meeting record is saved.")
        return redirect(referral)
    context = {"form": form, "referral": referral, "pupil": referral.pupil, "meeting": meeting}
    return render(request, "pupils/meeting_form.html", context)


@require_POST
def attachment_add(request: AuthedRequest, public_id) -> HttpResponse:
    referral = _referral(request, public_id, "pupils.add_referral_evidence")
    form = AttachmentForm(request.POST, request.FILES)
    if submit_form(
        request, form, lambda: referral_attachment_add(actor=request.user, referral=referral, **form.cleaned_data)
    ):
        messages.success(request, "The file has been added.")
    else:
        for field_errors in form.errors.values():
            for message in field_errors:
                messages.error(request, f"The file was not added: {message}")
    return redirect(referral)


def _attachment(request: AuthedRequest, public_id) -> ReferralAttachment:
    attachment = get_object_for_user(request, ReferralAttachment.objects.select_related("referral__pupil"), public_id)
    require_perm(request, "pupils.view_referral", attachment.referral)
    return attachment


def attachment_download(request: AuthedRequest, public_id) -> FileResponse:
    attachment = _attachment(request, public_id)
    record_access_log(request, attachment, "download")
    return private_file_response(attachment.file, attachment.original_name)


@require_POST
def attachment_remove(request: AuthedRequest, public_id) -> HttpResponse:
    attachment = _attachment(request, public_id)
    referral_attachment_remove(actor=request.user, attachment=attachment)
    messages.success(request, f"{attachment.original_name} has been removed.")
    return redirect(attachment.referral)


def referral_history(request: AuthedRequest, public_id) -> HttpResponse:
    referral = _referral(request, public_id, "pupils.view_referral_history")
    record_access_log(request, referral)
    label = f"Cause for Concern for {referral.pupil.display_name}"
    return history_page(request, referral, record_label=label, back_url=referral.get_absolute_url())
