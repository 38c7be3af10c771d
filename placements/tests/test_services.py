"""Planning, changing and moving placements; the headteacher's approval and its gate."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from audits.models import Audit, Provider
from audits.tests.factories import (
    ProviderFactory,
    ProviderSiteFactory,
    SafeguardingConfirmationFactory,
    completed_audit,
    further_action,
)
from placements.models import Placement
from placements.services import placement_transition
from placements.tests.cases import (
    approved_referral,
    internal_provider,
    judged_suitable,
    parents_agree,
    placement_at,
    placement_changed,
    placement_planned,
    plan_fields,
    pupil_with_parent,
)
from pupils.models import Approval, CaseEvent, Referral
from pupils.services import approval_decide
from pupils.tests.cases import referral_at

S = Placement.Status
pytestmark = pytest.mark.django_db


def _events(pupil, kind=None):
    events = CaseEvent.objects.filter(pupil=pupil).order_by("recorded_at", "id")
    return list(events.filter(kind=kind) if kind else events)


class TestPlanning:
    def test_it_plans_from_an_approved_referral(self, pupil, provider, sendco, head, teacher, today):
        referral = approved_referral(pupil=pupil, teacher=teacher, sendco=sendco, head=head)
        placement = placement_planned(
            actor=sendco, pupil=pupil, provider=provider, referral=referral, **plan_fields(provider, sendco)
        )
        assert placement.referral == referral and placement.kind == Placement.Kind.OFFSITE
        assert placement.school_days == 15 and placement.sessions_per_week == 10
        assert placement.estimated_cost == Decimal("2550.00")  # 15 days at £170
        event = _events(pupil, CaseEvent.Kind.PLACEMENT_CREATED)[0]
        assert event.summary == f"Placement at Littleton Green from 30/11/2026 planned by {sendco}"
        assert event.link == placement.get_absolute_url()

    def test_a_referral_must_be_approved_for_ap(self, pupil, provider, sendco, teacher, today):
        referral = referral_at(Referral.Status.UNDER_REVIEW, pupil=pupil, teacher=teacher, sendco=sendco)
        with pytest.raises(ValidationError, match="recommendation of AP the headteacher approved"):
            placement_planned(actor=sendco, pupil=pupil, provider=provider, referral=referral)

    def test_without_a_referral_the_reason_is_recorded(self, pupil, provider, sendco, today):
        with pytest.raises(ValidationError) as error:
            placement_planned(actor=sendco, pupil=pupil, provider=provider, **plan_fields(provider, sendco))
        assert "no_referral_reason" in error.value.message_dict
        placement = placement_planned(
            actor=sendco,
            pupil=pupil,
            provider=provider,
            no_referral_reason="  Provision from the sixth day of a suspension. ",
            **plan_fields(provider, sendco),
        )
        assert placement.no_referral_reason == "Provision from the sixth day of a suspension."

    @pytest.mark.parametrize("who", ["dsl", "teacher", "office", "governor"])
    def test_only_leaders_plan_placements(self, request, who, pupil, provider, sendco, today):
        with pytest.raises(PermissionDenied):
            placement_planned(
                actor=request.getfixturevalue(who), pupil=pupil, provider=provider, no_referral_reason="x"
            )

    def test_the_provider_must_be_the_schools_and_in_use(self, pupil, other_school, sendco, today):
        elsewhere = ProviderFactory(school=other_school)
        with pytest.raises(ValidationError) as error:
            placement_planned(actor=sendco, pupil=pupil, provider=elsewhere, no_referral_reason="Day 6.")
        assert "provider" in error.value.message_dict

    def test_the_length_in_school_days_gives_the_last_day(self, at):
        placement = at(S.PLANNED, planned_end_date=None, school_days=30)
        assert placement.planned_end_date == date(2027, 1, 25)

    def test_an_iap_is_six_weeks_unless_told_otherwise(self, school, pupil, sendco, head, today):
        iap = internal_provider(school, short_term_iap=True)
        placement = placement_at(
            S.PLANNED, pupil=pupil, provider=iap, sendco=sendco, head=head, planned_end_date=None, site=None
        )
        assert placement.school_days == 30 and placement.planned_end_date == date(2027, 1, 25)

    @pytest.mark.parametrize(
        ("fields", "message"),
        [
            ({"start_date": date(2026, 11, 28)}, "Saturday 28/11/2026 is not a school day"),
            ({"start_date": date(2026, 12, 23)}, "Wednesday 23/12/2026 is not a school day"),
            ({"start_date": date(2028, 1, 10)}, "term dates do not cover 10/01/2028"),
            (
                {"pattern": "split", "timetable": ["mon_am", "tue_am"], "start_date": date(2026, 12, 2)},
                "The first day is a Wednesday, but the timetable has no Wednesday session.",
            ),
            ({"planned_end_date": date(2026, 11, 27)}, "The last day cannot be before the first day."),
        ],
    )
    def test_the_dates_must_fit_the_term_calendar_and_timetable(self, at, fields, message):
        with pytest.raises(ValidationError, match=message):
            at(S.PLANNED, **fields)

    def test_a_cost_per_session_counts_the_sessions_at_the_provision(self, at):
        placement = at(
            S.PLANNED,
            pattern="split",
            timetable=["mon_am", "mon_pm", "tue_am"],
            cost_unit="session",
            cost_rate=Decimal("55.00"),
        )
        assert placement.sessions_per_week == 3 and placement.estimated_cost == Decimal("495.00")  # 9 sessions


class TestChanging:
    def test_the_plan_changes_freely_while_planned(self, at, sendco):
        placement = at(S.PLANNED)
        placement = placement_changed(actor=sendco, placement=placement, pattern="split", timetable=["mon_am"])
        assert placement.sessions_per_week == 1 and placement.estimated_cost == Decimal("510.00")

    def test_what_the_head_approves_is_fixed_once_asked(self, at, sendco):
        placement = at(S.AWAITING_APPROVAL)
        with pytest.raises(ValidationError, match="deciding on the cost: withdraw the request for approval"):
            placement_changed(actor=sendco, placement=placement, cost_rate=Decimal("10.00"))
        placement = at(S.APPROVED, pupil=pupil_with_parent(placement.school))
        with pytest.raises(ValidationError, match="approved the first day and the cost, so they cannot change now"):
            placement_changed(
                actor=sendco, placement=placement, cost_rate=Decimal("10.00"), start_date=date(2026, 12, 1)
            )

    def test_shortening_an_approved_placement_is_a_step_in_the_chronology(self, at, sendco):
        # A later last day is an extension for the headteacher to approve (test_extensions.py).
        placement = at(S.APPROVED)
        placement = placement_changed(actor=sendco, placement=placement, planned_end_date=date(2026, 12, 11))
        assert placement.school_days == 10
        summary = _events(placement.pupil)[-1].summary
        assert summary == f"Planned last day changed from 18/12/2026 to 11/12/2026 (10 school days) by {sendco}"

    def test_an_ended_placement_does_not_change(self, at, sendco):
        placement = at(S.ENDED, start_date=date(2026, 11, 16))
        with pytest.raises(ValidationError, match="is ended; it cannot change"):
            placement_changed(actor=sendco, placement=placement, objectives="More.")


class TestWorkflow:
    def test_every_move_is_a_step_in_the_chronology(self, at):
        placement = at(S.ENDED, start_date=date(2026, 11, 16))
        K = CaseEvent.Kind
        # The reviews app adds steps of its own when a placement starts and ends (its schedule).
        events = [e for e in _events(placement.pupil) if e.kind not in (K.REVIEW_SCHEDULED, K.FOLLOW_UP)]
        assert [e.kind for e in events] == [
            K.PLACEMENT_CREATED,
            K.DECISION,  # judged suitable for the pupil
            K.APPROVAL_REQUESTED,
            K.PLACEMENT_STATUS,  # approved with its first day passed, and why
            K.APPROVAL_DECIDED,
            K.NOTICE_ISSUED,
            K.PLACEMENT_STATUS,  # started
            K.PLACEMENT_STATUS,  # ending
            K.PLACEMENT_STATUS,  # ended
        ]
        assert events[-1].summary.startswith(
            "Placement at Littleton Green ended on 23/11/2026: reintegrated to class; "
        )

    def test_asking_for_approval_sends_the_cost_to_the_heads_inbox(self, at, head):
        placement = at(S.AWAITING_APPROVAL)
        approval = Approval.objects.get(kind="placement", object_id=placement.pk)
        assert approval.cost == Decimal("2550.00") and approval.status == Approval.Status.PENDING
        assert head.notifications.get().title == f"Approval needed for {placement.pupil.initials}: Placement"

    def test_the_head_declines_back_to_planning_with_reasons(self, at, head):
        placement = at(S.AWAITING_APPROVAL)
        approval = Approval.objects.get(kind="placement", object_id=placement.pk)
        approval_decide(approval=approval, actor=head, approve=False, reasons="Too expensive for two weeks.")
        placement.refresh_from_db()
        assert placement.status == S.PLANNED
        last = _events(placement.pupil)[-1]
        assert last.kind == CaseEvent.Kind.APPROVAL_DECIDED
        assert last.summary == f"{head} declined the placement at Littleton Green: Too expensive for two weeks."

    def test_a_placement_is_approved_only_by_the_heads_decision(self, at, head):
        placement = at(S.AWAITING_APPROVAL)
        with pytest.raises(ValidationError, match="only by the headteacher's decision"):
            placement_transition(placement=placement, target=S.APPROVED, actor=head)

    def test_withdrawing_the_request_withdraws_the_approval(self, at, sendco):
        placement = at(S.AWAITING_APPROVAL)
        placement = placement_transition(placement=placement, target=S.PLANNED, actor=sendco)
        assert Approval.objects.get(kind="placement", object_id=placement.pk).status == Approval.Status.WITHDRAWN

    def test_cancelling_needs_a_reason_and_withdraws_a_pending_approval(self, at, sendco):
        placement = at(S.AWAITING_APPROVAL)
        with pytest.raises(ValidationError):
            placement_transition(placement=placement, target=S.CANCELLED, actor=sendco, reasons=" ")
        placement = placement_transition(placement=placement, target=S.CANCELLED, actor=sendco, reasons="Moved away.")
        assert placement.cancellation_reason == "Moved away."
        assert Approval.objects.get(kind="placement", object_id=placement.pk).status == Approval.Status.WITHDRAWN

    def test_a_direction_cannot_start_before_its_notice(self, at, sendco):
        placement = at(S.APPROVED, start_date=date(2026, 11, 16))
        with pytest.raises(ValidationError, match="Issue the parent notice before the placement starts."):
            placement_transition(placement=placement, target=S.ACTIVE, actor=sendco)

    def test_the_notice_is_issued_only_from_its_page(self, at, sendco):
        placement = at(S.APPROVED)
        with pytest.raises(ValidationError, match="issued from the parent notice page"):
            placement_transition(placement=placement, target=S.NOTICE_ISSUED, actor=sendco)

    def test_a_placement_starts_on_its_first_day(self, at, sendco):
        placement = at(S.APPROVED, directed_off_site=False)
        with pytest.raises(ValidationError, match="starts on 30/11/2026; record the start then"):
            placement_transition(placement=placement, target=S.ACTIVE, actor=sendco)

    def test_ending_needs_the_outcome_and_the_last_day(self, at, sendco):
        placement = at(S.ACTIVE, start_date=date(2026, 11, 16))
        with pytest.raises(ValidationError) as error:
            placement_transition(placement=placement, target=S.ENDED, actor=sendco)
        assert set(error.value.message_dict) == {"outcome", "actual_end_date"}
        with pytest.raises(ValidationError) as error:
            placement_transition(
                placement=placement, target=S.ENDED, actor=sendco, outcome="other", actual_end_date=date(2026, 11, 24)
            )
        assert "actual_end_date" in error.value.message_dict

    @pytest.mark.parametrize("who", ["dsl", "teacher"])
    def test_only_leaders_move_a_placement(self, request, at, who):
        placement = at(S.PLANNED)
        with pytest.raises(PermissionDenied):
            placement_transition(placement=placement, target=S.AWAITING_APPROVAL, actor=request.getfixturevalue(who))

    def test_an_impossible_move_says_so(self, at, sendco):
        with pytest.raises(ValidationError, match="cannot move from “Planned” to “Active”"):
            placement_transition(placement=at(S.PLANNED), target=S.ACTIVE, actor=sendco)


class TestOneOffSitePlacementAtATime:
    def test_a_second_off_site_placement_over_the_same_dates_is_refused(self, at, school, dsl, sendco):
        at(S.APPROVED)
        other = ProviderFactory(school=school, name="Northbridge Outdoor Learning")
        ProviderSiteFactory(provider=other)
        SafeguardingConfirmationFactory(provider=other)
        completed_audit(other, dsl)
        other.registration_checked_on = timezone.localdate()
        other.save()
        second = at(S.PLANNED, provider=other, start_date=date(2026, 12, 7))
        with pytest.raises(ValidationError) as error:
            placement_transition(placement=second, target=S.AWAITING_APPROVAL, actor=sendco)
        assert (
            "already has an off-site placement at Littleton Green from 30/11/2026 to 18/12/2026 (approved)"
            in error.value.messages[0]
        )

    def test_two_split_placements_may_run_together(self, at, sendco):
        at(S.APPROVED, pattern="split", timetable=["mon_am", "mon_pm"])
        second = at(S.PLANNED, pattern="split", timetable=["wed_am", "wed_pm"], start_date=date(2026, 12, 2))
        judged_suitable(second, sendco)
        placement = placement_transition(placement=second, target=S.AWAITING_APPROVAL, actor=sendco)
        assert placement.status == S.AWAITING_APPROVAL

    def test_an_internal_placement_does_not_clash(self, at, school, sendco, pupil):
        at(S.APPROVED)
        internal = at(S.PLANNED, provider=internal_provider(school), site=None, directed_off_site=False)
        parents_agree(internal, sendco)
        assert placement_transition(placement=internal, target=S.AWAITING_APPROVAL, actor=sendco).status == (
            S.AWAITING_APPROVAL
        )


def _not_cleared(provider: Provider, dsl, reason: str) -> None:
    """Break one of the provider's checks (it starts fully cleared)."""
    today = timezone.localdate()
    if reason == "registration":
        provider.registration_checked_on = None
        provider.save()
    elif reason == "no_confirmation":
        provider.confirmations.all().delete()
    elif reason == "incomplete_confirmation":
        provider.confirmations.update(enhanced_dbs=False)
    elif reason == "expired_confirmation":
        provider.confirmations.update(signed_on=today - timedelta(days=400), expires_on=today - timedelta(days=35))
    elif reason == "no_audit":
        Audit.objects.filter(provider=provider).delete()
    elif reason == "unsuitable_audit":
        Audit.objects.filter(provider=provider).update(suitable=False)
    elif reason == "expired_audit":
        Audit.objects.filter(provider=provider).update(expires_on=today - timedelta(days=1))
    elif reason == "overdue_action":
        further_action(provider.audits.get(), dsl, due_on=today - timedelta(days=3), blocking=True)
    elif reason == "inactive":
        provider.is_active = False
        provider.save()


