"""Messages to send through the real SMTP server (the `smtp` fixture, apcase.tests.smtp)."""

from __future__ import annotations

import pytest

from apcase.services import document_store
from outbox.models import Message
from outbox.services import message_queue

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
