"""One provider body across the installation: each school's directory entry joins it."""

from __future__ import annotations

import importlib
from dataclasses import replace
from typing import Any

import pytest
from django.apps import apps

from audits.models import Provider, ProviderOrganisation
from audits.services import ProviderDetails, provider_create, provider_update
from audits.tests.factories import ProviderFactory

pytestmark = pytest.mark.django_db


def _create(school, actor, **details: Any) -> Provider:
    return provider_create(actor=actor, school=school, details=ProviderDetails(**details))


OFFSITE: dict[str, Any] = {"kind": Provider.Kind.OFFSITE, "registration": Provider.Registration.REGISTERED_SCHOOL}


def test_two_schools_listing_the_same_urn_share_one_organisation(school, other_school, dsl):
    ours = _create(school, dsl, name="Littleton Green AP", urn="145123", **OFFSITE)
    theirs = _create(other_school, dsl, name="Littleton Green", urn="145123", **OFFSITE)
    assert ours.organisation == theirs.organisation
    assert ours.organisation is not None
    assert ours.organisation.name == "Littleton Green AP" and ours.organisation.urn == "145123"
    assert ProviderOrganisation.objects.count() == 1


def test_a_ukprn_or_else_the_name_finds_the_organisation(school, other_school, dsl):
    ukprn: dict[str, Any] = {"kind": Provider.Kind.OFFSITE, "registration": Provider.Registration.UKPRN_ONLY}
    a = _create(school, dsl, name="Outdoor", ukprn="10087654", **ukprn)
    b = _create(other_school, dsl, name="Outdoor Learning", ukprn="10087654", **ukprn)
    unregistered: dict[str, Any] = {
        "kind": Provider.Kind.OFFSITE,
        "registration": Provider.Registration.UNREGISTERED,
        "setting_type": Provider.SettingType.ONE_TO_ONE_TUITION,
    }
    c = _create(school, dsl, name="Stepping Stones", **unregistered)
    d = _create(other_school, dsl, name="stepping stones ", **unregistered)
    assert a.organisation == b.organisation and c.organisation == d.organisation
    assert a.organisation != c.organisation


def test_internal_provision_has_no_organisation(school, dsl):
    internal = _create(
        school,
        dsl,
        name="Rockets class",
        kind=Provider.Kind.INTERNAL,
        lead_staff_name="Miss A Carter",
        safeguarding_policy_applies=True,
    )
    assert internal.organisation is None


def test_a_new_urn_moves_the_entry_to_that_organisation(school, other_school, dsl):
    first = _create(school, dsl, name="Littleton", urn="145123", **OFFSITE)
    other = _create(other_school, dsl, name="Wharf Road", urn="146789", **OFFSITE)
    moved = provider_update(actor=dsl, provider=first, details=replace(ProviderDetails.of(first), urn="146789"))
    assert moved.organisation == other.organisation
    assert moved.history.first().organisation_id == other.organisation_id


def test_the_migration_links_existing_entries_once_per_body(school, other_school):
    link_providers = importlib.import_module("audits.migrations.0004_provider_organisation_and_staff").link_providers
    a = ProviderFactory(school=school, urn="145123")
    b = ProviderFactory(school=other_school, urn="145123")
    c = ProviderFactory(school=school, urn="", registration=Provider.Registration.UKPRN_ONLY, ukprn="10012345")
    internal = ProviderFactory(school=school, internal=True)
    link_providers(apps, None)
    a, b, c, internal = (Provider.objects.get(pk=p.pk) for p in (a, b, c, internal))
    assert a.organisation_id == b.organisation_id != c.organisation_id
    assert c.organisation is not None and c.organisation.ukprn == "10012345" and internal.organisation is None
    assert ProviderOrganisation.objects.count() == 2


def test_the_school_morning_cut_off_defaults_to_ten(school):
    assert school.attendance_cutoff.strftime("%H:%M") == "10:00"
