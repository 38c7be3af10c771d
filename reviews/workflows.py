"""The declared status moves of a review meeting and the permission each needs (review_close and
review_cancel apply them and write the chronology)."""

from __future__ import annotations

from apcase.workflow import Transition, Workflow
from reviews.models import ReviewMeeting

_R = ReviewMeeting.Status

REVIEW_WORKFLOW = Workflow(
    [
        Transition(_R.SCHEDULED, _R.HELD, "reviews.close_review", "Record that the meeting was held"),
        Transition(_R.SCHEDULED, _R.CANCELLED, "reviews.cancel_review", "Cancel the review"),
    ]
)
