"""What the review pages share: fetching a placement for a placement-bound page, and PDF downloads."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render

from apcase.access import get_object_for_user, record_access_log
from apcase.http import AuthedRequest
from placements.models import Placement
from placements.selectors import placement_detail_queryset


def placement_for(request: AuthedRequest, public_id, perm: str) -> Placement:
    return get_object_for_user(request, placement_detail_queryset(), public_id, perm)


def placement_form_page(request: AuthedRequest, placement: Placement, form, *, record=None, **page) -> HttpResponse:
    """A form about one placement's reviews, targets or return to class (page: title, submit, and
    optionally intro and cancel_url). It shows the pupil's record, so the opening is logged, against
    the record the form is about (the placement unless given)."""
    record_access_log(request, record or placement)
    context = {"form": form, "placement": placement, **page}
    return render(request, "reviews/placement_form.html", context, status=400 if form.errors else 200)
