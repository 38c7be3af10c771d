"""The return to class: the reintegration plan and each agreed version of it
(docs/domain-rules.md#review-cadence), the final report before return (docs/domain-rules.md#final-report), and the
check-ins after it."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from apcase.access import SchoolScopedQuerySet
from apcase.models import PublicIdModel, TimeStampedModel
from placements.models import Placement, PlacementPartQuerySet
from placements.timetable import SESSION_KEYS
from reviews.models.meetings import ReviewMeeting


def validate_return_timetable(value) -> None:
    """A list of weeks, each the list of sessions (e.g. "mon_am") the pupil spends in the home class."""
    if not isinstance(value, list) or not all(isinstance(week, list) for week in value):
        raise ValidationError("The return timetable is a list of weeks of sessions.")
    if any(key not in SESSION_KEYS for week in value for key in week):
        raise ValidationError("The return timetable lists sessions from Monday morning to Friday afternoon.")


class ReintegrationPlan(PublicIdModel, TimeStampedModel):
    """A placement's plan for the return to class. Its content lives in numbered versions: each
    agreed change is a new version and the old ones stay readable."""

    placement = models.OneToOneField(Placement, on_delete=models.PROTECT, related_name="reintegration_plan")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    history = HistoricalRecords()

    objects = PlacementPartQuerySet.as_manager()

    def __str__(self) -> str:
        return f"Reintegration plan for {self.placement}"

    @property
    def school_id(self) -> int:
        return self.placement.school_id


class PlanVersionQuerySet(SchoolScopedQuerySet):
    school_field = "plan__placement__school"


class PlanVersion(models.Model):
    plan = models.ForeignKey(ReintegrationPlan, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveSmallIntegerField(editable=False)
    strengths = models.TextField("The pupil's strengths")
    needs = models.TextField("Needs")
    agreed_targets = models.TextField("Agreed targets")
    classroom_strategies = models.TextField("Classroom strategies")
    return_timetable = models.JSONField(
        "Graduated return timetable",
        default=list,
        blank=True,
        validators=[validate_return_timetable],
        help_text="Week by week, the sessions in the home class.",
    )
    who_supports = models.TextField("Who supports the return", help_text="Names and what each does.")
    change_summary = models.TextField(
        "What changed and why", blank=True, help_text="Agreed with the pupil, staff and parents or carers."
    )
    review = models.ForeignKey(
        ReviewMeeting, null=True, blank=True, on_delete=models.SET_NULL, related_name="plan_versions"
    )
    agreed_on = models.DateField("Agreed on")
    agreed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    history = HistoricalRecords()

    objects = PlanVersionQuerySet.as_manager()

    class Meta:
        ordering = ["plan", "-number"]
        constraints = [models.UniqueConstraint(fields=["plan", "number"], name="plan_version_number_once")]

    def __str__(self) -> str:
        return f"Version {self.number}, agreed {self.agreed_on:%d/%m/%Y}"

    @property
    def content(self) -> tuple[object, ...]:
        """What was agreed, apart from when and why: a new version must differ from the last in it."""
        return (
            self.strengths,
            self.needs,
            self.agreed_targets,
            self.classroom_strategies,
            self.return_timetable,
            self.who_supports,
        )


class FinalReport(TimeStampedModel):
    """What the headteacher obtains before the return (docs/domain-rules.md#final-report): attainment and progress,
    attendance (from the register), evidence of a change in behaviour, the pupil's own views and
    the objectives on return."""

    placement = models.OneToOneField(Placement, on_delete=models.PROTECT, related_name="final_report")
    attainment_progress = models.TextField("Attainment and progress")
    behaviour_evidence = models.TextField("Evidence of a change in behaviour")
    pupil_views = models.TextField("The pupil's own views on the placement")
    pupil_views_heard_by = models.CharField(
        "Views heard by", max_length=150, help_text="Who spoke to the pupil, e.g. the headteacher."
    )
    objectives_on_return = models.TextField("Objectives on return", help_text="For example attendance or behaviour.")
    prepared_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    prepared_on = models.DateField("Prepared on")
    history = HistoricalRecords()

    objects = PlacementPartQuerySet.as_manager()

    def __str__(self) -> str:
        return f"Final report for {self.placement}"

    @property
    def school_id(self) -> int:
        return self.placement.school_id


class CheckIn(models.Model):
    """A follow-up after the return to class, 2, 6 and 12 school weeks on (docs/domain-rules.md#check-ins)."""

    WEEKS = (2, 6, 12)

    class WhereNow(models.TextChoices):
        BACK_IN_AP = "back_in_ap", "Back in alternative provision"
        PART_TIME = "part_time", "On a reduced timetable"
        MOVED_SCHOOL = "moved_school", "Moved school"
        EXCLUDED = "excluded", "Suspended or excluded"
        OTHER = "other", "Other"

    placement = models.ForeignKey(Placement, on_delete=models.CASCADE, related_name="check_ins")
    weeks_after = models.PositiveSmallIntegerField(choices=[(weeks, f"{weeks} weeks") for weeks in WEEKS])
    due_on = models.DateField("Due on")
    held_on = models.DateField("Checked on", null=True, blank=True)
    still_in_class = models.BooleanField("Is the pupil still in class?", null=True, blank=True)
    where_now = models.CharField("If not, where", max_length=15, choices=WhereNow.choices, blank=True)
    notes = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    history = HistoricalRecords()

    objects = PlacementPartQuerySet.as_manager()

    class Meta:
        ordering = ["placement", "weeks_after"]
        indexes = [models.Index(fields=["held_on", "due_on"], name="check_in_open_due")]
        constraints = [
            models.UniqueConstraint(fields=["placement", "weeks_after"], name="check_in_once_per_point"),
            models.CheckConstraint(
                condition=Q(held_on__isnull=True) | Q(still_in_class__isnull=False), name="check_in_held_has_answer"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.weeks_after}-week check-in due {self.due_on:%d/%m/%Y}"

    def record_errors(self, *, held_on: date | None, still_in_class: bool | None, where_now: str) -> dict[str, str]:
        """What is wrong with a check-in as recorded, all at once (the form and the service ask)."""
        errors = {}
        returned = self.placement.actual_end_date
        if held_on and returned and held_on <= returned:
            errors["held_on"] = "A check-in is after the return to class."
        if still_in_class is False and not where_now:
            errors["where_now"] = "Say where the pupil is now."
        return errors

    @property
    def school_id(self) -> int:
        return self.placement.school_id
