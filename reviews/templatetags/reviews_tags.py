"""Display helpers for the review pages."""

from __future__ import annotations

from datetime import date

from django import template

from reviews import wording
from reviews.models import ReviewMeeting

register = template.Library()

R = ReviewMeeting.Status


@register.filter
def lower_first(text: str) -> str:
    """A label in the middle of a sentence: "weekly IAP reintegration review", keeping IAP."""
    return wording.lower_first(str(text))


@register.inclusion_tag("pupils/partials/status_badge.html")
def review_status(review: ReviewMeeting, today: date) -> dict:
    if review.status == R.SCHEDULED and review.due_on < today:
        return {"label": "Overdue", "style": "text-bg-danger"}
    styles: dict[str, str] = {R.SCHEDULED: "text-bg-info", R.HELD: "text-bg-success", R.CANCELLED: "text-bg-secondary"}
    return {"label": review.get_status_display(), "style": styles[review.status]}
