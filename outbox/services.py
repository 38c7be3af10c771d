"""Queueing, sending and recording messages that leave the school (docs/decisions.md, "One outbox").

Exactly once: a sender first claims the row with a conditional UPDATE (queued → sending) that
commits on its own, so of two dispatchers or two deliveries of the same task only one gets it;
the other finds nothing to claim. The SMTP conversation happens after the claim and outside any
transaction, and the row is marked sent as soon as the server accepts it.

A worker killed mid-send leaves the row "being sent". SMTP delivers nothing the client did not
finish (the message is only accepted after its final line), so reaping the claim after
STALE_CLAIM and sending again delivers it once. The one window left is between the server's
acceptance and our UPDATE; a resend from there carries the same Message-ID, which mail clients
use to show one message.
"""

from __future__ import annotations

import logging
import smtplib
from collections.abc import Callable
from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.text import slugify
from kombu.exceptions import OperationalError as BrokerError

from apcase.history import history_stamp
from apcase.models import Document, School, User
from apcase.services import notification_send
from outbox.models import Message
from pupils.models import CaseEvent, Pupil
from pupils.services import case_event_record

logger = logging.getLogger(__name__)

S, C = Message.Status, Message.Channel
# Longer than the SMTP timeout and Celery's hard time limit together: a claim this old belongs
# to a worker that died, never to one still talking to the mail server.
STALE_CLAIM = timedelta(minutes=15)
RETRY_SPACING = timedelta(minutes=5)  # the dispatcher's beat: one more attempt per run
MAX_ATTEMPTS = 5

# What a record above the outbox does when its message leaves (the LA notification's sent_at):
# registered from that app's ready(), called inside the transaction that marks the message sent,
# so the outbox never imports the apps that use it (docs/architecture.md).
_ON_SENT: list[Callable[[Message], None]] = []


def register_on_sent(callback: Callable[[Message], None]) -> None:
    if callback not in _ON_SENT:
        _ON_SENT.append(callback)


def message_id_header(message: Message) -> str:
    """The same Message-ID on every attempt, so a resend after a lost acknowledgement is one message."""
    domain = settings.DEFAULT_FROM_EMAIL.rsplit("@", 1)[-1].strip("> ") or "apcase.invalid"
    return f"<outbox-{message.public_id}@{domain}>"


def _check_recipient(channel: str, email: str, address: str) -> None:
    if channel == C.EMAIL and not email:
        raise ValidationError({"recipient_email": "Give an e-mail address, or send it by post or by hand."})
    if channel == C.POST and not address.strip():
        raise ValidationError({"recipient_address": "Give a postal address, or send it by e-mail or by hand."})


def message_queue(
    *,
    actor: User,
    school: School,
    purpose: str,
    channel: str,
    recipient_name: str,
    subject: str,
    body: str,
    recipient_role: str = "",
    recipient_email: str = "",
    recipient_address: str = "",
    document: Document | None = None,
    calendar: Document | None = None,
    pupil: Pupil | None = None,
    link: str = "",
) -> Message:
    """Write the message; an e-mail is handed to Celery once the caller's transaction commits.

    Callers (the notice, an invitation) check who may send; this records what goes to whom."""
    _check_recipient(channel, recipient_email, recipient_address)
    message = Message(
        school=school,
        pupil=pupil,
        purpose=purpose,
        channel=channel,
        recipient_name=recipient_name,
        recipient_role=recipient_role,
        recipient_email=recipient_email if channel == C.EMAIL else "",
        recipient_address=recipient_address,
        subject=subject,
        body=body,
        document=document,
        calendar=calendar,
        link=link,
        created_by=actor,
    )
    history_stamp(message, user=actor)
    message.save()
    if channel == C.EMAIL:
        transaction.on_commit(lambda: message_enqueue(message_id=message.pk))
    return message


def message_enqueue(*, message_id: int) -> bool:
    """Hand one e-mail to Celery; a broker that refuses leaves it queued for the dispatcher."""
    from outbox.tasks import send_message

    try:
        send_message.delay(message_id)
    except BrokerError:
        logger.warning("Broker unavailable; message %s stays queued for the next dispatch", message_id)
        return False
    return True


