"""The back office shows office staff their own schools only, and never grants back-office powers."""

from __future__ import annotations

from django.urls import reverse

from apcase.demo import office_group
from apcase.models import Closure


def test_the_office_sees_only_its_schools_term_dates(client_for, office, school, other_school):
    office.groups.add(office_group())
    html = client_for(office).get(reverse("admin:apcase_academicyear_changelist")).content.decode()
    assert school.name in html
    assert other_school.name not in html


def test_another_schools_closure_is_not_found_in_the_back_office(client_for, office, other_school):
    office.groups.add(office_group())
    closure = Closure.objects.filter(school=other_school).first()
    assert closure is not None
    response = client_for(office).get(reverse("admin:apcase_closure_change", args=[closure.pk]))
    assert response.status_code == 302  # Django admin redirects a missing object to the index


def test_office_staff_cannot_make_anyone_a_superuser(client_for, office, teacher):
    office.groups.add(office_group())
    html = client_for(office).get(reverse("admin:apcase_user_change", args=[teacher.pk])).content.decode()
    assert 'name="is_superuser"' not in html


def test_staff_without_the_back_office_see_a_403_not_a_login_form(client_for, sendco):
    response = client_for(sendco).get(reverse("admin:login"))
    assert response.status_code == 403


def test_the_access_log_exports_as_csv_for_admins(admin_client, school, sendco):
    from django.contrib.contenttypes.models import ContentType

    from apcase.models import RecordAccess

    RecordAccess.objects.create(
        user=sendco,
        school=school,
        content_type=ContentType.objects.get_for_model(school),
        object_id=school.public_id,
        action="download",
        path="/x.pdf",
        ip_address="10.1.2.3",
    )
    response = admin_client.post(
        reverse("admin:apcase_recordaccess_changelist"),
        {
            "action": "export_access_log_csv",
            "_selected_action": list(RecordAccess.objects.values_list("pk", flat=True)),
        },
    )
    assert response["Content-Type"].startswith("text/csv")
    body = response.content.decode()
    assert "sendco,Downloaded,school" in body and "10.1.2.3" in body
