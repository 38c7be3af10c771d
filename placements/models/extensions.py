"""A request to extend an approved placement: a later last day adds school days and cost, so the
headteacher approves it in the approvals inbox before the placement's dates change."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from apcase.models import PublicIdModel
from placements.models.placements import Placement, PlacementPartQuerySet


class PlacementExtension(PublicIdModel):
    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for the headteacher's decision"
        APPROVED = "approved", "Approved"
        DECLINED = "declined", "Declined"
        WITHDRAWN = "withdrawn", "Withdrawn"

    placement = models.ForeignKey(Placement, on_delete=models.CASCADE, related_name="extensions")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    # The last day when it was asked for, and the one asked for, with what the change makes.
    current_end_date = models.DateField("Planned last day when asked")
    requested_end_date = models.DateField("Requested last day")
    school_days = models.PositiveSmallIntegerField(
        "Length in school days with the extension", validators=[MinValueValidator(1)]
    )
    extra_school_days = models.PositiveSmallIntegerField("Extra school days")
    extra_cost = models.DecimalField(
        "Extra estimated cost (£)",
        max_digits=10,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="Blank when the placement has no cost recorded.",
    )
    reason = models.TextField("Why the placement is extended")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    objects = PlacementPartQuerySet.as_manager()

    class Meta:
        ordering = ["-requested_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["placement"],
                condition=Q(status="pending"),
                name="placement_extension_one_pending",
                violation_error_message="An extension of this placement is already waiting for the headteacher's "
                "decision.",
            ),
            models.CheckConstraint(condition=~Q(reason=""), name="placement_extension_has_reason"),
            models.CheckConstraint(
                condition=Q(requested_end_date__gt=F("current_end_date")), name="placement_extension_is_later"
            ),
        ]

    def __str__(self) -> str:
        return f"Extension to {self.requested_end_date:%d/%m/%Y} ({self.get_status_display().lower()})"

    def get_absolute_url(self) -> str:
        """The placement page shows the extension (the inbox and the requester's notice link here)."""
        return self.placement.get_absolute_url()

    @property
    def school_id(self) -> int:
        return self.placement.school_id

    @property
    def is_pending(self) -> bool:
        return self.status == self.Status.PENDING
