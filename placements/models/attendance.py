"""Attendance at a placement, one mark per session, with the DfE register codes as data."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from audits.models import ProviderOrganisation
from placements.models.placements import Placement, PlacementPartQuerySet
from placements.timetable import Session


class AttendanceCode(models.Model):
    """A register code (School Attendance (Pupil Registration) (England) Regulations 2024).

    Seeded by a data migration with the codes that apply to a placement and editable in the back
    office, so a change of code set needs no release.
    """

    class Meaning(models.TextChoices):
        ATTENDING = "attending", "Attending (counts as present)"
        AUTHORISED = "authorised", "Authorised absence"
        UNAUTHORISED = "unauthorised", "Unauthorised absence"
        NOT_COUNTED = "not_counted", "Not a possible session (not counted)"

    code = models.CharField(max_length=3, unique=True)
    description = models.CharField(max_length=200)
    meaning = models.CharField(max_length=15, choices=Meaning.choices)
    allowed_for_school_placements = models.BooleanField(
        default=True,
        help_text="Untick for codes a school may not use for provision it arranges itself "
        "(K is for provision the local authority arranges).",
    )
    needs_reason = models.BooleanField(default=False, help_text="A reason must be recorded with this code.")
    is_active = models.BooleanField(default=True)
    order = models.PositiveSmallIntegerField(default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return f"{self.code} — {self.description}"

    @property
    def is_absence(self) -> bool:
        return self.meaning in (self.Meaning.AUTHORISED, self.Meaning.UNAUTHORISED)


class AttendanceMark(models.Model):
    placement = models.ForeignKey(Placement, on_delete=models.CASCADE, related_name="attendance_marks")
    date = models.DateField()
    session = models.CharField(max_length=2, choices=Session.choices)
    code = models.ForeignKey(AttendanceCode, on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(max_length=200, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)
    # Set when the provider marked it in the portal ("recorded by <provider>"); a school correction
    # clears it and gives its reason, and the history keeps both (docs/portal.md).
    recorded_by_provider = models.ForeignKey(
        ProviderOrganisation, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    correction_reason = models.CharField("Why the school corrected the provider's mark", max_length=200, blank=True)
    history = HistoricalRecords()

    objects = PlacementPartQuerySet.as_manager()

    class Meta:
        ordering = ["date", "session"]
        constraints = [
            models.UniqueConstraint(fields=["placement", "date", "session"], name="attendance_mark_one_per_session")
        ]
        indexes = [models.Index(fields=["placement", "date"], name="attendance_mark_placement_date")]

    def __str__(self) -> str:
        return f"{self.date:%d/%m/%Y} {self.get_session_display().lower()}: {self.code.code}"

    @property
    def school_id(self) -> int:
        return self.placement.school_id

    @property
    def is_unauthorised(self) -> bool:
        """Recorded with a code the register classes as unauthorised (G, N, O, U): what the
        attendance return to the LA counts (placements.selectors.chase)."""
        return self.code.meaning == AttendanceCode.Meaning.UNAUTHORISED

    @property
    def is_unexplained(self) -> bool:
        """Unauthorised, or an absence nobody has given a reason for: what the daily chase calls
        home about and escalates."""
        return self.is_unauthorised or (self.code.is_absence and not self.reason.strip())
