"""The back office: attendance codes are edited there; placements and their records only read."""

from __future__ import annotations

import pytest
from django.urls import reverse

from placements.models import AttendanceCode, Placement
from placements.tests.factories import AttendanceMarkFactory, IncidentFactory, PlacementFactory

pytestmark = pytest.mark.django_db


def test_an_administrator_edits_a_code(admin_client):
    code = AttendanceCode.objects.get(code="O")
    address = reverse("admin:placements_attendancecode_change", args=[code.pk])
    assert admin_client.get(address).status_code == 200
    data = {
        "code": "O",
        "description": "Absent in other or unknown circumstances",
        "meaning": "unauthorised",
        "needs_reason": "",
        "is_active": "on",
        "allowed_for_school_placements": "on",
        "order": code.order,
    }
    assert admin_client.post(address, data).status_code == 302
    code.refresh_from_db()
    assert code.needs_reason is False and code.history.count() == 1


def test_placements_and_their_records_are_read_only_in_the_back_office(admin_client, school):
    placement = PlacementFactory(pupil__school=school, status=Placement.Status.ACTIVE)
    AttendanceMarkFactory(placement=placement)
    IncidentFactory(placement=placement)
    for model in ["placement", "attendancemark", "incident", "parentnotice"]:
        assert admin_client.get(reverse(f"admin:placements_{model}_changelist")).status_code == 200
    page = admin_client.get(reverse("admin:placements_placement_change", args=[placement.pk])).content.decode()
    assert 'name="_save"' not in page
