"""The daily attendance chase: who the office calls home about, the call's outcome, runs of
unexplained absence counted on the school calendar, the escalation, the attendance return to the LA
(SI 2024/208 reg 13: 10 school days) and the Virtual School's letter, each once a run."""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from apcase.models import Closure
from outbox.models import Message
from placements.models import AttendanceMark, ChaseNotice, ContactLog, Placement
from placements.selectors.attention import Attention
from placements.selectors.chase import absence_run, call_home_for, calls_home, escalated_runs
from placements.services.chase import chase_call_record, chase_notice_send
from placements.tests.factories import AttendanceMarkFactory, PlacementFactory
from pupils.models import Contact
from pupils.tests.factories import ContactFactory, PupilFactory

pytestmark = pytest.mark.django_db
S = Placement.Status
MONDAY = date(2026, 11, 30)  # the factory placement's first day
Outcome = ContactLog.Outcome


def at(day: date, hour: int = 11, minute: int = 0):
    return time_machine.travel(timezone.make_aware(datetime.combine(day, time(hour, minute))), tick=False)


def mark(placement, day, session="am", code="O", reason=""):
    return AttendanceMarkFactory(placement=placement, date=day, session=session, register_code=code, reason=reason)


def absent_every_school_day(placement, days, code="O"):
    for day in days:
        for session in ("am", "pm"):
            mark(placement, day, session, code)


@pytest.fixture
def placement(school):
    pupil = PupilFactory(school=school, legal_first_name="Jayden", legal_last_name="Clarke")
    ContactFactory(pupil=pupil, name="Donna Clarke", phone="07700 900123", priority=1)
    return PlacementFactory(pupil=pupil, status=S.ACTIVE)


def _call_tokens(client) -> list[str]:
    """The one-time tokens of the chase page's call forms, in the page's order."""
    return re.findall(r'name="once" value="([0-9a-f-]{36})"', client.get(reverse("placements:chase")).text)


def _run(placement, today):
    marks = {(m.date, m.session): m for m in AttendanceMark.objects.filter(placement=placement).select_related("code")}
    return absence_run(placement, marks, today)


class TestWhoIsCalledAbout:
    def test_an_unmarked_morning_is_chased_only_once_the_cut_off_has_passed(self, placement):
        with at(MONDAY, 9, 59):
            assert calls_home(Placement.objects.all()) == []
        with at(MONDAY, 10, 0):
            [item] = calls_home(Placement.objects.all())
        assert item.placement == placement
        assert [chased.label for chased in item.sessions] == ["Morning: not marked by the cut-off"]
        assert [c.name for c in item.family] == ["Donna Clarke"]

    def test_an_absence_without_a_reason_is_chased_an_explained_absence_or_presence_is_not(self, placement, school):
        explained = PlacementFactory(pupil__school=school, status=S.ACTIVE)
        present = PlacementFactory(pupil__school=school, status=S.ACTIVE)
        mark(placement, MONDAY, "am", "N")
        mark(explained, MONDAY, "am", "I", reason="Tonsillitis, mother rang at 8.30.")
        mark(present, MONDAY, "am", "B")
        with at(MONDAY, 12):
            found = {item.placement: item for item in calls_home(Placement.objects.all())}
        assert set(found) == {placement}
        assert found[placement].sessions[0].label == "Morning: absent (N), no reason"

    def test_the_office_gets_a_call_home_to_do_until_the_family_is_reached(self, placement, office):
        with at(MONDAY, 10, 30):
            todos = Attention(user=office, today=MONDAY).todos("call_home")
            assert [todo.placement for todo in todos] == [placement]
            assert todos[0].action.startswith("call home: morning: not marked by the cut-off")
            contact = placement.pupil.contacts.get()
            chase_call_record(actor=office, placement=placement, contact=contact, outcome=Outcome.NO_ANSWER)
            assert Attention(user=office, today=MONDAY).todos("call_home") != []  # call again
            chase_call_record(actor=office, placement=placement, contact=contact, outcome=Outcome.MESSAGE_LEFT)
            assert Attention(user=office, today=MONDAY).todos("call_home") == []

    def test_the_list_reads_a_fixed_number_of_queries(self, school, django_assert_max_num_queries):
        for _ in range(4):
            pupil = PupilFactory(school=school)
            ContactFactory.create_batch(2, pupil=pupil)
            PlacementFactory(pupil=pupil, status=S.ACTIVE)
        with at(MONDAY, 11), django_assert_max_num_queries(7):
            items = calls_home(Placement.objects.all())
            said = [c.phone for item in items for c in item.family] + [i.placement.pupil.display_name for i in items]
        assert len(items) == 4 and len(said) == 12


