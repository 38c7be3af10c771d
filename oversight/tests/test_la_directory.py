"""/la/providers/: every provider the LA's schools list, each school's clearance of it, the threshold's
counts (no names) and the LA's own quality-assurance visits, which schools read on their provider page."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from apcase.models import LocalAuthorityOfficer
from apcase.tests.factories import LocalAuthorityFactory, SchoolFactory, UserFactory
from audits.models import LAQualityVisit
from audits.tests.factories import ProviderFactory, ProviderOrganisationFactory, cleared_provider
from placements.models import Placement
from placements.tests.factories import PlacementFactory

pytestmark = pytest.mark.django_db
TODAY = date(2026, 11, 23)
VISIT = {
    "visited_on": "18/11/2026",
    "visitor": "Sam Okafor, AP officer",
    "judgement": "actions",
    "summary": "Strong safeguarding; attendance follow-up to be written down by January.",
    "next_visit_due": "18/05/2027",
}


@pytest.fixture(autouse=True)
def _monday():
    with time_machine.travel(timezone.make_aware(datetime(2026, 11, 23, 10, 0)), tick=False):
        yield


@pytest.fixture
def littleton():
    return ProviderOrganisationFactory(name="Littleton Green")


@pytest.fixture
def entries(school, dsl, littleton):
    """Littleton Green in three schools' directories: cleared, expiring, not cleared."""
    cleared = cleared_provider(school, dsl, name="Littleton Green", organisation=littleton)
    expiring = cleared_provider(SchoolFactory(name="Hillside Primary"), dsl, organisation=littleton)
    expiring.confirmations.update(expires_on=TODAY + timedelta(days=10))
    missing = ProviderFactory(school=SchoolFactory(name="Meadow Academy"), organisation=littleton)
    return cleared, expiring, missing


def _running_at(provider) -> Placement:
    site = provider.sites.get()
    return PlacementFactory(pupil__school=provider.school, provider=provider, site=site, status=Placement.Status.ACTIVE)


def _other_officer():
    user = UserFactory(username="telford")
    LocalAuthorityOfficer.objects.create(user=user, local_authority=LocalAuthorityFactory(code="894", name="Telford"))
    return user


class TestTheDirectory:
    def test_each_school_s_clearance_and_the_counts_without_names(self, laofficer, entries, littleton, client_for):
        cleared, _expiring, _missing = entries
        placement = _running_at(cleared)
        client = client_for(laofficer)
        page = client.get(reverse("oversight:la_providers")).content.decode()
        assert "Littleton Green" in page and "1 / 1 / 1" in page
        detail = " ".join(
            client.get(reverse("oversight:la_provider", args=[littleton.public_id])).content.decode().split()
        )
        for name, status in (
            ("Oakfield Primary School", 'success">Cleared'),
            ("Hillside Primary", 'warning">Expiring'),
            ("Meadow Academy", 'danger">Not cleared'),
        ):
            assert f'<strong>{name}</strong> <span class="badge text-bg-{status}</span>' in detail
        assert "Within 30 days" in detail  # what will lapse at Hillside
        assert "placed here by any school: <strong>1</strong>" in detail
        assert placement.pupil.full_name not in detail and placement.pupil.first_name not in detail

    def test_a_provider_of_another_authority_s_schools_is_not_there(self, laofficer, client_for, dsl):
        theirs = ProviderOrganisationFactory(name="Wharf Road")
        other_la = LocalAuthorityFactory(code="894", name="Telford")
        ProviderFactory(school=SchoolFactory(local_authority=other_la, la_code="894"), organisation=theirs)
        client = client_for(laofficer)
        assert "Wharf Road" not in client.get(reverse("oversight:la_providers")).content.decode()
        assert client.get(reverse("oversight:la_provider", args=[theirs.public_id])).status_code == 404

    def test_school_staff_have_no_directory_of_the_la(self, sendco, entries, littleton, client_for):
        client = client_for(sendco)
        assert client.get(reverse("oversight:la_providers")).status_code == 403
        assert client.get(reverse("oversight:la_provider", args=[littleton.public_id])).status_code == 404

    def test_the_queries_do_not_grow_with_the_schools(self, laofficer, entries, littleton, dsl, client_for):
        client = client_for(laofficer)
        client.get(reverse("oversight:la_providers"))  # the session's first request loads more
        counts = []
        for more in (1, 5):
            for _ in range(more):
                provider = cleared_provider(SchoolFactory(), dsl, organisation=littleton)
                _running_at(provider)
                ProviderFactory(school=provider.school, organisation=ProviderOrganisationFactory())
            for url in (
                reverse("oversight:la_providers"),
                reverse("oversight:la_provider", args=[littleton.public_id]),
            ):
                with CaptureQueriesContext(connection) as queries:
                    assert client.get(url).status_code == 200
                counts.append(len(queries))
        assert counts[:2] == counts[2:], counts


class TestQualityAssuranceVisits:
    def test_the_officer_records_one_and_the_schools_read_it(self, laofficer, sendco, entries, littleton, client_for):
        cleared = entries[0]
        client = client_for(laofficer)
        response = client.post(reverse("oversight:la_visit_new", args=[littleton.public_id]), VISIT)
        assert response.status_code == 302
        visit = LAQualityVisit.objects.get()
        assert (visit.local_authority, visit.recorded_by, visit.history.count()) == (
            laofficer.la_officer.local_authority,
            laofficer,
            1,
        )
        directory = client.get(reverse("oversight:la_providers")).content.decode()
        assert "18 November 2026: Meets them with actions agreed" in directory
        school_page = client_for(sendco).get(reverse("providers:detail", args=[cleared.public_id])).content.decode()
        assert (
            "Strong safeguarding; attendance follow-up" in school_page and "Next visit due 18 May 2027" in school_page
        )

    def test_another_authority_s_officer_cannot_record_one(self, entries, littleton, client_for):
        response = client_for(_other_officer()).post(
            reverse("oversight:la_visit_new", args=[littleton.public_id]), VISIT
        )
        assert response.status_code == 404
        assert not LAQualityVisit.objects.exists()

    def test_the_outcome_offers_only_the_three_judgements(self, laofficer, entries, littleton, client_for):
        url = reverse("oversight:la_visit_new", args=[littleton.public_id])
        page = client_for(laofficer).get(url).content.decode()
        assert "---------" not in page and page.count('name="judgement"') == len(LAQualityVisit.Judgement.choices)

    def test_every_mistake_is_shown_at_once(self, laofficer, entries, littleton, client_for):
        url = reverse("oversight:la_visit_new", args=[littleton.public_id])
        form = (
            client_for(laofficer)
            .post(url, {"visited_on": "18/11/2026", "next_visit_due": "01/11/2026"})
            .context["form"]
        )
        assert set(form.errors) == {"visitor", "judgement", "summary", "next_visit_due"}
        form = client_for(laofficer).post(url, {**VISIT, "next_visit_due": "01/11/2026"}).context["form"]
        assert "next_visit_due" in form.errors
        form = (
            client_for(laofficer).post(url, {**VISIT, "visited_on": "30/11/2026", "next_visit_due": ""}).context["form"]
        )
        assert "visited_on" in form.errors
