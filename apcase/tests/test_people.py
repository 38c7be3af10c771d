"""People and roles: the head (never the office) gives leaders' roles and looks after a colleague's
sign-in; every change notifies the head and is in the access log and the history."""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from apcase.models import Membership, Notification, RecordAccess, Role


def test_the_head_sees_everyone_with_a_role_and_their_roles(
    client_for, head, teacher, dsl, django_assert_max_num_queries
):
    client = client_for(head)
    with django_assert_max_num_queries(12):
        html = client.get(reverse("people")).content.decode()
    assert str(teacher) in html and "Designated Safeguarding Lead" in html


@pytest.mark.parametrize("persona", ["sendco", "dsl", "teacher", "office", "governor"], indirect=True)
def test_nobody_but_the_head_opens_people_and_roles(client_for, persona):
    assert client_for(persona).get(reverse("people")).status_code == 403


def test_the_head_makes_a_teacher_dsl_and_it_is_logged_and_in_the_history(client_for, head, teacher, school):
    response = client_for(head).post(
        reverse("people_person", args=[teacher.public_id]), {"roles": [Role.TEACHER, Role.DSL]}
    )
    assert response.status_code == 302
    membership = Membership.objects.get(user=teacher, role=Role.DSL, school=school)
    assert membership.history.get().history_user == head
    assert RecordAccess.objects.filter(user=head, object_id=teacher.public_id, action=RecordAccess.Action.ROLE).exists()


def test_a_role_taken_away_stays_as_an_inactive_row(client_for, head, teacher):
    client_for(head).post(reverse("people_person", args=[teacher.public_id]), {"roles": [Role.GOVERNOR]})
    assert set(Membership.objects.filter(user=teacher).values_list("role", "is_active")) == {
        (Role.TEACHER, False),
        (Role.GOVERNOR, True),
    }


def test_the_head_cannot_take_away_their_own_headship(client_for, head):
    response = client_for(head).post(reverse("people_person", args=[head.public_id]), {"roles": [Role.TEACHER]})
    assert response.status_code == 200
    assert "You cannot take away your own headteacher role" in response.content.decode()
    assert Membership.objects.get(user=head, role=Role.HEAD).is_active


def test_a_role_change_in_the_back_office_notifies_the_head(admin_client, head, teacher, school):
    from apcase.tests.admin_forms import admin_form_data

    url = reverse("admin:apcase_user_change", args=[teacher.pk])
    data = admin_form_data(admin_client.get(url))
    row = next(key for key, value in data.items() if key.endswith("-role"))
    data[row] = Role.SENDCO
    assert admin_client.post(url, data).status_code == 302
    note = Notification.objects.get(user=head)
    assert "role changed from Teacher to SENDCo / AP lead" in note.title
    assert RecordAccess.objects.filter(object_id=teacher.public_id, action=RecordAccess.Action.ROLE).exists()


def test_the_head_sends_a_password_reset_link_and_never_sees_the_password(client_for, head, teacher):
    response = client_for(head).post(reverse("people_password_reset", args=[teacher.public_id]))
    assert response.status_code == 302
    [message] = mail.outbox
    assert message.to == [teacher.email]
    assert "/accounts/reset/" in message.body
    assert RecordAccess.objects.filter(object_id=teacher.public_id, action=RecordAccess.Action.PASSWORD_RESET).exists()


def test_the_head_resets_a_lost_device(client_for, head, teacher):
    TOTPDevice.objects.create(user=teacher, name="Phone", confirmed=True)
    StaticDevice.objects.create(user=teacher, name="Backup codes")
    client_for(head).post(reverse("people_two_factor_reset", args=[teacher.public_id]))
    assert not TOTPDevice.objects.filter(user=teacher).exists()
    assert not StaticDevice.objects.filter(user=teacher).exists()
    assert RecordAccess.objects.filter(
        object_id=teacher.public_id, action=RecordAccess.Action.TWO_FACTOR_RESET
    ).exists()


def test_another_schools_person_is_not_found(client_for, head, outsider):
    assert client_for(head).get(reverse("people_person", args=[outsider.public_id])).status_code == 404


def test_the_head_finds_people_and_roles_in_their_menu(client_for, head, teacher):
    assert reverse("people") in client_for(head).get(reverse("account")).content.decode()
    assert reverse("people") not in client_for(teacher).get(reverse("account")).content.decode()
