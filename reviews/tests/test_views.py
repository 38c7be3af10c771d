"""The review pages: the list and the calendar, the meeting record and its forms, requests for a
review, targets and progress, the reintegration plan, and the section on the placement page.
Access for every persona is in access_cases.py."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from apcase.models import RecordAccess
from placements.tests.factories import PlacementFactory
from pupils.tests.factories import PupilFactory
from reviews.models import CheckIn, Measurement, PlanVersion, ReviewMeeting, ReviewParticipant, ReviewRequest, Target
from reviews.tests.factories import (
    CheckInFactory,
    MeasurementFactory,
    ParticipantFactory,
    ReviewMeetingFactory,
    RunningPlacementFactory,
    TargetFactory,
)

K = ReviewMeeting.Kind
pytestmark = pytest.mark.django_db


def html(response) -> str:
    return response.content.decode()


def assert_no_inline_code(page: str) -> None:
    assert " style=" not in page and "<style" not in page and " onclick=" not in page and "<script>" not in page


@pytest.fixture
def placement(school, teacher, today):
    pupil = PupilFactory(school=school, legal_first_name="Jayden", legal_last_name="Clarke", class_teacher=teacher)
    return RunningPlacementFactory(pupil=pupil)


@pytest.fixture
def review(placement):
    return ReviewMeetingFactory(placement=placement, kind=K.FORMAL, due_on=date(2026, 11, 26))


class TestList:
    def test_it_lists_what_is_to_hold_with_a_count_for_each_tab(self, client_for, sendco, review, placement):
        ReviewMeetingFactory(placement=placement, due_on=date(2026, 11, 16))  # overdue
        page = html(client_for(sendco).get(reverse("reviews:list")))
        assert "Jayden Clarke" in page and "Formal review" in page and review.get_absolute_url() in page
        assert 'Overdue <span class="badge text-bg-danger">1</span>' in page
        assert_no_inline_code(page)

    def test_overdue_held_and_a_kind(self, client_for, sendco, placement):
        ReviewMeetingFactory(placement=placement, due_on=date(2026, 11, 16))
        ReviewMeetingFactory(placement=placement, kind=K.TERMLY, due_on=date(2026, 11, 9), held=True)
        client = client_for(sendco)
        assert "Mon 16/11/2026" in html(client.get(reverse("reviews:list"), {"view": "overdue"}))
        held = html(client.get(reverse("reviews:list"), {"view": "held", "kind": K.TERMLY}))
        assert "Termly agreement review" in held and "Mon 09/11/2026" in held
        assert "No reviews held yet" in html(client.get(reverse("reviews:list"), {"view": "held", "kind": K.FORMAL}))

    def test_one_placements_reviews(self, client_for, sendco, review, school):
        ReviewMeetingFactory(placement__pupil=PupilFactory(school=school, legal_first_name="Other"))
        page = html(client_for(sendco).get(reverse("reviews:list"), {"placement": review.placement.public_id}))
        assert "Reviews of Jayden Clarke's placement" in page and "Other" not in page

    @pytest.mark.parametrize("count", [5, 40])
    def test_it_stays_within_its_query_budget(self, client_for, sendco, school, count, django_assert_max_num_queries):
        for n in range(count):
            ReviewMeetingFactory(placement__pupil__school=school, due_on=date(2026, 11, 24) + timedelta(days=n))
        client = client_for(sendco)
        with django_assert_max_num_queries(16):
            response = client.get(reverse("reviews:list"), {"page": 2 if count > 25 else 1})
        assert response.status_code == 200

    def test_teachers_have_no_review_list(self, client_for, teacher):
        assert client_for(teacher).get(reverse("reviews:list")).status_code == 403


class TestCalendar:
    def test_this_half_term_week_by_week_with_each_review_on_its_day(self, client_for, sendco, review):
        page = html(client_for(sendco).get(reverse("reviews:calendar")))
        assert "Autumn 2 2026/27: 02/11/2026 to 18/12/2026" in page and "INSET (training) day" in page
        assert review.get_absolute_url() in page and 'aria-current="date"' in page
        assert "?from=2026-09-01" in page and "?from=2027-01-04" in page
        assert_no_inline_code(page)

    def test_an_arranged_meeting_sits_on_its_own_day(self, client_for, sendco, review):
        review.meeting_at = timezone.make_aware(datetime(2026, 12, 2, 15, 30))
        review.save()
        page = html(client_for(sendco).get(reverse("reviews:calendar"), {"from": "2026-12-02"}))
        assert "15:30 · Formal review" in page

    def test_another_half_term(self, client_for, sendco):
        page = html(client_for(sendco).get(reverse("reviews:calendar"), {"from": "2027-01-04"}))
        assert "Spring 1 2026/27" in page

    @pytest.mark.parametrize("count", [5, 40])
    def test_it_stays_within_its_query_budget(self, client_for, sendco, school, count, django_assert_max_num_queries):
        for n in range(count):
            ReviewMeetingFactory(placement__pupil__school=school, due_on=date(2026, 11, 3) + timedelta(days=n))
        client = client_for(sendco)
        with django_assert_max_num_queries(14):
            assert client.get(reverse("reviews:calendar")).status_code == 200


class TestTheMeetingPage:
    def test_it_shows_the_record_and_logs_who_opened_it(self, client_for, sendco, review):
        ParticipantFactory(review=review, name="Donna Clarke", attended=True)
        MeasurementFactory(target=TargetFactory(placement=review.placement), review=review, value=Decimal("3"))
        page = html(client_for(sendco).get(review.get_absolute_url()))
        assert "Donna Clarke" in page and "Parent or carer" in page and "Reading: decoding" in page
        assert "Record the meeting" in page and "Arrange the meeting" in page
        assert RecordAccess.objects.filter(object_id=review.public_id, user=sendco).exists()
        assert_no_inline_code(page)

    def test_the_dsl_reads_it_without_the_buttons(self, client_for, dsl, review):
        page = html(client_for(dsl).get(review.get_absolute_url()))
        assert "Formal review" in page and "Record the meeting" not in page

    def test_three_formal_reviews_without_improvement_say_the_school_may_end_it(self, client_for, head, placement):
        for day in (5, 12, 19):
            latest = ReviewMeetingFactory(
                placement=placement, kind=K.FORMAL, due_on=date(2026, 11, day), held=True, satisfactory_progress=False
            )
        page = html(client_for(head).get(latest.get_absolute_url()))
        assert "the school may end the placement" in page

    def test_outsider_gets_404_and_a_governor_403(self, client_for, outsider, governor, review):
        assert client_for(outsider).get(review.get_absolute_url()).status_code == 404
        assert client_for(governor).get(review.get_absolute_url()).status_code == 403

    @pytest.mark.parametrize("count", [2, 20])
    def test_its_queries_do_not_grow_with_its_record(
        self, client_for, sendco, review, count, django_assert_max_num_queries
    ):
        for n in range(count):
            ParticipantFactory(review=review, name=f"Person {n}", attended=True)
            target = TargetFactory(placement=review.placement)
            MeasurementFactory(target=target, review=review)
            MeasurementFactory(target=target, measured_on=date(2026, 11, 2))
            review.actions.create(description=f"Action {n}", owner=sendco, due_on=date(2026, 12, 1))
        client = client_for(sendco)
        with django_assert_max_num_queries(24):
            response = client.get(review.get_absolute_url())
        assert html(response).count("Person ") == count


def _post(client, name, review, data):
    return client.post(reverse(f"reviews:{name}", args=[review.public_id]), data)


class TestRunningTheMeeting:
    def test_arranging_invites_people(self, client_for, sendco, head, review):
        response = _post(
            client_for(sendco),
            "schedule",
            review,
            {
                "meeting_on": "26/11/2026",
                "meeting_time": "15:30",
                "place": "The centre",
                "staff": [sendco.pk, head.pk],
                "parents": "Donna Clarke\n\nLee Clarke",
                "pupil": "on",
                "provider": "Jo Whitfield",
                "local_authority": "",
                "others": "",
            },
        )
        assert response.status_code == 302
        roles = sorted(review.participants.values_list("role", flat=True))
        assert roles == ["parent", "parent", "provider", "pupil", "staff", "staff"]

    def test_the_arrange_form_offers_the_default_invitees(self, client_for, sendco, review):
        page = html(client_for(sendco).get(reverse("reviews:schedule", args=[review.public_id])))
        assert "Invite the pupil" in page and "26/11/2026" in page

    def test_recording_saves_a_draft_and_closing_holds_it(self, client_for, sendco, review):
        target = TargetFactory(placement=review.placement)
        parent = ParticipantFactory(review=review)
        client = client_for(sendco)
        data = {
            "attended": [parent.pk],
            f"value_{target.pk}": "3",
            f"note_{target.pk}": "",
            "pupil_voice": "Happy.",
            "decision": "continue",
            "satisfactory_progress": "False",
            "held_on": "20/11/2026",
        }
        assert _post(client, "record", review, data).status_code == 302
        review.refresh_from_db()
        assert review.status == "scheduled" and review.pupil_voice == "Happy." and Measurement.objects.count() == 1
        response = _post(client, "record", review, data | {"close": "1"})
        review.refresh_from_db()
        assert response.status_code == 302 and review.status == "held" and review.held_on == date(2026, 11, 20)

    def test_closing_says_what_is_missing(self, client_for, sendco, review):
        response = _post(client_for(sendco), "record", review, {"close": "1", "held_on": "20/11/2026"})
        page = html(response)
        assert response.status_code == 400 and "There is a problem" in page
        assert "Record the decision." in page and "Tick who came" in page
        review.refresh_from_db()
        assert review.status == "scheduled"

    def test_a_closed_review_is_not_recorded_again(self, client_for, sendco, placement):
        held = ReviewMeetingFactory(placement=placement, held=True)
        response = client_for(sendco).get(reverse("reviews:record", args=[held.public_id]))
        assert response.status_code == 302 and response["Location"] == held.get_absolute_url()

    def test_cancelling_with_a_reason(self, client_for, sendco, review):
        assert (
            _post(client_for(sendco), "cancel", review, {"reason": "Held with the incident review."}).status_code == 302
        )
        review.refresh_from_db()
        assert review.status == "cancelled" and review.cancellation_reason == "Held with the incident review."

    def test_actions_are_added_and_marked_done(self, client_for, sendco, review):
        client = client_for(sendco)
        _post(
            client,
            "action_new",
            review,
            {"action-description": "Call home", "action-owner": sendco.pk, "action-due_on": "01/12/2026"},
        )
        action = review.actions.get()
        client.post(reverse("reviews:action_done", args=[action.public_id]))
        action.refresh_from_db()
        assert action.done_on == date(2026, 11, 23)

    def test_a_review_is_arranged_for_a_placement(self, client_for, sendco, placement):
        url = reverse("reviews:new") + f"?placement={placement.public_id}"
        response = client_for(sendco).post(url, {"kind": K.FORMAL, "due_on": "27/11/2026"})
        review = placement.reviews.get(kind=K.FORMAL)
        assert response["Location"] == reverse("reviews:schedule", args=[review.public_id])

    def test_arranging_needs_a_placement_of_the_users_school(self, client_for, sendco, outsider, placement):
        assert client_for(sendco).get(reverse("reviews:new")).status_code == 404
        url = reverse("reviews:new") + f"?placement={placement.public_id}"
        assert client_for(outsider).get(url).status_code == 404


class TestRequests:
    @pytest.fixture
    def direction(self, running):
        return running(start_date=date(2026, 9, 7))

    def test_recording_a_request_says_whether_a_review_must_be_held(self, client_for, sendco, direction):
        ReviewMeetingFactory(placement=direction, kind=K.TERMLY, due_on=date(2026, 11, 2), held=True)
        url = reverse("reviews:request_new") + f"?placement={direction.public_id}"
        response = client_for(sendco).post(
            url,
            {"received_on": "23/11/2026", "requester": "parent", "requester_name": "Donna Clarke", "method": "email"},
        )
        request = ReviewRequest.objects.get()
        assert response["Location"] == request.get_absolute_url()
        page = html(client_for(sendco).get(request.get_absolute_url()))
        assert "No: there is no duty to hold one." in page and "termly agreement review on Monday 02/11/2026" in page

    def test_the_answer_is_recorded(self, client_for, head, direction):
        request = ReviewRequest.objects.create(
            placement=direction,
            received_on=date(2026, 11, 23),
            requester="parent",
            requester_name="Donna Clarke",
            method="letter",
            recorded_by=head,
            recent_review=ReviewMeetingFactory(placement=direction, held=True),
        )
        client = client_for(head)
        form = html(client.get(reverse("reviews:request_answer", args=[request.public_id])))
        assert 'value="Donna Clarke"' in form
        response = client.post(
            reverse("reviews:request_answer", args=[request.public_id]),
            {
                "decision": "continue",
                "notified_on": "23/11/2026",
                "notified_method": "post",
                "notified_to": "Donna Clarke",
            },
        )
        assert response.status_code == 302
        request.refresh_from_db()
        assert request.is_answered and request.decision == "continue"


class TestProgress:
    def test_the_table_and_the_charts(self, client_for, sendco, placement):
        target = TargetFactory(placement=placement)
        MeasurementFactory(target=target, value=Decimal("3"))
        page = html(client_for(sendco).get(reverse("progress:page", args=[placement.public_id])))
        assert "Autumn 2 2026/27" in page and 'src="data:image/svg+xml;base64,' in page and "Framework stages" in page
        assert_no_inline_code(page)

    def test_setting_a_target_and_recording_a_reading(self, client_for, sendco, placement):
        client = client_for(sendco)
        client.post(
            reverse("progress:target_new", args=[placement.public_id]),
            {
                "area": "sas",
                "description": "Reading age",
                "baseline": "82",
                "target_value": "90",
                "unit": "score",
                "higher_is_better": "on",
            },
        )
        target = Target.objects.get()
        client.post(
            reverse("progress:measurement_new", args=[placement.public_id, target.public_id]),
            {"measured_on": "20/11/2026", "value": "85"},
        )
        assert target.measurements.get().value == Decimal("85")

    def test_another_placements_target_is_not_found_here(self, client_for, sendco, placement, school):
        other = TargetFactory(placement__pupil__school=school)
        url = reverse("progress:target_edit", args=[placement.public_id, other.public_id])
        assert client_for(sendco).get(url).status_code == 404

    @pytest.mark.parametrize("count", [2, 12])
    def test_its_queries_do_not_grow_with_targets(
        self, client_for, sendco, placement, count, django_assert_max_num_queries
    ):
        for _ in range(count):
            MeasurementFactory(target=TargetFactory(placement=placement))
        client = client_for(sendco)
        with django_assert_max_num_queries(16):
            assert client.get(reverse("progress:page", args=[placement.public_id])).status_code == 200


class TestReintegration:
    def test_agreeing_the_plan_with_its_week_by_week_return(self, client_for, sendco, placement):
        response = client_for(sendco).post(
            reverse("reintegration:agree", args=[placement.public_id]),
            {
                "strengths": "Kind.",
                "needs": "Calm.",
                "agreed_targets": "Stay.",
                "classroom_strategies": "Card.",
                "who_supports": "TA.",
                "agreed_on": "23/11/2026",
                "return_timetable": ["1:fri_pm", "2:thu_pm", "2:fri_pm"],
            },
        )
        assert response.status_code == 302
        assert PlanVersion.objects.get().return_timetable == [["fri_pm"], ["thu_pm", "fri_pm"]]

    def test_the_class_teacher_reads_the_plan_and_records_a_check_in(self, client_for, teacher, school):
        check_in = CheckInFactory(
            placement__pupil=PupilFactory(school=school, class_teacher=teacher), due_on=date(2026, 11, 23)
        )
        placement = check_in.placement
        client = client_for(teacher)
        page = html(client.get(reverse("reintegration:plan", args=[placement.public_id])))
        assert "Record the check-in" in page and "Final report" not in page
        client.post(
            reverse("reintegration:check_in", args=[placement.public_id, 2]),
            {"held_on": "23/11/2026", "still_in_class": "True"},
        )
        assert CheckIn.objects.get().still_in_class is True

    def test_an_old_version_stays_readable(self, client_for, dsl, sendco, placement):
        from reviews.services import plan_version_agree

        fields: dict[str, Any] = {
            "strengths": "Kind.",
            "needs": "Calm.",
            "agreed_targets": "Stay.",
            "classroom_strategies": "Card.",
            "who_supports": "TA.",
            "return_timetable": [],
        }
        plan_version_agree(actor=sendco, placement=placement, agreed_on=date(2026, 11, 3), **fields)
        plan_version_agree(
            actor=sendco,
            placement=placement,
            agreed_on=date(2026, 11, 10),
            change_summary="Calmer.",
            **(fields | {"needs": "Calmer."}),
        )
        page = html(client_for(dsl).get(reverse("reintegration:version", args=[placement.public_id, 1])))
        assert "Reintegration plan, version 1" in page and "Calm." in page and "Calmer." not in page
        assert client_for(dsl).get(reverse("reintegration:version", args=[placement.public_id, 3])).status_code == 404

    @pytest.mark.parametrize("count", [1, 8])
    def test_the_plan_pages_queries_do_not_grow_with_versions(
        self, client_for, sendco, placement, count, django_assert_max_num_queries
    ):
        from reviews.services import plan_version_agree

        for n in range(count):
            plan_version_agree(
                actor=sendco,
                placement=placement,
                agreed_on=date(2026, 11, 3),
                change_summary=f"Change {n}",
                strengths="Kind.",
                needs=f"Need {n}",
                agreed_targets="Stay.",
                classroom_strategies="Card.",
                who_supports="TA.",
                return_timetable=[["mon_am"]],
            )
        client = client_for(sendco)
        with django_assert_max_num_queries(16):
            assert client.get(reverse("reintegration:plan", args=[placement.public_id])).status_code == 200


class TestThePlacementPage:
    def test_the_head_is_told_the_school_may_end_the_placement(self, client_for, head, placement):
        for day in (5, 12, 19):
            ReviewMeetingFactory(
                placement=placement, kind=K.FORMAL, due_on=date(2026, 11, day), held=True, satisfactory_progress=False
            )
        page = html(client_for(head).get(placement.get_absolute_url()))
        assert "The school may end this placement." in page and "3 formal reviews in a row" in page

    def test_the_teacher_sees_the_way_to_the_reintegration_plan_only(self, client_for, teacher, placement):
        ReviewMeetingFactory(placement=placement)
        page = html(client_for(teacher).get(placement.get_absolute_url()))
        assert reverse("reintegration:plan", args=[placement.public_id]) in page
        assert "Arrange a review" not in page and "Every review" not in page

    def test_a_direction_offers_to_record_a_request_for_a_review(self, client_for, sendco, placement):
        page = html(client_for(sendco).get(placement.get_absolute_url()))
        assert "Record a request for a review" in page and "Arrange a review" in page

    def test_an_internal_placement_has_no_request_for_a_review(self, client_for, sendco, school):
        placement = PlacementFactory(pupil__school=school, status="active", directed_off_site=False)
        assert "Record a request for a review" not in html(client_for(sendco).get(placement.get_absolute_url()))


def test_a_participant_is_staff_by_their_user_or_anyone_else_by_name(db, review, sendco):
    """The model's own rule: staff by their user, everyone else by name."""
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        ReviewParticipant.objects.create(review=review, role="staff", name="Someone")
    ReviewParticipant.objects.create(review=review, role="staff", user=sendco)
