"""Requested reviews of an off-site direction (The Education (Educational Provision for Improving
Behaviour) Regulations 2010, reg 4A) and the notification of the school's decision (reg 6). When a
review must be held, and when it need not, is in reviews.selectors.recent_review_meeting."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from apcase.models import User
from apcase.services import check_not_future, save_tracked
from placements.models import Placement
from placements.schedule import calendar_for
from placements.services.common import moment_on, placement_step
from pupils.models import CaseEvent
from reviews.models import ReviewMeeting, ReviewRequest
from reviews.schedule import REQUESTED_REVIEW_SCHOOL_DAYS, school_day_offset
from reviews.selectors.meetings import recent_review_meeting
from reviews.services.common import check_perm
from reviews.services.invitations import review_outcome_send
from reviews.services.meetings import review_create
from reviews.wording import lower_first

K = ReviewMeeting.Kind


def _check_requester(placement: Placement, requester: str, received_on: date) -> None:
    pupil = placement.pupil
    if requester == ReviewRequest.Requester.PUPIL and pupil.age_on(received_on) < 18:
        raise ValidationError(
            {"requester": "The pupil may ask for a review only at 18 or over; record a parent's request."}
        )
    if requester == ReviewRequest.Requester.LOCAL_AUTHORITY and not pupil.has_ehcp:
        raise ValidationError(
            {"requester": "The local authority may ask only for a pupil with an EHC plan it maintains."}
        )


def _summary(request: ReviewRequest) -> str:
    heading = f"Written request for a review from {request.requester_name}"
    if request.review_required:
        assert request.review is not None  # a required review is arranged with the request
        return f"{heading}: a review is due as soon as reasonably practicable, by {request.review.due_on:%d/%m/%Y}"
    held = request.recent_review
    assert held is not None  # no duty only because of a recent review
    return f"{heading}: no duty, as a review meeting was held on {held.held_on:%d/%m/%Y} (within 10 weeks)"


@transaction.atomic
def review_request_record(
    *,
    actor: User,
    placement: Placement,
    received_on: date,
    requester: str,
    requester_name: str,
    method: str,
    request_text: str = "",
) -> ReviewRequest:
    """Record a written request and say whether a review must be held: if so it is scheduled."""
    check_perm(actor, "reviews.add_review_request", placement, "Only the SENDCo or headteacher records requests.")
    if not placement.direction_in_force:
        raise ValidationError("A review can be asked for only while a direction off-site is in force.")
    check_not_future("received_on", received_on)
    _check_requester(placement, requester, received_on)
    request = ReviewRequest(
        placement=placement,
        received_on=received_on,
        requester=requester,
        requester_name=requester_name.strip(),
        method=method,
        request_text=request_text.strip(),
        recorded_by=actor,
        recent_review=recent_review_meeting(placement, received_on),
    )
    if request.recent_review is None:
        due = school_day_offset(calendar_for(placement), received_on, REQUESTED_REVIEW_SCHOOL_DAYS)
        request.review = review_create(placement=placement, kind=K.REQUESTED, due_on=due, actor=actor)
    save_tracked(request, actor)
    placement_step(
        placement,
        CaseEvent.Kind.REVIEW_SCHEDULED,
        _summary(request),
        actor,
        link=request.get_absolute_url(),
        when=moment_on(received_on),
    )
    return request


@transaction.atomic
def review_request_answer(
    *,
    actor: User,
    request: ReviewRequest,
    decision: str,
    notified_on: date,
    notified_method: str,
    notified_to: str,
    decision_until: date | None = None,
    decision_notes: str = "",
) -> ReviewRequest:
    """The school's decision on the direction and how it was told to the person who asked."""
    check_perm(actor, "reviews.answer_review_request", request, "Only the SENDCo or headteacher answers requests.")
    # As it is stored, under a lock: a form may have filled the instance in, or someone answered it already.
    request.refresh_from_db(from_queryset=ReviewRequest.objects.select_for_update(of=("self",)))
    if request.is_answered:
        raise ValidationError("This request has been answered.")
    review = request.review
    if review is not None and review.status != ReviewMeeting.Status.HELD:
        raise ValidationError(f"Hold the review first (due by {review.due_on:%d/%m/%Y}), then record its outcome.")
    check_not_future("notified_on", notified_on)
    errors = request.answer_errors(decision=decision, notified_on=notified_on, decision_until=decision_until)
    if errors:
        raise ValidationError(errors)
    request.decision, request.decision_notes = decision, decision_notes.strip()
    request.decision_until = decision_until if decision == ReviewRequest.Decision.CONTINUE_UNTIL else None
    request.notified_on, request.notified_method, request.notified_to = (
        notified_on,
        notified_method,
        notified_to.strip(),
    )
    save_tracked(request, actor)
    if notified_on == timezone.localdate():
        # Told today: the letter goes now, through the outbox. An earlier date records a letter
        # the school already sent outside apcase, which is not sent again.
        review_outcome_send(actor=actor, request=request)
    summary = (
        f"Outcome of the request for a review told to {request.notified_to} "
        f"{request.get_notified_method_display().lower()}: {lower_first(request.decision_text)}"
    )
    placement_step(
        request.placement,
        CaseEvent.Kind.DECISION,
        summary,
        actor,
        link=request.get_absolute_url(),
        when=moment_on(notified_on),
    )
    return request
