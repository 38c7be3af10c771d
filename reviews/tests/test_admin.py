"""The back office shows reviews and the return to class read-only."""

from __future__ import annotations

import pytest
from django.urls import reverse

from reviews.tests.factories import CheckInFactory, ReviewMeetingFactory, ReviewRequestFactory, TargetFactory

pytestmark = pytest.mark.django_db


def test_reviews_and_their_records_are_read_only_in_the_back_office(admin_client, school):
    review = ReviewMeetingFactory(placement__pupil__school=school)
    ReviewRequestFactory(placement=review.placement)
    TargetFactory(placement=review.placement)
    CheckInFactory(placement__pupil__school=school)
    for model in ["reviewmeeting", "reviewrequest", "target", "reintegrationplan", "checkin"]:
        assert admin_client.get(reverse(f"admin:reviews_{model}_changelist")).status_code == 200
    page = admin_client.get(reverse("admin:reviews_reviewmeeting_change", args=[review.pk])).content.decode()
    assert 'name="_save"' not in page
