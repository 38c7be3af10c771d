"""Review meetings: the list and the calendar, arranging a review, the meeting page, arranging,
recording, closing and cancelling the meeting, its actions, minutes and history."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.views.decorators.http import require_POST

from apcase.access import current_school, get_object_for_user, record_access_log, require_perm
from apcase.http import AuthedRequest
from apcase.uploads import private_file_response
from apcase.views import download_name, history_page, pdf_response
from pupils.views import submit_form, submit_once
from reviews import selectors
from reviews.documents import minutes_pdf
from reviews.forms import (
    InvitationChannelsForm,
    ReasonForm,
    ReviewActionForm,
    ReviewArrangeForm,
    ReviewFilterForm,
    ReviewRecordForm,
    ReviewScheduleForm,
)
from reviews.invitations import default_invitees, invitees_of
from reviews.models import ProviderReviewReport, ReviewAction, ReviewMeeting
from reviews.services import (
    review_action_add,
    review_action_complete,
    review_arrange,
    review_cancel,
    review_close,
    review_invitations_send,
    review_record,
    review_schedule,
)
from reviews.services.invitations import review_invitees
from reviews.views.common import placement_for, placement_form_page


def _review(request: AuthedRequest, public_id, perm: str = "reviews.view_review") -> ReviewMeeting:
    return get_object_for_user(request, selectors.review_detail_queryset(), public_id, perm)


def _closed(request: AuthedRequest, review: ReviewMeeting) -> HttpResponse:
    """A held or cancelled review's record is closed: back to the review, saying why."""
    messages.info(request, f"This review is {review.get_status_display().lower()}: its record is closed.")
    return redirect(review)


def _step_page(request: AuthedRequest, review: ReviewMeeting, form, **page) -> HttpResponse:
    """A form about one review (arrange, record and close, cancel, add an action)."""
    context = {"form": form, "review": review, "placement": review.placement, **page}
    return render(request, "reviews/review_step.html", context, status=400 if form.errors else 200)


# What each tab says when it holds nothing: (title, text).
EMPTY_TABS = {
    selectors.ListView.UPCOMING: (
        "No reviews to hold",
        "When a placement starts, its reviews are scheduled from the school's term dates.",
    ),
    selectors.ListView.OVERDUE: ("No overdue reviews", "Every review due so far has been held or cancelled."),
    selectors.ListView.HELD: ("No reviews held yet", "Reviews appear here once their meeting is recorded and closed."),
    selectors.ListView.CANCELLED: ("No cancelled reviews", ""),
}


def review_list(request: AuthedRequest) -> HttpResponse:
    require_perm(request, "reviews.list_reviews")
    school, today = current_school(request), timezone.localdate()
    filters = ReviewFilterForm(request.GET)
    arguments = filters.selector_arguments()
    view = arguments.pop("view", selectors.ListView.UPCOMING)
    placement = (
        placement_for(request, request.GET["placement"], "reviews.view_review") if "placement" in request.GET else None
    )
    reviews = selectors.review_list_for_user(
        user=request.user, school=school, view=view, today=today, placement=placement, **arguments
    )
    counts = selectors.review_counts(user=request.user, school=school, today=today, placement=placement, **arguments)
    context = {
        "page_obj": Paginator(reviews, settings.PAGINATE_BY).get_page(request.GET.get("page")),
        "filters": filters,
        "view": view,
        "showing_held": view == selectors.ListView.HELD,
        "empty": EMPTY_TABS[view],
        "tabs": [
            (value, label, counts[value], value == selectors.ListView.OVERDUE and counts[value] > 0)
            for value, label in selectors.ListView.CHOICES
        ],
        "placement": placement,
        "today": today,
    }
    return render(request, "reviews/review_list.html", context)


def review_calendar_page(request: AuthedRequest) -> HttpResponse:
    require_perm(request, "reviews.list_reviews")
    today = timezone.localdate()
    around = parse_date(request.GET.get("from", "")) or today
    calendar = selectors.review_calendar(user=request.user, school=current_school(request), around=around, today=today)
    return render(request, "reviews/review_calendar.html", {"calendar": calendar, "today": today})


def review_new(request: AuthedRequest) -> HttpResponse:
    """Arrange a review outside the regular schedule (?placement=<uuid>): a formal review, most often."""
    placement = placement_for(request, request.GET.get("placement", ""), "reviews.add_review")
    form = ReviewArrangeForm(request.POST or None)
    review = submit_once(
        request, form, lambda: review_arrange(actor=request.user, placement=placement, **form.cleaned_data)
    )
    if review is not None:
        messages.success(request, "The review is added. Next: arrange the meeting and invite people.")
        return redirect("reviews:schedule", review.public_id)
    return placement_form_page(request, placement, form, title="Arrange a review", submit="Add the review")


def review_detail(request: AuthedRequest, public_id) -> HttpResponse:
    review = _review(request, public_id)
    record_access_log(request, review)
    runs = request.user.has_perm("reviews.record_review", review) and review.is_open
    series = selectors.review_series(review) if review.is_formal else []
    without_improvement = selectors.formal_reviews_without_improvement(series)
    context = {
        "review": review,
        "placement": review.placement,
        "pupil": review.placement.pupil,
        "readings": selectors.review_readings(review),
        "attendance": selectors.review_attendance(review, timezone.localdate()),
        "series": series,
        "may_end": len(without_improvement) >= selectors.FORMAL_REVIEWS_BEFORE_ENDING,
        "request": selectors.request_of(review),
        "runs": runs,
        "can_cancel": request.user.has_perm("reviews.cancel_review", review) and review.is_open,
        "action_form": ReviewActionForm(school=review.school) if runs else None,
        "today": timezone.localdate(),
    }
    return render(request, "reviews/review_detail.html", context)


