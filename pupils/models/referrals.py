"""Cause for Concern referrals, the meetings with parents, and evidence files."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from apcase.access import SchoolScopedQuerySet
from apcase.models import PublicIdModel, School, TimeStampedModel
from apcase.uploads import PrivateUploadTo
from pupils.models.pupils import Pupil


class Referral(PublicIdModel, TimeStampedModel):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SUBMITTED = "submitted", "Submitted"
        UNDER_REVIEW = "under_review", "Under review"
        AWAITING_APPROVAL = "awaiting_approval", "Awaiting approval"
        APPROVED = "approved", "Approved"
        DECLINED = "declined", "Declined"
        WITHDRAWN = "withdrawn", "Withdrawn"

    class Criterion(models.TextChoices):
        """When a Cause for Concern may be raised (docs/domain-rules.md#referral)."""

        DISRUPTIVE = "disruptive", "Persistent disruptive behaviour"
        DISENGAGEMENT = "disengagement", "Noticeable decline in engagement, motivation or attendance"
        EXCLUSION_RISK = "exclusion_risk", "At risk of exclusion, or has had a suspension"
        NEEDS_BARRIER = "needs_barrier", "Learning or emotional needs temporarily preventing access to the curriculum"

    class Reason(models.TextChoices):
        """Why alternative provision might help (docs/domain-rules.md#referral)."""

        SEMH = "semh", "Social, emotional and mental health needs"
        EXCLUSION_RISK = "exclusion_risk", "At risk of permanent exclusion"
        SUSPENSIONS = "suspensions", "One or more suspensions"
        NON_ATTENDANCE = "non_attendance", "Not attending school regularly"
        EHCP_NEED = "ehcp_need", "Provision named in the EHC plan"
        EHC_ASSESSMENT = "ehc_assessment", "Pending EHC needs assessment"
        ILLNESS = "illness", "Illness"
        RESPITE = "respite", "Respite from the main school"
        CURRICULUM = "curriculum", "Broader or more practical curriculum"

    class Avenue(models.TextChoices):
        """Other avenues the SENDCo considers before AP (docs/domain-rules.md#referral)."""

        SEND_HUB = "send_hub", "SEND hub"
        MANAGED_MOVE = "managed_move", "Managed move (with parental consent)"
        IN_CLASS = "in_class", "In-class support"
        INTERNAL_AP = "internal_ap", "Internal alternative provision"

    class Recommendation(models.TextChoices):
        INTERNAL_AP = "internal_ap", "Internal AP"
        OFFSITE_AP = "offsite_ap", "Off-site AP"
        MANAGED_MOVE = "managed_move", "Managed move"
        NO_AP = "no_ap", "No AP"

    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="referrals")
    pupil = models.ForeignKey(Pupil, on_delete=models.PROTECT, related_name="referrals")
    raised_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="referrals_raised")
    raised_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT, db_index=True)
    submitted_at = models.DateTimeField(null=True, blank=True)

    # The Cause for Concern form (the referring member of staff)
    criteria = models.JSONField("Criteria met", default=list, blank=True)
    reasons = models.JSONField("Reasons", default=list, blank=True)
    suspensions_this_year = models.PositiveSmallIntegerField("Suspensions so far this school year", default=0)
    concern = models.TextField("The concern", help_text="What you have seen, in your own words.")
    strategies_tried = models.TextField("Strategies and support", blank=True)
    tried_for_weeks = models.PositiveSmallIntegerField("For how many weeks", null=True, blank=True)
    evidence = models.TextField(
        blank=True, help_text="Behaviour logs, attendance figures, work samples… Attach files after saving."
    )
    parents_informed = models.BooleanField("Parents or carers have been told about this concern", default=False)
    parents_informed_notes = models.CharField("When and how (or why not yet)", max_length=300, blank=True)
    safeguarding_concern = models.BooleanField(
        "There is also a safeguarding concern",
        default=False,
        help_text="The DSL will see this referral. Report the safeguarding concern itself to the DSL as usual.",
    )

    # The SENDCo's review
    background = models.TextField("Background gathered", blank=True)
    staff_consulted = models.TextField("Key staff consulted", blank=True)
    avenues_considered = models.JSONField("Other avenues considered", default=list, blank=True)
    avenues_notes = models.TextField("Notes on the other avenues", blank=True)
    recommendation = models.CharField(max_length=20, choices=Recommendation.choices, blank=True)
    recommendation_reasons = models.TextField("Reasons for the recommendation", blank=True)

    withdrawal_reason = models.CharField(max_length=300, blank=True)
    history = HistoricalRecords()

    objects = SchoolScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-raised_at"]
        indexes = [
            models.Index(fields=["school", "status", "-raised_at"], name="referral_school_status"),
            models.Index(fields=["pupil", "-raised_at"], name="referral_pupil"),
            models.Index(fields=["raised_by", "-raised_at"], name="referral_raised_by"),
        ]

    def __str__(self) -> str:
        return f"Cause for Concern for {self.pupil.initials} ({self.get_status_display()})"

    def get_absolute_url(self) -> str:
        return reverse("referrals:detail", kwargs={"public_id": self.public_id})

    def clean(self) -> None:
        _check_choices(self, "criteria", self.Criterion)
        _check_choices(self, "reasons", self.Reason)
        _check_choices(self, "avenues_considered", self.Avenue)

    @property
    def criteria_labels(self) -> list[str]:
        return _labels(self.criteria, self.Criterion)

    @property
    def reason_labels(self) -> list[str]:
        return _labels(self.reasons, self.Reason)

    @property
    def avenue_labels(self) -> list[str]:
        return _labels(self.avenues_considered, self.Avenue)

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT

    @property
    def is_submitted(self) -> bool:
        return self.status == self.Status.SUBMITTED

    @property
    def is_under_review(self) -> bool:
        return self.status == self.Status.UNDER_REVIEW

    @property
    def is_awaiting_approval(self) -> bool:
        return self.status == self.Status.AWAITING_APPROVAL

    @property
    def is_withdrawn(self) -> bool:
        return self.status == self.Status.WITHDRAWN

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_REFERRAL_STATUSES


