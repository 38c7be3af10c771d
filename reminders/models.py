from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models

from apcase.models import Notification, School


class Reminder(models.Model):
    """One reminder to one person about one thing falling due on one date (docs/decisions.md, Background work).

    The unique constraint makes deriving due work idempotent; the status claim makes sending
    exactly-once however many dispatchers or workers run.
    """

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting to be sent"
        SENDING = "sending", "Being sent"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed (gave up)"

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=40)
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    target = GenericForeignKey("content_type", "object_id")
    due_on = models.DateField()
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reminders")
    title = models.CharField(max_length=200)
    link = models.CharField(max_length=300, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=300, blank=True)
    notification = models.OneToOneField(
        Notification, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "content_type", "object_id", "due_on", "recipient"], name="reminder_once_per_due_date"
            ),
        ]
        indexes = [
            # The dispatcher's scans: pending work, and claims abandoned by a dead worker.
            models.Index(fields=["status", "due_on"], name="reminder_status_due"),
            models.Index(fields=["status", "claimed_at"], name="reminder_status_claimed"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} for {self.recipient} due {self.due_on:%d/%m/%Y} ({self.get_status_display()})"
