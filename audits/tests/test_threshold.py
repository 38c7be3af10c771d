from __future__ import annotations

import pytest

from audits import threshold
from audits.models import Provider
from audits.tests.factories import ProviderFactory
from audits.threshold import provider_threshold_warning, register_placement_counter, registration_threshold_warning


@pytest.fixture
def no_counter(monkeypatch):
    """Each test starts without a registered counter and leaves none behind."""
    monkeypatch.setattr(threshold, "_placement_counter", None)


def _warning(provider, pupils, lac_or_ehcp):
    return registration_threshold_warning(provider=provider, full_time_pupils=pupils, full_time_lac_or_ehcp=lac_or_ehcp)


def test_four_full_time_pupils_at_an_unregistered_provider_need_no_warning():
    assert _warning(ProviderFactory.build(unregistered=True), 4, 0) is None


def test_five_full_time_pupils_at_an_unregistered_provider_must_be_warned_about():
    provider = ProviderFactory.build(name="Stepping Stones Tuition", unregistered=True)
    warning = _warning(provider, 5, 0)
    assert warning.startswith("Stepping Stones Tuition must be registered as a school")
    assert "5 full-time pupils of compulsory school age (five or more)" in warning
    assert "The count is of every school using apcase that places there (numbers only" in warning


def test_no_looked_after_or_ehcp_pupil_needs_no_warning():
    assert _warning(ProviderFactory.build(unregistered=True), 1, 0) is None


def test_one_full_time_pupil_who_is_looked_after_or_has_an_ehc_plan_must_be_warned_about():
    warning = _warning(ProviderFactory.build(unregistered=True), 1, 1)
    assert "1 full-time pupil who is looked after or has an EHC plan" in warning
    several = _warning(ProviderFactory.build(unregistered=True), 2, 2)
    assert "2 full-time pupils who are looked after or have an EHC plan" in several


def test_a_provider_with_only_a_ukprn_is_not_a_registered_school():
    provider = ProviderFactory.build(registration=Provider.Registration.UKPRN_ONLY, ukprn="10087654")
    assert _warning(provider, 5, 0) is not None


@pytest.mark.parametrize("fields", [{}, {"internal": True}])
def test_a_registered_school_or_an_internal_provision_never_needs_the_warning(fields):
    assert _warning(ProviderFactory.build(**fields), 12, 3) is None


def test_without_a_registered_counter_there_is_no_count_based_warning(no_counter):
    assert provider_threshold_warning(ProviderFactory.build(unregistered=True)) is None


def test_the_registered_counter_supplies_the_numbers(no_counter):
    counted = []

    @register_placement_counter
    def count(provider):
        counted.append(provider.name)
        return 6, 0

    provider = ProviderFactory.build(name="Greenway Care Farm", unregistered=True)
    warning = provider_threshold_warning(provider)
    assert warning is not None and "6 full-time pupils" in warning
    assert counted == ["Greenway Care Farm"]
