from __future__ import annotations

import pytest
from django.utils import timezone

from apcase.models import User
from placements.models import AttendanceMark, Incident, ParentNotice, Placement, Visit
from placements.selectors import (
    attendance_summary,
    iaps_past_six_weeks,
    incidents_needing_review,
    notices_due,
    referrals_ready_for_placement,
)

S = Placement.Status


@pytest.mark.demo("monday 23/11/2026")
def test_the_demo_has_a_placement_at_every_status_and_reloads_without_duplicates(demo):
    sendco = User.objects.get(username="sendco")
    today = timezone.localdate()
    placements = {p.pupil.first_name: p for p in Placement.objects.select_related("pupil", "provider", "school")}
    jayden = attendance_summary(placements["Jayden"], today=today)
    due = notices_due(user=sendco, today=today)
    overruns = iaps_past_six_weeks(user=sendco, today=today)
    queue = list(incidents_needing_review(user=sendco))
    ready = list(referrals_ready_for_placement(user=sendco, school=sendco.memberships.get().school))

    for model in (Placement, AttendanceMark, ParentNotice):
        assert model.objects.count() == demo.counts_after_first_seed[model._meta.label]
    assert {p.status for p in placements.values()} == set(S.values)
    assert placements["Jayden"].directed_off_site and placements["Jayden"].notice.is_late is False
    assert jayden.persistent and not jayden.severe and placements["Jayden"].absence_alert_level == "persistent"
    assert [item.placement.pupil.first_name for item in due] == ["Ibrahim"]
    assert [overrun.placement.pupil.first_name for overrun in overruns] == ["Kacey"]
    assert [incident.placement.pupil.first_name for incident in queue] == ["Jayden"]
    assert placements["Finley"].outcome == Placement.Outcome.REINTEGRATED
    assert Incident.objects.filter(severity="serious").count() == 1 and Visit.objects.exists()
    assert [referral.pupil.first_name for referral in ready] == ["Olivia"]
