from __future__ import annotations

from datetime import date

import pytest

from apcase.models import User
from reviews.models import CheckIn, FinalReport, Measurement, PlanVersion, ReviewMeeting, ReviewRequest
from reviews.selectors import placements_flagged_for_ending, progress_steps, reviews_overdue


@pytest.mark.demo("monday 23/11/2026")
def test_the_demo_tells_each_review_story_and_reloads_without_duplicates(demo):
    head, sendco = User.objects.get(username="head"), User.objects.get(username="sendco")
    flagged = [item.placement.pupil.first_name for item in placements_flagged_for_ending(user=head)]
    overdue = [(r.placement.pupil.first_name, r.kind) for r in reviews_overdue(user=sendco, today=date(2026, 11, 23))]
    steps = progress_steps(
        school_ids=[head.memberships.get().school_id], start=date(2026, 9, 1), end=date(2026, 12, 18)
    )

    for model in (ReviewMeeting, Measurement, PlanVersion, ReviewRequest, CheckIn):
        assert model.objects.count() == demo.counts_after_first_seed[model._meta.label]
    assert flagged == ["Jayden"]
    assert overdue == [("Kacey", ReviewMeeting.Kind.IAP_WEEKLY)]
    request = ReviewRequest.objects.get()
    assert not request.review_required and request.is_answered
    assert request.recent_review is not None and request.recent_review.held_on == date(2026, 11, 20)
    assert PlanVersion.objects.filter(plan__placement__pupil__legal_first_name="Kacey").count() == 2
    assert FinalReport.objects.get().placement.pupil.first_name == "Finley"
    assert CheckIn.objects.filter(held_on__isnull=False, still_in_class=True).count() == 1
    assert len(steps) == 2  # Jayden's and Finley's Next Steps