def provider_report_file(request: AuthedRequest, public_id) -> FileResponse:
    """The report a provider uploaded for a review (the provider portal)."""
    reports = ProviderReviewReport.objects.select_related("review")
    sent = get_object_for_user(request, reports, public_id, "reviews.view_review")
    if not sent.file:
        raise Http404("This report was written, not uploaded.")
    record_access_log(request, sent, "download")
    return private_file_response(sent.file, sent.original_name or "provider-report.pdf")


def review_schedule_page(request: AuthedRequest, public_id) -> HttpResponse:
    review = _review(request, public_id, "reviews.schedule_review")
    if not review.is_open:
        return _closed(request, review)
    record_access_log(request, review)
    invitees = invitees_of(review) if review.participants.all() else default_invitees(review)
    form = ReviewScheduleForm(request.POST or None, review=review, invitees=invitees)
    if submit_form(request, form, lambda: review_schedule(actor=request.user, review=review, **form.service_fields())):
        messages.success(request, "The meeting is arranged.")
        return redirect(review)
    return _step_page(request, review, form, title="Arrange the meeting", submit="Save the arrangements")


def review_record_page(request: AuthedRequest, public_id) -> HttpResponse:
    """The minutes, saved as a draft or saved and closed once the meeting has been held."""
    review = _review(request, public_id, "reviews.record_review")
    if not review.is_open:
        return _closed(request, review)
    record_access_log(request, review)
    closing = "close" in request.POST
    readings = selectors.review_readings(review)
    form = ReviewRecordForm(request.POST or None, instance=review, readings=readings, closing=closing)

    def save() -> ReviewMeeting:
        recorded = review_record(actor=request.user, review=review, **form.service_fields())
        if not closing:
            return recorded
        return review_close(actor=request.user, review=recorded, held_on=form.cleaned_data["held_on"])

    saved = submit_form(request, form, save)
    if saved is not None:
        done = "The review is closed as held." if closing else "The record is saved."
        if closing and saved.decision == ReviewMeeting.Decision.EXTEND:
            done += (
                f" The extension to {saved.extend_until:%d/%m/%Y} has gone to the headteacher for approval; "
                "until they decide, the placement keeps its last day."
            )
        messages.success(request, done)
        return redirect(saved)
    return _step_page(
        request, review, form, title="Record the meeting", submit="Save the record", close="Save and close: it was held"
    )


def review_cancel_page(request: AuthedRequest, public_id) -> HttpResponse:
    review = _review(request, public_id, "reviews.cancel_review")
    if not review.is_open:
        return _closed(request, review)
    record_access_log(request, review)
    form = ReasonForm(request.POST or None)
    if submit_form(request, form, lambda: review_cancel(actor=request.user, review=review, **form.cleaned_data)):
        messages.success(request, "The review is cancelled.")
        return redirect(review)
    return _step_page(
        request, review, form, title="Cancel the review", submit="Cancel the review", back="Keep the review"
    )


def action_new(request: AuthedRequest, public_id) -> HttpResponse:
    review = _review(request, public_id, "reviews.record_review")
    if not review.is_open:
        return _closed(request, review)
    record_access_log(request, review)
    form = ReviewActionForm(request.POST or None, school=review.school)
    if submit_once(request, form, lambda: review_action_add(actor=request.user, review=review, **form.cleaned_data)):
        messages.success(request, "The action is added.")
        return redirect(review)
    return _step_page(request, review, form, title="Add an action", submit="Add the action")


@require_POST
def action_done(request: AuthedRequest, public_id) -> HttpResponse:
    actions = ReviewAction.objects.select_related("review__school", "owner")
    action = get_object_for_user(request, actions, public_id)
    review_action_complete(actor=request.user, action=action)
    messages.success(request, "The action is marked as done.")
    return redirect(action.review)


def review_minutes(request: AuthedRequest, public_id) -> HttpResponse:
    review = _review(request, public_id)
    record_access_log(request, review, "download")
    held = review.status == ReviewMeeting.Status.HELD
    # Named by the day it was held (the day it was due until then): two reviews, two names.
    name = download_name(
        "Review minutes", review.placement.pupil.initials, review.held_on or review.due_on, draft=not held
    )
    return pdf_response(minutes_pdf(review), name)


def review_history(request: AuthedRequest, public_id) -> HttpResponse:
    review = _review(request, public_id)
    record_access_log(request, review)
    label = f"{review.get_kind_display()} for {review.placement.pupil.display_name}"
    return history_page(request, review, record_label=label, back_url=review.get_absolute_url())


def review_invite(request: AuthedRequest, public_id) -> HttpResponse:
    """Choose how each person invited from outside the school is sent their invitation, then send
    them through the outbox; a refusal says what to do first."""
    review = _review(request, public_id, "reviews.schedule_review")
    if not review.is_open or review.meeting_at is None:
        messages.error(request, "Arrange the meeting (when and where) before sending the invitations.")
        return redirect(review)
    form = InvitationChannelsForm(request.POST or None, invitees=review_invitees(review))
    # One-time token: a double press queues the invitations once (the token records the first).
    first = submit_once(
        request, form, lambda: review_invitations_send(actor=request.user, review=review, channels=form.channels())[0]
    )
    if first is not None:
        messages.success(request, "The invitations are in the outbox.")
        return redirect(review)
    return _step_page(request, review, form, title="Send the invitations", submit="Send the invitations")
