"""Every back-office page and every relation picker in it is scoped to the user's schools (issue 14,
finding 3; docs/security.md#the-back-office). The test walks every registered admin, every form
field of its add and change forms and of their inlines, and compares what the office is offered
with the app's own tenancy scope (for_user), which does not go through the admin at all."""

from __future__ import annotations

import pytest
from django import forms
from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.test import RequestFactory
from django.urls import reverse

from apcase.access import school_ids_for
from apcase.admin_site import SuperuserOnlyMixin
from apcase.demo import office_group
from apcase.models import Role, School, Trust, User
from audits.models import AuditSection, ProviderOrganisation, QuestionBank
from audits.tests.factories import ProviderFactory, ProviderSiteFactory
from placements.models import AttendanceCode
from placements.tests.factories import PlacementFactory
from pupils.demo import office_group_add_pupil_permissions
from pupils.models import Contact
from pupils.tests.factories import ContactFactory, PupilFactory

# Reference data every school shares (no school of its own): the office may pick any of them.
SHARED = {AttendanceCode, QuestionBank, AuditSection, ContentType}


def in_scope(model, user):
    """What the user may reach of `model`, by the app's own rules rather than the admin's."""
    office_schools = school_ids_for(user, [Role.OFFICE])
    if model is School:
        return School.objects.filter(id__in=office_schools)
    if model is User:
        return User.objects.filter(memberships__school__in=office_schools, is_superuser=False)
    if model in SHARED:
        return model.objects.all()
    if hasattr(model.objects, "for_user"):
        return model.objects.for_user(user)
    if model is Trust:
        return Trust.objects.filter(schools__in=office_schools)
    if model is ProviderOrganisation:  # shared by the schools that use it: those of the user's schools
        return ProviderOrganisation.objects.filter(directory_entries__school__in=office_schools)
    if any(field.name == "school" for field in model._meta.get_fields()):
        return model.objects.filter(school__in=office_schools)
    return None


@pytest.fixture
def world(school, other_school, office, outsider):
    for each in (school, other_school):
        placement = PlacementFactory(pupil=PupilFactory(school=each))
        ContactFactory(pupil=placement.pupil)
        ProviderSiteFactory(provider=ProviderFactory(school=each), name="Second site", is_main=False)
    return office


def _forms(model_admin, request, obj):
    yield model_admin.get_form(request, obj)
    for inline in model_admin.get_inline_instances(request, obj):
        yield inline.get_formset(request, obj).form


def _relation_fields(form_class):
    for name, field in form_class.base_fields.items():
        if isinstance(field, forms.ModelChoiceField):
            yield name, field


REGISTERED = sorted(admin.site._registry.items(), key=lambda item: item[0]._meta.label)


@pytest.mark.parametrize(("model", "model_admin"), REGISTERED, ids=[m._meta.label for m, _ in REGISTERED])
def test_every_back_office_page_and_picker_is_scoped(model, model_admin, world):
    office = world
    request = RequestFactory().get("/admin/")
    request.user = office
    if isinstance(model_admin, SuperuserOnlyMixin):
        assert not model_admin.has_view_permission(request)
        return  # superusers only, whatever permissions a group is given
    allowed = in_scope(model, office)
    assert allowed is not None, (
        f"{model._meta.label}: no tenancy scope known; give it a for_user() or list it as shared"
    )
    listed = set(model_admin.get_queryset(request).values_list("pk", flat=True))
    assert listed <= set(allowed.values_list("pk", flat=True)), f"{model._meta.label} lists other schools' records"
    for obj in [None, model_admin.get_queryset(request).first()]:
        for form_class in _forms(model_admin, request, obj):
            for name, field in _relation_fields(form_class):
                related = field.queryset.model
                scope = in_scope(related, office)
                assert scope is not None, f"{model._meta.label}.{name}: {related._meta.label} has no known scope"
                offered = set(field.queryset.values_list("pk", flat=True))
                outside = offered - set(scope.values_list("pk", flat=True))
                assert not outside, f"{model._meta.label}.{name} offers {related._meta.label} of other schools"


def test_the_world_has_other_schools_records_to_leak(world, other_school):
    # Guards the walk above against passing on an empty database.
    assert Contact.objects.filter(pupil__school=other_school).exists()
    assert User.objects.filter(memberships__school=other_school).exists()


def test_the_office_cannot_attach_a_contact_to_another_schools_pupil(client, world, other_school, settings):
    settings.ZEAL_RAISE = False
    office = world
    office.groups.add(office_group())
    office_group_add_pupil_permissions()
    client.force_login(office)
    page = client.get(reverse("admin:pupils_contact_add"))
    offered = {value for value, _label in page.context["adminform"].form.fields["pupil"].choices if value}
    foreign = PupilFactory(school=other_school)
    assert str(foreign.pk) not in {str(v) for v in offered}
    response = client.post(
        reverse("admin:pupils_contact_add"),
        {"pupil": foreign.pk, "name": "Mr X", "relationship": "father", "priority": 1, "preferred_method": "phone"},
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not Contact.objects.filter(pupil=foreign).exists()


class TestPupilsAreNeverDeletedInTheBackOffice:
    """A pupil's record ends through retention and anonymisation, never a delete (finding 7)."""

    @pytest.fixture
    def office_client(self, client, office, settings):
        settings.ZEAL_RAISE = False
        office.groups.add(office_group())
        office_group_add_pupil_permissions()
        client.force_login(office)
        return client

    @pytest.fixture
    def contact(self, school):
        return ContactFactory(pupil=PupilFactory(school=school))

    @pytest.mark.parametrize("as_superuser", [False, True])
    def test_deleting_a_pupil_is_refused(self, office_client, admin_client, contact, as_superuser):
        client = admin_client if as_superuser else office_client
        url = reverse("admin:pupils_pupil_delete", args=[contact.pupil.pk])
        assert client.post(url, {"post": "yes"}).status_code == 403
        assert Contact.objects.filter(pk=contact.pk).exists()

    def test_deleting_a_contact_is_refused(self, office_client, contact):
        url = reverse("admin:pupils_contact_delete", args=[contact.pk])
        assert office_client.post(url, {"post": "yes"}).status_code == 403

    def test_the_pupil_list_offers_no_delete_action(self, office_client, contact):
        response = office_client.get(reverse("admin:pupils_pupil_changelist"))
        assert "delete_selected" not in response.content.decode()

    def test_a_contact_cannot_be_deleted_from_the_pupil_page(self, office_client, contact):
        from apcase.tests.admin_forms import admin_form_data, inline_prefix

        url = reverse("admin:pupils_pupil_change", args=[contact.pupil.pk])
        page = office_client.get(url)
        data = admin_form_data(page)
        data[f"{inline_prefix(page, 'contact')}-0-DELETE"] = "on"
        office_client.post(url, data)
        assert Contact.objects.filter(pk=contact.pk).exists()
