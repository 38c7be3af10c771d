"""Provider checks done once: a KCSIE confirmation or audit one school of a trust made is visible to
the trust's other schools (who, when, expiry), and a school may rely on it for its own clearance,
recording that it did (docs/oversight.md)."""

from __future__ import annotations

from datetime import date, datetime

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from apcase.models import Role, School
from apcase.tests.factories import MembershipFactory, SchoolFactory
from audits.models import CheckReliance
from audits.selectors import provider_clearance, trust_checks
from audits.services import check_rely
from audits.tests.factories import (
    ProviderFactory,
    ProviderOrganisationFactory,
    SafeguardingConfirmationFactory,
    completed_audit,
)

pytestmark = pytest.mark.django_db
TODAY = date(2026, 11, 23)


@pytest.fixture(autouse=True)
def _monday():
    with time_machine.travel(timezone.make_aware(datetime(2026, 11, 23, 10, 0)), tick=False):
        yield


@pytest.fixture
def shared(trustlead, school, dsl):
    """Littleton Green in both schools' directories; the other school of the trust has checked it
    (a confirmation and an audit), school A has only checked its registration."""
    trust = School.objects.get(pk=school.pk).trust
    hillside = SchoolFactory(name="Hillside Primary", trust=trust)
    hillside_dsl = MembershipFactory(school=hillside, role=Role.DSL).user
    organisation = ProviderOrganisationFactory(name="Littleton Green")
    theirs = ProviderFactory(school=hillside, organisation=organisation, name="Littleton Green")
    ours = ProviderFactory(
        school=school,
        organisation=organisation,
        name="Littleton Green",
        registration_checked_on=TODAY,
        registration_checked_by=dsl,
    )
    confirmation = SafeguardingConfirmationFactory(
        provider=theirs, signed_on=date(2026, 10, 1), expires_on=date(2027, 10, 1)
    )
    audit = completed_audit(theirs, hillside_dsl, visit_date=date(2026, 10, 8))
    return ours, confirmation, audit


def test_the_other_school_s_checks_are_shown_with_who_when_and_expiry(shared, dsl, client_for):
    ours, confirmation, audit = shared
    checks = trust_checks(ours, on=TODAY)
    assert [(c.kind, c.school.name, c.made_on, c.expires_on) for c in checks] == [
        ("Audit", "Hillside Primary", date(2026, 10, 8), audit.expires_on),
        ("KCSIE confirmation", "Hillside Primary", date(2026, 10, 1), date(2027, 10, 1)),
    ]
    page = client_for(dsl).get(reverse("providers:detail", args=[ours.public_id])).content.decode()
    assert "Checks by the trust's other schools" in page and "Rely on this check for our clearance" in page


def test_relying_on_them_clears_our_entry_and_records_who_decided(shared, dsl, client_for):
    ours, confirmation, audit = shared
    assert not provider_clearance(ours, on=TODAY).cleared
    client = client_for(dsl)
    for check in (confirmation, audit):
        response = client.post(reverse("providers:rely_on_check", args=[ours.public_id]), {"check": check.public_id})
        assert response.status_code == 302
    clearance = provider_clearance(ours, on=TODAY)
    assert clearance.cleared
    details = " ".join(item.detail for item in clearance.items)
    assert details.count("Relied on Hillside Primary's check.") == 2
    reliance = CheckReliance.objects.get(confirmation=confirmation)
    assert reliance.recorded_by == dsl and reliance.provider == ours
    page = client.get(reverse("providers:detail", args=[ours.public_id])).content.decode()
    assert "Relied on since 23/11/2026" in page


def test_once_per_check_and_only_a_check_on_offer(shared, dsl, school):
    ours, confirmation, _audit = shared
    check_rely(actor=dsl, provider=ours, check_id=confirmation.public_id)
    with pytest.raises(ValidationError, match="already relies on this check"):
        check_rely(actor=dsl, provider=ours, check_id=confirmation.public_id)
    own = SafeguardingConfirmationFactory(provider=ours)
    with pytest.raises(ValidationError, match="not a current check of this provider by another school"):
        check_rely(actor=dsl, provider=ours, check_id=own.public_id)


def test_only_a_signatory_decides(shared, sendco):
    ours, confirmation, _audit = shared
    with pytest.raises(PermissionDenied):
        check_rely(actor=sendco, provider=ours, check_id=confirmation.public_id)


def test_a_school_outside_the_trust_sees_none(shared, other_school):
    ours, confirmation, _audit = shared
    outside = ProviderFactory(school=other_school, organisation=ours.organisation, name="Littleton Green")
    assert trust_checks(outside, on=TODAY) == []


def test_an_expired_check_is_not_offered(shared):
    ours, confirmation, _audit = shared
    with time_machine.travel(timezone.make_aware(datetime(2027, 10, 2, 10, 0)), tick=False):
        assert "KCSIE confirmation" not in [c.kind for c in trust_checks(ours, on=date(2027, 10, 2))]
