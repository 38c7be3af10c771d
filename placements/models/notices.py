"""The written notice of a direction off-site to improve behaviour (The Education (Educational
Provision for Improving Behaviour) Regulations 2010, reg 3), as it was issued."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from apcase.models import Document, PublicIdModel
from placements.models.placements import Placement, PlacementPartQuerySet


class ParentNotice(PublicIdModel):
    """One issued notice: the exact PDF sent, to whom, how, and whether it was in time.

    `stated` keeps what the letter said about each required item, so a later change to the
    placement (a new start date, another site) shows as a difference the school must write about.
    """

    class Method(models.TextChoices):
        POST = "post", "By post"
        HAND = "hand", "By hand"
        EMAIL = "email", "By e-mail"

    placement = models.OneToOneField(Placement, on_delete=models.PROTECT, related_name="notice")
    document = models.ForeignKey(Document, on_delete=models.PROTECT, related_name="parent_notices")
    issued_on = models.DateField("Date of service")
    method = models.CharField("Method of service", max_length=10, choices=Method.choices)
    recipients = models.JSONField(help_text="Each addressee as the letter named them.")
    first_day = models.DateField("First day off-site")
    deadline = models.DateField("Latest date for the notice", help_text="Two school days before the first day.")
    is_late = models.BooleanField(default=False)
    late_reason = models.TextField(blank=True)
    stated = models.JSONField(default=dict, help_text="What the notice said about each required item.")
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    issued_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    objects = PlacementPartQuerySet.as_manager()

    class Meta:
        indexes = [models.Index(fields=["issued_on"], name="parent_notice_issued_on")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(is_late=False) | ~models.Q(late_reason=""), name="parent_notice_late_has_reason"
            )
        ]

    def __str__(self) -> str:
        return f"Notice for {self.placement} issued {self.issued_on:%d/%m/%Y}"

    @property
    def school_id(self) -> int:
        return self.placement.school_id