class TestTheCall:
    def test_a_reason_given_makes_todays_absence_explained_with_the_reason_in_history(self, placement, office):
        with at(MONDAY, 9, 30):
            mark(placement, MONDAY, "am", "N")
        contact = placement.pupil.contacts.get()
        with at(MONDAY, 10, 30):
            entry = chase_call_record(
                actor=office, placement=placement, contact=contact, outcome=Outcome.REASON_GIVEN,
                code="I", reason="Sickness bug overnight.",
            )  # fmt: skip
            assert call_home_for(placement) is None
        assert entry.party == ContactLog.Party.PARENT and entry.with_whom == "Donna Clarke (Mother)"
        assert entry.contacted_on == MONDAY and "Sickness bug overnight." in entry.agreed
        marked = AttendanceMark.objects.get(placement=placement, date=MONDAY, session="am")
        assert (marked.code.code, marked.reason) == ("I", "Sickness bug overnight.")
        assert [h.code.code for h in marked.history.order_by("history_date")] == ["N", "I"]
        assert marked.history.latest().history_user == office

    def test_a_reason_given_needs_the_code_and_the_reason_both_said_at_once(self, placement, office):
        contact = placement.pupil.contacts.get()
        with at(MONDAY, 10, 30), pytest.raises(ValidationError) as error:
            chase_call_record(
                actor=office, placement=placement, contact=contact, outcome=Outcome.REASON_GIVEN, code="O"
            )
        assert set(error.value.message_dict) == {"code", "reason"}
        assert not ContactLog.objects.exists()

    def test_a_teacher_records_no_call_and_another_pupils_contact_is_refused(self, placement, teacher, office, school):
        with at(MONDAY, 10, 30):
            with pytest.raises(PermissionDenied):
                chase_call_record(
                    actor=teacher,
                    placement=placement,
                    contact=placement.pupil.contacts.get(),
                    outcome=Outcome.NO_ANSWER,
                )
            with pytest.raises(ValidationError, match="this pupil's contacts"):
                chase_call_record(
                    actor=office, placement=placement, contact=ContactFactory(), outcome=Outcome.NO_ANSWER
                )


class TestRuns:
    def test_consecutive_unexplained_sessions_count_back_over_the_weekend(self, placement):
        absent_every_school_day(placement, [date(2026, 12, 3), date(2026, 12, 4)])
        mark(placement, date(2026, 12, 7), "am", "N")
        run = _run(placement, date(2026, 12, 7))
        assert (run.sessions, run.sessions_from) == (5, date(2026, 12, 3))

    def test_an_explained_absence_or_a_presence_ends_the_run(self, placement):
        mark(placement, date(2026, 12, 2), "am", "B")
        mark(placement, date(2026, 12, 2), "pm", "I", reason="GP appointment.")
        absent_every_school_day(placement, [date(2026, 12, 3), date(2026, 12, 4)])
        run = _run(placement, date(2026, 12, 4))
        assert (run.sessions, run.sessions_from, run.school_days) == (4, date(2026, 12, 3), 2)
        AttendanceMark.objects.filter(placement=placement, date=date(2026, 12, 2), session="pm").delete()
        assert _run(placement, date(2026, 12, 4)).sessions == 4  # an unmarked past session ends it too

    def test_a_day_the_pupil_is_at_school_ends_the_run(self, school):
        placement = PlacementFactory(
            pupil__school=school, status=S.ACTIVE, pattern=Placement.Pattern.PART_TIME,
            timetable=["mon_am", "mon_pm", "wed_am", "wed_pm"], sessions_per_week=4,
        )  # fmt: skip
        absent_every_school_day(placement, [date(2026, 11, 30), date(2026, 12, 2)])
        assert _run(placement, date(2026, 12, 2)).sessions == 2  # Tuesday, in school, ends it

    def test_the_escalation_tells_the_sendco_and_dsl_after_the_schools_number_of_sessions(self, placement, sendco, dsl):
        school = placement.school
        school.chase_escalation_sessions = 3
        school.save()
        mark(placement, MONDAY, "am")
        mark(placement, MONDAY, "pm")
        with at(MONDAY, 16):
            assert escalated_runs(Placement.objects.all(), today=MONDAY) == []
        mark(placement, date(2026, 12, 1), "am")
        with at(date(2026, 12, 1), 16):
            [item] = escalated_runs(Placement.objects.all(), today=date(2026, 12, 1))
            for user in (sendco, dsl):
                [todo] = Attention(user=user, today=date(2026, 12, 1)).todos("absence_escalated")
                assert todo.action == "3 unexplained sessions in a row"
        assert item.escalated and not item.return_due and not item.virtual_school_due


