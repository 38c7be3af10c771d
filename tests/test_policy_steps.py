"""The policies' steps cannot be skipped silently (issue 13, B): each step the school's AP policy
or the law asks for is either done or refused with a message that says what to do, and what a
step leaves behind (a letter, a to-do, a chronology entry) is there."""

from __future__ import annotations

import io
from dataclasses import replace
from datetime import date, time
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from pypdf import PdfReader

from apcase.models import Role
from apcase.tests.downloads import saved_as
from dashboards.panels import dashboard_for
from placements.models import ParentAgreement, Placement
from placements.selectors import referrals_ready_for_placement
from placements.services import (
    handover_record,
    parent_agreement_record,
    placement_transition,
)
from placements.tests.cases import (
    approved_referral,
    internal_provider,
    judged_suitable,
    placement_at,
    placement_changed,
    placement_planned,
    plan_fields,
    pupil_with_parent,
)
from pupils.models import Approval, CaseEvent, Referral
from pupils.services import approval_decide
from pupils.tests.cases import referral_at
from reviews.services import TargetDetails, final_report_save, plan_version_agree, target_set, target_update

S = Placement.Status
RUNNING_SINCE = date(2026, 11, 16)  # a week before the frozen today
PLAN: dict = {
    "strengths": "Kind to younger children.",
    "needs": "Regulation after lunch.",
    "agreed_targets": "Join Friday Together Time by week 4.",
    "classroom_strategies": "A 'help' card.",
    "return_timetable": [["fri_pm"]],
    "who_supports": "Mr Ashworth daily.",
}
REPORT = {
    "attainment_progress": "Reading age up eight months.",
    "behaviour_evidence": "No suspensions since October.",
    "pupil_views": "Ready to go back.",
    "pupil_views_heard_by": "The headteacher",
    "objectives_on_return": "Attend every session.",
}


def _end(placement, actor, outcome=Placement.Outcome.REINTEGRATED, **fields):
    return placement_transition(
        placement=placement, target=S.ENDED, actor=actor, outcome=outcome, actual_end_date=date(2026, 11, 23), **fields
    )


class TestEndingAsReintegrated:
    def test_it_is_refused_without_an_agreed_plan_and_a_final_report(self, at, sendco):
        placement = at(S.ACTIVE, start_date=RUNNING_SINCE)
        with pytest.raises(ValidationError) as refused:
            _end(placement, sendco)
        assert refused.value.message_dict["outcome"] == [
            "No reintegration plan has been agreed.",
            "No final report on the placement has been prepared.",
            "Complete them first, or the headteacher records why the pupil returns without them.",
        ]
        placement.refresh_from_db()
        assert placement.status == S.ACTIVE

    def test_it_ends_with_both(self, at, sendco):
        placement = at(S.ACTIVE, start_date=RUNNING_SINCE)
        plan_version_agree(actor=sendco, placement=placement, agreed_on=date(2026, 11, 20), **PLAN)
        final_report_save(actor=sendco, placement=placement, prepared_on=date(2026, 11, 20), **REPORT)
        assert _end(placement, sendco).status == S.ENDED

    def test_other_outcomes_need_neither(self, at, sendco):
        assert (
            _end(at(S.ACTIVE, start_date=RUNNING_SINCE), sendco, outcome=Placement.Outcome.MANAGED_MOVE).status
            == S.ENDED
        )

    def test_only_the_headteacher_may_end_it_without_them_with_a_reason(self, at, sendco, head):
        placement = at(S.ACTIVE, start_date=RUNNING_SINCE)
        plan_version_agree(actor=sendco, placement=placement, agreed_on=date(2026, 11, 20), **PLAN)
        reason = "The family moved away; the new school has the plan."
        with pytest.raises(ValidationError) as refused:
            _end(placement, sendco, ended_without_steps_reason=reason)
        assert "Only the headteacher" in refused.value.message_dict["ended_without_steps_reason"][0]
        ended = _end(placement, head, ended_without_steps_reason=reason)
        assert ended.status == S.ENDED and ended.ended_without_steps_reason == reason
        ended_step = CaseEvent.objects.filter(pupil=placement.pupil, summary__contains="ended on").get()
        assert ended_step.summary.endswith(
            f"reintegrated to class; {head} recorded why without the reintegration steps: {reason}"
        )

    def test_the_end_page_takes_the_headteachers_reason(self, at, client_for, head):
        placement = at(S.ACTIVE, start_date=RUNNING_SINCE)
        response = client_for(head).post(
            f"/placements/{placement.public_id}/end/",
            {"outcome": "reintegrated", "actual_end_date": "23/11/2026", "ended_without_steps_reason": "Moved."},
        )
        assert response.status_code == 302
        placement.refresh_from_db()
        assert placement.status == S.ENDED and placement.ended_without_steps_reason == "Moved."


