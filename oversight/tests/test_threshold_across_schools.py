"""The registration threshold counts every school's full-time pupils at one provider organisation,
and every school that places there is warned; no pupil of another school is named."""

from __future__ import annotations

from datetime import datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from audits.models import Provider
from audits.tests.factories import ProviderFactory, ProviderOrganisationFactory, ProviderSiteFactory
from placements.models import Placement
from placements.tests.factories import PlacementFactory
from placements.threshold import placement_counts_at

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _monday():
    with time_machine.travel(timezone.make_aware(datetime(2026, 11, 23, 10, 0)), tick=False):
        yield


def _tuition(school, organisation) -> Provider:
    return ProviderFactory(
        school=school,
        organisation=organisation,
        name="Stepping Stones Tuition",
        registration=Provider.Registration.UNREGISTERED,
        urn="",
        setting_type=Provider.SettingType.ONE_TO_ONE_TUITION,
    )


def _full_time(provider: Provider, count: int) -> list[Placement]:
    site = ProviderSiteFactory(provider=provider)
    return [
        PlacementFactory(pupil__school=provider.school, provider=provider, site=site, status=Placement.Status.ACTIVE)
        for _ in range(count)
    ]


def test_three_here_and_two_there_make_five_for_both_schools(school, other_school, dsl, outsider, client_for):
    organisation = ProviderOrganisationFactory(name="Stepping Stones Tuition", urn="")
    ours, theirs = _tuition(school, organisation), _tuition(other_school, organisation)
    _full_time(ours, 3)
    [theirs_placed, _] = _full_time(theirs, 2)
    assert placement_counts_at(ours) == placement_counts_at(theirs) == (5, 0)
    page = client_for(dsl).get(reverse("providers:detail", args=[ours.public_id])).content.decode()
    assert "Stepping Stones Tuition must be registered as a school" in page
    assert "5 full-time pupils of compulsory school age" in page
    assert theirs_placed.pupil.full_name not in page and theirs_placed.pupil.legal_last_name not in page
    other_page = client_for(outsider).get(reverse("providers:detail", args=[theirs.public_id])).content.decode()
    assert "Stepping Stones Tuition must be registered as a school" in other_page


def test_another_organisation_of_the_same_name_is_not_counted(school, other_school):
    ours = _tuition(school, ProviderOrganisationFactory(name="Stepping Stones Tuition", urn=""))
    elsewhere = _tuition(other_school, ProviderOrganisationFactory(name="Stepping Stones (Leeds)", urn=""))
    _full_time(ours, 3)
    _full_time(elsewhere, 4)
    assert placement_counts_at(ours) == (3, 0)


def test_an_entry_not_linked_to_an_organisation_counts_its_own(school):
    alone = _tuition(school, None)
    _full_time(alone, 2)
    assert placement_counts_at(alone) == (2, 0)