SUMMER = date(2027, 4, 26)  # a Monday: 30 April an INSET day, 3 May the early May bank holiday
TEN_DAYS = [SUMMER + timedelta(days=n) for n in (0, 1, 2, 3, 8, 9, 10, 11, 14, 15)]


@pytest.fixture
def summer_placement(school):
    Closure.objects.create(school=school, date=date(2027, 4, 30), kind=Closure.Kind.INSET)
    pupil = PupilFactory(school=school, looked_after=True)
    ContactFactory(pupil=pupil, name="Sam Ortiz", relationship=Contact.Relationship.FOSTER_CARER)
    placement = PlacementFactory(
        pupil=pupil, status=S.ACTIVE, start_date=SUMMER, planned_end_date=date(2027, 5, 28), school_days=25
    )
    absent_every_school_day(placement, TEN_DAYS)
    return placement


class TestTheAttendanceReturn:
    """SI 2024/208 reg 13: absent without authorisation for a continuous period of not less than
    10 school days, counted on the school's calendar (docs/domain-rules.md#attendance-return)."""

    def test_nine_school_days_are_not_enough_ten_are_over_a_weekend_a_bank_holiday_and_an_inset_day(
        self, summer_placement
    ):
        ninth, tenth = TEN_DAYS[8], TEN_DAYS[9]
        assert (ninth, tenth) == (date(2027, 5, 10), date(2027, 5, 11))
        run = _run(summer_placement, ninth)
        assert (run.school_days, run.days_from) == (9, SUMMER)
        with at(ninth, 17):
            [item] = escalated_runs(Placement.objects.all(), today=ninth)
            assert not item.return_due
        with at(tenth, 17):
            [item] = escalated_runs(Placement.objects.all(), today=tenth)
            assert item.return_due and item.run.school_days == 10

    def test_today_counts_only_once_every_session_is_marked_unauthorised(self, summer_placement):
        tenth = TEN_DAYS[9]
        AttendanceMark.objects.filter(placement=summer_placement, date=tenth, session="pm").delete()
        assert _run(summer_placement, tenth).school_days == 9
        mark(summer_placement, tenth, "pm", "I", reason="Ill after lunch.")
        assert _run(summer_placement, tenth).school_days == 0  # today authorised in part: no longer continuous

    def test_the_return_is_prepared_for_the_las_address_and_sent_once_a_run(self, summer_placement, sendco, office):
        tenth = TEN_DAYS[9]
        with at(tenth, 17):
            with pytest.raises(PermissionDenied):
                chase_notice_send(actor=office, placement=summer_placement, kind=ChaseNotice.Kind.ATTENDANCE_RETURN)
            notice = chase_notice_send(
                actor=sendco, placement=summer_placement, kind=ChaseNotice.Kind.ATTENDANCE_RETURN
            )
            with pytest.raises(ValidationError, match="was sent on"):
                chase_notice_send(actor=sendco, placement=summer_placement, kind=ChaseNotice.Kind.ATTENDANCE_RETURN)
            [todo] = Attention(user=sendco, today=tenth).todos("absence_escalated")
        message = notice.message
        la = summer_placement.school.local_authority
        assert (message.purpose, message.channel, message.recipient_email) == (
            "attendance_return",
            "email",
            la.ap_email,
        )
        assert (
            summer_placement.pupil.last_name not in message.subject
            and summer_placement.pupil.first_name not in message.subject
        )
        assert message.document is not None and message.document.read_bytes().startswith(b"%PDF")
        assert notice.run_started_on == SUMMER
        assert "attendance return" not in todo.action  # sent: the to-do no longer asks for it

    def test_before_ten_days_the_return_is_refused(self, summer_placement, sendco):
        with at(TEN_DAYS[8], 17), pytest.raises(ValidationError, match="after 10 school days"):
            chase_notice_send(actor=sendco, placement=summer_placement, kind=ChaseNotice.Kind.ATTENDANCE_RETURN)
        assert not Message.objects.exists()