@pytest.fixture
def rockets(school, sendco, head, today):
    """rockets(status) -> a placement in the school's Rockets class (no direction): planned and
    moved by the real services up to status, without the parents' agreement."""

    def make(status):
        provider = internal_provider(school, name="Rockets class")
        fields = {"pupil": pupil_with_parent(school), "provider": provider, "directed_off_site": False}
        placement = placement_at(S.PLANNED, sendco=sendco, head=head, **fields)
        if status != S.PLANNED:
            parent_agreement_record(
                actor=sendco,
                placement=placement,
                response="agreed",
                given_by="Donna Clarke, mother",
                given_on=date(2026, 11, 20),
                method="meeting",
            )
            placement = placement_transition(placement=placement, target=status, actor=sendco)
        return placement

    return make


def _answer(placement, sendco, response, given_on=date(2026, 11, 23)):
    return parent_agreement_record(
        actor=sendco,
        placement=placement,
        response=response,
        given_by="Donna Clarke, mother",
        given_on=given_on,
        method="phone",
    )


class TestParentsAgreement:
    def test_the_head_is_not_asked_without_it(self, rockets, sendco):
        placement = rockets(S.PLANNED)
        with pytest.raises(ValidationError) as refused:
            placement_transition(placement=placement, target=S.AWAITING_APPROVAL, actor=sendco)
        assert "Record the parents' agreement to the placement (who agreed, when and how)." in refused.value.messages

    def test_a_refusal_stops_the_heads_approval(self, rockets, sendco, head):
        placement = rockets(S.AWAITING_APPROVAL)
        _answer(placement, sendco, "refused")
        approval = Approval.objects.get(kind="placement", object_id=placement.pk)
        with pytest.raises(ValidationError) as refused:
            approval_decide(approval=approval, actor=head, approve=True, reasons="")
        assert (
            "Donna Clarke, mother refused the placement on 23/11/2026. It can be approved only once the parents "
            "agree: record their agreement if they change their mind." in refused.value.messages
        )
        placement.refresh_from_db()
        assert placement.status == S.AWAITING_APPROVAL
        event = CaseEvent.objects.filter(pupil=placement.pupil, summary__contains="refused").get()
        assert event.summary == "Donna Clarke, mother refused the placement at Rockets class (by phone)"

    def test_a_direction_needs_the_notice_instead(self, at, sendco):
        placement = at(S.PLANNED)
        with pytest.raises(ValidationError):
            _answer(placement, sendco, "agreed")
        judged_suitable(placement, sendco)
        assert placement_transition(placement=placement, target=S.AWAITING_APPROVAL, actor=sendco).status

    def test_the_page_shows_it_and_the_letter_for_the_parents_to_sign(self, rockets, client_for, sendco):
        placement = rockets(S.AWAITING_APPROVAL)
        page = client_for(sendco).get(placement.get_absolute_url()).content.decode()
        assert 'id="parents-agreement"' in page and "Donna Clarke, mother: <strong>agreed</strong>" in page
        response = client_for(sendco).get(f"/placements/{placement.public_id}/agreement.pdf")
        assert saved_as(response).startswith("Parents' agreement – ")
        text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
        assert "Agreement to an alternative provision placement" in text
        assert "attending Rockets class as set out in this letter" in text
        assert "Donna Clarke" in text and "20 November 2026" in text

    def test_the_form_records_an_answer(self, rockets, client_for, sendco):
        placement = rockets(S.PLANNED)
        response = client_for(sendco).post(
            f"/placements/{placement.public_id}/agreement/new/",
            {"response": "agreed", "given_by": "Donna Clarke", "given_on": "23/11/2026", "method": "letter"},
        )
        assert response.status_code == 302
        assert ParentAgreement.objects.get(placement=placement).method == "letter"


def _queue(user, school, role=Role.SENDCO):
    return dashboard_for(user=user, school=school, roles=[role])[0].queue


def _items(queue, kind):
    return [item for item in queue if item.kind == kind]


