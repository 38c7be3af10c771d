"""Reminders through a real Celery worker and a real Redis broker (run when REDIS_URL is set)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from datetime import date

import pytest
from celery.contrib.testing.worker import start_worker
from django.conf import settings
from django.core import mail
from django.db import connection
from kombu.transport.redis import Channel as RedisChannel

from apcase.celery import app
from apcase.models import Notification
from reminders.models import Reminder
from reminders.services import reminders_dispatch
from reminders.tasks import send_reminder

pytestmark = [
    pytest.mark.integration,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),  # keep data-migration rows
    pytest.mark.skipif(not settings.REDIS_URL, reason="needs REDIS_URL (CI's PostgreSQL run sets it)"),
    # A worker thread and the test share SQLite's in-memory database, which locks; PostgreSQL is
    # the database of record for these tests.
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL"),
]

TODAY = date(2026, 1, 6)


@pytest.fixture(autouse=True)
def real_broker():
    import celery.contrib.testing.tasks  # noqa: F401  (registers the ping task the worker fixture uses)

    app.conf.task_always_eager = False
    with app.connection_for_write() as connection:
        channel = connection.default_channel
        assert isinstance(channel, RedisChannel)
        channel.client.flushdb()  # a clean queue in this test's Redis database
    yield
    app.conf.task_always_eager = True


def wait_until(predicate, timeout=20.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.1)
    return False


def all_sent():
    return not Reminder.objects.exclude(status=Reminder.Status.SENT).exists()


def test_the_dispatcher_run_twice_through_a_worker_sends_each_reminder_once(due_source, school, sendco, head):
    mail.outbox = []
    due_source(school, sendco, head)
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        reminders_dispatch(today=TODAY, enqueue=True)
        reminders_dispatch(today=TODAY, enqueue=True)
        assert wait_until(all_sent)
    assert Reminder.objects.count() == 2
    assert Notification.objects.filter(kind="test_due").count() == 2
    assert len(mail.outbox) == 2


def start_worker_process(name: str) -> subprocess.Popen:
    """A separate `celery worker` process on this test's database and Redis database."""
    env = {
        **os.environ,
        "DATABASE_URL": database_url_for_tests(),
        "REDIS_URL": settings.REDIS_URL,
        "EMAIL_HOST": "",  # e-mails are printed, so the test can count them
    }
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "apcase",
            "worker",
            "--pool",
            "solo",
            "-n",
            f"{name}@%h",
            "--without-mingle",
            "--without-gossip",
            "--loglevel",
            "WARNING",
        ],
        cwd=settings.BASE_DIR,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def database_url_for_tests() -> str:
    db = connection.settings_dict
    return f"postgresql://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


def test_two_worker_processes_racing_on_the_same_rows_send_each_once(due_source, school, sendco, head, dsl):
    due_source(school, sendco, head, dsl)
    reminders_dispatch(today=date(2026, 1, 5), enqueue=False)  # rows exist, nothing due yet
    ids = list(Reminder.objects.values_list("pk", flat=True))
    for reminder_id in ids * 3:  # every row queued three times, as if beats overlapped
        send_reminder.delay(reminder_id)
    workers = [start_worker_process("racer1"), start_worker_process("racer2")]
    try:
        assert wait_until(all_sent, timeout=60)
        time.sleep(2)  # the duplicate deliveries run too: they must find nothing to claim
    finally:
        for worker in workers:
            worker.terminate()
        output = "".join(worker.communicate(timeout=30)[0] for worker in workers)
    assert Notification.objects.filter(kind="test_due").count() == 3
    assert output.count("Subject: apcase: Review due for J.S.") == 3


def test_a_reminder_survives_a_broker_outage(due_source, school, sendco):
    mail.outbox = []
    due_source(school, sendco)
    working_broker = app.conf.broker_url

    def reset_connections() -> None:
        # Celery keeps these connection pools privately and offers no way to drop them.
        app._pool = None  # type: ignore[attr-defined]
        app.amqp._producer_pool = None  # type: ignore[attr-defined]

    app.conf["broker_url"] = "redis://127.0.0.1:1/0"  # nothing listens there: the broker is down
    app.conf.task_publish_retry = False
    reset_connections()
    try:
        result = reminders_dispatch(today=TODAY, enqueue=True)
    finally:
        app.conf["broker_url"] = working_broker
        app.conf.task_publish_retry = True
        reset_connections()
    assert result["queued"] == 0
    assert Reminder.objects.get().status == Reminder.Status.PENDING
    with start_worker(app, pool="solo", perform_ping_check=False):
        assert reminders_dispatch(today=TODAY, enqueue=True)["queued"] == 1
        assert wait_until(all_sent, timeout=60)  # a loaded machine: the worker reconnects after the outage
    assert len(mail.outbox) == 1
