"""The provider's report for a review, sent from the provider portal (docs/portal.md): written
in a form, or uploaded, or both; the review page shows every one the provider sent."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from apcase.access import SchoolScopedQuerySet
from apcase.models import PublicIdModel
from apcase.uploads import PrivateUploadTo
from reviews.models.meetings import ReviewMeeting
from reviews.models.targets import Measurement, Target


class ProviderReportQuerySet(SchoolScopedQuerySet):
    school_field = "review__school"


class ProviderReviewReport(PublicIdModel):
    review = models.ForeignKey(ReviewMeeting, on_delete=models.CASCADE, related_name="provider_reports")
    report = models.TextField("Your report", blank=True, help_text="Progress, attendance, behaviour, what works.")
    file = models.FileField("Or upload your report", upload_to=PrivateUploadTo("provider-review-reports"), blank=True)
    original_name = models.CharField(max_length=200, blank=True)
    provider_name = models.CharField(max_length=200, help_text="The provider body, as it was named when it sent this.")
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    objects = ProviderReportQuerySet.as_manager()

    class Meta:
        ordering = ["-submitted_at"]
        indexes = [models.Index(fields=["review", "submitted_at"], name="provider_report_review")]

    def __str__(self) -> str:
        return f"{self.provider_name}'s report of {self.submitted_at:%d/%m/%Y}"

    def clean(self) -> None:
        if not self.report.strip() and not self.file:
            raise ValidationError({"report": "Write the report, or upload it."})

    @property
    def school_id(self) -> int:
        return self.review.school_id


class ProviderProgressQuerySet(SchoolScopedQuerySet):
    school_field = "target__placement__school"


class ProviderProgressNote(PublicIdModel):
    """A note or reading against one of the placement's targets, sent from the provider portal:
    the school accepts it into the record (a reading becomes a Measurement) or returns it with a
    comment (docs/portal.md)."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", "Waiting for the school"
        ACCEPTED = "accepted", "Accepted into the record"
        RETURNED = "returned", "Returned with a comment"

    target = models.ForeignKey(Target, on_delete=models.CASCADE, related_name="provider_notes")
    measured_on = models.DateField("Date")
    value = models.DecimalField("Reading", max_digits=6, decimal_places=1, null=True, blank=True)
    note = models.TextField("What you saw", blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.SUBMITTED)
    provider_name = models.CharField(max_length=200)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField(default=timezone.now)
    school_comment = models.TextField("Comment for the provider", blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    measurement = models.OneToOneField(
        Measurement, null=True, blank=True, on_delete=models.SET_NULL, related_name="provider_note"
    )
    history = HistoricalRecords()

    objects = ProviderProgressQuerySet.as_manager()

    class Meta:
        ordering = ["-measured_on", "-submitted_at"]
        indexes = [models.Index(fields=["target", "status"], name="provider_note_target_status")]

    def __str__(self) -> str:
        return f"{self.provider_name} on {self.target} ({self.measured_on:%d/%m/%Y})"

    def clean(self) -> None:
        if self.value is None and not self.note.strip():
            raise ValidationError({"note": "Give a reading, or say what you saw."})

    @property
    def school_id(self) -> int:
        return self.target.placement.school_id

    @property
    def is_waiting(self) -> bool:
        return self.status == self.Status.SUBMITTED
