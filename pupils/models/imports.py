"""Uploaded MIS exports waiting between their preview and their confirmation."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from apcase.access import SchoolScopedQuerySet
from apcase.models import PublicIdModel, School
from apcase.uploads import PrivateUploadTo


class ImportBatch(PublicIdModel):
    """An uploaded MIS export between its preview and its confirmation.

    The file stays on the server (never in the form), so what is confirmed is exactly what was
    previewed; it is re-validated at confirmation and deleted once applied or discarded.
    """

    class Status(models.TextChoices):
        PREVIEWED = "previewed", "Waiting for confirmation"
        APPLIED = "applied", "Applied"
        DISCARDED = "discarded", "Discarded"

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)
    file = models.FileField(upload_to=PrivateUploadTo("imports"), blank=True)
    original_name = models.CharField(max_length=200)
    sha256 = models.CharField(max_length=64)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PREVIEWED)
    applied_at = models.DateTimeField(null=True, blank=True)
    created_count = models.PositiveIntegerField(default=0)
    updated_count = models.PositiveIntegerField(default=0)
    unchanged_count = models.PositiveIntegerField(default=0)

    objects = SchoolScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-uploaded_at"]
        indexes = [models.Index(fields=["school", "-uploaded_at"], name="import_batch_school")]

    def __str__(self) -> str:
        return f"{self.original_name} ({self.get_status_display()})"

    @property
    def is_previewed(self) -> bool:
        return self.status == self.Status.PREVIEWED

    @property
    def is_applied(self) -> bool:
        return self.status == self.Status.APPLIED
