"""Anonymising at the end of retention reaches every app's records about the pupil."""

from __future__ import annotations

from datetime import date

import pytest

from placements.models import ParentNotice, Placement

S = Placement.Status
pytestmark = pytest.mark.django_db


def test_reasons_that_constraints_require_keep_a_marker(at, head):
    """A placement without a referral, a declined approval, a late notice and the reviews
    cancelled at the end must each keep saying that there was a reason."""
    from pupils.models import Approval
    from pupils.records import REMOVED
    from pupils.retention import pupil_anonymise
    from reviews.models import ReviewMeeting

    placement = at(S.ENDED, start_date=date(2026, 9, 7), reasons="Hit another pupil.")
    Approval.objects.filter(pupil=placement.pupil).update(status="declined", reasons="Too far to travel.")
    ParentNotice.objects.filter(placement=placement).update(is_late=True, late_reason="The post office lost it.")
    assert ReviewMeeting.objects.filter(placement=placement, status="cancelled").exists()
    pupil = placement.pupil
    pupil.leaving_date = date(2000, 7, 20)
    pupil.save()
    pupil_anonymise(pupil=pupil, actor=head, today=date(2026, 11, 23))
    placement.refresh_from_db()
    assert (placement.reasons, placement.no_referral_reason) == ("", REMOVED)
    assert {a.reasons for a in Approval.objects.filter(pupil=pupil)} == {REMOVED}
    assert ParentNotice.objects.get(placement=placement).late_reason == REMOVED
    cancelled = ReviewMeeting.objects.filter(placement=placement, status="cancelled")
    assert {r.cancellation_reason for r in cancelled} == {REMOVED}
