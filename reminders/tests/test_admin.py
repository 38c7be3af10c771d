"""The back office lists reminders and their errors, each school's office seeing only its own."""

from __future__ import annotations

from datetime import date

import pytest
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from reminders.models import Reminder

pytestmark = pytest.mark.django_db


def _reminder(school, user, kind):
    return Reminder.objects.create(
        school=school,
        kind=kind,
        content_type=ContentType.objects.get_for_model(school),
        object_id=school.pk,
        due_on=date(2026, 11, 23),
        recipient=user,
        title="Review due",
        status=Reminder.Status.FAILED,
        last_error="SMTP refused the recipient",
    )


def test_the_office_sees_its_schools_failed_reminders_with_their_error_and_no_others(
    client_for, office, sendco, outsider, school, other_school
):
    _reminder(school, sendco, "ours_review_due")
    _reminder(other_school, outsider, "theirs_review_due")
    office.user_permissions.add(Permission.objects.get(content_type__app_label="reminders", codename="view_reminder"))

    page = client_for(office).get(reverse("admin:reminders_reminder_changelist")).content.decode()

    assert "ours_review_due" in page
    assert "SMTP refused the recipient" in page
    assert "theirs_review_due" not in page


def test_reminders_cannot_be_added_in_the_back_office(admin_client):
    assert admin_client.get(reverse("admin:reminders_reminder_add")).status_code == 403
