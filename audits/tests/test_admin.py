"""The question bank in the back office: published versions are locked; changes go into a copy."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from apcase.demo import office_group
from audits.models import (
    Audit,
    AuditQuestion,
    ProviderAccessEvent,
    ProviderStaff,
    QuestionBank,
    SafeguardingConfirmation,
)
from audits.tests.factories import (
    AuditFactory,
    ProviderFactory,
    ProviderOrganisationFactory,
    ProviderStaffFactory,
    SafeguardingConfirmationFactory,
)


def _section_change(section, question, text):
    """The admin change form of a section, posted with its first question rewritten."""
    data = {
        "order": section.order,
        "title": section.title,
        "questions-TOTAL_FORMS": 1,
        "questions-INITIAL_FORMS": 1,
        "questions-0-id": question.pk,
        "questions-0-section": section.pk,
        "questions-0-order": question.order,
        "questions-0-text": text,
        "questions-0-guidance": "",
    }
    return reverse("admin:audits_auditsection_change", args=[section.pk]), data


@pytest.fixture
def version_1(db):
    return QuestionBank.objects.get(version=1)


def test_a_published_version_in_use_cannot_be_edited(admin_client, version_1, school):
    audit = AuditFactory(provider__school=school)
    section = version_1.sections.get(order=1)
    question = section.questions.get(order=1)
    response = admin_client.post(*_section_change(section, question, "Rewritten question"))
    assert response.status_code == 403
    page = admin_client.get(reverse("admin:audits_auditsection_change", args=[section.pk])).content.decode()
    assert 'name="_save"' not in page
    question.refresh_from_db()
    assert question.text == "How did Ofsted judge safeguarding in the last report?"
    assert audit.answers.get(question=question).question.text == question.text


def test_copying_a_version_gives_an_editable_draft_that_is_published_on_request(admin_client, version_1, school):
    audit = AuditFactory(provider__school=school)
    changelist = reverse("admin:audits_questionbank_changelist")
    admin_client.post(changelist, {"action": "copy_to_new_version", "_selected_action": [version_1.pk]})
    version_2 = QuestionBank.objects.get(version=2)
    assert not version_2.is_published
    section = version_2.sections.get(order=1)
    question = section.questions.get(order=1)
    response = admin_client.post(
        *_section_change(section, question, "Is safeguarding met in the latest Ofsted report card?")
    )
    assert response.status_code == 302
    admin_client.post(changelist, {"action": "publish", "_selected_action": [version_2.pk]})
    version_2.refresh_from_db()
    assert version_2.is_published
    newer = AuditFactory(provider=ProviderFactory(school=school))
    assert newer.answers.filter(question__text__startswith="Is safeguarding met").exists()
    assert audit.answers.filter(question__text="How did Ofsted judge safeguarding in the last report?").exists()
    assert AuditQuestion.objects.filter(section__bank=version_1, text__startswith="Is safeguarding").count() == 0


def test_the_office_sees_its_providers_read_only(client_for, office, school, other_school):
    group = office_group()
    group.permissions.add(*Permission.objects.filter(content_type__app_label="audits", codename="view_provider"))
    office.groups.add(group)
    mine = ProviderFactory(school=school, name="Littleton Green")
    ProviderFactory(school=other_school, name="Wharf Road")
    client = client_for(office)
    html = client.get(reverse("admin:audits_provider_changelist")).content.decode()
    assert "Littleton Green" in html and "Wharf Road" not in html
    page = client.get(reverse("admin:audits_provider_change", args=[mine.pk])).content.decode()
    assert 'name="_save"' not in page
    assert client.get(reverse("admin:audits_audit_changelist")).status_code == 403


class TestProviderBodiesAndPortalStaff:
    """Least privilege for the provider bodies (shared between schools) and their portal staff."""

    @pytest.fixture
    def office_client(self, client_for, office, settings):
        settings.ZEAL_RAISE = False
        office.groups.add(office_group())
        office_group().permissions.add(
            *Permission.objects.filter(content_type__app_label="audits", codename__in=["view_providerorganisation"])
        )
        return client_for(office)

    @pytest.fixture
    def bodies(self, school, other_school):
        ours = ProviderFactory(school=school, organisation=ProviderOrganisationFactory(name="Littleton Green"))
        theirs = ProviderFactory(school=other_school, organisation=ProviderOrganisationFactory(name="Wharf Road"))
        return ours.organisation, theirs.organisation

    def test_the_office_sees_its_schools_provider_bodies_and_changes_none(self, office_client, bodies):
        ours, theirs = bodies
        html = office_client.get(reverse("admin:audits_providerorganisation_changelist")).content.decode()
        assert "Littleton Green" in html and "Wharf Road" not in html
        change = reverse("admin:audits_providerorganisation_change", args=[ours.pk])
        assert 'name="_save"' not in office_client.get(change).content.decode()
        office_client.post(change, {"name": "Renamed by the office"})
        ours.refresh_from_db()
        assert ours.name == "Littleton Green"
        other = reverse("admin:audits_providerorganisation_change", args=[theirs.pk])
        assert office_client.get(other).status_code in (302, 404)  # not in scope: back to the index
        assert office_client.get(reverse("admin:audits_providerorganisation_add")).status_code == 403

    def test_portal_staff_are_not_the_offices(self, office_client, bodies):
        staff = ProviderStaffFactory(organisation=bodies[0])
        assert office_client.get(reverse("admin:audits_providerstaff_changelist")).status_code == 403
        assert office_client.get(reverse("admin:audits_providerstaff_change", args=[staff.pk])).status_code == 403

    def test_portal_staff_are_read_only_even_for_a_superuser_with_their_access_log(self, admin_client, bodies):
        staff = ProviderStaffFactory(organisation=bodies[0], status=ProviderStaff.Status.ACTIVE)
        ProviderAccessEvent.objects.create(staff=staff, kind=ProviderAccessEvent.Kind.SIGNED_IN)
        change = reverse("admin:audits_providerstaff_change", args=[staff.pk])
        page = admin_client.get(change).content.decode()
        assert "Signed in" in page and 'name="_save"' not in page
        admin_client.post(change, {"status": ProviderStaff.Status.REMOVED})
        staff.refresh_from_db()
        assert staff.status == ProviderStaff.Status.ACTIVE
        assert admin_client.get(reverse("admin:audits_providerstaff_add")).status_code == 403


def test_a_signed_off_audit_and_a_kcsie_confirmation_are_not_deleted_in_the_back_office(admin_client, school):
    """They change only through their services (the evidence a provider was cleared); even a
    superuser reads them there and cannot remove them."""
    audit = AuditFactory(provider__school=school)
    confirmation = SafeguardingConfirmationFactory(provider__school=school)
    for url in (
        reverse("admin:audits_audit_delete", args=[audit.pk]),
        reverse("admin:audits_safeguardingconfirmation_delete", args=[confirmation.pk]),
    ):
        assert admin_client.post(url, {"post": "yes"}).status_code == 403
    assert Audit.objects.filter(pk=audit.pk).exists()
    assert SafeguardingConfirmation.objects.filter(pk=confirmation.pk).exists()
