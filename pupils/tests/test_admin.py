from __future__ import annotations

from django.urls import reverse

from apcase.demo import office_group
from pupils.demo import office_group_add_pupil_permissions
from pupils.tests.factories import PupilFactory, ReferralFactory


def test_the_office_keeps_only_its_own_schools_pupils_in_the_back_office(client_for, office, school, other_school):
    office_group_add_pupil_permissions()
    office.groups.add(office_group())
    PupilFactory(school=school, legal_last_name="Ourpupil")
    PupilFactory(school=other_school, legal_last_name="Theirpupil")
    page = client_for(office).get(reverse("admin:pupils_pupil_changelist")).content.decode()
    assert "Ourpupil" in page and "Theirpupil" not in page


def test_referrals_cannot_be_changed_in_the_back_office(admin_client, school, teacher):
    referral = ReferralFactory(pupil__school=school, raised_by=teacher)
    page = admin_client.get(reverse("admin:pupils_referral_change", args=[referral.pk])).content.decode()
    assert 'name="_save"' not in page
