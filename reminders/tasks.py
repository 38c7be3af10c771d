"""Thin Celery wrappers around reminders.services (which tests and commands call directly)."""

from celery import shared_task


@shared_task(acks_late=True)
def send_reminder(reminder_id: int) -> bool:
    from reminders.services import reminder_send_with_retry

    return reminder_send_with_retry(reminder_id=reminder_id)


@shared_task(acks_late=True)
def dispatch_reminders() -> dict:
    from reminders.services import reminders_dispatch

    return reminders_dispatch(enqueue=True)
