"""The back office is least privilege (docs/security.md): the school office manages people only up
to roles below its own reach, never other schools' people, never superusers, never passwords; and
every form re-checks on save what its picker shows."""

from __future__ import annotations

import pytest
from django.urls import reverse

from apcase.demo import office_group
from apcase.models import Membership, Role
from apcase.tests.admin_forms import add_inline_row, admin_form_data, inline_prefix
from apcase.tests.factories import MembershipFactory, UserFactory


@pytest.fixture
def office_client(client, office, settings):
    # Django's formset checks each row's person with a query of its own: a back-office page used
    # a few times a term, not a list that grows with pupils, so N+1 detection stays off here.
    settings.ZEAL_RAISE = False
    office.groups.add(office_group())
    client.force_login(office)
    return client


def _post_school_with_row(client, school, **row):
    page = client.get(reverse("admin:apcase_school_change", args=[school.pk]))
    data = add_inline_row(admin_form_data(page), inline_prefix(page, "membership"), **row)
    return client.post(reverse("admin:apcase_school_change", args=[school.pk]), data)


@pytest.mark.parametrize("role", [Role.HEAD, Role.SENDCO, Role.DSL])
def test_the_office_cannot_give_itself_a_leaders_role(office_client, office, school, role):
    response = _post_school_with_row(office_client, school, user=office.pk, role=role)
    assert response.status_code == 200
    assert not Membership.objects.filter(user=office, role=role).exists()


def test_the_office_cannot_make_anyone_trust_wide(office_client, office, school):
    _post_school_with_row(office_client, school, user=office.pk, role=Role.TEACHER, trust_wide="on")
    assert not Membership.objects.filter(trust_wide=True).exists()


def test_the_office_cannot_turn_a_colleagues_role_into_a_leaders_role(office_client, school, teacher):
    page = office_client.get(reverse("admin:apcase_school_change", args=[school.pk]))
    data = admin_form_data(page)
    prefix = inline_prefix(page, "membership")
    row = next(key for key, value in data.items() if key.startswith(prefix) and value == str(teacher.pk))
    data[row.replace("-user", "-role")] = Role.HEAD
    office_client.post(reverse("admin:apcase_school_change", args=[school.pk]), data)
    assert list(Membership.objects.filter(user=teacher).values_list("role", flat=True)) == [Role.TEACHER]


def test_the_office_cannot_add_a_superuser_to_its_school_by_posting_the_id(office_client, school, django_user_model):
    root = django_user_model.objects.create_superuser("root", "root@example.org", "x-password-long")
    response = _post_school_with_row(office_client, school, user=root.pk, role=Role.TEACHER)
    assert response.status_code == 200
    assert not Membership.objects.filter(user=root).exists()


def test_the_office_cannot_add_another_schools_person(office_client, school, outsider):
    _post_school_with_row(office_client, school, user=outsider.pk, role=Role.TEACHER)
    assert not Membership.objects.filter(user=outsider, school=school).exists()


def test_the_office_can_still_add_a_teacher(office_client, school):
    newcomer = UserFactory(username="newcomer")
    MembershipFactory(user=newcomer, school=school, role=Role.GOVERNOR)
    response = _post_school_with_row(office_client, school, user=newcomer.pk, role=Role.TEACHER)
    assert response.status_code == 302
    assert Membership.objects.filter(user=newcomer, role=Role.TEACHER).exists()


@pytest.mark.parametrize("method", ["get", "post"])
def test_the_office_never_sets_a_password(office_client, teacher, method):
    url = reverse("admin:auth_user_password_change", args=[teacher.pk])
    data = {"password1": "a-new-password-123", "password2": "a-new-password-123"} if method == "post" else {}
    response = getattr(office_client, method)(url, data)
    assert response.status_code == 403
    teacher.refresh_from_db()
    assert teacher.check_password("correct-horse-battery")


def test_the_office_cannot_set_a_password_when_adding_a_person(office_client):
    html = office_client.get(reverse("admin:apcase_user_add")).content.decode()
    assert 'name="password1"' not in html


def test_the_office_cannot_change_a_leaders_e_mail(office_client, head):
    url = reverse("admin:apcase_user_change", args=[head.pk])
    page = office_client.get(url)
    response = office_client.post(url, {**admin_form_data(page), "email": "office-owned@example.org"})
    assert response.status_code == 403
    head.refresh_from_db()
    assert head.email == "head@school.example"


def test_the_office_does_not_see_superusers(office_client, school, django_user_model):
    root = django_user_model.objects.create_superuser("root", "root@example.org", "x-password-long")
    Membership.objects.create(user=root, school=school, role=Role.TEACHER)
    html = office_client.get(reverse("admin:apcase_user_changelist")).content.decode()
    assert "root@example.org" not in html
    assert office_client.get(reverse("admin:apcase_user_change", args=[root.pk])).status_code == 302


def test_the_office_adds_a_colleague_who_sets_their_own_password(office_client, school, head, mailoutbox):
    from apcase.models import Notification, User

    page = office_client.get(reverse("admin:apcase_user_add"))
    data = add_inline_row(
        {
            **admin_form_data(page),
            "username": "newteacher",
            "first_name": "Nia",
            "last_name": "Hughes",
            "email": "nia@school.example",
        },
        inline_prefix(page, "membership"),
        school=school.pk,
        role=Role.TEACHER,
        is_active="on",
    )
    response = office_client.post(reverse("admin:apcase_user_add"), data)
    assert response.status_code == 302
    person = User.objects.get(username="newteacher")
    assert not person.has_usable_password()
    assert Membership.objects.filter(user=person, school=school, role=Role.TEACHER).exists()
    assert [message.to for message in mailoutbox] == [["nia@school.example"]]
    assert Notification.objects.filter(user=head, title__contains="given the role Teacher").exists()
