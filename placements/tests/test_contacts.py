"""The contact log: two clicks from the pupil or placement page, its place in the chronology, the
placement page's last provider contact, the to-do when there has been none, and follow-ups."""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from apcase.models import Role
from placements.models import ContactLog, Placement
from placements.selectors.attention import Attention
from placements.selectors.contacts import provider_contact_overdue_among
from placements.services import contact_record
from pupils.models import CaseEvent

pytestmark = pytest.mark.django_db
S, P = Placement.Status, ContactLog.Party


def html(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def _call(actor, placement, on: date, party=P.PROVIDER, **fields) -> ContactLog:
    details = {"with_whom": "Ms Reid, the provider's lead", "how": "call", "agreed": "Settling in well."} | fields
    return contact_record(
        actor=actor, pupil=placement.pupil, placement=placement, party=party, contacted_on=on, **details
    )


class TestRecording:
    def test_a_contact_goes_in_the_chronology(self, at, sendco, today):
        placement = at(S.ACTIVE, start_date=date(2026, 11, 16))
        _call(sendco, placement, today)
        event = CaseEvent.objects.get(pupil=placement.pupil, kind=CaseEvent.Kind.CONTACT)
        assert event.summary == "Phone call with Ms Reid, the provider's lead (the provider)"
        assert event.link == placement.get_absolute_url()

    def test_it_is_refused_in_the_future_with_a_follow_up_before_it_or_for_another_pupils_placement(
        self, at, sendco, today, school
    ):
        placement = at(S.ACTIVE, start_date=date(2026, 11, 16))
        with pytest.raises(ValidationError) as error:
            _call(sendco, placement, date(2026, 11, 24), follow_up_on=date(2026, 11, 20))
        assert set(error.value.message_dict) == {"contacted_on", "follow_up_on"}
        from pupils.tests.factories import PupilFactory

        with pytest.raises(ValidationError, match="one of this pupil's placements"):
            contact_record(
                actor=sendco,
                pupil=PupilFactory(school=school),
                placement=placement,
                party=P.PROVIDER,
                with_whom="x",
                how="call",
                contacted_on=today,
                agreed="x",
            )

    @pytest.mark.parametrize("who", ["teacher", "governor"])
    def test_teachers_and_governors_do_not_record_contacts(self, request, at, today, who):
        with pytest.raises(PermissionDenied):
            _call(request.getfixturevalue(who), at(S.ACTIVE, start_date=date(2026, 11, 16)), today)

    def test_two_clicks_from_the_placement_page(self, client_for, sendco, at, today):
        placement = at(S.ACTIVE, start_date=date(2026, 11, 16))
        client = client_for(sendco)
        page = html(client.get(placement.get_absolute_url()))
        url = reverse("placements:contact_new", args=[placement.public_id])
        assert f'href="{url}"' in page and "No contact with Littleton Green recorded yet." in page
        response = client.post(
            url,
            {
                "party": "provider",
                "with_whom": "Ms Reid",
                "how": "meeting",
                "contacted_on": "23/11/2026",
                "agreed": "Weekly call on Fridays.",
                "follow_up_on": "27/11/2026",
            },
        )
        assert response.status_code == 302
        page = html(client.get(placement.get_absolute_url()))
        assert (
            "Last contact with Littleton Green: <strong>Monday 23 November 2026</strong> (meeting with Ms Reid)" in page
        )

    def test_from_the_pupil_page_every_error_at_once_and_nothing_lost(self, client_for, office, pupil, today):
        client = client_for(office)
        url = reverse("placements:pupil_contact_new", args=[pupil.public_id])
        assert f'href="{url}"' in html(client.get(pupil.get_absolute_url()))
        response = client.post(url, {"party": "parent", "with_whom": "Donna Clarke", "contacted_on": "", "agreed": ""})
        page = html(response)
        assert response.status_code == 400
        assert "When: This field is required." in page and "What was said and agreed: This field is required." in page
        assert 'value="Donna Clarke"' in page


def _as_dashboards_read_it(placement):
    """The placement as open_placements reads it: with its last contact with the provider."""
    return Placement.objects.with_follow_up_facts().select_related("school").get(pk=placement.pk)


class TestLastProviderContact:
    def test_a_running_placement_is_flagged_after_the_schools_interval_of_school_days(self, at, sendco, today):
        placement = at(S.ACTIVE, start_date=date(2026, 11, 16))
        _call(sendco, placement, date(2026, 11, 16))
        placement = _as_dashboards_read_it(placement)
        assert provider_contact_overdue_among([placement], date(2026, 11, 23)) == []  # five school days
        [overdue] = provider_contact_overdue_among([placement], date(2026, 11, 24))  # six
        assert (overdue.last, overdue.school_days, overdue.due) == (date(2026, 11, 16), 6, date(2026, 11, 23))
        placement.school.provider_contact_school_days = 10
        assert provider_contact_overdue_among([placement], date(2026, 11, 24)) == []

    def test_contact_with_someone_else_does_not_count(self, at, sendco, today):
        placement = at(S.ACTIVE, start_date=date(2026, 11, 16))
        _call(sendco, placement, date(2026, 11, 16), party=P.PARENT)
        assert len(provider_contact_overdue_among([_as_dashboards_read_it(placement)], date(2026, 11, 24))) == 1

    def test_it_is_a_sendco_to_do(self, at, sendco, today):
        placement = at(S.ACTIVE, start_date=date(2026, 11, 9))
        todos = Attention(user=sendco, today=today).todos("provider_contact")
        assert [(t.placement, t.action) for t in todos] == [
            (placement, "no contact with Littleton Green recorded since the first day")
        ]
        from placements.selectors.attention import ATTENTION

        assert ATTENTION["provider_contact"].queue == frozenset({Role.SENDCO})
