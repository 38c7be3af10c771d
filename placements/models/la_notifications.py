"""The school's notification to its local authority of an AP placement it commissions, kept as the
stored letter it sent and what the LA did with it (docs/oversight.md)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from apcase.models import Document, LocalAuthority, PublicIdModel
from placements.models.placements import Placement, PlacementPartQuerySet


class LANotificationQuerySet(PlacementPartQuerySet):
    def received_by(self, local_authority: LocalAuthority):
        """What one LA was told: its officers' view, never a school's own records."""
        return self.filter(local_authority=local_authority)


class LANotification(PublicIdModel):
    """One notification as issued: the exact PDF, the LA it went to, when it left (filled by the
    outbox) and the LA's acknowledgement. A placement may be notified again when its facts change;
    the latest is the one that stands."""

    placement = models.ForeignKey(Placement, on_delete=models.PROTECT, related_name="la_notifications")
    local_authority = models.ForeignKey(LocalAuthority, on_delete=models.PROTECT, related_name="notifications")
    document = models.ForeignKey(Document, on_delete=models.PROTECT, related_name="la_notifications")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reference = models.CharField(
        "LA's reference", max_length=100, blank=True, help_text="The reference the LA gave when it acknowledged."
    )
    history = HistoricalRecords()

    objects = LANotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "LA notification"
        indexes = [
            models.Index(fields=["local_authority", "-created_at"], name="la_notification_la_created"),
            models.Index(fields=["placement", "-created_at"], name="la_notification_placement"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(reference="") | Q(acknowledged_at__isnull=False), name="la_notification_reference_acked"
            )
        ]

    def __str__(self) -> str:
        return f"LA notification of {self.placement} to {self.local_authority.name}"

    @property
    def school_id(self) -> int:
        return self.placement.school_id

    @property
    def is_acknowledged(self) -> bool:
        return self.acknowledged_at is not None
