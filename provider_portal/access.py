"""The portal's one way to fetch what a provider person may open: 404 outside it (docs/portal.md)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import Http404

from apcase.http import AuthedRequest
from audits.staff import provider_organisation_ids
from placements.models import Handover, Placement
from provider_portal.selectors import portal_placements
from reviews.models import ReviewMeeting


def require_provider_staff(request: AuthedRequest) -> frozenset[int]:
    """The organisations the signed-in person works for; 404 for anyone else (school staff, a
    suspended or removed person)."""
    organisations = provider_organisation_ids(request.user)
    if not organisations:
        raise Http404("Not a provider portal user.")
    return organisations


def portal_placement_for(request: AuthedRequest, public_id) -> Placement:
    """A placement in force with the person's provider, by its public id; 404 otherwise."""
    require_provider_staff(request)
    placements = portal_placements(request.user).select_related("school", "pupil", "provider", "site")
    try:
        return placements.get(public_id=public_id)
    except (Placement.DoesNotExist, ValidationError, ValueError):
        raise Http404("No such pupil placed with your provider.") from None


def portal_review_for(request: AuthedRequest, public_id) -> ReviewMeeting:
    """A review still to be held of a placement with the person's provider; 404 otherwise."""
    require_provider_staff(request)
    reviews = ReviewMeeting.objects.filter(
        placement__in=portal_placements(request.user), status=ReviewMeeting.Status.SCHEDULED
    ).select_related("placement__pupil", "placement__school", "placement__provider", "school")
    try:
        return reviews.get(public_id=public_id)
    except (ReviewMeeting.DoesNotExist, ValidationError, ValueError):
        raise Http404("No such review of a pupil placed with your provider.") from None


def portal_handover_for(request: AuthedRequest, public_id) -> Handover:
    """A handover the school shared in the portal, of a placement with the person's provider; 404
    otherwise."""
    require_provider_staff(request)
    handovers = Handover.objects.filter(
        placement__in=portal_placements(request.user), shared_in_portal=True
    ).select_related("placement__school", "placement__pupil", "placement__provider", "shared_by")
    try:
        return handovers.get(public_id=public_id)
    except (Handover.DoesNotExist, ValidationError, ValueError):
        raise Http404("No such handover for a pupil placed with you.") from None
