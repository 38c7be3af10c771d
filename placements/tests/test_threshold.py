"""The registration threshold from our own placements: the counter the provider page uses, and the
approval gate that refuses the placement which would take an unregistered provider over it."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from audits.models import Provider
from placements.models import Placement
from placements.services import placement_transition
from placements.tests.cases import placement_at, pupil_with_parent
from placements.tests.factories import PlacementFactory
from placements.threshold import placement_counts_at
from pupils.models import Approval
from pupils.services import approval_decide
from pupils.tests.factories import PupilFactory

S = Placement.Status
pytestmark = pytest.mark.django_db


@pytest.fixture
def tuition(provider):
    """The cleared provider, but unregistered (one-to-one tuition)."""
    provider.registration = Provider.Registration.UNREGISTERED
    provider.urn = ""
    provider.setting_type = Provider.SettingType.ONE_TO_ONE_TUITION
    provider.name = "Stepping Stones Tuition"
    provider.save()
    return provider


def _full_time_pupils(provider, count, status=S.ACTIVE, **pupil_fields):
    ended = {"outcome": "reintegrated", "actual_end_date": date(2026, 11, 20)} if status == S.ENDED else {}
    for _ in range(count):
        pupil = PupilFactory(school=provider.school, **pupil_fields)
        PlacementFactory(pupil=pupil, provider=provider, site=provider.sites.first(), status=status, **ended)


class TestCounter:
    def test_it_counts_our_full_time_off_site_pupils_of_school_age(self, tuition, today):
        _full_time_pupils(tuition, 2)
        _full_time_pupils(tuition, 1, status=S.APPROVED, looked_after=True)
        _full_time_pupils(tuition, 1, sen_provision="E", primary_need="SEMH")
        _full_time_pupils(tuition, 1, status=S.PLANNED)  # not yet approved
        _full_time_pupils(tuition, 1, status=S.ENDED)  # gone
        _full_time_pupils(tuition, 1, date_of_birth=date(2022, 1, 10))  # not yet of compulsory school age
        part_time = PupilFactory(school=tuition.school)
        PlacementFactory(
            pupil=part_time, provider=tuition, site=tuition.sites.first(), pattern="part_time", timetable=["mon_am"]
        )
        assert placement_counts_at(tuition) == (4, 2)


class TestProviderPage:
    """End to end: the warning on the provider page comes from our placements."""

    def _page(self, client_for, dsl, provider) -> str:
        return client_for(dsl).get(reverse("providers:detail", args=[provider.public_id])).content.decode()

    def test_four_full_time_pupils_need_no_warning_and_five_do(self, client_for, dsl, tuition, today):
        _full_time_pupils(tuition, 4)
        assert "must be registered as a school" not in self._page(client_for, dsl, tuition)
        _full_time_pupils(tuition, 1)
        page = self._page(client_for, dsl, tuition)
        assert "Stepping Stones Tuition must be registered as a school" in page
        assert "5 full-time pupils of compulsory school age (five or more)" in page

    def test_no_looked_after_or_ehcp_pupil_needs_no_warning_and_one_does(self, client_for, dsl, tuition, today):
        _full_time_pupils(tuition, 1)
        assert "must be registered as a school" not in self._page(client_for, dsl, tuition)
        _full_time_pupils(tuition, 1, sen_provision="E", primary_need="ASD")
        assert "1 full-time pupil who is looked after or has an EHC plan" in self._page(client_for, dsl, tuition)

    def test_a_registered_school_is_never_warned_about(self, client_for, dsl, provider, today):
        _full_time_pupils(provider, 6, looked_after=True)
        assert "must be registered as a school" not in self._page(client_for, dsl, provider)


class TestApprovalGate:
    def test_the_fifth_full_time_pupil_cannot_be_sent_for_approval(self, tuition, school, sendco, head, today):
        _full_time_pupils(tuition, 4, status=S.APPROVED)
        placement = placement_at(S.PLANNED, pupil=pupil_with_parent(school), provider=tuition, sendco=sendco, head=head)
        with pytest.raises(ValidationError) as error:
            placement_transition(placement=placement, target=S.AWAITING_APPROVAL, actor=sendco)
        assert any("5 full-time pupils of compulsory school age" in message for message in error.value.messages)

    def test_the_fourth_may_be(self, tuition, school, sendco, head, today):
        _full_time_pupils(tuition, 3, status=S.APPROVED)
        placement = placement_at(
            S.AWAITING_APPROVAL, pupil=pupil_with_parent(school), provider=tuition, sendco=sendco, head=head
        )
        assert placement.status == S.AWAITING_APPROVAL

    def test_a_looked_after_pupil_full_time_is_refused_at_once(self, tuition, school, sendco, head, today):
        pupil = pupil_with_parent(school, looked_after=True)
        placement = placement_at(S.PLANNED, pupil=pupil, provider=tuition, sendco=sendco, head=head)
        with pytest.raises(ValidationError) as error:
            placement_transition(placement=placement, target=S.AWAITING_APPROVAL, actor=sendco)
        assert any("1 full-time pupil who is looked after" in message for message in error.value.messages)

    def test_a_part_time_placement_is_not_counted(self, tuition, school, sendco, head, today):
        pupil = pupil_with_parent(school, looked_after=True)
        placement = placement_at(
            S.AWAITING_APPROVAL,
            pupil=pupil,
            provider=tuition,
            sendco=sendco,
            head=head,
            pattern="part_time",
            timetable=["mon_am", "tue_am", "wed_am"],
        )
        assert placement.status == S.AWAITING_APPROVAL

    def test_the_head_cannot_approve_once_others_fill_the_places(self, tuition, school, sendco, head, today):
        placement = placement_at(
            S.AWAITING_APPROVAL, pupil=pupil_with_parent(school), provider=tuition, sendco=sendco, head=head
        )
        _full_time_pupils(tuition, 4, status=S.ACTIVE)
        approval = Approval.objects.get(kind="placement", object_id=placement.pk)
        with pytest.raises(ValidationError, match="cannot be approved now"):
            approval_decide(approval=approval, actor=head, approve=True, reasons="")
