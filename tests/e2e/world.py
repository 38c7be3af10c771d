"""The school a browser journey runs in: people, a pupil with a parent, a provider nearly cleared."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.utils import timezone

from audits.tests.factories import ProviderFactory, ProviderSiteFactory, SafeguardingConfirmationFactory
from pupils.models import Contact
from pupils.tests.factories import ContactFactory, PupilFactory

MONDAY_MORNING = datetime(2026, 11, 23, 9, 0, tzinfo=ZoneInfo("Europe/London"))


def journey_world(school, teacher, dsl):
    pupil = PupilFactory(
        school=school, legal_first_name="Jayden", legal_last_name="Clarke", class_teacher=teacher, year_group="5"
    )
    ContactFactory(
        pupil=pupil,
        name="Kerry Clarke",
        relationship=Contact.Relationship.MOTHER,
        parental_responsibility=True,
        address="4 Canal Row\nNorthbridge",
        postcode="ST99 4CC",
    )
    provider = ProviderFactory(
        school=school,
        name="Littleton Green Alternative Provision",
        urn="145123",
        registration_checked_on=date(2026, 9, 1),
        registration_checked_by=dsl,
        cost_per_day="170.00",
        contact_name="Ms Jo Whitfield",
        phone="01234 111222",
    )
    ProviderSiteFactory(provider=provider, address="Littleton Green Lane\nCannock", postcode="WS99 4LG")
    SafeguardingConfirmationFactory(provider=provider, signed_on=date(2026, 9, 10), expires_on=date(2027, 9, 10))
    assert timezone.localdate() == MONDAY_MORNING.date()
    return pupil, provider
