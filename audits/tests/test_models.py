from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from audits.models import Provider, add_months
from audits.tests.factories import ProviderFactory, SafeguardingConfirmationFactory


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (date(2025, 9, 3), 12, date(2026, 9, 3)),
        (date(2026, 1, 31), 1, date(2026, 2, 28)),
        (date(2024, 2, 29), 12, date(2025, 2, 28)),
        (date(2026, 11, 23), -12, date(2025, 11, 23)),
        (date(2026, 10, 15), 6, date(2027, 4, 15)),
    ],
)
def test_add_months_keeps_the_day_or_takes_the_last_of_the_month(start, months, expected):
    assert add_months(start, months) == expected


def _clean(**fields):
    ProviderFactory.build(school=None, **fields).clean()


class TestProviderRegistration:
    def test_a_registered_school_needs_its_urn(self):
        with pytest.raises(ValidationError) as error:
            _clean(registration=Provider.Registration.REGISTERED_SCHOOL, urn="")
        assert error.value.message_dict == {"urn": ["Give the URN of a registered school."]}

    def test_a_provider_with_a_ukprn_only_needs_the_ukprn(self):
        with pytest.raises(ValidationError) as error:
            _clean(registration=Provider.Registration.UKPRN_ONLY, urn="", ukprn="")
        assert "ukprn" in error.value.message_dict

    def test_an_unregistered_provider_needs_its_setting_type(self):
        with pytest.raises(ValidationError) as error:
            _clean(registration=Provider.Registration.UNREGISTERED, urn="", setting_type="")
        assert "setting_type" in error.value.message_dict

    def test_an_off_site_provider_must_say_how_it_is_registered(self):
        with pytest.raises(ValidationError) as error:
            _clean(registration="", urn="")
        assert "registration" in error.value.message_dict

    def test_an_internal_provision_has_no_registration(self):
        _clean(kind=Provider.Kind.INTERNAL, registration="", urn="")

    @pytest.mark.parametrize("ukprn", ["1008765", "20087654", "1008765X", "100876543"])
    def test_it_refuses_a_ukprn_that_is_not_eight_digits_starting_with_1(self, ukprn, school):
        provider = ProviderFactory.build(
            school=school, registration=Provider.Registration.UKPRN_ONLY, urn="", ukprn=ukprn
        )
        with pytest.raises(ValidationError) as error:
            provider.full_clean()
        assert "A UKPRN is eight digits starting with 1, for example 10012345." in error.value.message_dict["ukprn"]

    def test_it_accepts_a_real_looking_ukprn_and_urn(self, school):
        ProviderFactory.build(
            school=school, registration=Provider.Registration.UKPRN_ONLY, ukprn="10087654"
        ).full_clean()
        ProviderFactory.build(school=school, urn="145123").full_clean()

    def test_it_says_how_a_provider_is_registered(self):
        assert ProviderFactory.build(urn="145123").registration_summary == "Registered school, URN 145123"
        unregistered = ProviderFactory.build(unregistered=True)
        assert unregistered.registration_summary == "Unregistered (one-to-one tuition)"
        unregistered.setting_type = Provider.SettingType.OTHER_UNREGISTERED
        assert unregistered.registration_summary == "Unregistered provider"

    def test_ages_and_agreement_dates_must_run_forwards(self):
        with pytest.raises(ValidationError) as error:
            _clean(age_from=11, age_to=5, agreement_starts_on=date(2026, 9, 1), agreement_ends_on=date(2026, 8, 31))
        assert set(error.value.message_dict) == {"age_to", "agreement_ends_on"}


class TestSafeguardingConfirmation:
    def test_it_is_valid_from_signing_until_the_day_it_expires(self, school):
        confirmation = SafeguardingConfirmationFactory(
            provider__school=school, signed_on=date(2025, 9, 3), expires_on=date(2026, 9, 3)
        )
        assert not confirmation.is_valid_on(date(2025, 9, 2))
        assert confirmation.is_valid_on(date(2025, 9, 3))
        assert confirmation.is_valid_on(date(2026, 9, 2))
        assert not confirmation.is_valid_on(date(2026, 9, 3))

    def test_a_confirmation_missing_a_check_is_never_valid(self, school):
        confirmation = SafeguardingConfirmationFactory(provider__school=school, barred_list=False)
        assert confirmation.missing_checks == ["Children's barred list check"]
        assert not confirmation.is_valid_on(confirmation.signed_on)


def test_only_an_internal_provision_can_be_a_short_term_iap():
    _clean(internal=True, short_term_iap=True)
    with pytest.raises(ValidationError) as error:
        _clean(short_term_iap=True)
    assert error.value.message_dict == {
        "short_term_iap": ["Only an internal provision on the school site can be an IAP."]
    }
