"""Written requests for a review of an off-site direction: recording one (and whether a review
must be held), the request's page, and the school's answer."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render

from apcase.access import get_object_for_user, record_access_log
from apcase.http import AuthedRequest
from pupils.views import submit_form, submit_once
from reviews.forms import RequestAnswerForm, ReviewRequestForm
from reviews.models import ReviewRequest
from reviews.services import review_request_answer, review_request_record
from reviews.views.common import placement_for, placement_form_page

REQUESTS = ReviewRequest.objects.select_related(
    "placement__school", "placement__pupil", "placement__provider", "recent_review", "review", "recorded_by"
)


def _request(request: AuthedRequest, public_id, perm: str) -> ReviewRequest:
    return get_object_for_user(request, REQUESTS, public_id, perm)


def request_new(request: AuthedRequest) -> HttpResponse:
    placement = placement_for(request, request.GET.get("placement", ""), "reviews.add_review_request")
    form = ReviewRequestForm(request.POST or None)
    saved = submit_once(
        request, form, lambda: review_request_record(actor=request.user, placement=placement, **form.cleaned_data)
    )
    if saved is not None:
        messages.success(request, "The request is recorded.")
        return redirect(saved)
    return placement_form_page(
        request,
        placement,
        form,
        title="Record a written request for a review",
        intro="A parent, the pupil at 18 or over, or the local authority (EHC plan) may ask in writing for a "
        "review of a direction off-site.",
        submit="Record the request",
    )


def request_detail(request: AuthedRequest, public_id) -> HttpResponse:
    review_request = _request(request, public_id, "reviews.view_review_request")
    record_access_log(request, review_request)
    can_answer = request.user.has_perm("reviews.answer_review_request", review_request)
    context = {"review_request": review_request, "placement": review_request.placement, "can_answer": can_answer}
    return render(request, "reviews/request_detail.html", context)


def request_answer(request: AuthedRequest, public_id) -> HttpResponse:
    review_request = _request(request, public_id, "reviews.answer_review_request")
    form = RequestAnswerForm(request.POST or None, instance=review_request)
    answered = submit_form(
        request, form, lambda: review_request_answer(actor=request.user, request=review_request, **form.cleaned_data)
    )
    if answered is not None:
        messages.success(request, "The decision and how it was told are recorded.")
        return redirect(answered)
    return placement_form_page(
        request,
        review_request.placement,
        form,
        record=review_request,
        title="Record the decision and how it was told",
        submit="Record",
        cancel_url=review_request.get_absolute_url(),
    )
