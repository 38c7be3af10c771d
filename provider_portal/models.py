"""What the provider portal adds to a placement: the same-day alerts raised from the provider's
register (docs/portal.md). Provider staff themselves are audits.ProviderStaff."""

from __future__ import annotations

from django.db import models
from simple_history.models import HistoricalRecords

from apcase.models import PublicIdModel
from placements.models import Placement
from placements.models.placements import PlacementPartQuerySet
from placements.timetable import Session


class SameDayAlert(PublicIdModel):
    """A pupil expected at the provision this morning who is absent without a reason, or not
    marked by the school's cut-off. One per placement and session, so each is raised exactly once
    however many times the register is saved or the cut-off check runs. It stays on the to-do
    list until the session has a mark that is not an absence without a reason."""

    class Kind(models.TextChoices):
        ABSENT = "absent", "absent without a reason"
        UNMARKED = "unmarked", "not marked by the cut-off"

    placement = models.ForeignKey(Placement, on_delete=models.CASCADE, related_name="same_day_alerts")
    date = models.DateField()
    session = models.CharField(max_length=2, choices=Session.choices)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    raised_at = models.DateTimeField(auto_now_add=True)
    dsl_told = models.BooleanField(default=False, help_text="On a child protection plan or looked after.")
    history = HistoricalRecords()

    objects = PlacementPartQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "session"]
        constraints = [
            models.UniqueConstraint(fields=["placement", "date", "session"], name="same_day_alert_once_per_session")
        ]
        indexes = [models.Index(fields=["date"], name="same_day_alert_date")]

    def __str__(self) -> str:
        return f"{self.placement.pupil.initials} {self.get_kind_display()} on {self.date:%d/%m/%Y}"

    @property
    def school_id(self) -> int:
        return self.placement.school_id
