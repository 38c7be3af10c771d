"""Review meetings of a placement, who was invited and came, the actions agreed, and written
requests for a review of an off-site direction (The Education (Educational Provision for Improving
Behaviour) Regulations 2010, regs 4A and 6)."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from apcase.access import SchoolScopedQuerySet
from apcase.models import PublicIdModel, School, TimeStampedModel
from placements.models import Incident, Placement, PlacementPartQuerySet


class ReviewMeetingQuerySet(SchoolScopedQuerySet):
    def to_hold(self):
        return self.filter(status=ReviewMeeting.Status.SCHEDULED)


class ReviewMeeting(PublicIdModel, TimeStampedModel):
    class Kind(models.TextChoices):
        HALF_TERMLY = "half_termly", "Half-termly progress review"
        TERMLY = "termly", "Termly agreement review"
        IAP_WEEKLY = "iap_weekly", "Weekly IAP reintegration review"
        FORMAL = "formal", "Formal review"
        REQUESTED = "requested", "Requested review"
        FINAL = "final", "Final review before return"
        INCIDENT = "incident", "Placement review after a serious incident"

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", "To be held"
        HELD = "held", "Held"
        CANCELLED = "cancelled", "Cancelled"

    class Decision(models.TextChoices):
        CONTINUE = "continue", "Continue the placement as planned"
        CHANGE = "change", "Change the plan"
        END = "end", "End the placement"
        EXTEND = "extend", "Extend the placement until a date"

    # = placement.school: the lists and the calendar filter and order by school and date.
    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="+")
    placement = models.ForeignKey(Placement, on_delete=models.PROTECT, related_name="reviews")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    # Routine reviews follow the term calendar and move with the placement's dates; others were
    # arranged for a reason (an incident, a request, unsatisfactory progress) and stay put.
    from_calendar = models.BooleanField(default=False, editable=False)
    incident = models.ForeignKey(Incident, null=True, blank=True, on_delete=models.PROTECT, related_name="reviews")
    due_on = models.DateField("Due by")
    meeting_at = models.DateTimeField("Date and time of the meeting", null=True, blank=True)
    place = models.CharField(max_length=200, blank=True, help_text="For example: the centre's meeting room.")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.SCHEDULED)
    cancellation_reason = models.CharField(max_length=300, blank=True)

    # The record of the meeting
    held_on = models.DateField("Held on", null=True, blank=True)
    attendance_snapshot = models.JSONField(
        default=dict, blank=True, editable=False, help_text="The attendance figures as they stood when it was held."
    )
    pupil_voice = models.TextField("The pupil's views", blank=True)
    parents_views = models.TextField("Parents' or carers' views", blank=True)
    provider_report = models.TextField("The provider's report", blank=True)
    satisfactory_progress = models.BooleanField("Is the pupil now making satisfactory progress?", null=True, blank=True)
    decision = models.CharField(max_length=10, choices=Decision.choices, blank=True)
    extend_until = models.DateField("Extend until", null=True, blank=True)
    decision_notes = models.TextField("About the decision", blank=True)
    next_review_on = models.DateField("Next review by", null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    history = HistoricalRecords()

    objects = ReviewMeetingQuerySet.as_manager()

    class Meta:
        ordering = ["due_on", "pk"]
        indexes = [
            models.Index(fields=["school", "status", "due_on"], name="review_school_status_due"),
            models.Index(fields=["school", "meeting_at"], name="review_school_meeting"),
            models.Index(fields=["placement", "status", "due_on"], name="review_placement_status_due"),
            models.Index(fields=["placement", "kind", "held_on"], name="review_placement_kind_held"),
        ]
        constraints = [
            # Deriving the calendar schedule twice (two requests at once) cannot double a review.
            models.UniqueConstraint(
                fields=["placement", "kind", "due_on"], condition=Q(from_calendar=True), name="review_calendar_once"
            ),
            models.CheckConstraint(
                condition=~Q(status="cancelled") | ~Q(cancellation_reason=""), name="review_cancelled_has_reason"
            ),
            models.CheckConstraint(
                condition=~Q(status="held") | (Q(held_on__isnull=False) & ~Q(decision="")),
                name="review_held_has_date_and_decision",
            ),
            models.CheckConstraint(
                condition=~Q(decision="extend") | Q(extend_until__isnull=False), name="review_extension_has_date"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} due {self.due_on:%d/%m/%Y}"

    def get_absolute_url(self) -> str:
        return reverse("reviews:detail", kwargs={"public_id": self.public_id})

    def clean(self) -> None:
        if self.placement_id and self.school_id != self.placement.school_id:
            raise ValidationError("A review belongs to its placement's school.")

    @property
    def decision_text(self) -> str:
        if self.decision == self.Decision.EXTEND and self.extend_until:
            return f"Extend the placement until {self.extend_until:%d/%m/%Y}"
        return self.get_decision_display()

    @property
    def is_scheduled(self) -> bool:
        return self.status == self.Status.SCHEDULED

    @property
    def is_held(self) -> bool:
        return self.status == self.Status.HELD

    @property
    def is_cancelled(self) -> bool:
        return self.status == self.Status.CANCELLED

    @property
    def is_formal(self) -> bool:
        return self.kind == self.Kind.FORMAL

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.SCHEDULED

    @property
    def provider_reports_text(self) -> str:
        """What the provider sent for this review through the portal, oldest first, as the record's
        "provider's report" starts from it: the school edits it into the minutes (docs/portal.md)."""
        parts = []
        for sent in sorted(self.provider_reports.all(), key=lambda sent: sent.submitted_at):
            uploaded = f" (uploaded: {sent.original_name or 'a file'})" if sent.file else ""
            parts.append(f"{sent.provider_name}, {sent.submitted_at:%d/%m/%Y}{uploaded}: {sent.report.strip()}".strip())
        return "\n\n".join(parts)


class ReviewPartQuerySet(SchoolScopedQuerySet):
    school_field = "review__school"


class ReviewParticipant(models.Model):
    """Someone invited to a review meeting: a member of staff, or someone from outside the school."""

    class Role(models.TextChoices):
        STAFF = "staff", "School staff"
        PARENT = "parent", "Parent or carer"
        PUPIL = "pupil", "Pupil"
        PROVIDER = "provider", "Provider"
        LOCAL_AUTHORITY = "la", "Local authority"
        OTHER = "other", "Other"

    review = models.ForeignKey(ReviewMeeting, on_delete=models.CASCADE, related_name="participants")
    role = models.CharField(max_length=10, choices=Role.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(max_length=150, blank=True, help_text="Name and, if useful, position.")
    attended = models.BooleanField(null=True, blank=True)
    history = HistoricalRecords()

    objects = ReviewPartQuerySet.as_manager()

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(role="staff") & Q(user__isnull=False) & Q(name=""))
                | (~Q(role="staff") & Q(user__isnull=True) & ~Q(name="")),
                name="review_participant_staff_or_named",
            ),
            models.UniqueConstraint(
                fields=["review", "user"], condition=Q(user__isnull=False), name="review_participant_user_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.display_name} ({self.get_role_display()})"

    @property
    def display_name(self) -> str:
        return str(self.user) if self.user_id else self.name


class ReviewAction(PublicIdModel):
    """Something agreed at a review, with who does it and by when."""

    review = models.ForeignKey(ReviewMeeting, on_delete=models.CASCADE, related_name="actions")
    description = models.CharField(max_length=300)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="review_actions"
    )
    owner_name = models.CharField(
        "Or someone outside the school", max_length=150, blank=True, help_text="For example: the provider's key worker."
    )
    due_on = models.DateField("Due by")
    done_on = models.DateField(null=True, blank=True)
    history = HistoricalRecords()

    objects = ReviewPartQuerySet.as_manager()

    class Meta:
        ordering = ["due_on", "pk"]
        indexes = [models.Index(fields=["owner", "done_on", "due_on"], name="review_action_owner_open")]
        constraints = [
            models.CheckConstraint(
                condition=Q(owner__isnull=False) | ~Q(owner_name=""), name="review_action_has_owner"
            ),
        ]

    def __str__(self) -> str:
        return self.description

    @property
    def owner_display(self) -> str:
        return str(self.owner) if self.owner_id else self.owner_name

    @property
    def school_id(self) -> int:
        return self.review.school_id


class ReviewRequest(PublicIdModel, TimeStampedModel):
    """A written request for a review of an off-site direction (reg 4A): from a parent, the pupil
    if 18 or over, or the local authority that maintains the pupil's EHC plan."""

    class Requester(models.TextChoices):
        PARENT = "parent", "A parent or carer"
        PUPIL = "pupil", "The pupil (aged 18 or over)"
        LOCAL_AUTHORITY = "la", "The local authority (EHC plan)"

    class Method(models.TextChoices):
        LETTER = "letter", "Letter"
        EMAIL = "email", "E-mail"
        HAND = "hand", "Delivered by hand"

    class Decision(models.TextChoices):
        CONTINUE = "continue", "The direction continues as planned"
        CONTINUE_UNTIL = "continue_until", "The direction continues until a date"
        END = "end", "The direction ends"

    class NotificationMethod(models.TextChoices):
        POST = "post", "By post"
        HAND = "hand", "By hand"
        EMAIL = "email", "By e-mail"

    placement = models.ForeignKey(Placement, on_delete=models.PROTECT, related_name="review_requests")
    received_on = models.DateField("Received on")
    requester = models.CharField("From", max_length=10, choices=Requester.choices)
    requester_name = models.CharField("Name", max_length=150)
    method = models.CharField("How it came", max_length=10, choices=Method.choices)
    request_text = models.TextField("What they asked", blank=True)
    # The duty (reg 4A): none when a review meeting was held in the 10 weeks before the request,
    # which recent_review names; otherwise the review held because of the request.
    recent_review = models.ForeignKey(
        ReviewMeeting, null=True, blank=True, on_delete=models.PROTECT, related_name="+", editable=False
    )
    review = models.OneToOneField(
        ReviewMeeting, null=True, blank=True, on_delete=models.PROTECT, related_name="request", editable=False
    )
    # The school's decision and its notification (reg 6)
    decision = models.CharField(max_length=20, choices=Decision.choices, blank=True)
    decision_until = models.DateField("Continues until", null=True, blank=True)
    decision_notes = models.TextField("About the decision", blank=True)
    notified_on = models.DateField("Notified on", null=True, blank=True)
    notified_method = models.CharField(
        "How they were told", max_length=10, choices=NotificationMethod.choices, blank=True
    )
    notified_to = models.CharField("Told to", max_length=300, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    history = HistoricalRecords()

    objects = PlacementPartQuerySet.as_manager()

    class Meta:
        ordering = ["-received_on", "-pk"]
        indexes = [models.Index(fields=["placement", "-received_on"], name="review_request_placement")]
        constraints = [
            models.CheckConstraint(
                condition=Q(recent_review__isnull=True) | Q(review__isnull=True), name="review_request_duty_or_not"
            ),
            models.CheckConstraint(
                condition=~Q(decision="continue_until") | Q(decision_until__isnull=False),
                name="review_request_until_has_date",
            ),
        ]

    def __str__(self) -> str:
        return f"Request for a review from {self.requester_name} received {self.received_on:%d/%m/%Y}"

    def get_absolute_url(self) -> str:
        return reverse("reviews:request_detail", kwargs={"public_id": self.public_id})

    @property
    def school_id(self) -> int:
        return self.placement.school_id

    def answer_errors(self, *, decision: str | None, notified_on: date | None, decision_until: date | None) -> dict:
        """What is wrong with an answer, all at once: the form shows each beside its field and the
        service refuses on any (docs/domain-rules.md#review-requests)."""
        errors = {}
        if notified_on and notified_on < self.received_on:
            errors["notified_on"] = "The notification cannot be before the request was received."
        if decision == self.Decision.CONTINUE_UNTIL and decision_until is None:
            errors["decision_until"] = "Give the date the direction continues until."
        return errors

    @property
    def decision_text(self) -> str:
        if self.decision == self.Decision.CONTINUE_UNTIL and self.decision_until:
            return f"The direction continues until {self.decision_until:%d/%m/%Y}"
        return self.get_decision_display()

    @property
    def review_required(self) -> bool:
        return self.recent_review_id is None

    @property
    def is_answered(self) -> bool:
        return self.notified_on is not None
