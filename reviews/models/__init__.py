"""Reviews of placements (meetings, requests, targets and measurements), the return to class
(reintegration plans, final reports, check-ins)."""

from reviews.models.meetings import ReviewAction, ReviewMeeting, ReviewParticipant, ReviewRequest
from reviews.models.provider import ProviderProgressNote, ProviderReviewReport
from reviews.models.reintegration import CheckIn, FinalReport, PlanVersion, ReintegrationPlan
from reviews.models.targets import Measurement, Target

__all__ = [
    "CheckIn",
    "FinalReport",
    "Measurement",
    "PlanVersion",
    "ProviderProgressNote",
    "ProviderReviewReport",
    "ReintegrationPlan",
    "ReviewAction",
    "ReviewMeeting",
    "ReviewParticipant",
    "ReviewRequest",
    "Target",
]
