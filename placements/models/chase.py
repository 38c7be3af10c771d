"""What the daily attendance chase has sent outside the school about one run of unexplained
absence: the attendance return to the local authority and the Virtual School's notice. One row per
placement, kind and run (the run's first day), so each is sent once however often it is asked."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from outbox.models import Message
from placements.models.placements import Placement, PlacementPartQuerySet


class ChaseNotice(models.Model):
    class Kind(models.TextChoices):
        ATTENDANCE_RETURN = "attendance_return", "Attendance return to the local authority"
        VIRTUAL_SCHOOL = "virtual_school", "Notice to the Virtual School"

    placement = models.ForeignKey(Placement, on_delete=models.CASCADE, related_name="chase_notices")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    run_started_on = models.DateField(help_text="The first day of the run of absence it reports.")
    message = models.ForeignKey(Message, on_delete=models.PROTECT, related_name="+", help_text="The letter as sent.")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    objects = PlacementPartQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["placement", "kind", "run_started_on"], name="chase_notice_once_per_run")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} from {self.run_started_on:%d/%m/%Y}"

    @property
    def school_id(self) -> int:
        return self.placement.school_id