class TestHandoverBeforeTheFirstDay:
    """Monday 23/11/2026: Wednesday 25/11 is two school days away, Thursday 26/11 three."""

    @pytest.fixture
    def place(self, school, provider, sendco, head, today):
        def make(status, start_date):
            fields = {"pupil": pupil_with_parent(school), "provider": provider, "start_date": start_date}
            return placement_at(status, sendco=sendco, head=head, **fields)

        return make

    def test_it_is_flagged_two_school_days_before_the_first_day(self, place, school, sendco):
        placement = place(S.NOTICE_ISSUED, date(2026, 11, 25))
        place(S.NOTICE_ISSUED, date(2026, 11, 26))  # three school days away: not yet
        place(S.PLANNED, date(2026, 11, 25))  # not approved: a handover cannot be recorded yet
        [item] = _items(_queue(sendco, school), "Handover")
        assert item.title == (
            f"{placement.pupil.display_name}: no handover to Littleton Green recorded; the first day is 25/11/2026"
        )
        assert item.url == f"/placements/{placement.public_id}/handover/new/" and item.tone != "is-danger"
        tiles = {tile.label: tile for tile in dashboard_for(user=sendco, school=school, roles=[Role.SENDCO])[0].tiles}
        assert tiles["placements with no handover two school days before the first day"].count == 1

    def test_from_the_first_day_it_is_urgent(self, place, school, sendco):
        place(S.ACTIVE, date(2026, 11, 16))
        [item] = _items(_queue(sendco, school), "Handover")
        assert item.tone == "is-danger"

    def test_a_handover_clears_it(self, place, school, sendco):
        placement = place(S.APPROVED, date(2026, 11, 24))
        handover_record(
            actor=sendco,
            placement=placement,
            shared_by=sendco,
            shared_on=date(2026, 11, 23),
            shared_with="Ms Jo Whitfield",
            items=["attainment", "safeguarding"],
        )
        assert not _items(_queue(sendco, school), "Handover")


class TestTheHeadsDecisionHolds:
    """A referral the head approved for internal AP, planned off-site at Littleton Green."""

    @pytest.fixture
    def referral(self, school, teacher, sendco, head, today):
        pupil = pupil_with_parent(school)
        referral = referral_at(
            Referral.Status.AWAITING_APPROVAL,
            pupil=pupil,
            teacher=teacher,
            sendco=sendco,
            recommendation=Referral.Recommendation.INTERNAL_AP,
        )
        decision = Approval.objects.get(object_id=referral.pk, kind="refer_to_ap")
        approval_decide(approval=decision, actor=head, approve=True, reasons="")
        return Referral.objects.get(pk=referral.pk)

    def _plan(self, referral, provider, sendco):
        fields = plan_fields(provider, sendco, directed_off_site=False, census_reason="exclusion_risk")
        return placement_planned(actor=sendco, pupil=referral.pupil, provider=provider, referral=referral, **fields)

    def test_planning_another_kind_waits_for_the_head_like_an_extension(self, referral, provider, sendco, head):
        placement = self._plan(referral, provider, sendco)
        approval = Approval.objects.get(kind="placement_departure", object_id=placement.pk)
        assert approval.status == Approval.Status.PENDING
        assert approval.summary.endswith("off-site placement at Littleton Green instead of Internal AP")
        parent_agreement_record(
            actor=sendco,
            placement=placement,
            response="agreed",
            given_by="Donna Clarke",
            given_on=date(2026, 11, 23),
            method="phone",
        )
        judged_suitable(placement, sendco)
        with pytest.raises(ValidationError) as held:
            placement_transition(placement=placement, target=S.AWAITING_APPROVAL, actor=sendco)
        assert held.value.messages == [
            "The headteacher approved Internal AP on the referral, but this placement at Littleton Green is off-site: "
            "waiting for the headteacher to agree to the change."
        ]
        approval_decide(approval=approval, actor=head, approve=True, reasons="The centre has the only place.")
        assert placement_transition(placement=placement, target=S.AWAITING_APPROVAL, actor=sendco).status
        agreed = CaseEvent.objects.filter(pupil=placement.pupil, kind=CaseEvent.Kind.APPROVAL_DECIDED).latest("pk")
        assert agreed.summary == (
            f"{head} agreed to an off-site placement at Littleton Green instead of Internal AP: "
            "The centre has the only place."
        )

    def test_a_declined_change_says_what_to_do(self, referral, provider, sendco, head):
        placement = self._plan(referral, provider, sendco)
        approval = Approval.objects.get(kind="placement_departure", object_id=placement.pk)
        approval_decide(approval=approval, actor=head, approve=False, reasons="Try the Rockets class first.")
        with pytest.raises(ValidationError) as held:
            placement_transition(placement=placement, target=S.AWAITING_APPROVAL, actor=sendco)
        assert any("the headteacher did not agree (Try the Rockets class first.)" in m for m in held.value.messages)

    def test_changing_back_to_the_kind_approved_takes_the_request_back(self, referral, provider, school, sendco):
        placement = self._plan(referral, provider, sendco)
        rockets = internal_provider(school, name="Rockets class")
        placement_changed(actor=sendco, placement=placement, provider=rockets, site=None)
        assert Approval.objects.get(kind="placement_departure").status == Approval.Status.WITHDRAWN

    def test_the_kind_approved_needs_nothing_more(self, referral, school, sendco):
        placement = self._plan(referral, internal_provider(school, name="Rockets class"), sendco)
        assert not Approval.objects.filter(kind="placement_departure", object_id=placement.pk).exists()


