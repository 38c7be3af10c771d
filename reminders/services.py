"""Deriving, claiming and sending reminders (docs/decisions.md, Background work)."""

from __future__ import annotations

import logging
from datetime import date, timedelta

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from kombu.exceptions import OperationalError as BrokerError

from apcase.calendar import calendars_shared
from apcase.emails import absolute_url, email_send
from apcase.models import Notification, User
from reminders.models import Reminder
from reminders.specs import SOURCES

logger = logging.getLogger(__name__)

# A claim older than this belongs to a worker that died mid-send; the row goes back to pending.
STALE_CLAIM = timedelta(minutes=15)
MAX_ATTEMPTS = 5


def reminders_derive(*, today: date) -> int:
    """Turn what every source says is due into Reminder rows (existing rows are left alone)."""
    rows = []
    for source in SOURCES:
        for spec in source(today):
            content_type = ContentType.objects.get_for_model(spec.target)
            rows += [
                Reminder(
                    school_id=spec.school_id,
                    kind=spec.kind,
                    content_type=content_type,
                    object_id=spec.target.pk,
                    due_on=spec.due_on,
                    recipient_id=recipient_id,
                    title=spec.title,
                    link=spec.link,
                )
                for recipient_id in spec.recipient_ids
            ]
    before = Reminder.objects.count()
    Reminder.objects.bulk_create(rows, ignore_conflicts=True, batch_size=500)
    return Reminder.objects.count() - before


def reminders_reap(*, now=None) -> int:
    """Return claims abandoned by a dead worker to pending, so the next run completes them."""
    now = now or timezone.now()
    stale = Reminder.objects.filter(status=Reminder.Status.SENDING, claimed_at__lt=now - STALE_CLAIM)
    count = stale.update(status=Reminder.Status.PENDING, last_error="Returned to the queue after an unfinished send")
    if count:
        logger.warning("Returned %d abandoned reminder claims to pending", count)
    return count


@transaction.atomic
def reminder_send(*, reminder_id: int) -> bool:
    """Claim, notify, e-mail and mark sent in one transaction; False if someone else has it."""
    claimed = Reminder.objects.filter(pk=reminder_id, status=Reminder.Status.PENDING).update(
        status=Reminder.Status.SENDING, claimed_at=timezone.now(), attempts=F("attempts") + 1
    )
    if not claimed:
        return False
    reminder = Reminder.objects.select_related("recipient").get(pk=reminder_id)
    user: User = reminder.recipient
    reminder.notification = Notification.objects.create(
        user=user, school_id=reminder.school_id, kind=reminder.kind, title=reminder.title, link=reminder.link
    )
    # Inside the transaction: if the mail server refuses, nothing is marked sent and it is retried.
    if user.email and user.reminder_delivery == User.ReminderDelivery.IMMEDIATE:
        email_send(
            to=[user.email],
            template="notification",
            context={"user": user, "notification": reminder.notification, "url": absolute_url(reminder.link)},
        )
    reminder.status = Reminder.Status.SENT
    reminder.sent_at = timezone.now()
    reminder.save(update_fields=["status", "sent_at", "notification"])
    return True


def reminder_send_with_retry(*, reminder_id: int) -> bool:
    """reminder_send, and on failure put the row back (or give up after MAX_ATTEMPTS) with the error."""
    try:
        return reminder_send(reminder_id=reminder_id)
    except Exception as exc:  # an SMTP or database error: keep a trace, retry on the next run
        reminder = Reminder.objects.get(pk=reminder_id)
        reminder.attempts = reminder.attempts + 1
        give_up = reminder.attempts >= MAX_ATTEMPTS
        reminder.status = Reminder.Status.FAILED if give_up else Reminder.Status.PENDING
        reminder.last_error = f"{type(exc).__name__}: {exc}"[:300]
        reminder.save(update_fields=["attempts", "status", "last_error"])
        logger.exception("Reminder %s failed (attempt %s)", reminder_id, reminder.attempts)
        return False


def reminders_dispatch(*, today: date | None = None, enqueue: bool = True) -> dict[str, int]:
    """The periodic job: derive due work, recover abandoned claims, then send what is due.

    With enqueue, each send is a Celery task; a broker that refuses leaves the rows pending for
    the next run. Without it (the command, the demo) rows are sent in this process.
    """
    today = today or timezone.localdate()
    with calendars_shared():
        created = reminders_derive(today=today)
    reaped = reminders_reap()
    due = list(Reminder.objects.filter(status=Reminder.Status.PENDING, due_on__lte=today).values_list("pk", flat=True))
    sent = queued = 0
    for reminder_id in due:
        if enqueue:
            from reminders.tasks import send_reminder

            try:
                send_reminder.delay(reminder_id)
            except BrokerError:
                logger.warning("Broker unavailable; %d reminders stay pending for the next run", len(due) - queued)
                break
            queued += 1
        else:
            sent += reminder_send_with_retry(reminder_id=reminder_id)
    return {"created": created, "reaped": reaped, "due": len(due), "queued": queued, "sent": sent}
