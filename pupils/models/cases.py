"""The chronology of a pupil's case, and the headteacher's approvals it asks for."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from apcase.access import SchoolScopedQuerySet
from apcase.models import PublicIdModel, School
from pupils.models.pupils import Pupil


class CaseEvent(models.Model):
    """One meaningful step in a pupil's case, for the chronology on their profile.

    occurred_at is when it happened (may be back-dated); recorded_at is when it was written down.
    """

    class Kind(models.TextChoices):
        REFERRAL_RAISED = "referral_raised", "Referral raised"
        REFERRAL_SUBMITTED = "referral_submitted", "Referral submitted"
        REFERRAL_REVIEWED = "referral_reviewed", "Referral reviewed"
        REFERRAL_WITHDRAWN = "referral_withdrawn", "Referral withdrawn"
        PARENT_MEETING = "parent_meeting", "Parent meeting"
        DECISION = "decision", "Decision"
        APPROVAL_REQUESTED = "approval_requested", "Approval requested"
        APPROVAL_DECIDED = "approval_decided", "Approval decided"
        PLACEMENT_CREATED = "placement_created", "Placement created"
        PLACEMENT_STATUS = "placement_status", "Placement status changed"
        NOTICE_ISSUED = "notice_issued", "Notice issued"
        HANDOVER = "handover", "Handover"
        ATTENDANCE_ALERT = "attendance_alert", "Attendance alert"
        INCIDENT = "incident", "Incident"
        VISIT = "visit", "Visit"
        REVIEW_SCHEDULED = "review_scheduled", "Review scheduled"
        REVIEW_HELD = "review_held", "Review held"
        PROVIDER_REPORT = "provider_report", "Provider's report received"
        REINTEGRATION = "reintegration", "Reintegration"
        FINAL_REPORT = "final_report", "Final report"
        FOLLOW_UP = "follow_up", "Follow-up check-in"
        MESSAGE = "message", "Letter or message sent"
        CONTACT = "contact", "Contact"
        NOTE = "note", "Note"

    pupil = models.ForeignKey(Pupil, on_delete=models.CASCADE, related_name="case_events")
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")  # = pupil.school, for scoping
    kind = models.CharField(max_length=30, choices=Kind.choices)
    summary = models.CharField(max_length=200)
    occurred_at = models.DateTimeField()
    recorded_at = models.DateTimeField(auto_now_add=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    link = models.CharField(max_length=300, blank=True, help_text="Path of the record this step is about.")
    history = HistoricalRecords()

    objects = SchoolScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-occurred_at", "-id"]
        indexes = [
            models.Index(fields=["pupil", "-occurred_at"], name="case_event_pupil_time"),
            models.Index(fields=["pupil", "kind", "-occurred_at"], name="case_event_pupil_kind"),
            models.Index(fields=["school", "kind", "-occurred_at"], name="case_event_school_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.occurred_at:%d/%m/%Y} {self.get_kind_display()}: {self.summary}"

    @property
    def is_back_dated(self) -> bool:
        """Written down more than a day after it happened (shown so readers can weigh it)."""
        return (self.recorded_at - self.occurred_at).total_seconds() > 24 * 3600


class Approval(PublicIdModel):
    """A headteacher's decision on something another member of staff asks for.

    The subject is any record (a referral now; placements, costs and endings later). Each kind is
    registered in pupils.approvals with the facts the inbox shows and what deciding does.
    """

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for a decision"
        APPROVED = "approved", "Approved"
        DECLINED = "declined", "Declined"
        WITHDRAWN = "withdrawn", "Withdrawn"

    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="approvals")
    kind = models.CharField(max_length=30, db_index=True)
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT)
    object_id = models.PositiveBigIntegerField()
    subject = GenericForeignKey("content_type", "object_id")
    pupil = models.ForeignKey(Pupil, on_delete=models.PROTECT, related_name="approvals")
    summary = models.CharField(max_length=200)
    cost = models.DecimalField("Cost (£)", max_digits=10, decimal_places=2, null=True, blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    reasons = models.TextField(blank=True)
    history = HistoricalRecords()

    objects = SchoolScopedQuerySet.as_manager()

    class Meta:
        ordering = ["requested_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id", "kind"],
                condition=Q(status="pending"),
                name="approval_one_pending_per_subject",
            ),
            models.CheckConstraint(
                condition=~Q(status="declined") | ~Q(reasons=""), name="approval_decline_has_reasons"
            ),
        ]
        indexes = [
            models.Index(fields=["school", "status", "requested_at"], name="approval_inbox"),
            models.Index(fields=["school", "status", "-decided_at"], name="approval_recent"),
            models.Index(fields=["content_type", "object_id"], name="approval_subject"),
        ]

    def __str__(self) -> str:
        return f"{self.summary} ({self.get_status_display()})"

    @property
    def is_approved(self) -> bool:
        return self.status == self.Status.APPROVED

    @property
    def is_declined(self) -> bool:
        return self.status == self.Status.DECLINED


class RetentionLog(models.Model):
    """What anonymisation did to one pupil's records: counts only, never the data removed."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    pupil = models.ForeignKey(Pupil, on_delete=models.SET_NULL, null=True, related_name="+")
    left_on = models.DateField()
    anonymised_at = models.DateTimeField(auto_now_add=True)
    anonymised_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    summary = models.JSONField(
        default=dict, help_text="Record type → rows anonymised, deleted and history rows purged."
    )

    class Meta:
        ordering = ["-anonymised_at"]

    def __str__(self) -> str:
        return f"Anonymised {self.anonymised_at:%d/%m/%Y} by {self.anonymised_by}"