class TestTheVirtualSchool:
    def test_a_looked_after_pupils_run_goes_to_the_virtual_school_once(self, summer_placement, dsl):
        day = TEN_DAYS[1]
        with at(day, 17):
            [item] = escalated_runs(Placement.objects.all(), today=day)
            assert item.virtual_school_due
            with pytest.raises(ValidationError, match="Add the Virtual School"):
                chase_notice_send(actor=dsl, placement=summer_placement, kind=ChaseNotice.Kind.VIRTUAL_SCHOOL)
            ContactFactory(
                pupil=summer_placement.pupil, name="Virtual School Head", email="vsh@la.example",
                relationship=Contact.Relationship.VIRTUAL_SCHOOL, parental_responsibility=False,
            )  # fmt: skip
            notice = chase_notice_send(actor=dsl, placement=summer_placement, kind=ChaseNotice.Kind.VIRTUAL_SCHOOL)
            with pytest.raises(ValidationError, match="was sent on"):
                chase_notice_send(actor=dsl, placement=summer_placement, kind=ChaseNotice.Kind.VIRTUAL_SCHOOL)
        assert (notice.message.recipient_email, notice.message.purpose) == ("vsh@la.example", "virtual_school")
        assert summer_placement.pupil.last_name not in notice.message.body

    def test_a_pupil_not_looked_after_has_no_virtual_school_letter(self, placement, dsl):
        absent_every_school_day(placement, [MONDAY, date(2026, 12, 1)])
        with at(date(2026, 12, 1), 17):
            [item] = escalated_runs(Placement.objects.all(), today=date(2026, 12, 1))
            assert item.escalated and not item.virtual_school_due
            with pytest.raises(ValidationError, match="looked-after"):
                chase_notice_send(actor=dsl, placement=placement, kind=ChaseNotice.Kind.VIRTUAL_SCHOOL)