def _claim(message_id: int) -> bool:
    with transaction.atomic():
        return bool(
            Message.objects.filter(pk=message_id, status=S.QUEUED, channel=C.EMAIL).update(
                status=S.SENDING, claimed_at=timezone.now(), attempts=F("attempts") + 1
            )
        )


def _email(message: Message) -> EmailMessage:
    school = message.school
    email = EmailMessage(
        subject=message.subject,
        body=message.body,
        to=[message.recipient_email],
        reply_to=[school.email] if school.email else None,
        headers={"Message-ID": message_id_header(message)},
    )
    for document in filter(None, [message.document, message.calendar]):
        name = f"{slugify(document.kind) or 'document'}{'.ics' if document.content_type == 'text/calendar' else '.pdf'}"
        email.attach(name, document.read_bytes(), document.content_type)
    return email


def _is_permanent(exc: Exception) -> bool:
    """A 5xx answer (no such mailbox, refused) will not change on a retry."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return all(code >= 500 for code, _text in exc.recipients.values())
    return isinstance(exc, smtplib.SMTPResponseException) and exc.smtp_code >= 500


def _left_the_school(message: Message, summary: str, actor: User | None, occurred_at=None) -> None:
    if message.pupil is not None:
        case_event_record(
            pupil=message.pupil,
            kind=CaseEvent.Kind.MESSAGE,
            summary=summary[:200],
            actor=actor,
            occurred_at=occurred_at,
            link=message.link,
        )


def _sent(message: Message, summary: str, actor: User | None, occurred_at=None) -> None:
    _left_the_school(message, summary, actor, occurred_at)
    for callback in _ON_SENT:
        callback(message)


def _mark_failed(message: Message, exc: Exception) -> None:
    message.last_error = f"{type(exc).__name__}: {exc}"[:300]
    give_up = _is_permanent(exc) or message.attempts >= MAX_ATTEMPTS
    message.status = S.FAILED if give_up else S.QUEUED
    message.save(update_fields=["status", "last_error"])
    logger.warning("Message %s failed (attempt %s): %s", message.pk, message.attempts, message.last_error)
    if give_up:
        _left_the_school(
            message, f"{message.get_purpose_display()} to {message.recipient_name} could not be e-mailed", None
        )
        notification_send(
            user=message.created_by,
            school=message.school,
            kind="message_failed",
            title=f"A {message.get_purpose_display().lower()} could not be e-mailed",
            link=message_url(message),
        )


def message_url(message: Message) -> str:
    from django.urls import reverse

    return reverse("outbox:detail", args=[message.public_id])


def message_send(*, message_id: int) -> bool:
    """Claim and e-mail one message; False if another sender has it or it is not e-mail."""
    if not _claim(message_id):
        return False
    message = Message.objects.select_related("school", "pupil", "document", "calendar", "created_by").get(pk=message_id)
    try:
        _email(message).send()
    except Exception as exc:  # an SMTP, network or storage error: kept on the row, retried or shown
        with transaction.atomic():
            _mark_failed(message, exc)
        return False
    with transaction.atomic():
        message.status = S.SENT
        message.sent_at = timezone.now()
        message.last_error = ""
        message.save(update_fields=["status", "sent_at", "last_error"])
        _sent(message, f"{message.get_purpose_display()} e-mailed to {message.recipient_name}", message.created_by)
    return True


def messages_reap(*, now=None) -> int:
    """Return claims abandoned by a dead worker to the queue (see the module's docstring)."""
    now = now or timezone.now()
    count = Message.objects.filter(status=S.SENDING, claimed_at__lt=now - STALE_CLAIM).update(
        status=S.QUEUED, last_error="The sender stopped before finishing; sent again"
    )
    if count:
        logger.warning("Returned %d abandoned message claims to the queue", count)
    return count


def outbox_dispatch(*, enqueue: bool = True, now=None) -> dict[str, int]:
    """The periodic job and the retry loop: recover dead claims, then send every queued e-mail
    not tried in the last RETRY_SPACING (in this process without enqueue: the command, the demo)."""
    now = now or timezone.now()
    reaped = messages_reap(now=now)
    due = list(
        Message.objects.filter(status=S.QUEUED, channel=C.EMAIL)
        .filter(Q(claimed_at__isnull=True) | Q(claimed_at__lt=now - RETRY_SPACING))
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    queued = sent = 0
    for message_id in due:
        if enqueue:
            if not message_enqueue(message_id=message_id):
                break
            queued += 1
        else:
            sent += message_send(message_id=message_id)
    return {"reaped": reaped, "due": len(due), "queued": queued, "sent": sent}


# --- What people record -------------------------------------------------------------------------


def _check_may_record(actor: User, message: Message) -> None:
    if not actor.has_perm("outbox.record_message", message):
        raise PermissionDenied("Only the office, the SENDCo or the headteacher records how a letter went.")


def _check_day(day: date, field: str) -> None:
    if day > timezone.localdate():
        raise ValidationError({field: "The date cannot be in the future."})


@transaction.atomic
def message_record_posted(*, actor: User, message: Message, posted_on: date) -> Message:
    _check_may_record(actor, message)
    message = Message.objects.select_for_update().get(pk=message.pk)
    if message.channel != C.POST or message.status != S.QUEUED:
        raise ValidationError("Only a letter waiting to be posted can be recorded as posted.")
    _check_day(posted_on, "posted_on")
    message.status, message.posted_on, message.sent_at = S.SENT, posted_on, timezone.now()
    history_stamp(message, user=actor)
    message.save()
    _sent(message, f"{message.get_purpose_display()} posted to {message.recipient_name}", actor, _moment(posted_on))
    return message


@transaction.atomic
def message_record_handed(*, actor: User, message: Message, handed_to: str, handed_on: date) -> Message:
    _check_may_record(actor, message)
    message = Message.objects.select_for_update().get(pk=message.pk)
    if message.channel != C.HAND or message.status != S.QUEUED:
        raise ValidationError("Only a letter waiting to be handed over can be recorded as handed over.")
    handed_to = handed_to.strip()
    if not handed_to:
        raise ValidationError({"handed_to": "Say who the letter was handed to."})
    _check_day(handed_on, "handed_on")
    message.status, message.handed_to, message.handed_on, message.sent_at = S.SENT, handed_to, handed_on, timezone.now()
    history_stamp(message, user=actor)
    message.save()
    _sent(message, f"{message.get_purpose_display()} handed to {handed_to}", actor, _moment(handed_on))
    return message


@transaction.atomic
def message_record_bounced(*, actor: User, message: Message, reason: str) -> Message:
    """A bounce arrives in the school's mailbox, not apcase's: the office records it here."""
    _check_may_record(actor, message)
    message = Message.objects.select_for_update().get(pk=message.pk)
    if message.channel != C.EMAIL or message.status != S.SENT:
        raise ValidationError("Only an e-mail that was sent can bounce.")
    if not reason.strip():
        raise ValidationError({"reason": "Say what the bounce message said, for example “mailbox full”."})
    message.status, message.last_error = S.BOUNCED, reason.strip()[:300]
    history_stamp(message, user=actor)
    message.save()
    _left_the_school(message, f"E-mail to {message.recipient_name} bounced: {message.last_error}", actor)
    return message


@transaction.atomic
def message_retry(*, actor: User, message: Message, recipient_email: str = "") -> Message:
    """Send a failed or bounced e-mail again, to a corrected address if one is given."""
    _check_may_record(actor, message)
    message = Message.objects.select_for_update().get(pk=message.pk)
    if message.channel != C.EMAIL or not message.needs_action:
        raise ValidationError("Only a failed or bounced e-mail can be sent again.")
    message.recipient_email = recipient_email.strip() or message.recipient_email
    message.status, message.attempts, message.claimed_at = S.QUEUED, 0, None
    history_stamp(message, user=actor)
    message.full_clean(validate_unique=False)
    message.save()
    transaction.on_commit(lambda: message_enqueue(message_id=message.pk))
    return message


def _moment(day: date):
    from datetime import datetime, time

    if day >= timezone.localdate():
        return timezone.now()
    return timezone.make_aware(datetime.combine(day, time(12, 0)))
