"""Thin Celery wrappers: each calls a service that tests and commands call directly too."""

from celery import shared_task
from celery.contrib.django.task import DjangoTask


@shared_task(acks_late=True)
def send_notification_digests() -> int:
    from apcase.services import notification_digests_send

    return notification_digests_send()


@shared_task(base=DjangoTask, acks_late=True, time_limit=600, soft_time_limit=540)
def run_export(job_id: int) -> None:
    from apcase.exports import export_job_run

    export_job_run(job_id=job_id)
