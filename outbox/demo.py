"""Demo: the office's outbox shows a letter posted, letters waiting to be posted (with their PDFs),
an e-mail that failed, and an e-mail queued for `manage.py dispatch_outbox` to send.

Runs after the placements' demo, whose notices put their letters in the outbox."""

from __future__ import annotations

from django.utils import timezone

from apcase.demo import DemoContext
from outbox.models import Message
from outbox.services import message_record_posted

FAILED_ERROR = "SMTPRecipientsRefused: 550 5.1.1 No such mailbox"


def seed(ctx: DemoContext) -> None:
    letters = list(
        Message.objects.filter(school=ctx.school, channel=Message.Channel.POST)
        .select_related("pupil", "document")
        .order_by("created_at", "id")
    )
    if not letters:
        return
    first = letters[0]
    if not Message.objects.filter(school=ctx.school, status=Message.Status.SENT).exists():
        message_record_posted(actor=ctx.users["office"], message=first, posted_on=timezone.localdate())
    _email(ctx, first, "donna.clarke@example.invalid", Message.Status.FAILED, FAILED_ERROR)
    _email(ctx, first, "parent@example.org", Message.Status.QUEUED, "")


def _email(ctx: DemoContext, letter: Message, address: str, status: str, error: str) -> None:
    """A copy of the letter by e-mail, written as it stands after a send (the demo sends nothing)."""
    Message.objects.get_or_create(
        school=ctx.school,
        recipient_email=address,
        defaults={
            "pupil": letter.pupil,
            "purpose": letter.purpose,
            "channel": Message.Channel.EMAIL,
            "recipient_name": letter.recipient_name,
            "recipient_role": letter.recipient_role,
            "subject": letter.subject,
            "body": letter.body,
            "document": letter.document,
            "link": letter.link,
            "status": status,
            "attempts": 1 if error else 0,
            "last_error": error,
            "created_by": ctx.users["sendco"],
        },
    )
