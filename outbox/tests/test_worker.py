"""The outbox through a real Celery worker and Redis (run when REDIS_URL is set, on PostgreSQL)."""

from __future__ import annotations

import time

import pytest
from celery.contrib.testing.worker import start_worker
from django.conf import settings
from django.db import connection
from kombu.transport.redis import Channel as RedisChannel

from apcase.celery import app
from outbox.models import Message
from outbox.services import outbox_dispatch
from outbox.tests.conftest import PDF

pytestmark = [
    pytest.mark.integration,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(not settings.REDIS_URL, reason="needs REDIS_URL"),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL"),
]


@pytest.fixture(autouse=True)
def real_broker():
    import celery.contrib.testing.tasks  # noqa: F401  (registers the ping task the worker fixture uses)

    app.conf.task_always_eager = False
    with app.connection_for_write() as broker:
        channel = broker.default_channel
        assert isinstance(channel, RedisChannel)
        channel.client.flushdb()
    yield
    app.conf.task_always_eager = True


def wait_until(predicate, timeout=30.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.1)
    return False


def test_a_queued_email_leaves_through_the_worker_once_however_often_it_is_dispatched(smtp, queue_message):
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        message = queue_message()  # committed: the hand-off to the worker runs now
        outbox_dispatch(enqueue=True)  # a beat tick at the same moment queues it again
        outbox_dispatch(enqueue=True)
        assert wait_until(lambda: Message.objects.get(pk=message.pk).status == Message.Status.SENT)
        time.sleep(1)  # the duplicate deliveries run too: they must find nothing to claim
    [arrived] = smtp.received
    assert [part.get_content() for part in arrived.iter_attachments()] == [PDF]
