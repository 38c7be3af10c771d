"""The placement pages: lists, planning, the placement page, status moves, the parent notice, the
attendance grid and the record forms. Access per persona is in access_cases.py."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils.html import escape

from apcase.models import RecordAccess
from apcase.tests.downloads import saved_as
from apcase.tests.pdf import pdf_text
from audits.tests.factories import ProviderFactory
from placements.models import AttendanceMark, Incident, ParentNotice, Placement, Visit
from placements.tests.cases import approved_referral, judged_suitable, placement_changed
from placements.tests.factories import (
    AttendanceMarkFactory,
    HandoverFactory,
    IncidentFactory,
    PlacementFactory,
    VisitFactory,
)
from pupils.models import Referral
from pupils.tests.cases import referral_at
from pupils.tests.factories import ContactFactory, PupilFactory

S = Placement.Status
pytestmark = pytest.mark.django_db


def html(response) -> str:
    return response.content.decode()


def assert_no_inline_code(page: str) -> None:
    assert " style=" not in page and "<style" not in page and " onclick=" not in page
    assert "<script>" not in page


def url(name: str, placement, **query) -> str:
    address = reverse(f"placements:{name}", args=[placement.public_id])
    return address + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


# --- The list ----------------------------------------------------------------------------------


class TestList:
    def test_it_lists_placements_with_what_needs_attention(self, client_for, sendco, at, school, today):
        placement = at(S.APPROVED)
        IncidentFactory(placement=PlacementFactory(pupil__school=school, status=S.ACTIVE), severity="serious")
        page = html(client_for(sendco).get(reverse("placements:list")))
        assert "Jayden Clarke" in page and "Littleton Green" in page and "Approved" in page
        assert "Parent notices due" in page and "by 26/11/2026" in page and "(3 school days left)" in page
        assert "Serious incidents waiting for a decision" in page
        assert placement.get_absolute_url() in page
        assert_no_inline_code(page)

    @pytest.mark.parametrize("count", [5, 40])
    def test_it_stays_within_its_query_budget(self, client_for, sendco, school, count, django_assert_max_num_queries):
        for n in range(count):
            PlacementFactory(
                pupil__school=school, status=S.ACTIVE if n % 2 else S.PLANNED, directed_off_site=n % 3 == 0
            )
        client = client_for(sendco)
        with django_assert_max_num_queries(14):
            response = client.get(reverse("placements:list"), {"page": 2 if count > 25 else 1})
        assert response.status_code == 200

    def test_it_filters(self, client_for, sendco, school):
        PlacementFactory(pupil=PupilFactory(school=school, legal_first_name="Active"), status=S.ACTIVE)
        PlacementFactory(pupil=PupilFactory(school=school, legal_first_name="Planned"))
        page = html(client_for(sendco).get(reverse("placements:list"), {"status": "active"}))
        assert "Active" in page and "Planned " not in page and "matching the filters" in page
        empty = html(client_for(sendco).get(reverse("placements:list"), {"status": "ended"}))
        assert "No placements match these filters" in empty

    def test_a_teacher_sees_their_pupils_placements(self, client_for, teacher, school):
        PlacementFactory(pupil=PupilFactory(school=school, legal_last_name="Taught", class_teacher=teacher))
        PlacementFactory(pupil=PupilFactory(school=school, legal_last_name="Untaught"))
        page = html(client_for(teacher).get(reverse("placements:list")))
        assert "Taught" in page and "Untaught" not in page and "Plan a placement" not in page

    def test_the_office_goes_from_the_list_to_the_register(self, client_for, office, school):
        placement = PlacementFactory(pupil__school=school, status=S.ACTIVE)
        page = html(client_for(office).get(reverse("placements:list")))
        assert url("attendance", placement) in page and f'href="{placement.get_absolute_url()}"' not in page

    def test_governors_may_not_list_placements(self, client_for, governor):
        assert client_for(governor).get(reverse("placements:list")).status_code == 403

    def test_an_empty_list_says_where_placements_come_from(self, client_for, sendco):
        assert "plan the placement from it here" in html(client_for(sendco).get(reverse("placements:list")))


# --- Planning ----------------------------------------------------------------------------------


def _form(provider, **overrides) -> dict:
    data = {
        "provider": provider.pk,
        "site": provider.sites.first().pk,
        "directed_off_site": "on",
        "census_reason": "off_site_direction",
        "reasons": "Two suspensions this term.",
        "pattern": "split",
        "timetable": ["mon_am", "mon_pm", "tue_am"],
        "start_date": "30/11/2026",
        "start_time": "09:15",
        "school_days": "15",
        "objectives": "Attend every session.",
        "sessions_a_day": "2",
        "day_starts": "09:15",
        "break_starts": "12:00",
        "break_ends": "13:00",
        "day_ends": "15:00",
        "cost_unit": "day",
        "cost_rate": "170",
        "funding_source": "school",
    }
    return data | overrides


class TestPlanning:
    def test_the_new_page_lists_approved_referrals_waiting_for_a_placement(
        self, client_for, sendco, head, teacher, pupil, today
    ):
        referral = approved_referral(pupil=pupil, teacher=teacher, sendco=sendco, head=head)
        page = html(client_for(sendco).get(reverse("placements:new")))
        assert "Jayden Clarke" in page and f"?referral={referral.public_id}" in page

    def test_it_plans_from_the_referral(self, client_for, sendco, head, teacher, pupil, provider, today):
        referral = approved_referral(pupil=pupil, teacher=teacher, sendco=sendco, head=head)
        address = reverse("placements:new") + f"?referral={referral.public_id}"
        client = client_for(sendco)
        assert "Plan a placement for Jayden Clarke" in html(client.get(address))
        response = client.post(address, _form(provider))
        placement = Placement.objects.get()
        assert response.status_code == 302 and response["Location"] == placement.get_absolute_url()
        assert placement.referral == referral and placement.planned_end_date == date(2026, 12, 18)
        assert placement.timetable == ["mon_am", "mon_pm", "tue_am"]
        assert placement.estimated_cost == 1020  # Mondays and Tuesdays of three weeks at £170 a day

    def test_a_referral_not_waiting_for_a_placement_is_sent_back(self, client_for, sendco, teacher, pupil, today):
        referral = referral_at(Referral.Status.UNDER_REVIEW, pupil=pupil, teacher=teacher, sendco=sendco)
        address = reverse("placements:new") + f"?referral={referral.public_id}"
        response = client_for(sendco).get(address, follow=True)
        assert "not an approved recommendation of AP waiting for a placement" in html(response)

    def test_without_a_referral_the_pupil_and_reason_are_asked_for(self, client_for, sendco, pupil, provider, today):
        address = reverse("placements:new") + "?without-referral=1"
        response = client_for(sendco).post(address, _form(provider, pupil=pupil.pk))
        assert response.status_code == 200
        page = html(response)
        assert "There is a problem" in page and "Why there is no approved referral" in page
        response = client_for(sendco).post(
            address, _form(provider, pupil=pupil.pk, no_referral_reason="Day-6 provision after a suspension.")
        )
        assert response.status_code == 302 and Placement.objects.get().no_referral_reason.startswith("Day-6")

    def test_the_service_explains_what_the_calendar_refuses(self, client_for, sendco, pupil, provider, today):
        address = reverse("placements:new") + "?without-referral=1"
        data = _form(provider, pupil=pupil.pk, no_referral_reason="Day 6.", start_date="28/11/2026")
        page = html(client_for(sendco).post(address, data))
        assert "Saturday 28/11/2026 is not a school day" in page and 'aria-invalid="true"' in page


# --- The placement page --------------------------------------------------------------------------


class TestPlacementPage:
    def test_leaders_see_the_whole_record(self, client_for, sendco, at):
        placement = at(S.NOTICE_ISSUED)
        response = client_for(sendco).get(placement.get_absolute_url())
        page = html(response)
        for part in [
            "Where and when",
            "The personalised plan",
            "£170.00 per day; about £2,550.00 in total",
            "Headteacher's approval",
            "cleared for placements?",
            "Issued by post on 23/11/2026",
            "Incidents reported by the provider",
            "Visits by school staff",
            "Handover to the provider",
        ]:
            assert part in page, part
        assert RecordAccess.objects.filter(object_id=placement.public_id, action="view").exists()
        assert_no_inline_code(page)

    def test_a_teacher_sees_the_summary_without_cost_notice_or_incidents(self, client_for, teacher, at, pupil):
        pupil.class_teacher = teacher
        pupil.save()
        placement = at(S.NOTICE_ISSUED)
        page = html(client_for(teacher).get(placement.get_absolute_url()))
        assert "The personalised plan" in page and "Attendance" in page
        for hidden in ["£170", "Parent notice", "Incidents reported", "History", "Reasons for the placement"]:
            assert hidden not in page, hidden

    def test_before_asking_the_head_it_lists_what_is_missing(self, client_for, sendco, at, provider):
        placement = at(S.PLANNED, objectives="")
        provider.registration_checked_on = None
        provider.save()
        page = html(client_for(sendco).get(placement.get_absolute_url()))
        assert "Before the headteacher can be asked to approve:" in page
        assert "Record the objectives and targets." in page and "Registration has not been checked." in page
        assert "disabled" in page.split("Ask the headteacher to approve")[0].rsplit("<button", 1)[1]

    def test_an_iap_past_six_weeks_is_flagged(self, client_for, sendco, school):
        iap = ProviderFactory(school=school, internal=True, short_term_iap=True)
        placement = PlacementFactory(
            pupil__school=school,
            provider=iap,
            site=None,
            start_date=date(2026, 10, 5),
            planned_end_date=date(2026, 12, 7),
            school_days=40,
        )
        assert "past its six weeks" in html(client_for(sendco).get(placement.get_absolute_url()))

    @pytest.mark.parametrize("count", [2, 30])
    def test_its_queries_do_not_grow_with_its_records(
        self, client_for, sendco, school, count, django_assert_max_num_queries
    ):
        placement = PlacementFactory(pupil__school=school, status=S.ACTIVE, start_date=date(2026, 10, 5))
        days = [
            date(2026, 10, 5) + timedelta(days=n)
            for n in range(60)
            if (date(2026, 10, 5) + timedelta(days=n)).weekday() < 5
        ]
        for day in days[:count]:
            AttendanceMarkFactory(placement=placement, date=day, register_code="B" if day.day % 4 else "I")
        IncidentFactory.create_batch(count, placement=placement)
        VisitFactory.create_batch(count, placement=placement, staff=[sendco])
        HandoverFactory.create_batch(count, placement=placement)
        client = client_for(sendco)
        client.get(placement.get_absolute_url())  # the first page after sign-in also saves the session
        # 20 for the placement and its records (the contact log, the LA notifications, the parents'
        # agreement and the handovers' emergency contacts among them), 2 for the reviews section (its
        # reviews, then the plan's version and the targets), 1 for the recent marks a run of
        # unexplained absence is counted from (the daily chase), 1 for the school's latest decision
        # that the provision suits the pupil.
        with django_assert_max_num_queries(24):
            response = client.get(placement.get_absolute_url())
        assert response.status_code == 200 and html(response).count("Calm in the maths session.") == count


# --- Moves ---------------------------------------------------------------------------------------


class TestMoves:
    def test_asking_the_head_with_something_missing_says_what(self, client_for, sendco, at):
        placement = at(S.PLANNED, objectives="")
        response = client_for(sendco).post(url("move", placement), {"target": "awaiting_approval"}, follow=True)
        assert "Record the objectives and targets." in html(response)
        placement.refresh_from_db()
        assert placement.status == S.PLANNED

    def test_asking_the_head(self, client_for, sendco, at):
        placement = at(S.PLANNED)
        judged_suitable(placement, sendco)  # an off-site placement goes to the head once judged suitable
        response = client_for(sendco).post(url("move", placement), {"target": "awaiting_approval"}, follow=True)
        assert "The placement is now “awaiting approval”." in html(response)

    def test_cancelling_asks_why(self, client_for, sendco, at):
        placement = at(S.PLANNED)
        client = client_for(sendco)
        assert "There is a problem" in html(client.post(url("cancel", placement), {"reasons": ""}))
        assert client.post(url("cancel", placement), {"reasons": "Family moved."}).status_code == 302
        placement.refresh_from_db()
        assert placement.status == S.CANCELLED

    def test_ending_records_the_outcome(self, client_for, sendco, at):
        placement = at(S.ACTIVE, start_date=date(2026, 11, 16))
        client = client_for(sendco)
        data = {"outcome": "managed_move", "actual_end_date": "23/11/2026", "outcome_notes": "To Hillside."}
        assert client.post(url("end", placement), data).status_code == 302
        placement.refresh_from_db()
        assert (placement.status, placement.outcome, placement.actual_end_date) == (
            S.ENDED,
            "managed_move",
            date(2026, 11, 23),
        )

    def test_the_edit_page_keeps_what_the_head_approved(self, client_for, sendco, at, provider):
        placement = at(S.APPROVED)
        page = html(client_for(sendco).get(url("edit", placement)))
        assert "Fixed once the headteacher is asked to approve." in page
        data = _form(provider, cost_rate="1", planned_end_date="11/12/2026", school_days="15")
        response = client_for(sendco).post(url("edit", placement), data)
        assert response.status_code == 302
        placement.refresh_from_db()
        assert placement.cost_rate == 170 and placement.planned_end_date == date(2026, 12, 11)

    def test_the_history_page_shows_each_change(self, client_for, sendco, at):
        placement = at(S.PLANNED)
        placement_changed(actor=sendco, placement=placement, objectives="Attend every session, on time.")
        page = html(client_for(sendco).get(url("history", placement)))
        assert "Attend every session, on time." in page


# --- The parent notice ----------------------------------------------------------------------------


class TestNoticePage:
    def test_it_lists_what_is_missing(self, client_for, sendco, at):
        placement = at(S.APPROVED, transport="", what_to_bring="")
        page = html(client_for(sendco).get(url("notice", placement)))
        assert "The notice cannot be issued until these are put right:" in page
        assert "Transport is not recorded." in page and "What the pupil should bring is not recorded." in page
        assert "Issue the notice" not in page

    def test_when_ready_it_shows_the_deadline_and_recipients_and_issues(self, client_for, sendco, at):
        placement = at(S.APPROVED)
        client = client_for(sendco)
        page = html(client.get(url("notice", placement)))
        assert "By <strong>Thursday 26/11/2026</strong>" in page and "3 school days from today" in page
        assert "Donna Clarke" in page and "Every item the regulation" in page
        response = client.post(url("notice", placement), {"method": "post", "issued_on": "23/11/2026"})
        assert response.status_code == 302
        assert ParentNotice.objects.get(placement=placement).method == "post"
        assert "Issued by post on Monday 23/11/2026" in html(client.get(url("notice", placement)))

    @pytest.mark.parametrize("parents", [1, 6])
    def test_its_queries_do_not_grow_with_recipients(
        self, client_for, sendco, at, pupil, parents, django_assert_max_num_queries
    ):
        for n in range(parents - 1):
            ContactFactory(pupil=pupil, address=f"{n} Lane", postcode="ST1 1AA", priority=n + 2)
        placement = at(S.APPROVED)
        client = client_for(sendco)
        with django_assert_max_num_queries(10):
            page = html(client.get(url("notice", placement)))
        assert page.count("· Mother") == parents

    def test_issuing_late_asks_why(self, client_for, sendco, at):
        placement = at(S.APPROVED, start_date=date(2026, 11, 24))
        response = client_for(sendco).post(url("notice", placement), {"method": "post", "issued_on": "23/11/2026"})
        assert response.status_code == 400
        assert "The notice is due by 20/11/2026; say why it is given later than that." in html(response)

    def test_the_dsl_reads_it_but_cannot_issue_it(self, client_for, dsl, at):
        placement = at(S.APPROVED)
        assert "The SENDCo or headteacher issues the notice." in html(client_for(dsl).get(url("notice", placement)))
        assert client_for(dsl).post(url("notice", placement), {"method": "post"}).status_code == 403

    def test_a_placement_that_is_not_a_direction_has_no_notice_page(self, client_for, sendco, at):
        assert client_for(sendco).get(url("notice", at(S.APPROVED, directed_off_site=False))).status_code == 404

    def test_before_issue_the_pdf_is_a_watermarked_draft(self, client_for, sendco, at):
        response = client_for(sendco).get(url("notice_pdf", at(S.APPROVED)))
        name = saved_as(response)
        assert name.startswith("Parent notice – ") and name.endswith(" – DRAFT.pdf")
        assert "DRAFT—notissued" in pdf_text(response.content).replace(" ", "")

    def test_once_issued_the_stored_pdf_is_returned_byte_for_byte_after_the_placement_changes(
        self, client_for, sendco, at
    ):
        placement = at(S.NOTICE_ISSUED)
        stored = ParentNotice.objects.get(placement=placement).document.read_bytes()
        placement_changed(actor=sendco, placement=placement, objectives="Something else entirely.", transport="Bus.")
        response = client_for(sendco).get(url("notice_pdf", placement))
        assert response.content == stored
        assert "Something else entirely." not in pdf_text(response.content)
        assert RecordAccess.objects.filter(object_id=placement.public_id, action="download").count() == 1
        changed = html(client_for(sendco).get(url("notice", placement)))
        assert "Superseded: the placement has changed since the notice was issued" in changed
        assert "Objectives" in changed and "Send the amended notice" in changed


# --- Attendance ----------------------------------------------------------------------------------


@pytest.fixture
def running(at):
    return at(
        S.ACTIVE,
        start_date=date(2026, 11, 16),
        pattern="split",
        timetable=["mon_am", "mon_pm", "tue_am", "tue_pm", "wed_am", "wed_pm"],
    )


class TestAttendancePage:
    def test_the_week_shows_each_session_and_why_some_are_not_open(self, client_for, office, running):
        page = html(client_for(office).get(url("attendance", running)))
        assert "Week beginning Monday 23/11/2026" in page and "← Previous week" in page
        assert 'name="2026-11-23-am"' in page and 'aria-label="Monday 23/11/2026 morning: code"' in page
        assert 'name="2026-11-24-am"' not in page and "Not yet" in page  # tomorrow
        assert "In school" in page  # Thursday and Friday of a split placement
        assert 'list="attendance-codes"' in page
        assert_no_inline_code(page)

    def test_it_points_to_the_sessions_left_unmarked(self, client_for, office, running):
        AttendanceMarkFactory(placement=running, date=date(2026, 11, 16), session="am")
        page = html(client_for(office).get(url("attendance", running)))
        assert "5 sessions before today have no mark:" in page
        assert '<a href="?week=2026-11-16">Monday 16/11/2026 afternoon</a>' in page

    def test_it_saves_the_marks_typed(self, client_for, office, running):
        data = {"week": "2026-11-16", "2026-11-16-am": "b", "2026-11-16-pm": "I", "reason-2026-11-16-pm": "Ill"}
        response = client_for(office).post(url("attendance", running), data)
        assert response.status_code == 302 and response["Location"].endswith("?week=2026-11-16")
        assert AttendanceMark.objects.filter(placement=running).count() == 2
        page = html(client_for(office).get(url("attendance", running, week="2026-11-16")))
        assert 'value="I"' in page and f"{escape(str(office))}, 23/11" in page

    def test_it_shows_each_problem_in_its_cell_and_saves_nothing(self, client_for, office, running):
        data = {"week": "2026-11-16", "2026-11-16-am": "B", "2026-11-16-pm": "I", "2026-11-17-am": "K"}
        response = client_for(office).post(url("attendance", running), data)
        page = html(response)
        assert response.status_code == 400 and "Nothing was saved" in page
        assert "Give the reason for the absence recorded as I." in page and 'aria-invalid="true"' in page
        assert not AttendanceMark.objects.exists()

    def test_all_present_marks_only_the_unmarked_sessions_so_far(self, client_for, office, running):
        AttendanceMarkFactory(placement=running, date=date(2026, 11, 23), session="am", register_code="I", reason="Ill")
        response = client_for(office).post(url("all_present", running), {"week": "2026-11-23"})
        assert response.status_code == 302
        assert dict(AttendanceMark.objects.values_list("session", "code__code")) == {"am": "I", "pm": "B"}

    def test_the_dsl_reads_the_register_without_changing_it(self, client_for, dsl, running):
        AttendanceMarkFactory(placement=running, date=date(2026, 11, 16))
        page = html(client_for(dsl).get(url("attendance", running, week="2026-11-16")))
        assert '<input type="text" name="2026-11-16' not in page and "Save the marks" not in page
        assert client_for(dsl).post(url("attendance", running), {"2026-11-16-pm": "B"}).status_code == 403

    def test_it_waits_for_the_placement_to_start(self, client_for, sendco, at):
        placement = at(S.APPROVED)
        assert client_for(sendco).get(url("attendance", placement))["Location"] == placement.get_absolute_url()

    @pytest.mark.parametrize("days", [5, 75])
    def test_its_queries_do_not_grow_with_marks(self, client_for, office, school, days, django_assert_max_num_queries):
        placement = PlacementFactory(pupil__school=school, status=S.ACTIVE, start_date=date(2026, 9, 7))
        start = date(2026, 9, 7)
        for day in (start + timedelta(days=n) for n in range(days)):
            if day.weekday() < 5:
                for half in ("am", "pm"):
                    AttendanceMarkFactory(placement=placement, date=day, session=half)
        client = client_for(office)
        client.get(url("attendance", placement))  # the first page after sign-in also saves the session
        with django_assert_max_num_queries(13):
            response = client.get(url("attendance", placement, week="2026-11-16"))
        assert response.status_code == 200


# --- Records -------------------------------------------------------------------------------------


class TestRecordPages:
    def test_recording_an_incident(self, client_for, dsl, running):
        data = {
            "occurred_on": "23/11/2026",
            "occurred_time": "09:40",
            "severity": "moderate",
            "description": "Kicked a door.",
            "reported_by": "Jo Whitfield",
            "safeguarding_concern": "on",
        }
        response = client_for(dsl).post(url("incident_new", running), data, follow=True)
        assert "The incident is recorded. The DSLs have been told." in html(response)
        assert Incident.objects.get().safeguarding_concern

    def test_deciding_on_a_serious_incident(self, client_for, sendco, running):
        incident = IncidentFactory(placement=running, severity="serious")
        address = reverse("placements:incident_respond", args=[incident.public_id])
        assert "Course of action on a serious incident" in html(client_for(sendco).get(address))
        client_for(sendco).post(address, {"response": "Review on 01/12."})
        incident.refresh_from_db()
        assert incident.response == "Review on 01/12." and incident.responded_by == sendco

    def test_recording_a_visit(self, client_for, sendco, teacher, running):
        data = {"visited_on": "20/11/2026", "staff": [sendco.pk, teacher.pk], "what_was_seen": "Calm."}
        assert client_for(sendco).post(url("visit_new", running), data).status_code == 302
        assert Visit.objects.get().staff.count() == 2

    def test_recording_a_handover(self, client_for, sendco, at):
        placement = at(S.APPROVED)
        data = {
            "shared_on": "20/11/2026",
            "shared_by": sendco.pk,
            "shared_with": "Jo Whitfield",
            "items": ["attainment", "safeguarding"],
        }
        response = client_for(sendco).post(url("handover_new", placement), data, follow=True)
        assert "The handover is recorded." in html(response) and "Attainment data" in html(response)

    def test_the_handover_form_offers_the_pupils_contacts_and_shows_every_error(self, client_for, sendco, at):
        placement = at(S.APPROVED)
        ContactFactory(pupil=placement.pupil, name="Donna Clarke", phone="07700 900101")
        ContactFactory(pupil=placement.pupil, name="Ringless Parent", phone="")
        page = html(client_for(sendco).get(url("handover_new", placement)))
        assert "Donna Clarke (Mother) · 07700 900101" in page and "Ringless Parent" not in page
        data = {"shared_on": "20/11/2026", "shared_by": sendco.pk, "shared_with": "", "risks": "Runs off."}
        response = client_for(sendco).post(url("handover_new", placement), data)
        assert "Say how the provider should manage the risks." in html(response)
        assert "This field is required." in html(response)  # shared_with, at the same time
