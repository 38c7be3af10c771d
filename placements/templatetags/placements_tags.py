"""Display helpers for the placement pages."""

from __future__ import annotations

from django import template

from outbox.selectors import message_url_for
from placements.models import Placement
from placements.timetable import week_grid

register = template.Library()

S = Placement.Status
STATUS_STYLES: dict[str, str] = {
    S.PLANNED: "text-bg-light border",
    S.AWAITING_APPROVAL: "text-bg-warning",
    S.APPROVED: "text-bg-info",
    S.NOTICE_ISSUED: "text-bg-info",
    S.ACTIVE: "text-bg-success",
    S.ENDING: "text-bg-primary",
    S.ENDED: "text-bg-secondary",
    S.CANCELLED: "text-bg-secondary",
}


@register.simple_tag(takes_context=True)
def outbox_url(context, message) -> str:
    """{% outbox_url message as url %}: the message's page if the signed-in user may open it."""
    return message_url_for(user=context["request"].user, message=message)


@register.inclusion_tag("pupils/partials/status_badge.html")
def placement_status(status: str) -> dict:
    return {"label": S(status).label, "style": STATUS_STYLES[status]}


@register.filter
def timetable_rows(keys) -> list:
    return week_grid(keys)
