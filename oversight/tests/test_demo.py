"""On first sign-in the demo's trust lead sees both schools, and its LA officer what was notified."""

from __future__ import annotations

from datetime import datetime

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from apcase.models import User
from placements.models import LANotification


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
