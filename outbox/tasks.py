"""Thin Celery wrappers around outbox.services (which tests and the command call directly)."""

from celery import shared_task


@shared_task(acks_late=True)
def send_message(message_id: int) -> bool:
    from outbox.services import message_send

    return message_send(message_id=message_id)


@shared_task(acks_late=True)
def dispatch_outbox() -> dict:
    from outbox.services import outbox_dispatch

    return outbox_dispatch(enqueue=True)
