"""The school's own settings page: the head and the office set the chase's cut-off and escalation,
the provider contact interval and whether e-mails name pupils in full; every change is in the
school's history."""

from __future__ import annotations

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db
URL = reverse("school_settings")
SETTINGS = {
    "attendance_cutoff": "09:45",
    "chase_escalation_sessions": "6",
    "provider_contact_school_days": "5",
    "full_names_in_emails": "on",
}


@pytest.mark.parametrize("persona", ["head", "office"])
def test_the_head_or_the_office_sets_full_names_and_the_chase(persona, request, school, client_for):
    user = request.getfixturevalue(persona)
    response = client_for(user).post(URL, SETTINGS)
    assert response.status_code == 302
    school.refresh_from_db()
    assert school.full_names_in_emails and school.chase_escalation_sessions == 6
    assert f"{school.attendance_cutoff:%H:%M}" == "09:45"
    assert school.history.latest().history_user == user


def test_other_roles_may_not(school, sendco, dsl, teacher, governor, client_for):
    assert {user.username: client_for(user).get(URL).status_code for user in (sendco, dsl, teacher, governor)} == {
        "sendco": 403,
        "dsl": 403,
        "teacher": 403,
        "governor": 403,
    }


def test_bad_values_are_refused_with_every_error_at_once(school, head, client_for):
    response = client_for(head).post(URL, {**SETTINGS, "chase_escalation_sessions": "0", "attendance_cutoff": "soon"})
    assert response.status_code == 400
    assert set(response.context["form"].errors) == {"chase_escalation_sessions", "attendance_cutoff"}
    school.refresh_from_db()
    assert not school.full_names_in_emails


def test_the_page_reads_a_fixed_number_of_queries(school, head, client_for, django_assert_max_num_queries):
    client = client_for(head)
    client.get(URL)  # the first page after sign-in also saves the session
    # The session, the user, their roles, the school being edited.
    with django_assert_max_num_queries(4):
        assert client.get(URL).status_code == 200
