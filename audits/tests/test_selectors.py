"""Cleared for placements: each missing piece on its own, and the directory's and DSL's lists."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from audits.models import Audit
from audits.selectors import (
    audits_expiring,
    confirmations_expiring,
    further_actions_open,
    provider_clearance,
    provider_list_with_clearance,
)
from audits.tests.conftest import TODAY
from audits.tests.factories import (
    AuditFactory,
    ProviderFactory,
    ProviderSiteFactory,
    SafeguardingConfirmationFactory,
    cleared_provider,
    completed_audit,
    further_action,
)

pytestmark = pytest.mark.usefixtures("today")


def _missing(provider) -> list[str]:
    return provider_clearance(provider).missing


class TestOffSiteClearance:
    def test_a_provider_with_every_check_is_cleared(self, school, dsl):
        clearance = provider_clearance(cleared_provider(school, dsl))
        assert clearance.cleared and clearance.missing == []
        assert [item.label for item in clearance.items] == [
            "Registration checked",
            "Safeguarding confirmation",
            "Audit judged suitable",
            "No overdue blocking actions",
        ]

    def test_it_is_not_cleared_until_registration_is_checked(self, school, dsl):
        provider = cleared_provider(school, dsl)
        provider.registration_checked_on = None
        provider.save()
        clearance = provider_clearance(provider)
        assert not clearance.cleared
        assert clearance.missing == ["Registration has not been checked."]

    def test_it_is_not_cleared_without_a_confirmation(self, school, dsl):
        provider = cleared_provider(school, dsl)
        provider.confirmations.all().delete()
        assert _missing(provider) == ["No signed safeguarding confirmation has been recorded."]

    def test_it_is_not_cleared_once_the_confirmation_has_expired(self, school, dsl):
        provider = cleared_provider(school, dsl)
        provider.confirmations.update(signed_on=date(2025, 9, 3), expires_on=date(2026, 9, 3))
        assert _missing(provider) == [
            "No signed safeguarding confirmation within its 12-month validity (the last one expired on 03/09/2026)."
        ]

    def test_the_validity_message_follows_the_schools_setting(self, school, dsl):
        school.confirmation_validity_months = 6
        school.save()
        provider = cleared_provider(school, dsl)
        provider.confirmations.update(signed_on=date(2026, 3, 1), expires_on=date(2026, 9, 1))
        assert "within its 6-month validity (the last one expired on 01/09/2026)" in _missing(provider)[0]

    def test_a_confirmation_missing_a_check_does_not_clear_it(self, school, dsl):
        provider = cleared_provider(school, dsl)
        provider.confirmations.update(barred_list=False, prohibition=False)
        assert _missing(provider) == [
            "The safeguarding confirmation signed on 24/10/2026 does not confirm: children's barred list check; "
            "prohibition from teaching check for staff who teach."
        ]

    def test_it_is_not_cleared_without_a_completed_audit(self, school, dsl):
        provider = cleared_provider(school, dsl)
        provider.audits.update(status=Audit.Status.DRAFT)
        assert _missing(provider) == ["No audit has been completed. An audit (visit on 13/11/2026) is in draft."]

    def test_it_is_not_cleared_when_the_last_audit_found_it_unsuitable(self, school, dsl):
        provider = cleared_provider(school, dsl)
        completed_audit(provider, dsl, visit_date=date(2026, 11, 20), suitable=False)
        assert _missing(provider) == ["The last audit (visit on 20/11/2026) judged the provider not suitable."]

    def test_it_is_not_cleared_when_the_audit_is_more_than_12_months_old(self, school, dsl):
        provider = ProviderFactory(school=school, registration_checked_on=TODAY, registration_checked_by=dsl)
        SafeguardingConfirmationFactory(provider=provider)
        completed_audit(provider, dsl, visit_date=date(2025, 11, 23))
        assert _missing(provider) == [
            "No completed audit judged suitable within the last 12 months "
            "(the last one, visit on 23/11/2025, expired on 23/11/2026)."
        ]

    def test_an_audit_of_exactly_a_year_less_a_day_still_counts(self, school, dsl):
        provider = ProviderFactory(school=school, registration_checked_on=TODAY, registration_checked_by=dsl)
        SafeguardingConfirmationFactory(provider=provider)
        completed_audit(provider, dsl, visit_date=date(2025, 11, 24))
        assert provider_clearance(provider).cleared

    def test_an_overdue_blocking_action_stops_it(self, school, dsl):
        provider = cleared_provider(school, dsl)
        audit = provider.audits.get()
        further_action(audit, dsl, due_on=date(2026, 11, 14), blocking=True)
        assert _missing(provider) == [
            "1 blocking further action is overdue: See the new tutors' DBS certificates (due 14/11/2026)."
        ]

    @pytest.mark.parametrize(
        ("due_on", "blocking", "done"),
        [(date(2026, 11, 23), True, False), (date(2026, 11, 1), False, False), (date(2026, 11, 1), True, True)],
        ids=["due-today", "not-blocking", "done"],
    )
    def test_an_action_that_is_not_overdue_blocking_and_open_does_not_stop_it(
        self, school, dsl, due_on, blocking, done
    ):
        provider = cleared_provider(school, dsl)
        action = further_action(provider.audits.get(), dsl, due_on=due_on, blocking=blocking)
        if done:
            action.done_on = TODAY
            action.save()
        assert provider_clearance(provider).cleared

    def test_an_inactive_provider_is_not_cleared(self, school, dsl):
        provider = cleared_provider(school, dsl, is_active=False)
        assert _missing(provider) == ["The provider is marked as no longer used by the school."]


class TestInternalClearance:
    def test_a_complete_internal_provision_is_cleared_on_its_lighter_checklist(self, school):
        clearance = provider_clearance(ProviderFactory(school=school, internal=True))
        assert clearance.cleared
        assert [item.label for item in clearance.items] == [
            "Lead member of staff named",
            "Safeguarding policy applies",
            "Staff training recorded",
            "Reintegration approach recorded",
            "Risk assessment",
        ]

    @pytest.mark.parametrize(
        ("fields", "missing"),
        [
            ({"lead_staff_name": ""}, "No lead member of staff is named."),
            (
                {"safeguarding_policy_applies": False},
                "It is not recorded that the school's child protection and safeguarding policy applies in full.",
            ),
            ({"staff_training": ""}, "The training of the provision's staff is not recorded."),
            ({"reintegration_approach": " "}, "How pupils return to class is not recorded."),
            ({"risk_assessment_on": None}, "No risk assessment of the space is recorded."),
            (
                {"risk_assessment_on": date(2025, 11, 23)},
                "The risk assessment of the space is out of date (done on 23/11/2025, due by 23/11/2026).",
            ),
        ],
    )
    def test_each_missing_piece_is_named(self, school, fields, missing):
        assert _missing(ProviderFactory(school=school, internal=True, **fields)) == [missing]


class TestDirectory:
    def test_it_lists_only_the_users_school_and_filters(self, school, other_school, dsl):
        cleared_provider(school, dsl, name="Littleton Green")
        ProviderFactory(school=school, name="Greenway Care Farm", contact_name="Priya Shah")
        ProviderFactory(school=school, name="Rockets class", internal=True)
        ProviderFactory(school=other_school, name="Wharf Road")
        names = [row.provider.name for row in provider_list_with_clearance(dsl)]
        assert names == ["Greenway Care Farm", "Littleton Green", "Rockets class"]
        cleared = [r.provider.name for r in provider_list_with_clearance(dsl, cleared=True)]
        assert cleared == ["Littleton Green", "Rockets class"]
        assert [r.provider.name for r in provider_list_with_clearance(dsl, cleared=False)] == ["Greenway Care Farm"]
        assert [r.provider.name for r in provider_list_with_clearance(dsl, search="priya")] == ["Greenway Care Farm"]
        assert [r.provider.name for r in provider_list_with_clearance(dsl, kind="internal")] == ["Rockets class"]

    def test_it_finds_a_provider_by_postcode(self, school, dsl):
        ProviderSiteFactory(provider__school=school, provider__name="Canal Side", postcode="ST99 8SS")
        ProviderSiteFactory(provider__school=school, postcode="WS99 4LG", name="Forest school")
        assert [r.provider.name for r in provider_list_with_clearance(dsl, search="st99 8")] == ["Canal Side"]

    def test_inactive_providers_are_left_out_unless_asked_for(self, school, dsl):
        ProviderFactory(school=school, is_active=False)
        assert provider_list_with_clearance(dsl) == []
        assert len(provider_list_with_clearance(dsl, include_inactive=True)) == 1

    def test_teachers_and_governors_see_no_providers(self, school, teacher, governor):
        ProviderFactory(school=school)
        assert provider_list_with_clearance(teacher) == []
        assert provider_list_with_clearance(governor) == []

    def test_clearance_of_thirty_providers_costs_a_fixed_number_of_queries(
        self, school, dsl, django_assert_num_queries
    ):
        for index in range(30):
            provider = cleared_provider(school, dsl, name=f"Provider {index:02d}")
            further_action(provider.audits.get(), dsl, due_on=date(2026, 11, 1), blocking=index % 2 == 0)
        with django_assert_num_queries(6):
            rows = provider_list_with_clearance(dsl)
        with django_assert_num_queries(4):  # without the main sites (the DSL's dashboard); roles read once
            provider_list_with_clearance(dsl, with_main_site=False)
        assert len(rows) == 30
        assert sum(row.clearance.cleared for row in rows) == 15
        assert len(rows[0].clearance.missing) == 1


class TestDslQueue:
    def test_confirmations_expiring_within_30_days_are_listed_once_per_provider(self, school, dsl, other_school):
        soon = SafeguardingConfirmationFactory(
            provider__school=school, signed_on=date(2025, 12, 10), expires_on=date(2026, 12, 10)
        )
        renewed = ProviderFactory(school=school)
        SafeguardingConfirmationFactory(provider=renewed, signed_on=date(2025, 12, 1), expires_on=date(2026, 12, 1))
        SafeguardingConfirmationFactory(provider=renewed, signed_on=date(2026, 11, 1), expires_on=date(2027, 11, 1))
        SafeguardingConfirmationFactory(
            provider__school=school, signed_on=date(2026, 1, 1), expires_on=date(2027, 1, 1)
        )
        SafeguardingConfirmationFactory(provider__school=other_school, expires_on=date(2026, 12, 1))
        assert list(confirmations_expiring(user=dsl)) == [soon]
        # The directory's rows say the same, in the rows' own query (the DSL dashboard's tile).
        assert [row.provider for row in provider_list_with_clearance(dsl) if row.renewal_due] == [soon.provider]

    def test_audits_due_again_within_30_days_are_listed(self, school, dsl):
        due = completed_audit(ProviderFactory(school=school), dsl, visit_date=date(2025, 12, 1))
        completed_audit(ProviderFactory(school=school), dsl, visit_date=date(2026, 6, 1))
        reaudited = ProviderFactory(school=school)
        completed_audit(reaudited, dsl, visit_date=date(2025, 12, 2))
        completed_audit(reaudited, dsl, visit_date=date(2026, 11, 20))
        assert list(audits_expiring(user=dsl)) == [due]
        assert [row.provider for row in provider_list_with_clearance(dsl) if row.renewal_due] == [due.provider]
        assert [row.provider for row in provider_list_with_clearance(dsl, renewal_due=True)] == [due.provider]

    def test_open_actions_of_signed_off_audits_are_queued_soonest_first(self, school, dsl, teacher):
        audit = completed_audit(ProviderFactory(school=school), dsl)
        later = further_action(audit, dsl, due_on=date(2026, 12, 20), number=1)
        sooner = further_action(audit, dsl, due_on=date(2026, 11, 30), number=2)
        done = further_action(audit, dsl, due_on=date(2026, 11, 1), number=3)
        done.done_on = TODAY
        done.save()
        draft = AuditFactory(provider__school=school)
        further_action(draft, dsl, due_on=date(2026, 11, 1))
        assert list(further_actions_open(user=dsl)) == [sooner, later]
        assert list(further_actions_open(user=teacher)) == []
        assert timedelta(0) < later.due_on - sooner.due_on