class TestCancellingHandsTheReferralBack:
    @pytest.fixture
    def referral(self, school, teacher, sendco, head, today):
        return approved_referral(pupil=pupil_with_parent(school), teacher=teacher, sendco=sendco, head=head)

    def _plan(self, referral, provider, sendco):
        fields = plan_fields(provider, sendco)
        return placement_planned(actor=sendco, pupil=referral.pupil, provider=provider, referral=referral, **fields)

    def test_the_referral_waits_for_a_placement_again_and_the_chronology_says_so(
        self, referral, provider, school, sendco, client_for
    ):
        placement = self._plan(referral, provider, sendco)
        assert referral not in referrals_ready_for_placement(user=sendco, school=school)
        placement_transition(placement=placement, target=S.CANCELLED, actor=sendco, reasons="The centre closed.")
        assert referral in referrals_ready_for_placement(user=sendco, school=school)
        page = client_for(sendco).get("/placements/new/").content.decode()
        assert f"?referral={referral.public_id}" in page
        step = CaseEvent.objects.filter(pupil=referral.pupil, link=referral.get_absolute_url()).latest("pk")
        assert step.summary == (
            f"The Cause for Concern raised {referral.raised_at:%d/%m/%Y} is waiting for a placement again: the "
            "placement at Littleton Green was cancelled"
        )
        assert self._plan(referral, provider, sendco).referral == referral

    def test_a_referral_takes_one_placement_at_a_time(self, referral, provider, sendco):
        self._plan(referral, provider, sendco)
        with pytest.raises(ValidationError) as refused:
            self._plan(referral, provider, sendco)
        assert refused.value.messages == [
            "A placement is already planned from this referral: open it from the pupil's page."
        ]


class TestAChangedNotice:
    @pytest.fixture
    def issued(self, at):
        """A direction off-site from Monday 30/11/2026, its notice issued."""
        return at(S.NOTICE_ISSUED)

    def test_a_changed_fact_supersedes_the_notice_and_is_a_to_do(self, issued, school, sendco, client_for):
        placement_changed(actor=sendco, placement=issued, first_day_contact="Mr Tom Reed, deputy head of centre")
        [item] = _items(_queue(sendco, school), "Amended notice")
        assert item.title.endswith("issue an amended notice: reports on the first day to changed")
        assert item.url == f"/placements/{issued.public_id}/notice/" and item.tone == "is-danger"
        page = client_for(sendco).get(issued.get_absolute_url()).content.decode()
        assert 'id="notice-superseded"' in page and "Issue an amended notice" in page

    def test_sending_the_amended_notice_clears_the_to_do(self, issued, school, sendco, client_for):
        placement_changed(actor=sendco, placement=issued, day_ends=time(14, 30))
        assert _items(_queue(sendco, school), "Amended notice")
        response = client_for(sendco).post(f"/placements/{issued.public_id}/notice/amend/", {"method": "post"})
        assert response.status_code == 302
        assert not _items(_queue(sendco, school), "Amended notice")

    def test_an_arrival_after_the_morning_session_starts_is_refused(self, at, sendco):
        with pytest.raises(ValidationError) as refused:
            at(S.PLANNED, start_time=time(9, 30))
        assert refused.value.message_dict["start_time"] == [
            "Arrive by the time the morning session starts (09:15), not after it."
        ]


class TestATargetsDirectionAndItsValuesAgree:
    @pytest.fixture
    def running(self, at):
        return at(S.ACTIVE, start_date=RUNNING_SINCE)

    def _set(self, placement, sendco, baseline, target, higher_is_better):
        return target_set(
            actor=sendco,
            placement=placement,
            details=TargetDetails(
                area="attendance",
                description="Attend every session",
                baseline=Decimal(baseline),
                target_value=Decimal(target),
                unit="%",
                higher_is_better=higher_is_better,
            ),
        )

    def test_higher_is_better_lies_above_its_baseline(self, running, sendco):
        with pytest.raises(ValidationError) as refused:
            self._set(running, sendco, "80", "70", True)
        assert refused.value.message_dict["target_value"] == [
            "A higher figure is better, so the target must be above the baseline (80); untick “higher is better” "
            "if the aim is a lower figure."
        ]
        assert self._set(running, sendco, "80", "95", True).target_value == 95

    def test_lower_is_better_lies_below_it(self, running, sendco):
        with pytest.raises(ValidationError, match="must be below the baseline"):
            self._set(running, sendco, "5", "8", False)
        target = self._set(running, sendco, "5", "1", False)
        with pytest.raises(ValidationError, match="must be below the baseline"):
            target_update(
                actor=sendco, target=target, details=replace(TargetDetails.of(target), target_value=Decimal("6"))
            )
