"""Thin Celery wrapper: the same-day cut-off check (beat, every five minutes; apcase/celery.py)."""

from celery import shared_task


@shared_task(acks_late=True)
def same_day_alerts() -> int:
    from provider_portal.services import same_day_alerts_for_unmarked

    return same_day_alerts_for_unmarked()
