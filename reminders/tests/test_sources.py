"""The reminder sources: each finds what is due, for the right people, once."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apcase.models import Notification
from apcase.tests.factories import MembershipFactory, UserFactory
from audits.tests.factories import (
    ProviderFactory,
    SafeguardingConfirmationFactory,
    cleared_provider,
    completed_audit,
    further_action,
)
from placements.tests.factories import AttendanceMarkFactory, PlacementFactory
from pupils.models import Pupil
from pupils.tests.factories import PupilFactory
from reminders.models import Reminder
from reminders.services import reminders_dispatch
from reviews.tests.factories import CheckInFactory, ReviewMeetingFactory, RunningPlacementFactory

TODAY = date(2026, 11, 23)


@pytest.fixture(autouse=True)
def today(time_machine):
    time_machine.move_to(datetime(2026, 11, 23, 9, 0, tzinfo=ZoneInfo("Europe/London")), tick=False)


def test_the_dsl_is_reminded_30_days_before_a_confirmation_expires(school, dsl, sendco, mailoutbox):
    provider = ProviderFactory(school=school, name="Littleton Green")
    SafeguardingConfirmationFactory(provider=provider, signed_on=date(2025, 12, 10), expires_on=date(2026, 12, 10))
    result = reminders_dispatch(today=TODAY, enqueue=False)
    assert result["sent"] == 1
    reminder = Reminder.objects.get()
    assert (reminder.kind, reminder.recipient, reminder.due_on) == ("confirmation_expiring", dsl, date(2026, 11, 10))
    assert "Littleton Green expires on 10/12/2026" in mailoutbox[0].subject


def test_the_dsl_and_sendco_are_reminded_a_month_before_a_commissioning_agreement_ends(school, dsl, sendco, head):
    provider = cleared_provider(school, dsl, name="Littleton Green", agreement_ends_on=date(2026, 12, 18))
    cleared_provider(school, dsl, name="Later", agreement_ends_on=date(2027, 3, 31))
    reminders_dispatch(today=TODAY, enqueue=False)
    reminders = Reminder.objects.filter(kind="agreement_expiring")
    assert {r.recipient for r in reminders} == {dsl, sendco}
    assert {r.object_id for r in reminders} == {provider.pk} and {r.due_on for r in reminders} == {date(2026, 11, 18)}


def test_a_newer_confirmation_silences_the_old_one(school, dsl):
    provider = ProviderFactory(school=school)
    SafeguardingConfirmationFactory(provider=provider, signed_on=date(2025, 12, 10), expires_on=date(2026, 12, 10))
    SafeguardingConfirmationFactory(provider=provider, signed_on=date(2026, 11, 1), expires_on=date(2027, 11, 1))
    assert reminders_dispatch(today=TODAY, enqueue=False)["created"] == 0


def test_an_audit_due_again_reminds_the_dsl(school, dsl):
    provider = ProviderFactory(school=school)
    completed_audit(provider, dsl, visit_date=date(2025, 12, 1))
    reminders_dispatch(today=TODAY, enqueue=False)
    reminder = Reminder.objects.get(kind="audit_expiring")
    assert reminder.recipient == dsl and reminder.due_on == date(2026, 11, 1)


def test_an_overdue_further_action_reminds_its_owner_and_the_dsl_once(school, dsl, sendco):
    provider = ProviderFactory(school=school)
    audit = completed_audit(provider, dsl, visit_date=date(2026, 10, 1))
    further_action(audit, sendco, due_on=date(2026, 11, 20))
    further_action(audit, sendco, due_on=date(2026, 12, 20), number=2)  # not yet due
    reminders_dispatch(today=TODAY, enqueue=False)
    reminders_dispatch(today=TODAY, enqueue=False)
    overdue = Reminder.objects.filter(kind="further_action_overdue")
    assert {r.recipient for r in overdue} == {dsl, sendco}
    assert Notification.objects.filter(kind="further_action_overdue").count() == 2


def test_retention_reviews_remind_the_head_and_office_weekly(school, head, office):
    pupil = PupilFactory(school=school)
    Pupil.objects.filter(pk=pupil.pk).update(leaving_date=date(2000, 7, 20))
    reminders_dispatch(today=TODAY, enqueue=False)
    reminders_dispatch(today=TODAY + timedelta(days=2), enqueue=False)  # the same week
    reminders = Reminder.objects.filter(kind="retention_review")
    assert {r.recipient for r in reminders} == {head, office}
    assert {r.due_on for r in reminders} == {date(2026, 11, 23)}
    assert reminders.order_by("pk")[0].title == "1 former pupil record is due for retention review"


# --- Reviews, notices, attendance and the return to class ----------------------------------------


def dispatch(day: date) -> dict:
    return reminders_dispatch(today=day, enqueue=False)


def sent_to(kind: str) -> set:
    return {reminder.recipient for reminder in Reminder.objects.filter(kind=kind, status=Reminder.Status.SENT)}


class TestReviewReminders:
    def test_the_sendco_is_reminded_five_school_days_before_a_review_is_due_once(
        self, school, sendco, head, mailoutbox
    ):
        pupil = PupilFactory(school=school, legal_first_name="Jayden", legal_last_name="Clarke")
        review = ReviewMeetingFactory(placement__pupil=pupil, due_on=date(2026, 11, 30))
        dispatch(date(2026, 11, 20))  # Friday: six school days before
        assert not Reminder.objects.filter(kind="review_due").exists()
        dispatch(TODAY)  # Monday 23/11: five school days before Monday 30/11
        dispatch(TODAY)
        dispatch(date(2026, 11, 24))
        reminder = Reminder.objects.get(kind="review_due")
        assert (reminder.recipient, reminder.due_on, reminder.target, reminder.status) == (
            sendco,
            TODAY,
            review,
            "sent",
        )
        [email] = [m for m in mailoutbox if "A review for" in m.subject]
        assert email.subject.endswith("A review for J.C. is due by 30/11/2026")
        assert "Jayden" not in email.body and review.get_absolute_url() in email.body

    def test_a_review_held_or_cancelled_before_its_reminder_date_is_never_reminded(self, school, sendco):
        ReviewMeetingFactory(placement__pupil__school=school, due_on=date(2026, 11, 30), held=True)
        ReviewMeetingFactory(
            placement__pupil__school=school, due_on=date(2026, 11, 30), status="cancelled", cancellation_reason="Ill."
        )
        dispatch(TODAY)
        assert not Reminder.objects.filter(kind__startswith="review").exists()

    def test_an_overdue_review_reaches_the_sendco_then_after_five_school_days_the_head(self, school, sendco, head):
        ReviewMeetingFactory(placement__pupil__school=school, due_on=date(2026, 11, 16))
        dispatch(date(2026, 11, 17))
        assert sent_to("review_overdue") == {sendco} and sent_to("review_overdue_escalated") == set()
        dispatch(date(2026, 11, 20))  # four school days overdue
        assert sent_to("review_overdue_escalated") == set()
        dispatch(TODAY)  # five
        assert sent_to("review_overdue_escalated") == {head}
        assert Reminder.objects.filter(kind__startswith="review_overdue").count() == 2


class TestPlacementReminders:
    def test_the_notice_deadline_approaching_reaches_the_sendco_and_head(self, school, sendco, head, dsl):
        PlacementFactory(pupil__school=school, status="approved", directed_off_site=True, start_date=date(2026, 11, 30))
        # The notice is due by Thursday 26/11 (two school days before Monday 30/11): reminded on Tuesday.
        assert dispatch(TODAY)["created"] == 0
        dispatch(date(2026, 11, 24))
        assert sent_to("notice_deadline") == {sendco, head}
        assert Reminder.objects.get(kind="notice_deadline", recipient=head).title.endswith(
            "must be issued by 26/11/2026"
        )

    def test_unmarked_sessions_reach_the_office_and_sendco_once_from_the_first_day(self, school, sendco, office, dsl):
        placement = RunningPlacementFactory(pupil__school=school, start_date=date(2026, 11, 16))
        for half in ("am", "pm"):
            AttendanceMarkFactory(placement=placement, date=date(2026, 11, 16), session=half)
        dispatch(date(2026, 11, 17))  # Monday's sessions are marked: nothing due yet
        assert not Reminder.objects.exists()
        dispatch(date(2026, 11, 18))
        dispatch(date(2026, 11, 19))  # still unmarked: the same reminder, not another
        reminders = Reminder.objects.filter(kind="attendance_missing")
        assert {r.recipient for r in reminders} == {office, sendco} and {r.due_on for r in reminders} == {
            date(2026, 11, 18)
        }
        assert reminders.order_by("pk")[0].title.endswith("is not recorded since 17/11/2026")

    def test_a_first_day_with_no_start_recorded_reaches_the_sendco_and_off_site_the_dsl(
        self, school, sendco, dsl, office
    ):
        offsite = PlacementFactory(pupil__school=school, status="approved", start_date=date(2026, 11, 24))
        internal = ProviderFactory(school=school, internal=True)
        on_site = PlacementFactory(
            pupil__school=school, provider=internal, site=None, status="planned", start_date=date(2026, 11, 24)
        )
        dispatch(TODAY)  # the day before: nothing yet
        assert not Reminder.objects.filter(kind="first_day_passed").exists()
        dispatch(date(2026, 11, 24))
        dispatch(date(2026, 11, 25))  # still not started: the same reminders, not more
        reminders = Reminder.objects.filter(kind="first_day_passed")
        assert sorted((r.recipient.username, r.object_id) for r in reminders) == sorted(
            [("sendco", offsite.pk), ("dsl", offsite.pk), ("sendco", on_site.pk)]
        )
        assert reminders.order_by("pk")[0].title == (
            f"No start is recorded for {offsite.pupil.initials}'s placement, due to begin on 24/11/2026: "
            "where is the pupil?"
        )

    def test_an_iap_past_six_weeks_reaches_the_sendco_the_next_school_day(self, school, sendco):
        provider = ProviderFactory(school=school, internal=True, short_term_iap=True)
        RunningPlacementFactory(
            pupil__school=school,
            provider=provider,
            site=None,
            directed_off_site=False,
            start_date=date(2026, 10, 5),
            planned_end_date=date(2026, 12, 11),
        )
        dispatch(TODAY)  # the six weeks end today, 23/11
        assert sent_to("iap_past_six_weeks") == set()
        dispatch(date(2026, 11, 24))
        assert sent_to("iap_past_six_weeks") == {sendco}

    def test_a_check_in_due_reaches_the_sendco_and_the_class_teacher(self, school, sendco, teacher):
        CheckInFactory(placement__pupil=PupilFactory(school=school, class_teacher=teacher), due_on=TODAY)
        assert dispatch(date(2026, 11, 20))["created"] == 0
        dispatch(TODAY)
        dispatch(TODAY)
        assert sent_to("check_in_due") == {sendco, teacher}
        assert Reminder.objects.filter(kind="check_in_due").count() == 2


def _school_open_on_dst_mondays():
    """A school whose terms run through both Mondays after the clocks change (England's do not)."""
    from apcase.models import AcademicYear, HalfTerm
    from apcase.tests.factories import SchoolFactory

    school = SchoolFactory(calendar=False)
    for label, start, end in [
        ("2025/26", date(2026, 2, 23), date(2026, 4, 10)),
        ("2026/27", date(2026, 9, 1), date(2026, 11, 6)),
    ]:
        year = AcademicYear.objects.create(school=school, label=label, start_date=start, end_date=end)
        HalfTerm.objects.create(
            academic_year=year, term="spring" if start.month == 2 else "autumn", half=1, start_date=start, end_date=end
        )
    return school


# Each moment (UTC) with how many review-due reminders have gone by then.
@pytest.mark.parametrize(
    ("due_on", "moments"),
    [
        # Spring: the clocks go forward at 01:00 GMT on Sunday 29/03. The reminder for a review due
        # Wednesday 08/04 is due five school days before (Good Friday 03/04 and Easter Monday 06/04
        # are bank holidays): Monday 30/03, which in London begins at 23:00 UTC on Sunday.
        (
            date(2026, 4, 8),
            [
                ((2026, 3, 29, 0, 30), 0),
                ((2026, 3, 29, 22, 30), 0),
                ((2026, 3, 29, 23, 30), 1),
                ((2026, 3, 30, 8, 0), 1),  # and not again
            ],
        ),
        # Autumn: the clocks go back at 01:00 UTC on Sunday 25/10, so 01:30 in London happens twice.
        # The reminder for a review due Monday 02/11 is due Monday 26/10, which begins at 00:00 UTC.
        (
            date(2026, 11, 2),
            [
                ((2026, 10, 24, 23, 30), 0),
                ((2026, 10, 25, 0, 30), 0),
                ((2026, 10, 25, 1, 30), 0),
                ((2026, 10, 25, 23, 59), 0),
                ((2026, 10, 26, 0, 30), 1),
                ((2026, 10, 26, 9, 0), 1),
            ],
        ),
    ],
)
def test_review_reminders_fire_on_the_london_school_day_across_both_dst_sundays(db, time_machine, due_on, moments):
    school = _school_open_on_dst_mondays()
    sendco = UserFactory()
    MembershipFactory(user=sendco, school=school, role="sendco")
    ReviewMeetingFactory(
        placement__pupil__school=school,
        placement__start_date=due_on - timedelta(days=21),
        placement__planned_end_date=due_on + timedelta(days=7),
        due_on=due_on,
    )
    for utc_moment, sent in moments:
        time_machine.move_to(datetime(*utc_moment).replace(tzinfo=ZoneInfo("UTC")), tick=False)
        reminders_dispatch(enqueue=False)
        assert len(sent_to("review_due")) == sent, utc_moment
    assert Reminder.objects.get(kind="review_due").recipient == sendco


@pytest.mark.parametrize("count", [3, 15])
def test_the_dispatcher_reads_every_source_in_a_fixed_number_of_queries(
    school, dsl, sendco, head, office, teacher, count
):
    iap = ProviderFactory(school=school, internal=True, short_term_iap=True)
    for _ in range(count):
        provider = ProviderFactory(school=school)
        SafeguardingConfirmationFactory(provider=provider, signed_on=date(2025, 12, 10), expires_on=date(2026, 12, 10))
        completed_audit(provider, dsl, visit_date=date(2025, 12, 1))
        running = RunningPlacementFactory(pupil__school=school, start_date=date(2026, 11, 16))  # unmarked sessions
        ReviewMeetingFactory(placement=running, due_on=date(2026, 11, 25))  # due within five school days
        ReviewMeetingFactory(placement=running, due_on=date(2026, 11, 9))  # overdue and escalated
        PlacementFactory(pupil__school=school, status="approved", directed_off_site=True, start_date=date(2026, 11, 25))
        RunningPlacementFactory(
            pupil__school=school,
            provider=iap,
            site=None,
            directed_off_site=False,
            start_date=date(2026, 9, 14),
            planned_end_date=date(2026, 12, 11),
        )
        CheckInFactory(placement__pupil=PupilFactory(school=school, class_teacher=teacher), due_on=TODAY)
    from reminders.services import reminders_derive

    # The DSL: a confirmation and an audit expiring. The SENDCo: a review due and one overdue; the
    # head: that one escalated. Both: the notice. The office and SENDCo: two placements' unmarked
    # sessions. The SENDCo: the IAP. The SENDCo and class teacher: the check-in.
    per_item = 2 + 2 + 1 + 2 + 4 + 1 + 2
    ContentType.objects.clear_cache()  # counted the same whichever test ran first
    with CaptureQueriesContext(connection) as queries:
        created = reminders_derive(today=TODAY)
    # Reads do not grow with the data; the insert is batched by the database's own limits. The daily
    # chase's escalations read the placements and their recent marks (two).
    reads = [query for query in queries.captured_queries if query["sql"].startswith("SELECT")]
    assert len(reads) <= 43
    assert created == count * per_item


def test_a_contacts_follow_up_date_reminds_whoever_recorded_it_that_day(school, dsl, sendco):
    from placements.services import contact_record

    placement = RunningPlacementFactory(
        pupil__school=school, pupil__legal_first_name="Jayden", pupil__legal_last_name="Clarke"
    )
    entry = contact_record(
        actor=dsl,
        pupil=placement.pupil,
        placement=placement,
        party="provider",
        with_whom="Ms Reid",
        how="call",
        contacted_on=TODAY,
        agreed="Call again on Wednesday.",
        follow_up_on=date(2026, 11, 25),
    )
    reminders_dispatch(today=date(2026, 11, 24), enqueue=False)
    assert not Reminder.objects.filter(kind="contact_follow_up").exists()
    reminders_dispatch(today=date(2026, 11, 25), enqueue=False)
    reminder = Reminder.objects.get(kind="contact_follow_up")
    assert (reminder.recipient, reminder.due_on, reminder.target) == (dsl, date(2026, 11, 25), entry)
    assert reminder.title == "Follow up your phone call about J.C. (the provider)"


def test_a_run_of_unexplained_absence_tells_the_sendco_and_dsl_once_by_email(school, sendco, dsl, teacher, mailoutbox):
    """The school's escalation (four sessions by default): one reminder each, e-mailed once,
    however many times the dispatcher runs while the run goes on (placements.selectors.chase)."""
    placement = PlacementFactory(pupil__school=school, status="active")
    for day in (date(2026, 11, 30), date(2026, 12, 1), date(2026, 12, 2)):
        for session in ("am", "pm"):
            AttendanceMarkFactory(placement=placement, date=day, session=session, register_code="O")
    reminders_dispatch(today=date(2026, 11, 30), enqueue=False)
    assert not Reminder.objects.filter(kind="absence_escalated").exists()  # two sessions: not yet
    reminders_dispatch(today=date(2026, 12, 1), enqueue=False)
    reminders_dispatch(today=date(2026, 12, 2), enqueue=False)
    told = Reminder.objects.filter(kind="absence_escalated")
    assert {(r.recipient, r.due_on, r.status) for r in told} == {
        (sendco, date(2026, 11, 30), "sent"),
        (dsl, date(2026, 11, 30), "sent"),
    }
    escalation_mail = [m for m in mailoutbox if "in a row" in m.subject or "in a row" in m.body]
    assert sorted(m.to[0] for m in escalation_mail) == sorted([sendco.email, dsl.email])
    assert all(placement.pupil.last_name not in reminder.title for reminder in told)
