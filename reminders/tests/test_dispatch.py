"""The dispatcher: derives due work, sends each reminder exactly once, loses nothing."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from smtplib import SMTPException

import pytest
from django.core.management import call_command
from django.utils import timezone

from apcase.models import Notification
from reminders.models import Reminder
from reminders.services import reminder_send, reminders_dispatch

TODAY = date(2026, 1, 6)


def test_it_sends_each_due_reminder_once_with_an_email_and_a_notification(due_source, school, sendco, head, mailoutbox):
    due_source(school, sendco, head)
    result = reminders_dispatch(today=TODAY, enqueue=False)
    assert result["created"] == 2 and result["sent"] == 2
    assert Notification.objects.filter(kind="test_due").count() == 2
    assert sorted(m.to[0] for m in mailoutbox) == sorted([sendco.email, head.email])
    assert "Review due for J.S." in mailoutbox[0].subject


def test_running_the_dispatcher_twice_sends_nothing_more(due_source, school, sendco, mailoutbox):
    due_source(school, sendco)
    reminders_dispatch(today=TODAY, enqueue=False)
    second = reminders_dispatch(today=TODAY, enqueue=False)
    assert second == {"created": 0, "reaped": 0, "due": 0, "queued": 0, "sent": 0}
    assert len(mailoutbox) == 1
    assert Notification.objects.filter(user=sendco).count() == 1


def test_it_waits_until_the_due_date(due_source, school, sendco, mailoutbox):
    due_source(school, sendco)
    result = reminders_dispatch(today=TODAY - timedelta(days=1), enqueue=False)
    assert result["created"] == 1 and result["sent"] == 0
    assert mailoutbox == []


def test_a_claimed_row_is_not_sent_again(due_source, school, sendco, mailoutbox):
    due_source(school, sendco)
    reminders_dispatch(today=TODAY - timedelta(days=1), enqueue=False)
    reminder = Reminder.objects.get()
    assert reminder_send(reminder_id=reminder.pk) is True
    assert reminder_send(reminder_id=reminder.pk) is False  # a second worker with the same id
    assert len(mailoutbox) == 1


def test_a_mail_server_failure_keeps_the_reminder_and_the_error_for_the_next_run(
    due_source, school, sendco, mailoutbox, monkeypatch
):
    due_source(school, sendco)

    def refuse(**kwargs):
        raise SMTPException("451 try again later")

    monkeypatch.setattr("reminders.services.email_send", refuse)
    reminders_dispatch(today=TODAY, enqueue=False)
    reminder = Reminder.objects.get()
    assert reminder.status == Reminder.Status.PENDING
    assert reminder.attempts == 1 and "451 try again later" in reminder.last_error
    assert not Notification.objects.exists()  # rolled back with the failed send
    monkeypatch.undo()
    due_source(school, sendco)  # undo removed the source too
    reminders_dispatch(today=TODAY, enqueue=False)
    reminder.refresh_from_db()
    assert reminder.status == Reminder.Status.SENT
    assert len(mailoutbox) == 1 and Notification.objects.count() == 1


def test_it_gives_up_after_five_attempts_and_says_so(due_source, school, sendco, monkeypatch):
    due_source(school, sendco)
    monkeypatch.setattr("reminders.services.email_send", lambda **kw: (_ for _ in ()).throw(SMTPException("550")))
    for _ in range(5):
        reminders_dispatch(today=TODAY, enqueue=False)
    reminder = Reminder.objects.get()
    assert reminder.status == Reminder.Status.FAILED and reminder.attempts == 5


def test_a_send_killed_mid_run_is_completed_by_the_next_run_without_a_duplicate(
    due_source, school, sendco, mailoutbox, time_machine
):
    time_machine.move_to(timezone.now(), tick=False)
    due_source(school, sendco)
    reminders_dispatch(today=TODAY - timedelta(days=1), enqueue=False)
    # A worker claimed the row and died before committing anything else.
    Reminder.objects.update(status=Reminder.Status.SENDING, claimed_at=timezone.now(), attempts=1)
    assert reminders_dispatch(today=TODAY, enqueue=False)["sent"] == 0  # the claim is still fresh
    time_machine.shift(timedelta(minutes=16))
    result = reminders_dispatch(today=TODAY, enqueue=False)
    assert result["reaped"] == 1 and result["sent"] == 1
    assert len(mailoutbox) == 1 and Notification.objects.count() == 1


def test_a_digest_user_gets_the_notification_but_no_immediate_email(due_source, school, sendco, mailoutbox):
    sendco.reminder_delivery = "daily"
    sendco.save()
    due_source(school, sendco)
    reminders_dispatch(today=TODAY, enqueue=False)
    assert mailoutbox == [] and Notification.objects.filter(user=sendco).count() == 1


def test_the_command_runs_the_same_dispatcher(due_source, school, sendco, mailoutbox, capsys, time_machine):
    time_machine.move_to(timezone.make_aware(datetime(2026, 1, 6, 9, 0)), tick=False)
    due_source(school, sendco)
    call_command("dispatch_reminders")
    assert "1 new, 0 recovered, 1 due, 0 queued, 1 sent" in capsys.readouterr().out
    assert len(mailoutbox) == 1


@pytest.mark.parametrize(
    ("utc_moment", "sent"),
    [
        ((2026, 3, 28, 23, 30), 0),  # still Saturday in London
        ((2026, 3, 29, 0, 30), 1),  # Sunday 29 March, the night the clocks go forward
        ((2026, 10, 24, 23, 30), 1),  # already Sunday 25 October in London (00:30 BST)
    ],
)
def test_due_dates_use_the_london_date_on_dst_sundays(due_source, school, sendco, time_machine, utc_moment, sent):
    from zoneinfo import ZoneInfo

    moment = datetime(*utc_moment).replace(tzinfo=ZoneInfo("UTC"))
    time_machine.move_to(moment, tick=False)
    due_source(school, sendco, due_on=timezone.localdate() if sent else date(2026, 3, 29))
    assert reminders_dispatch(enqueue=False)["sent"] == sent
