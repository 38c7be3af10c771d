"""The targets a placement works towards and the measurements taken along the way (attendance,
behaviour, standardised age scores, Boxall profiles, Next Steps stages: docs/domain-rules.md#progress-measures)."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from apcase.access import SchoolScopedQuerySet
from apcase.models import PublicIdModel, TimeStampedModel
from placements.models import Placement, PlacementPartQuerySet
from reviews.models.meetings import ReviewMeeting


class Target(PublicIdModel, TimeStampedModel):
    class Area(models.TextChoices):
        ATTENDANCE = "attendance", "Attendance"
        BEHAVIOUR = "behaviour", "Behaviour"
        STANDARDISED_SCORE = "sas", "Standardised age score"
        BOXALL = "boxall", "Boxall profile"
        NEXT_STEPS_READING = "ns_reading", "Next Steps reading"
        NEXT_STEPS_NUMBER = "ns_number", "Next Steps number"
        FRAMEWORK_STAGE = "framework", "Other framework stage"
        PERSONAL = "personal", "Personal or social goal"

    # Areas measured in stages of a framework: the governors' report counts the steps gained.
    FRAMEWORK_AREAS = (Area.NEXT_STEPS_READING, Area.NEXT_STEPS_NUMBER, Area.FRAMEWORK_STAGE)

    placement = models.ForeignKey(Placement, on_delete=models.CASCADE, related_name="targets")
    area = models.CharField(max_length=12, choices=Area.choices)
    description = models.CharField(
        max_length=300, help_text="In words the pupil and family would use, e.g. 'Decode CVC words' or 'Stay in class'."
    )
    baseline = models.DecimalField(max_digits=6, decimal_places=1, help_text="Where the pupil started.")
    target_value = models.DecimalField("Target", max_digits=6, decimal_places=1)
    unit = models.CharField(
        "Unit or scale", max_length=40, help_text="For example: %, stage, score, incidents a week, 1 to 5."
    )
    higher_is_better = models.BooleanField(
        default=True, help_text="Untick when the aim is a lower figure, such as incidents a week."
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    history = HistoricalRecords()

    objects = PlacementPartQuerySet.as_manager()

    class Meta:
        ordering = ["area", "pk"]
        indexes = [models.Index(fields=["placement", "area"], name="target_placement_area")]

    def __str__(self) -> str:
        return f"{self.get_area_display()}: {self.description}"

    @property
    def school_id(self) -> int:
        return self.placement.school_id

    def clean(self) -> None:
        """The direction and the figures agree: a "higher is better" target lies above its baseline,
        a "lower is better" one below it (docs/policy-steps.md)."""
        if self.baseline is None or self.target_value is None or self.baseline == self.target_value:
            return
        if self.higher_is_better and self.target_value < self.baseline:
            raise ValidationError(
                {
                    "target_value": f"A higher figure is better, so the target must be above the baseline "
                    f"({self.baseline:g}); untick “higher is better” if the aim is a lower figure."
                }
            )
        if not self.higher_is_better and self.target_value > self.baseline:
            raise ValidationError(
                {
                    "target_value": f"A lower figure is better, so the target must be below the baseline "
                    f"({self.baseline:g}); tick “higher is better” if the aim is a higher figure."
                }
            )

    @property
    def is_framework(self) -> bool:
        return self.area in self.FRAMEWORK_AREAS

    def is_met_by(self, value) -> bool:
        return value >= self.target_value if self.higher_is_better else value <= self.target_value


class MeasurementQuerySet(SchoolScopedQuerySet):
    school_field = "target__placement__school"


class Measurement(models.Model):
    """One reading of a target: on a date (and so in a half-term), perhaps at a review meeting."""

    target = models.ForeignKey(Target, on_delete=models.CASCADE, related_name="measurements")
    measured_on = models.DateField("Measured on")
    period = models.CharField(
        "Half-term", max_length=40, blank=True, editable=False, help_text="From the school's term dates."
    )
    value = models.DecimalField(max_digits=6, decimal_places=1)
    note = models.CharField(max_length=300, blank=True)
    review = models.ForeignKey(
        ReviewMeeting, null=True, blank=True, on_delete=models.SET_NULL, related_name="measurements"
    )
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    objects = MeasurementQuerySet.as_manager()

    class Meta:
        ordering = ["measured_on", "pk"]
        indexes = [models.Index(fields=["target", "measured_on"], name="measurement_target_date")]
        constraints = [
            # A review records one reading per target; recording the meeting again updates it.
            models.UniqueConstraint(
                fields=["target", "review"], condition=Q(review__isnull=False), name="measurement_once_per_review"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.value} on {self.measured_on:%d/%m/%Y}"
