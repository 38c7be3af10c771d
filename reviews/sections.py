"""The reviews section of the placement page (registered with placements.hooks): the reviews to
hold and the flag after three formal reviews without improvement (docs/domain-rules.md#formal-reviews),
targets and the return to class, with what the user may do next."""

from __future__ import annotations

from django.db.models import Count, Max
from django.utils import timezone

from placements.hooks import PlacementSection
from placements.models import Placement
from reviews.models import ReviewMeeting
from reviews.selectors import FORMAL_REVIEWS_BEFORE_ENDING, formal_reviews_without_improvement


def reviews_section(user, placement: Placement) -> PlacementSection | None:
    reads_reviews = user.has_perm("reviews.view_review", placement)
    reads_plan = user.has_perm("reviews.view_reintegration_plan", placement)
    if not (reads_reviews or reads_plan):
        return None
    # The plan's latest version and the count of targets in one query (the join repeats versions
    # per target, which neither a maximum nor a distinct count minds).
    figures = Placement.objects.filter(pk=placement.pk).aggregate(
        plan_version=Max("reintegration_plan__versions__number"), targets=Count("targets", distinct=True)
    )
    context = {"placement": placement, "reads_reviews": reads_reviews, "plan_version": figures["plan_version"]}
    if reads_reviews:
        context |= _reviews(user, placement) | {"targets": figures["targets"]}
    return PlacementSection("reviews/partials/placement_section.html", context)


def _reviews(user, placement: Placement) -> dict:
    today = timezone.localdate()
    reviews = list(placement.reviews.order_by("due_on", "pk"))
    to_hold = [review for review in reviews if review.is_open]
    held_formal = sorted(
        (r for r in reviews if r.is_formal and r.status == ReviewMeeting.Status.HELD), key=lambda r: (r.held_on, r.pk)
    )
    without_improvement = formal_reviews_without_improvement(held_formal)
    running = placement.is_running
    return {
        "overdue": [review for review in to_hold if review.due_on < today],
        "upcoming": [review for review in to_hold if review.due_on >= today][:3],
        "held": sum(review.status == ReviewMeeting.Status.HELD for review in reviews),
        "without_improvement": without_improvement,
        "may_end": running and len(without_improvement) >= FORMAL_REVIEWS_BEFORE_ENDING,
        "can_arrange": running and user.has_perm("reviews.add_review", placement),
        "can_request": placement.direction_in_force and user.has_perm("reviews.add_review_request", placement),
    }
