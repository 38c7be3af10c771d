"""The first school's outbox: 2,000 letters and messages over the past year, as the Outbox page
would find them in a busy school (most sent, some waiting for the post, a few failed or bounced)."""

from __future__ import annotations

from datetime import timedelta

from apcase.models import Role
from bench.generator.base import Build
from outbox.models import Message
from pupils.models import Pupil

MESSAGES = 2_000
STATUSES = {Message.Status.SENT: 90, Message.Status.QUEUED: 6, Message.Status.FAILED: 3, Message.Status.BOUNCED: 1}
CHANNELS = {Message.Channel.EMAIL: 70, Message.Channel.POST: 25, Message.Channel.HAND: 5}


def create_outbox(build: Build) -> None:
    bs = build.schools[0]
    pupils = list(Pupil.objects.filter(school=bs.school).order_by("pk")[:300])
    sender = bs.staff[Role.SENDCO]
    messages = []
    for n in range(MESSAGES):
        pupil, channel, status = build.rng.choice(pupils), build.pick(CHANNELS), build.pick(STATUSES)
        if channel != Message.Channel.EMAIL and status in Message.NEEDS_ACTION:
            status = Message.Status.QUEUED  # only e-mail fails or bounces
        when = build.at(build.weekday_on_or_before(build.today - timedelta(days=1 + n % 365)))
        message = Message(
            public_id=build.uuid(),
            school=bs.school,
            pupil=pupil,
            purpose=build.pick(dict.fromkeys(Message.Purpose.values, 1)),
            channel=channel,
            recipient_name=f"Parent of {pupil.initials}",
            recipient_role="Parent",
            recipient_email=f"parent{pupil.pk}@bench.example" if channel == Message.Channel.EMAIL else "",
            recipient_address="1 Bench Road\nBenchtown\nBE1 1NC",
            subject=f"{bs.school.name}: a letter about your child",
            body="Please read the attached letter.",
            status=status,
            attempts=0 if status == Message.Status.QUEUED else 1,
            last_error="SMTPRecipientsRefused: 550 No such mailbox" if status in Message.NEEDS_ACTION else "",
            sent_at=when if status in (Message.Status.SENT, Message.Status.BOUNCED) else None,
            created_by=sender,
        )
        messages.append(build.stamped(message, when, sender))
    build.insert(Message, messages)