class TestThePage:
    def test_the_office_sees_the_chase_and_records_a_call_in_two_clicks(self, placement, office, client_for):
        client = client_for(office)
        with at(MONDAY, 10, 30):
            page = client.get(reverse("placements:chase"))
            assert page.status_code == 200
            text = page.content.decode()
            assert "Jayden Clarke" in text and 'href="tel:07700 900123"' in text
            contact = placement.pupil.contacts.get()
            response = client.post(
                reverse("placements:chase_call", args=[placement.public_id]),
                {"contact": contact.public_id, "outcome": "no_answer"},
            )
        assert response.status_code == 302
        assert ContactLog.objects.get().outcome == Outcome.NO_ANSWER

    def test_a_call_outcome_pressed_twice_is_logged_once(self, placement, office, client_for):
        ContactFactory(pupil=placement.pupil, name="Lee Clarke", phone="07700 900124", priority=2)
        client = client_for(office)
        call = reverse("placements:chase_call", args=[placement.public_id])
        donna = placement.pupil.contacts.get(name="Donna Clarke")
        with at(MONDAY, 10, 30):
            tokens = _call_tokens(client)
            assert len(set(tokens)) == 2  # one for each contact's buttons: pressing one leaves the other's
            pressed = {"contact": donna.public_id, "outcome": Outcome.NO_ANSWER, "once": tokens[0]}
            assert client.post(call, pressed).status_code == 302
            again = client.post(call, pressed, follow=True)
        assert "recorded already: the contact log has it once" in again.text
        assert ContactLog.objects.filter(pupil=placement.pupil).count() == 1

    def test_a_later_call_from_the_reloaded_page_is_logged(self, placement, office, client_for):
        client = client_for(office)
        call = reverse("placements:chase_call", args=[placement.public_id])
        contact = placement.pupil.contacts.get()
        with at(MONDAY, 10, 30):
            for outcome in (Outcome.NO_ANSWER, Outcome.MESSAGE_LEFT):
                [token] = _call_tokens(client)
                client.post(call, {"contact": contact.public_id, "outcome": outcome, "once": token})
        assert set(ContactLog.objects.values_list("outcome", flat=True)) == {Outcome.NO_ANSWER, Outcome.MESSAGE_LEFT}

    def test_a_refused_call_leaves_its_buttons_usable(self, placement, office, client_for):
        """A call refused (a reason given with no code) makes nothing, so the same buttons, pressed
        again with a proper answer, record it: the refusal does not use up the one-time token."""
        client = client_for(office)
        call = reverse("placements:chase_call", args=[placement.public_id])
        contact = placement.pupil.contacts.get()
        with at(MONDAY, 10, 30):
            [token] = _call_tokens(client)
            client.post(call, {"contact": contact.public_id, "outcome": "reason_given", "once": token})
            client.post(call, {"contact": contact.public_id, "outcome": Outcome.NO_ANSWER, "once": token})
        assert list(ContactLog.objects.values_list("outcome", flat=True)) == [Outcome.NO_ANSWER]

    def test_a_refused_call_says_every_problem(self, placement, office, client_for):
        client = client_for(office)
        with at(MONDAY, 10, 30):
            response = client.post(
                reverse("placements:chase_call", args=[placement.public_id]),
                {"contact": placement.pupil.contacts.get().public_id, "outcome": "reason_given"},
                follow=True,
            )
        text = response.content.decode()
        assert "Choose the register code" in text and "Write down the reason" in text

    def test_an_empty_day_says_so(self, school, office, client_for):
        with at(MONDAY, 10, 30):
            assert "No calls to make" in client_for(office).get(reverse("placements:chase")).content.decode()

    def test_the_page_reads_a_fixed_number_of_queries(self, school, office, client_for, django_assert_max_num_queries):
        for _ in range(3):
            pupil = PupilFactory(school=school)
            ContactFactory.create_batch(2, pupil=pupil)
            placement = PlacementFactory(pupil=pupil, status=S.ACTIVE)
            absent_every_school_day(placement, [MONDAY, date(2026, 12, 1)])
        client = client_for(office)
        with at(date(2026, 12, 2), 11):
            for placement in Placement.objects.all():  # two calls a pupil, each naming who made it
                for contact in placement.pupil.contacts.all():
                    chase_call_record(actor=office, placement=placement, contact=contact, outcome=Outcome.NO_ANSWER)
            client.get(reverse("placements:chase"))
            with django_assert_max_num_queries(30):
                assert client.get(reverse("placements:chase")).status_code == 200

    def test_the_office_and_leaders_open_the_chase_a_teacher_or_governor_may_not(
        self, placement, office, sendco, dsl, teacher, governor, client_for
    ):
        with at(MONDAY, 10, 30):
            statuses = {user.username: client_for(user).get(reverse("placements:chase")).status_code for user in
                        (office, sendco, dsl, teacher, governor)}  # fmt: skip
        assert statuses == {"office": 200, "sendco": 200, "dsl": 200, "teacher": 403, "governor": 403}

    def test_the_placement_page_says_when_the_attendance_return_is_due(self, summer_placement, sendco, client_for):
        with at(TEN_DAYS[8], 17):
            page = client_for(sendco).get(summer_placement.get_absolute_url())
            assert page.status_code == 200 and "regulation 13" not in page.content.decode()
        with at(TEN_DAYS[9], 17):
            text = client_for(sendco).get(summer_placement.get_absolute_url()).content.decode()
        assert "regulation 13" in text and "Send the attendance return" in text
