"""Exactly once on PostgreSQL: two dispatchers racing over the same rows, and a sender killed in
the middle of the SMTP conversation (docs/decisions.md, "One outbox")."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import threading
from datetime import timedelta

import pytest
from aiosmtpd.controller import Controller
from django.db import connection
from django.utils import timezone

from apcase.tests.smtp import Inbox, free_port
from outbox.models import Message
from outbox.services import STALE_CLAIM, outbox_dispatch

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL (threads and processes share it)"),
]
S = Message.Status


def test_two_dispatchers_racing_over_the_same_rows_send_each_message_once(smtp, queued_row):
    messages = [queued_row(recipient_email=f"parent{n}@example.org") for n in range(12)]
    start = threading.Barrier(2)
    results = []

    def dispatcher():
        start.wait()
        try:
            results.append(outbox_dispatch(enqueue=False))
        finally:
            connection.close()

    threads = [threading.Thread(target=dispatcher) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert sum(result["sent"] for result in results) == 12
    assert sorted(m["X-Envelope-To"] for m in smtp.received) == sorted(m.recipient_email for m in messages)
    assert set(Message.objects.values_list("status", "attempts")) == {(S.SENT, 1)}


class HoldingInbox(Inbox):
    """Holds every conversation at RCPT until released: a sender killed there has not finished."""

    def __init__(self):
        super().__init__()
        self.reached = threading.Event()
        self.release = threading.Event()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        self.reached.set()
        while not self.release.is_set():
            await asyncio.sleep(0.05)
        return await super().handle_RCPT(server, session, envelope, address, rcpt_options)


def _database_url() -> str:
    db = connection.settings_dict
    return f"postgresql://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


def test_a_sender_killed_mid_send_is_recovered_and_the_message_arrives_once(settings, queued_row):
    inbox = HoldingInbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_USE_TLS = "127.0.0.1", controller.port, False
    message = queued_row()
    env = {
        **os.environ,
        "DATABASE_URL": _database_url(),
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(controller.port),
        "EMAIL_USE_TLS": "false",
    }
    sender = subprocess.Popen(
        [sys.executable, "manage.py", "dispatch_outbox"], cwd=settings.BASE_DIR, env=env, stdout=subprocess.DEVNULL
    )
    try:
        assert inbox.reached.wait(timeout=60), "the sender never reached the mail server"
        sender.kill()  # SIGKILL: no except clause, no cleanup, as when a worker is OOM-killed
        sender.wait(timeout=10)
        inbox.release.set()
        message.refresh_from_db()
        assert (message.status, message.attempts) == (S.SENDING, 1)

        assert outbox_dispatch(enqueue=False)["reaped"] == 0  # too early: it could be a slow sender
        result = outbox_dispatch(enqueue=False, now=timezone.now() + STALE_CLAIM + timedelta(minutes=1))
    finally:
        inbox.release.set()
        controller.stop()

    assert (result["reaped"], result["sent"]) == (1, 1)
    assert len(inbox.received) == 1
    message.refresh_from_db()
    assert (message.status, message.attempts) == (S.SENT, 2)
