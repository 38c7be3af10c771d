"""A review meeting through its services: arranged, invited, recorded, closed or cancelled, with its
actions; each step in the pupil's chronology."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from placements.models import Placement
from placements.tests.cases import extension_approval
from placements.tests.factories import AttendanceMarkFactory
from pupils.models import CaseEvent, SenProvision
from pupils.services import approval_decide
from reviews.invitations import default_invitees
from reviews.models import Measurement, ReviewMeeting, ReviewParticipant
from reviews.services import (
    review_action_add,
    review_action_complete,
    review_arrange,
    review_cancel,
    review_close,
    review_record,
    review_schedule,
)
from reviews.tests.factories import ReviewMeetingFactory, TargetFactory

K, D, P = ReviewMeeting.Kind, ReviewMeeting.Decision, ReviewParticipant.Role
pytestmark = pytest.mark.django_db


def _events(kind: str) -> list[str]:
    return list(CaseEvent.objects.filter(kind=kind).order_by("occurred_at", "pk").values_list("summary", flat=True))


def arranged(review: ReviewMeeting, actor, *, at: datetime | None = None, **invited) -> ReviewMeeting:
    """The meeting arranged with its default invitees (or those given)."""
    invitees = default_invitees(review)
    return review_schedule(
        actor=actor,
        review=review,
        meeting_at=at or timezone.make_aware(datetime(2026, 11, 20, 15, 30)),
        place="The centre",
        staff=invited.get("staff", invitees.staff),
        others=invited.get("others", invitees.outside_school(review.placement.pupil.display_name)),
    )


def recorded(review: ReviewMeeting, actor, **fields) -> ReviewMeeting:
    """Everyone came; the decision is to continue (formal reviews: progress not satisfactory)."""
    defaults = {"decision": D.CONTINUE, "satisfactory_progress": False if review.is_formal else None}
    return review_record(actor=actor, review=review, attended=review.participants.all(), **(defaults | fields))


@pytest.fixture
def formal(running, sendco):
    return review_arrange(actor=sendco, placement=running(), kind=K.FORMAL, due_on=date(2026, 11, 20))


class TestArranging:
    def test_leaders_arrange_a_review_outside_the_schedule(self, running, head):
        review = review_arrange(actor=head, placement=running(), kind=K.FORMAL, due_on=date(2026, 11, 27))
        assert (review.kind, review.due_on, review.from_calendar, review.status) == (
            K.FORMAL,
            date(2026, 11, 27),
            False,
            "scheduled",
        )
        assert _events(CaseEvent.Kind.REVIEW_SCHEDULED)[-1] == "Formal review due by 27/11/2026"

    @pytest.mark.parametrize("persona", ["dsl", "teacher", "office", "governor"], indirect=True)
    def test_other_roles_do_not(self, running, persona):
        with pytest.raises(PermissionDenied):
            review_arrange(actor=persona, placement=running(), kind=K.FORMAL, due_on=date(2026, 11, 27))

    def test_a_placement_that_is_not_running_has_none_arranged(self, school, sendco):
        placement = ReviewMeetingFactory(
            placement__pupil__school=school, placement__status=Placement.Status.APPROVED
        ).placement
        with pytest.raises(ValidationError, match="while the placement is running"):
            review_arrange(actor=sendco, placement=placement, kind=K.FORMAL, due_on=date(2026, 11, 27))

    def test_a_requested_review_comes_only_from_its_written_request(self, running, sendco):
        with pytest.raises(ValidationError, match="recording the written request"):
            review_arrange(actor=sendco, placement=running(), kind=K.REQUESTED, due_on=date(2026, 11, 27))


class TestInviting:
    def test_a_formal_review_invites_the_head_ap_lead_pupil_parents_and_provider(self, formal, sendco, head):
        invitees = default_invitees(formal)
        assert invitees.staff == [sendco, head]  # the placement's school contact is its AP lead
        assert invitees.parents == ["Donna Clarke"] and invitees.pupil
        assert invitees.provider.endswith("Littleton Green") and invitees.local_authority == ""

    def test_the_local_authority_is_invited_for_a_pupil_with_an_ehc_plan(self, formal):
        pupil = formal.placement.pupil
        pupil.sen_provision, pupil.primary_need = SenProvision.EHCP, "SEMH"
        pupil.save()
        assert default_invitees(formal).local_authority == formal.school.la_send_contact

    def test_a_half_termly_review_is_the_ap_lead_with_the_provider(self, running, sendco):
        review = review_arrange(actor=sendco, placement=running(), kind=K.HALF_TERMLY, due_on=date(2026, 11, 27))
        invitees = default_invitees(review)
        assert invitees.staff == [sendco] and invitees.parents == [] and not invitees.pupil and invitees.provider

    def test_arranging_records_who_is_invited_and_rearranging_replaces_the_list(self, formal, sendco):
        arranged(formal, sendco)
        people = {(p.role, p.display_name) for p in formal.participants.all()}
        assert (P.PARENT, "Donna Clarke") in people and (P.PUPIL, "Jayden Clarke") in people
        assert _events(CaseEvent.Kind.REVIEW_SCHEDULED)[-1] == (
            "Formal review arranged for Friday 20/11/2026 at 15:30 at The centre"
        )
        arranged(formal, sendco, staff=[sendco], others=[(P.PARENT, "Donna Clarke")])
        assert formal.participants.count() == 2

    def test_a_meeting_needs_someone_invited(self, formal, sendco):
        with pytest.raises(ValidationError, match="Invite at least one person"):
            arranged(formal, sendco, staff=[], others=[(P.OTHER, "  ")])


class TestRecording:
    def test_a_reading_per_target_is_kept_with_the_review_and_its_half_term(self, formal, sendco):
        target = TargetFactory(placement=formal.placement)
        arranged(formal, sendco)
        recorded(formal, sendco, readings={target: (Decimal("3.0"), "Blends CVC words")})
        recorded(formal, sendco, readings={target: (Decimal("3.5"), "")})  # saved again: one reading
        reading = Measurement.objects.get()
        assert (reading.value, reading.review, reading.measured_on, reading.period) == (
            Decimal("3.5"),
            formal,
            date(2026, 11, 20),
            "Autumn 2 2026/27",
        )
        recorded(formal, sendco, readings={target: (None, "")})
        assert not Measurement.objects.exists()

    def test_a_reading_is_only_for_the_placements_own_targets(self, formal, sendco):
        other = TargetFactory(placement__pupil__school=formal.school)
        with pytest.raises(ValidationError, match="this placement's targets"):
            recorded(formal, sendco, readings={other: (Decimal("1.0"), "")})

    def test_who_came_is_recorded_against_the_invitation(self, formal, sendco):
        arranged(formal, sendco)
        parent = formal.participants.get(role=P.PARENT)
        review_record(actor=sendco, review=formal, attended=[parent], decision=D.CONTINUE)
        assert {p.role: p.attended for p in formal.participants.all()}[P.PARENT] is True
        assert formal.participants.filter(attended=False).count() == formal.participants.count() - 1

    def test_only_a_formal_review_answers_the_satisfactory_progress_question(self, running, sendco):
        review = review_arrange(actor=sendco, placement=running(), kind=K.HALF_TERMLY, due_on=date(2026, 11, 20))
        review_record(actor=sendco, review=review, satisfactory_progress=True, decision=D.CONTINUE)
        assert review.satisfactory_progress is None

    def test_the_dsl_reads_but_does_not_record(self, formal, dsl):
        with pytest.raises(PermissionDenied):
            review_record(actor=dsl, review=formal, decision=D.CONTINUE)


class TestClosing:
    def test_it_says_what_is_missing(self, formal, sendco):
        review_record(actor=sendco, review=formal)
        with pytest.raises(ValidationError) as error:
            review_close(actor=sendco, review=formal, held_on=date(2026, 11, 20))
        assert set(error.value.error_dict) == {"attended", "decision", "satisfactory_progress"}

    def test_it_is_closed_once_held_not_before(self, formal, sendco):
        arranged(formal, sendco)
        recorded(formal, sendco)
        with pytest.raises(ValidationError, match="once the meeting has been held"):
            review_close(actor=sendco, review=formal, held_on=date(2026, 11, 24))

    def test_closing_keeps_the_attendance_dates_the_readings_and_sets_the_next_formal_review(self, formal, sendco):
        placement = formal.placement
        for day in (date(2026, 11, 3), date(2026, 11, 4)):
            AttendanceMarkFactory(placement=placement, date=day, session="am")
        AttendanceMarkFactory(placement=placement, date=date(2026, 11, 5), session="am", register_code="O")
        target = TargetFactory(placement=placement)
        arranged(formal, sendco)
        recorded(formal, sendco, readings={target: (Decimal("3.0"), "")}, next_review_on=date(2026, 12, 4))
        review = review_close(actor=sendco, review=formal, held_on=date(2026, 11, 19))
        assert review.status == "held" and review.held_on == date(2026, 11, 19)
        assert review.attendance_snapshot["overall"] == {"possible": 3, "attended": 2, "percentage": "66.7"}
        assert Measurement.objects.get().measured_on == date(2026, 11, 19)
        assert _events(CaseEvent.Kind.REVIEW_HELD) == [
            "Formal review held, progress not satisfactory. Decision: continue the placement as planned"
        ]
        # Progress not satisfactory: the next review is formal too (docs/domain-rules.md#formal-reviews).
        assert placement.reviews.get(due_on=date(2026, 12, 4)).kind == K.FORMAL

    def test_the_next_review_is_not_doubled_when_one_is_due_that_day(self, formal, sendco):
        arranged(formal, sendco)
        recorded(formal, sendco, next_review_on=date(2026, 12, 11))  # the final review's due date
        review_close(actor=sendco, review=formal, held_on=date(2026, 11, 20))
        assert formal.placement.reviews.filter(due_on=date(2026, 12, 11)).count() == 1

    def test_a_closed_record_does_not_change(self, formal, sendco):
        arranged(formal, sendco)
        recorded(formal, sendco)
        review_close(actor=sendco, review=formal, held_on=date(2026, 11, 20))
        with pytest.raises(ValidationError, match="its record is closed"):
            review_record(actor=sendco, review=formal, decision=D.END)
        with pytest.raises(ValidationError, match="its record is closed"):
            review_close(actor=sendco, review=formal, held_on=date(2026, 11, 20))

    def test_an_extension_goes_to_the_head_and_once_approved_moves_the_last_day_and_reviews(self, formal, sendco, head):
        arranged(formal, sendco)
        recorded(formal, sendco, decision=D.EXTEND, extend_until=date(2026, 12, 18))
        with pytest.raises(ValidationError, match="already runs to 18/12/2026"):
            review_close(actor=sendco, review=formal, held_on=date(2026, 11, 20))
        recorded(formal, sendco, decision=D.EXTEND, extend_until=date(2027, 2, 12), decision_notes="Not ready yet.")
        review_close(actor=sendco, review=formal, held_on=date(2026, 11, 20))
        placement = Placement.objects.get(pk=formal.placement_id)
        assert placement.planned_end_date == date(2026, 12, 18)  # until the head approves
        extension = placement.extensions.get()
        assert extension.reason == "Decided at the formal review held on 20/11/2026: Not ready yet."
        approval_decide(approval=extension_approval(placement), actor=head, approve=True, reasons="")
        placement.refresh_from_db()
        assert placement.planned_end_date == date(2027, 2, 12)
        finals = placement.reviews.filter(kind=K.FINAL).values_list("due_on", "status")
        assert set(finals) == {(date(2026, 12, 11), "cancelled"), (date(2027, 2, 5), "scheduled")}
        assert "Decision: extend the placement until 12/02/2027" in _events(CaseEvent.Kind.REVIEW_HELD)[-1]


class TestCancelling:
    def test_it_needs_a_reason_and_is_a_step(self, formal, sendco):
        with pytest.raises(ValidationError):
            review_cancel(actor=sendco, review=formal, reason=" ")
        review_cancel(actor=sendco, review=formal, reason="Covered by the review of the incident.")
        assert formal.status == "cancelled"
        assert (
            _events(CaseEvent.Kind.REVIEW_SCHEDULED)[-1]
            == "Formal review cancelled: Covered by the review of the incident."
        )

    def test_a_held_review_cannot_be_cancelled(self, formal, sendco):
        arranged(formal, sendco)
        recorded(formal, sendco)
        review_close(actor=sendco, review=formal, held_on=date(2026, 11, 20))
        with pytest.raises(ValidationError, match="This review is held; its record is closed"):
            review_cancel(actor=sendco, review=formal, reason="Mistake.")

    def test_only_leaders_cancel(self, formal, dsl):
        with pytest.raises(PermissionDenied):
            review_cancel(actor=dsl, review=formal, reason="No.")


class TestActions:
    def test_an_action_has_an_owner_in_or_outside_the_school(self, formal, sendco, teacher):
        with pytest.raises(ValidationError, match="Say who does it"):
            review_action_add(actor=sendco, review=formal, description="Call mum", due_on=date(2026, 11, 27))
        review_action_add(
            actor=sendco,
            review=formal,
            description="Send work home",
            due_on=date(2026, 11, 27),
            owner_name="Jo Whitfield",
        )
        action = review_action_add(
            actor=sendco, review=formal, description="Call mum", due_on=date(2026, 11, 27), owner=teacher
        )
        assert action.owner_display == str(teacher) and formal.actions.count() == 2

    def test_its_owner_or_a_leader_marks_it_done_and_no_one_else(self, formal, sendco, teacher, dsl):
        action = review_action_add(
            actor=sendco, review=formal, description="Call mum", due_on=date(2026, 11, 27), owner=teacher
        )
        with pytest.raises(PermissionDenied):
            review_action_complete(actor=dsl, action=action)
        review_action_complete(actor=teacher, action=action)
        assert action.done_on == date(2026, 11, 23)

    def test_actions_are_agreed_at_the_meeting_not_after_it_is_closed(self, formal, sendco):
        arranged(formal, sendco)
        recorded(formal, sendco)
        review_close(actor=sendco, review=formal, held_on=date(2026, 11, 20))
        with pytest.raises(ValidationError, match="its record is closed"):
            review_action_add(actor=sendco, review=formal, description="Late", due_on=date(2026, 12, 1), owner=sendco)


def test_dates_in_the_chronology_are_when_things_happened(formal, sendco):
    arranged(formal, sendco)
    recorded(formal, sendco)
    review_close(actor=sendco, review=formal, held_on=date(2026, 11, 19))
    held = CaseEvent.objects.get(kind=CaseEvent.Kind.REVIEW_HELD)
    assert timezone.localtime(held.occurred_at).date() == date(2026, 11, 19)
    assert held.link == formal.get_absolute_url()
    assert held.occurred_at < timezone.now() - timedelta(days=3)
