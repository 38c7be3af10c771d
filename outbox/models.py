"""Every message apcase sends outside the school: one row, whatever the channel.

A row is written in the same transaction as the record it is about (the notice, the invitation),
so nothing is sent for a record that was rolled back, and nothing is recorded as sent that was
not: the status moves only through outbox.services.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from apcase.access import SchoolScopedQuerySet
from apcase.models import Document, PublicIdModel, School
from pupils.models import Pupil


class Message(PublicIdModel):
    class Purpose(models.TextChoices):
        PARENT_NOTICE = "parent_notice", "Parent notice"
        AMENDED_NOTICE = "amended_notice", "Amended parent notice"
        LA_NOTIFICATION = "la_notification", "Local authority notification"
        REVIEW_INVITATION = "review_invitation", "Review invitation"
        REVIEW_OUTCOME = "review_outcome", "Outcome of a requested review"
        HANDOVER = "handover", "Handover pack"
        KCSIE_REQUEST = "kcsie_request", "Safeguarding confirmation request"
        ATTENDANCE_RETURN = "attendance_return", "Attendance return to the local authority"
        VIRTUAL_SCHOOL = "virtual_school", "Unexplained absence, to the Virtual School"

    class Channel(models.TextChoices):
        EMAIL = "email", "E-mail"
        POST = "post", "Post"
        HAND = "hand", "By hand"

    class Status(models.TextChoices):
        QUEUED = "queued", "Waiting to be sent"
        SENDING = "sending", "Being sent"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"
        BOUNCED = "bounced", "Bounced"

    # Status groups, defined once: what a person must act on, and what has left the school.
    NEEDS_ACTION = (Status.FAILED, Status.BOUNCED)
    LEFT = (Status.SENT,)

    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="+")
    pupil = models.ForeignKey(Pupil, null=True, blank=True, on_delete=models.PROTECT, related_name="messages")
    purpose = models.CharField(max_length=30, choices=Purpose.choices)
    channel = models.CharField(max_length=10, choices=Channel.choices)
    recipient_name = models.CharField(max_length=200)
    recipient_role = models.CharField(max_length=100, blank=True, help_text="For example Mother, or the provider.")
    recipient_email = models.EmailField(blank=True)
    recipient_address = models.TextField(blank=True, help_text="One line per line, the postcode last.")
    # No personal data in a subject: mail servers and phone lock screens show it to anyone.
    subject = models.CharField(max_length=200)
    body = models.TextField()
    document = models.ForeignKey(Document, null=True, blank=True, on_delete=models.PROTECT, related_name="messages")
    calendar = models.ForeignKey(
        Document,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="calendar_messages",
        help_text="An .ics invitation.",
    )
    link = models.CharField(max_length=300, blank=True, help_text="Path of the record the message is about.")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=300, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    posted_on = models.DateField(null=True, blank=True)
    handed_to = models.CharField(max_length=200, blank=True)
    handed_on = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    objects = SchoolScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(channel="email") | ~Q(recipient_email=""), name="message_email_has_address"
            ),
            models.CheckConstraint(
                condition=~Q(channel="post") | ~Q(recipient_address=""), name="message_post_has_address"
            ),
        ]
        indexes = [
            # The Outbox page (a school's messages, newest first, by status) and the sender's to-do.
            models.Index(fields=["school", "status", "-created_at"], name="message_school_status"),
            models.Index(fields=["created_by", "status"], name="message_sender_status"),
            # The dispatcher's scans: queued e-mail, and claims abandoned by a worker that died.
            models.Index(fields=["status", "channel"], name="message_status_channel"),
            models.Index(fields=["status", "claimed_at"], name="message_status_claimed"),
            # A record's service record: every message carrying a document, or about a record.
            models.Index(fields=["link"], name="message_link"),
        ]

    def __str__(self) -> str:
        return f"{self.get_purpose_display()} to {self.recipient_name} ({self.get_status_display()})"

    @property
    def needs_action(self) -> bool:
        return self.status in self.NEEDS_ACTION

    @property
    def has_left(self) -> bool:
        return self.status in self.LEFT

    @property
    def awaits_person(self) -> bool:
        """A letter to post or hand over waits for someone to say it went; e-mail goes by itself."""
        return self.status == self.Status.QUEUED and self.channel != self.Channel.EMAIL

    @property
    def address_lines(self) -> list[str]:
        return [line.strip() for line in self.recipient_address.splitlines() if line.strip()]
