from __future__ import annotations

from datetime import datetime

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from apcase.models import User
from placements.models import Handover
from provider_portal.models import SameDayAlert
from reviews.models import ProviderProgressNote, ProviderReviewReport


@pytest.mark.django_db
def test_the_demo_provider_sees_both_schools_the_sendco_the_same_day_alert_the_office_a_call_home(client):
    with time_machine.travel(timezone.make_aware(datetime(2026, 12, 1, 10, 30)), tick=False):
        call_command("seed_demo", "--password", "pw-for-the-demo")
        call_command("seed_demo", "--password", "pw-for-the-demo")
        client.force_login(User.objects.get(username="provider"))
        html = client.get(reverse("provider_portal:register")).content.decode()
        assert "Oakfield Primary School" in html and "Riverside Primary Academy" in html
        assert "Noah Bennett" in html and "recorded by Littleton Green" in html
        assert SameDayAlert.objects.count() == 1
        assert ProviderProgressNote.objects.count() == 1 and ProviderReviewReport.objects.count() == 1
        # The structured handover Oakfield shared for Jayden, with his emergency contact.
        shared = Handover.objects.get(shared_in_portal=True)
        page = client.get(reverse("provider_portal:placement", args=[shared.placement.public_id])).content.decode()
        assert "blue inhaler" in page and "Donna Clarke" in page and "07700 900101" in page
        client.force_login(User.objects.get(username="sendco"))
        assert "Same-day absence" in client.get("/").content.decode()
        client.force_login(User.objects.get(username="office"))  # the office has the daily chase instead
        office_home = client.get("/").content.decode()
        assert "Call home" in office_home and "Same-day absence" not in office_home
