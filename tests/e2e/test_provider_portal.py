"""The provider portal in a real browser, on a phone: the provider marks a pupil absent without a
reason, reads the handover the school shared, and the SENDCo sees the urgent to-do appear."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

# Tuesday 1 December 2026: the provider_staff persona's pupils (one per school) are expected.
TUESDAY_MORNING = datetime(2026, 12, 1, 9, 20, tzinfo=ZoneInfo("Europe/London"))
PHONE = {"width": 390, "height": 844}


def test_the_provider_marks_absent_on_a_phone_and_the_sendco_sees_the_alert(
    journey, provider_staff, sendco, school, other_school
):
    from placements.models import Placement
    from placements.tests.factories import HandoverFactory
    from pupils.tests.factories import ContactFactory

    ours = Placement.objects.get(school=school, provider__organisation__staff__user=provider_staff)
    mum = ContactFactory(pupil=ours.pupil, name="Donna Clarke", phone="07700 900101")
    HandoverFactory(
        placement=ours,
        needs="Reading age two years behind; finds unstructured time hard.",
        medical_notes="Blue inhaler in his bag.",
        emergency_contacts=[mum],
    )
    page = journey.page
    with time_machine.travel(TUESDAY_MORNING, tick=True):
        page.set_viewport_size(PHONE)
        journey.sign_in("provider_staff")
        assert page.url.endswith("/provider/")
        journey.snap("the register on a phone")
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]  # nothing off the side
        assert school.name in page.content() and other_school.name in page.content()
        page.select_option(f"#code-{ours.public_id}-am", "N")
        journey.submit("main form.provider-register button[type=submit]")
        journey.snap("saved")
        assert "1 mark saved" in page.content()
        page.goto(journey.base_url + f"/provider/pupils/{ours.public_id}/")
        journey.snap("the pupil's handover on a phone")
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        assert "Blue inhaler in his bag." in page.content() and "07700 900101" in page.content()
        assert page.goto(journey.base_url + "/pupils/").status == 404  # the school's pages are not theirs

        journey.sign_out()
        page.set_viewport_size({"width": 1280, "height": 900})
        journey.sign_in("sendco")
        journey.snap("the SENDCo's dashboard")
        todo = page.locator("li.list-group-item", has_text="absent without a reason")
        assert todo.count() == 1
        assert "Same-day absence" in todo.inner_text()
