"""E-mail through a real SMTP server: what arrives, once, and what happens when it cannot."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from apcase.models import Notification
from apcase.tests.smtp import free_port
from outbox.models import Message
from outbox.services import MAX_ATTEMPTS, STALE_CLAIM, message_id_header, message_send, outbox_dispatch
from outbox.tests.conftest import PDF
from pupils.models import CaseEvent
from pupils.tests.factories import PupilFactory

pytestmark = pytest.mark.django_db
S = Message.Status


def test_the_email_that_arrives_carries_the_stored_pdf_byte_for_byte(smtp, queue_message, school):
    pupil = PupilFactory(school=school, legal_first_name="Jamie", legal_last_name="Smith")
    message = queue_message(pupil=pupil)

    assert outbox_dispatch(enqueue=False)["sent"] == 1

    [arrived] = smtp.received
    assert arrived["X-Envelope-To"] == "dawn@example.org"
    assert arrived["Subject"] == f"{school.name}: a letter about your child"
    assert arrived["Message-ID"] == message_id_header(message)
    [attachment] = list(arrived.iter_attachments())
    assert attachment.get_content_type() == "application/pdf"
    assert attachment.get_content() == PDF == message.document.read_bytes()
    message.refresh_from_db()
    assert (message.status, message.attempts, message.last_error) == (S.SENT, 1, "")
    event = CaseEvent.objects.get(pupil=pupil, kind=CaseEvent.Kind.MESSAGE)
    assert event.summary == "Parent notice e-mailed to Mrs Dawn Smith"


def test_dispatching_again_and_sending_the_same_row_again_sends_nothing_more(smtp, queue_message):
    message = queue_message()
    outbox_dispatch(enqueue=False)
    assert outbox_dispatch(enqueue=False) == {"reaped": 0, "due": 0, "queued": 0, "sent": 0}
    assert message_send(message_id=message.pk) is False
    assert len(smtp.received) == 1


def test_a_refused_address_fails_at_once_and_tells_the_sender(smtp, queue_message, sendco):
    smtp.refuse.add("dawn@example.org")
    message = queue_message()

    outbox_dispatch(enqueue=False)

    message.refresh_from_db()
    assert message.status == S.FAILED and message.attempts == 1
    assert "No such mailbox" in message.last_error
    note = Notification.objects.get(user=sendco, kind="message_failed")
    assert note.link == f"/outbox/{message.public_id}/"
    assert smtp.received == []


def test_a_mail_server_that_is_down_is_tried_again_each_run_then_given_up(settings, queue_message, sendco):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_USE_TLS = "127.0.0.1", free_port(), False
    message = queue_message()
    later = timezone.now()
    for attempt in range(1, MAX_ATTEMPTS + 1):
        later += timedelta(minutes=6)  # past the retry spacing: the next run tries again
        outbox_dispatch(enqueue=False, now=later)
        message.refresh_from_db()
        assert message.attempts == attempt
        assert "ConnectionRefusedError" in message.last_error
    assert message.status == S.FAILED
    assert not Notification.objects.filter(user=sendco, kind="message_failed").count() > 1


def test_a_failed_attempt_waits_for_the_retry_spacing(settings, queue_message):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_USE_TLS = "127.0.0.1", free_port(), False
    queue_message()
    outbox_dispatch(enqueue=False)
    assert outbox_dispatch(enqueue=False)["due"] == 0


def test_a_claim_abandoned_by_a_dead_worker_is_sent_once_after_the_stale_time(smtp, queue_message):
    message = queue_message()
    Message.objects.filter(pk=message.pk).update(status=S.SENDING, claimed_at=timezone.now(), attempts=1)

    assert outbox_dispatch(enqueue=False)["reaped"] == 0  # the worker may still be talking to the server
    result = outbox_dispatch(enqueue=False, now=timezone.now() + STALE_CLAIM + timedelta(minutes=1))

    assert result["reaped"] == 1 and result["sent"] == 1
    assert len(smtp.received) == 1


def test_queueing_sends_on_commit_through_the_in_process_task(smtp, queue_message, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        message = queue_message()
    message.refresh_from_db()
    assert message.status == S.SENT
    assert len(smtp.received) == 1


def test_a_letter_by_post_is_never_emailed(smtp, queue_message):
    message = queue_message(channel=Message.Channel.POST)
    assert outbox_dispatch(enqueue=False)["due"] == 0
    assert message_send(message_id=message.pk) is False
    assert smtp.received == []
