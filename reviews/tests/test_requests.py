"""Written requests for a review of an off-site direction (reg 4A): the 10-week rule, who may ask,
and the school's decision and its notification (reg 6)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from placements.tests.factories import PlacementFactory
from pupils.models import CaseEvent, SenProvision
from reviews.models import ReviewMeeting, ReviewRequest
from reviews.services import review_request_answer, review_request_record
from reviews.tests.factories import ReviewMeetingFactory

K = ReviewMeeting.Kind
pytestmark = pytest.mark.django_db
RECEIVED = date(2026, 11, 23)


@pytest.fixture
def direction(running):
    """A direction off-site running since the start of the school year."""
    return running(start_date=date(2026, 9, 7))


def held(placement, kind=K.TERMLY, *, weeks_before: int = 0, days_before: int = 0) -> ReviewMeeting:
    day = RECEIVED - timedelta(weeks=weeks_before, days=days_before)
    return ReviewMeetingFactory(placement=placement, kind=kind, due_on=day, held=True)


def request_for(placement, actor, **fields) -> ReviewRequest:
    defaults: dict[str, Any] = {
        "received_on": RECEIVED,
        "requester": ReviewRequest.Requester.PARENT,
        "requester_name": "Donna Clarke",
        "method": ReviewRequest.Method.LETTER,
        "request_text": "Please review the placement.",
    }
    return review_request_record(actor=actor, placement=placement, **(defaults | fields))


class TestTheTenWeekRule:
    @pytest.mark.parametrize(
        ("weeks", "days", "duty"),
        [
            (9, 0, False),  # a review nine weeks before: no duty
            (10, 0, False),  # exactly ten weeks before is the first day of the ten weeks
            (10, 1, True),  # a day earlier is outside them
            (11, 0, True),
        ],
    )
    def test_a_review_held_in_the_ten_weeks_before_lifts_the_duty(self, direction, sendco, weeks, days, duty):
        meeting = held(direction, weeks_before=weeks, days_before=days)
        request = request_for(direction, sendco)
        assert request.review_required is duty
        assert request.recent_review == (None if duty else meeting)

    def test_a_review_held_on_the_day_of_the_request_is_not_before_it(self, direction, sendco):
        held(direction)
        assert request_for(direction, sendco).review_required

    def test_the_latest_of_several_reviews_is_named(self, direction, sendco):
        held(direction, weeks_before=8)
        latest = held(direction, K.FORMAL, weeks_before=2)
        assert request_for(direction, sendco).recent_review == latest

    @pytest.mark.parametrize("kind", [K.HALF_TERMLY, K.IAP_WEEKLY])
    def test_a_progress_meeting_with_the_provider_does_not_lift_the_duty(self, direction, sendco, kind):
        held(direction, kind, weeks_before=3)
        assert request_for(direction, sendco).review_required

    def test_an_unheld_or_cancelled_review_does_not_count(self, direction, sendco):
        ReviewMeetingFactory(placement=direction, kind=K.TERMLY, due_on=date(2026, 11, 2))
        ReviewMeetingFactory(
            placement=direction, kind=K.FORMAL, due_on=date(2026, 11, 9), status="cancelled", cancellation_reason="Ill"
        )
        assert request_for(direction, sendco).review_required

    def test_with_a_duty_a_review_is_scheduled_as_soon_as_reasonably_practicable(self, direction, sendco):
        request = request_for(direction, sendco)
        review = request.review
        assert review is not None
        assert (review.kind, review.due_on, review.status) == (K.REQUESTED, date(2026, 12, 7), "scheduled")
        summary = CaseEvent.objects.get(summary__startswith="Written request").summary
        assert summary == (
            "Written request for a review from Donna Clarke: a review is due as soon as reasonably practicable, "
            "by 07/12/2026"
        )

    def test_without_a_duty_no_review_is_scheduled_and_the_chronology_says_why(self, direction, sendco):
        held(direction, K.FORMAL, weeks_before=0, days_before=3)
        request = request_for(direction, sendco)
        assert request.review is None and not direction.reviews.filter(kind=K.REQUESTED).exists()
        assert CaseEvent.objects.filter(
            summary="Written request for a review from Donna Clarke: no duty, as a review meeting was held on "
            "20/11/2026 (within 10 weeks)"
        ).exists()


class TestWhoMayAsk:
    def test_only_for_a_direction_off_site_in_force(self, school, sendco):
        placement = PlacementFactory(pupil__school=school, status="active", directed_off_site=False)
        with pytest.raises(ValidationError, match="only while a direction off-site is in force"):
            request_for(placement, sendco)

    def test_the_pupil_asks_only_at_18_or_over(self, direction, sendco):
        with pytest.raises(ValidationError) as error:
            request_for(direction, sendco, requester=ReviewRequest.Requester.PUPIL)
        assert "18 or over" in error.value.message_dict["requester"][0]

    def test_the_local_authority_asks_only_for_a_pupil_with_an_ehc_plan(self, direction, sendco):
        with pytest.raises(ValidationError, match="EHC plan"):
            request_for(direction, sendco, requester=ReviewRequest.Requester.LOCAL_AUTHORITY)
        pupil = direction.pupil
        pupil.sen_provision, pupil.primary_need = SenProvision.EHCP, "SEMH"
        pupil.save()
        assert request_for(direction, sendco, requester=ReviewRequest.Requester.LOCAL_AUTHORITY).pk

    def test_a_request_is_not_recorded_before_it_arrives(self, direction, sendco):
        with pytest.raises(ValidationError):
            request_for(direction, sendco, received_on=RECEIVED + timedelta(days=1))

    def test_only_leaders_record_requests(self, direction, dsl):
        with pytest.raises(PermissionDenied):
            request_for(direction, dsl)


class TestTheAnswer:
    def answer(self, request, actor, **fields):
        defaults: dict[str, Any] = {
            "decision": ReviewRequest.Decision.CONTINUE_UNTIL,
            "decision_until": date(2026, 12, 18),
            "notified_on": RECEIVED,
            "notified_method": ReviewRequest.NotificationMethod.POST,
            "notified_to": "Donna Clarke (mother)",
        }
        return review_request_answer(actor=actor, request=request, **(defaults | fields))

    def test_with_a_duty_the_review_is_held_first(self, direction, sendco):
        request = request_for(direction, sendco)
        with pytest.raises(ValidationError, match="Hold the review first"):
            self.answer(request, sendco)

    def test_the_decision_and_its_notification_are_recorded_once(self, direction, sendco, head):
        held(direction, weeks_before=4)
        request = self.answer(request_for(direction, sendco), head)
        assert request.is_answered and request.decision_text == "The direction continues until 18/12/2026"
        outcome = CaseEvent.objects.filter(kind=CaseEvent.Kind.DECISION, summary__startswith="Outcome").get()
        assert outcome.summary == (
            "Outcome of the request for a review told to Donna Clarke (mother) by post: "
            "the direction continues until 18/12/2026"
        )
        with pytest.raises(ValidationError, match="has been answered"):
            self.answer(request, head)

    def test_continuing_until_needs_the_date(self, direction, sendco):
        held(direction, weeks_before=4)
        with pytest.raises(ValidationError) as error:
            self.answer(request_for(direction, sendco), sendco, decision_until=None)
        assert "decision_until" in error.value.message_dict

    def test_the_notification_is_not_before_the_request(self, direction, sendco):
        held(direction, weeks_before=4)
        with pytest.raises(ValidationError) as error:
            self.answer(request_for(direction, sendco), sendco, notified_on=RECEIVED - timedelta(days=1))
        assert "notified_on" in error.value.message_dict


class TestTheOutcomeInWriting:
    """reg 6: the outcome in writing to whoever asked, through the outbox when told today."""

    def test_told_today_the_letter_goes_to_the_parent_who_asked(self, direction, sendco, today):
        from outbox.models import Message

        held(direction, weeks_before=4)
        request = TestTheAnswer().answer(request_for(direction, sendco), sendco, notified_on=today)
        message = Message.objects.get(purpose=Message.Purpose.REVIEW_OUTCOME)
        assert (message.recipient_name, message.channel, message.link) == (
            "Donna Clarke (mother)",
            Message.Channel.POST,
            request.get_absolute_url(),
        )
        assert message.document is not None and message.document.size > 0
        assert message.recipient_address.startswith("14 Orchard Way")

    def test_the_letter_and_its_email_greet_the_parent_by_title_and_surname(self, direction, sendco, today):
        from apcase.tests.pdf import pdf_text
        from outbox.models import Message

        direction.pupil.contacts.update(title="Mrs", email="donna@example.org")
        held(direction, weeks_before=4)
        TestTheAnswer().answer(request_for(direction, sendco), sendco, notified_on=today, notified_method="email")
        message = Message.objects.get(purpose=Message.Purpose.REVIEW_OUTCOME)
        assert message.body.startswith("Dear Mrs Clarke,\n")
        assert message.document is not None and "Dear Mrs Clarke," in pdf_text(message.document.read_bytes())

    def test_by_email_without_an_address_it_says_so_and_records_nothing(self, direction, sendco, today):
        held(direction, weeks_before=4)
        with pytest.raises(ValidationError, match="No e-mail address is recorded for Donna Clarke"):
            TestTheAnswer().answer(request_for(direction, sendco), sendco, notified_on=today, notified_method="email")

    def test_told_earlier_the_school_sent_it_itself_and_nothing_is_sent_again(self, direction, sendco):
        from outbox.models import Message

        held(direction, weeks_before=4)
        earlier = date(2026, 11, 20)
        TestTheAnswer().answer(request_for(direction, sendco, received_on=earlier), sendco, notified_on=earlier)
        assert not Message.objects.filter(purpose=Message.Purpose.REVIEW_OUTCOME).exists()