OPEN_REFERRAL_STATUSES = (
    Referral.Status.DRAFT,
    Referral.Status.SUBMITTED,
    Referral.Status.UNDER_REVIEW,
    Referral.Status.AWAITING_APPROVAL,
)


def _check_choices(obj, field: str, choices) -> None:
    unknown = [value for value in getattr(obj, field) if value not in choices.values]
    if unknown:
        raise ValidationError({field: f"Unknown choice: {', '.join(map(str, unknown))}."})


def _labels(values: list[str], choices) -> list[str]:
    labels = dict(choices.choices)
    return [labels[value] for value in choices.values if value in values]  # in declared order


class ReferralPartQuerySet(SchoolScopedQuerySet):
    school_field = "referral__school"


class ParentMeeting(PublicIdModel, TimeStampedModel):
    """The meeting where the school explains to parents or carers why AP is being considered."""

    class Agreement(models.TextChoices):
        AGREE = "agree", "Parents agree"
        DISAGREE = "disagree", "Parents do not agree"
        NOT_REQUIRED = "not_required", "Not required (direction off-site to improve behaviour)"

    referral = models.ForeignKey(Referral, on_delete=models.PROTECT, related_name="meetings")
    held_at = models.DateTimeField("When it was held")
    attendees = models.TextField("Who attended", help_text="Names and roles, one per line.")
    explained = models.TextField("What was explained", help_text="Why AP is being considered, and what it would mean.")
    alternative_to_exclusion = models.BooleanField(
        "AP is offered as an alternative to permanent exclusion", default=False
    )
    made_clear_to_parents = models.BooleanField(
        "It was made clear to the parents that AP is offered as an alternative to permanent exclusion",
        default=False,
        help_text="So that they can make an informed decision.",
    )
    parents_views = models.TextField("Parents' or carers' views")
    agreement = models.CharField("Parents' agreement", max_length=20, choices=Agreement.choices)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    history = HistoricalRecords()

    objects = ReferralPartQuerySet.as_manager()

    class Meta:
        ordering = ["-held_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(alternative_to_exclusion=False) | Q(made_clear_to_parents=True),
                name="meeting_exclusion_alternative_made_clear",
            ),
        ]

    def __str__(self) -> str:
        return f"Parent meeting {self.held_at:%d/%m/%Y}"

    def clean(self) -> None:
        errors = {}
        if self.alternative_to_exclusion and not self.made_clear_to_parents:
            errors["made_clear_to_parents"] = (
                "When AP is offered as an alternative to permanent exclusion, "
                "confirm this was made clear to the parents."
            )
        if self.held_at and self.held_at > timezone.now():
            errors["held_at"] = "Record a meeting after it has been held."
        if errors:
            raise ValidationError(errors)


class ReferralAttachment(PublicIdModel):
    """An evidence file attached to a referral; only ever streamed by a permission-checked view."""

    referral = models.ForeignKey(Referral, on_delete=models.PROTECT, related_name="attachments")
    file = models.FileField(upload_to=PrivateUploadTo("referrals"))
    original_name = models.CharField(max_length=200)
    size = models.PositiveIntegerField()
    description = models.CharField(max_length=200, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    objects = ReferralPartQuerySet.as_manager()

    class Meta:
        ordering = ["uploaded_at"]

    def __str__(self) -> str:
        return self.original_name
