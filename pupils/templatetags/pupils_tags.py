"""Small display helpers shared by the pupil, referral and approval pages."""

from __future__ import annotations

from django import template

from pupils.models import Referral

register = template.Library()

STATUS_STYLES: dict[str, str] = {
    Referral.Status.DRAFT: "text-bg-light border",
    Referral.Status.SUBMITTED: "text-bg-info",
    Referral.Status.UNDER_REVIEW: "text-bg-primary",
    Referral.Status.AWAITING_APPROVAL: "text-bg-warning",
    Referral.Status.APPROVED: "text-bg-success",
    Referral.Status.DECLINED: "text-bg-danger",
    Referral.Status.WITHDRAWN: "text-bg-secondary",
}


@register.inclusion_tag("pupils/partials/status_badge.html")
def referral_status(status: str | None) -> dict:
    """A referral (or case) status as a coloured badge; nothing for "no referral"."""
    if not status:
        return {}
    return {"label": Referral.Status(status).label, "style": STATUS_STYLES[status]}


@register.inclusion_tag("pupils/partials/pupil_flags.html")
def pupil_flags(pupil) -> dict:
    return {"pupil": pupil}
