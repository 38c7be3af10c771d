"""The contact log: calls, meetings, e-mails and texts with the provider, the family and the
agencies around a pupil, each with what was agreed and, if any, when to follow it up."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from apcase.access import SchoolScopedQuerySet
from apcase.models import PublicIdModel, School
from placements.models.placements import Placement
from pupils.models import Pupil


class ContactLog(PublicIdModel):
    class Party(models.TextChoices):
        PROVIDER = "provider", "The provider"
        PARENT = "parent", "Parent or carer"
        PUPIL = "pupil", "The pupil"
        EP = "ep", "Educational psychologist"
        CAMHS = "camhs", "CAMHS"
        SOCIAL_CARE = "social_care", "Social care"
        VIRTUAL_SCHOOL = "virtual_school", "The Virtual School"
        SEND_CASEWORKER = "send_caseworker", "SEND caseworker"
        OTHER = "other", "Someone else"

    class How(models.TextChoices):
        CALL = "call", "Phone call"
        MEETING = "meeting", "Meeting"
        EMAIL = "email", "E-mail"
        TEXT = "text", "Text message"
        VISIT = "visit", "Visit"

    class Outcome(models.TextChoices):
        """For a call home about an absence (the daily attendance chase)."""

        NONE = "", "—"
        REACHED = "reached", "Reached, no reason given"
        REASON_GIVEN = "reason_given", "Reached, reason given"
        NO_ANSWER = "no_answer", "No answer"
        MESSAGE_LEFT = "message_left", "Message left"

    # A call with one of these outcomes settles the day's "call home"; after no answer, call again.
    CALL_SETTLED = (Outcome.REACHED, Outcome.REASON_GIVEN, Outcome.MESSAGE_LEFT)

    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="+")
    pupil = models.ForeignKey(Pupil, on_delete=models.CASCADE, related_name="contact_log")
    placement = models.ForeignKey(
        Placement, null=True, blank=True, on_delete=models.CASCADE, related_name="contact_log"
    )
    party = models.CharField("With", max_length=20, choices=Party.choices)
    with_whom = models.CharField("Name", max_length=200, help_text="Who you spoke to, and their role.")
    how = models.CharField("How", max_length=10, choices=How.choices, default=How.CALL)
    contacted_on = models.DateField("When")
    agreed = models.TextField("What was said and agreed")
    outcome = models.CharField(max_length=20, choices=Outcome.choices, blank=True, default=Outcome.NONE)
    follow_up_on = models.DateField(
        "Follow up on", null=True, blank=True, help_text="Optional: you will be reminded on this day."
    )
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    objects = SchoolScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-contacted_on", "-recorded_at"]
        indexes = [
            # The placement page's "last contact with the provider", and the to-do when there is none.
            models.Index(fields=["placement", "party", "-contacted_on"], name="contact_placement_party"),
            models.Index(fields=["pupil", "-contacted_on"], name="contact_pupil"),
            # The follow-up reminders' scan.
            models.Index(fields=["follow_up_on"], name="contact_follow_up"),
        ]

    def __str__(self) -> str:
        return f"{self.get_how_display()} with {self.with_whom} on {self.contacted_on:%d/%m/%Y}"
