"""A real SMTP server (aiosmtpd) started by the test, and messages to send through it."""

from __future__ import annotations

import email
import socket
from email import policy

import pytest
from aiosmtpd.controller import Controller

from apcase.services import document_store
from outbox.models import Message
from outbox.services import message_queue


class Inbox:
    """What arrived: each message parsed; `refuse` answers 550 for those addresses at RCPT."""

    def __init__(self):
        self.received: list[email.message.EmailMessage] = []
        self.refuse: set[str] = set()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refuse:
            return "550 5.1.1 No such mailbox"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        parsed = email.message_from_bytes(envelope.original_content, policy=policy.default)
        parsed["X-Envelope-To"] = ", ".join(envelope.rcpt_tos)
        self.received.append(parsed)
        return "250 Message accepted for delivery"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp(settings):
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = controller.hostname, controller.port
    settings.EMAIL_USE_TLS, settings.EMAIL_HOST_USER, settings.EMAIL_HOST_PASSWORD = False, "", ""
    settings.EMAIL_TIMEOUT = 5
    yield inbox
    controller.stop()


PDF = b"%PDF-1.4\n% a stored letter\n"


@pytest.fixture
def queue_message(school, sendco):
    """Queue a message carrying a stored document (a tiny PDF by default)."""

    def make(channel=Message.Channel.EMAIL, content=PDF, **fields) -> Message:
        document = document_store(school=school, kind="parent_notice", title="Notice", content=content, actor=sendco)
        defaults = {
            "actor": sendco,
            "school": school,
            "purpose": Message.Purpose.PARENT_NOTICE,
            "channel": channel,
            "recipient_name": "Mrs Dawn Smith",
            "recipient_email": "dawn@example.org" if channel == Message.Channel.EMAIL else "",
            "recipient_address": "1 High Street\nLittleton\nLT1 1AA",
            "subject": f"{school.name}: a letter about your child",
            "body": "Please find the letter about Jamie S. attached.",
            "document": document,
        }
        return message_queue(**(defaults | fields))

    return make


@pytest.fixture
def queued_row(school, sendco):
    """A queued e-mail as the dispatcher finds it (after a broker outage, say): written directly,
    so no hand-off to Celery runs when a transactional test commits it."""

    def make(**fields) -> Message:
        defaults = {
            "school": school,
            "created_by": sendco,
            "purpose": Message.Purpose.PARENT_NOTICE,
            "channel": Message.Channel.EMAIL,
            "recipient_name": "Mrs Dawn Smith",
            "recipient_email": "dawn@example.org",
            "subject": "A letter about your child",
            "body": "Please read the letter.",
        }
        return Message.objects.create(**(defaults | fields))

    return make