NOT_CLEARED = {
    "registration": "Registration has not been checked.",
    "no_confirmation": "No signed safeguarding confirmation has been recorded.",
    "incomplete_confirmation": "does not confirm: enhanced dbs certificate for every member of staff and volunteer.",
    "expired_confirmation": "(the last one expired on 19/10/2026)",
    "no_audit": "No audit has been completed.",
    "unsuitable_audit": "judged the provider not suitable.",
    "expired_audit": "No completed audit judged suitable within the last 12 months",
    "overdue_action": "1 blocking further action is overdue: See the new tutors' DBS certificates (due 20/11/2026).",
    "inactive": "The provider is marked as no longer used by the school.",
}


class TestApprovalGate:
    @pytest.mark.parametrize("reason", NOT_CLEARED)
    def test_an_uncleared_provider_cannot_be_sent_for_approval(self, at, provider, dsl, sendco, reason):
        placement = at(S.PLANNED)
        _not_cleared(provider, dsl, reason)
        with pytest.raises(ValidationError) as error:
            placement_transition(placement=placement, target=S.AWAITING_APPROVAL, actor=sendco)
        assert any(NOT_CLEARED[reason] in message for message in error.value.messages), error.value.messages

    @pytest.mark.parametrize("reason", NOT_CLEARED)
    def test_an_uncleared_provider_cannot_be_approved(self, at, provider, dsl, head, reason):
        placement = at(S.AWAITING_APPROVAL)
        _not_cleared(provider, dsl, reason)
        approval = Approval.objects.get(kind="placement", object_id=placement.pk)
        with pytest.raises(ValidationError) as error:
            approval_decide(approval=approval, actor=head, approve=True, reasons="")
        assert error.value.messages[0] == "This placement cannot be approved now:"
        assert any(NOT_CLEARED[reason] in message for message in error.value.messages)
        approval.refresh_from_db()
        placement.refresh_from_db()
        assert approval.status == Approval.Status.PENDING and placement.status == S.AWAITING_APPROVAL

    def test_an_internal_provision_needs_no_off_site_clearance(self, school, pupil, sendco, head, today):
        provision = internal_provider(school, risk_assessment_on=None)  # not cleared itself
        placement = placement_at(S.APPROVED, pupil=pupil, provider=provision, sendco=sendco, head=head, site=None)
        assert placement.status == S.APPROVED

    def test_an_incomplete_plan_cannot_be_sent(self, at, sendco):
        placement = at(S.PLANNED, objectives="", census_reason="", cost_rate=None, cost_unit="")
        with pytest.raises(ValidationError) as error:
            placement_transition(placement=placement, target=S.AWAITING_APPROVAL, actor=sendco)
        assert error.value.messages == [
            "Record the objectives and targets.",
            "Choose the primary reason for the placement (school census).",
            "Record the cost, so the headteacher approves it with the placement.",
            "Record whether Littleton Green is suitable for Jayden Clarke: the school's own decision for this pupil, "
            "with its reasons.",
        ]
