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
