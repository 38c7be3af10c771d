"""On first sign-in the demo's trust lead sees both schools, its LA officer what was notified and the
provider directory, and the SENDCo a placement waiting for its suitability decision."""

from __future__ import annotations

from datetime import datetime

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from apcase.models import User
from placements.models import LANotification, Placement
from placements.selectors.attention import Attention
from pupils.models import Approval


@pytest.mark.django_db
def test_the_demo_trust_and_la_are_not_empty(client):
    with time_machine.travel(timezone.make_aware(datetime(2026, 12, 7, 8, 30)), tick=False):
        call_command("seed_demo", "--password", "pw-for-the-demo")
        call_command("seed_demo", "--password", "pw-for-the-demo")  # idempotent
        assert LANotification.objects.count() == 2
        client.force_login(User.objects.get(username="trustlead"))
        dashboard = client.get(reverse("oversight:trust")).context["dashboard"]
        names = [row.school.name for row in dashboard.schools]
        assert names == ["Oakfield Primary School", "Riverside Primary Academy"]
        assert dashboard.total_running > 0 and dashboard.providers
        client.force_login(User.objects.get(username="laofficer"))
        page = client.get(reverse("oversight:la"))
        assert page.context["figures"].placements == 2
        assert "Acknowledged" in client.get(reverse("oversight:la_notifications")).content.decode()
        # The LA's directory: Littleton Green listed by both schools, with the LA's own visit.
        directory = client.get(reverse("oversight:la_providers")).context["directory"]
        [littleton] = [entry for entry in directory if len(entry.schools) == 2]
        assert littleton.last_visit is not None and littleton.last_visit.next_visit_due
        # Each off-site placement sent to the head was judged suitable for its pupil first; the one
        # being planned waits for that decision on the SENDCo's list.
        requests = Approval.objects.filter(kind="placement").values("object_id")
        asked = Placement.objects.filter(kind=Placement.Kind.OFFSITE, pk__in=requests)
        assert [str(p) for p in asked if not p.suitability_decisions.filter(suitable=True).exists()] == []
        todos = Attention(user=User.objects.get(username="sendco"), today=timezone.localdate()).todos("suitability")
        assert [todo.placement.pupil.first_name for todo in todos] == ["Ibrahim"]
