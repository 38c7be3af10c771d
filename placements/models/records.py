"""What is recorded about a placement: the parents' agreement and the school's decision that the
provision suits the pupil, the handover to the provider, incidents the provider reports, and visits
by school staff."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from simple_history.models import HistoricalRecords

from apcase.models import PublicIdModel
from apcase.uploads import PrivateUploadTo
from placements.models.placements import Placement, PlacementPartQuerySet


class PlacementRecord(PublicIdModel):
    """Common to the records of one placement: who wrote it down and when."""

    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)
    placement: Placement  # each kind of record declares its own, with its related_name

    objects = PlacementPartQuerySet.as_manager()

    class Meta:
        abstract = True

    @property
    def school_id(self) -> int:
        return self.placement.school_id


class ParentAgreement(PlacementRecord):
    """The parents' answer to a placement that is not a direction off-site: the headteacher
    approves it only once they have agreed (docs/policy-steps.md). The latest answer stands."""

    class Response(models.TextChoices):
        AGREED = "agreed", "Agreed"
        REFUSED = "refused", "Refused"

    class Method(models.TextChoices):
        MEETING = "meeting", "At a meeting"
        PHONE = "phone", "By phone"
        LETTER = "letter", "Signed the agreement letter"
        EMAIL = "email", "By e-mail"

    placement = models.ForeignKey(Placement, on_delete=models.CASCADE, related_name="parent_agreements")
    response = models.CharField("The parents' answer", max_length=10, choices=Response.choices)
    given_by = models.CharField(
        "Who answered", max_length=200, help_text="The parent or carer, e.g. 'Mrs Donna Clarke, mother'."
    )
    given_on = models.DateField("When")
    method = models.CharField("How", max_length=10, choices=Method.choices)
    notes = models.TextField(blank=True, help_text="Anything they asked for or were told.")
    history = HistoricalRecords()

    class Meta:
        ordering = ["-given_on", "-recorded_at"]
        indexes = [models.Index(fields=["placement", "-given_on"], name="parent_agreement_latest")]

    def __str__(self) -> str:
        return f"{self.get_response_display()} by {self.given_by} on {self.given_on:%d/%m/%Y}"

    @property
    def agreed(self) -> bool:
        return self.response == self.Response.AGREED


class SuitabilityDecision(PlacementRecord):
    """The school's own answer, for this pupil, to the audit's closing question "Is this AP suitable
    for your pupil?" (docs/domain-rules.md#suitability). The provider's clearance may rest on another
    school's checks; this decision never does. The headteacher approves an off-site placement only
    once the latest decision says suitable; a later decision (a change of mind) replaces it."""

    placement = models.ForeignKey(Placement, on_delete=models.CASCADE, related_name="suitability_decisions")
    suitable = models.BooleanField("Is this provision suitable for this pupil?")
    decided_on = models.DateField("Decided on")
    reasons = models.TextField("Reasons for the answer")
    considered = models.TextField(
        "What was considered",
        help_text="The audit's concerns and further actions, the pupil's needs, a visit or taster, the parents' views.",
    )
    audit = models.ForeignKey(
        "audits.Audit",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="Audit considered",
        help_text="The school's own audit of the provider, or one it relies on.",
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["-decided_on", "-recorded_at", "-pk"]
        indexes = [models.Index(fields=["placement", "-decided_on"], name="suitability_latest")]

    def __str__(self) -> str:
        return f"{self.verdict.capitalize()} ({self.recorded_by}, {self.decided_on:%d/%m/%Y})"

    @property
    def verdict(self) -> str:
        return "suitable" if self.suitable else "not suitable"


class Handover(PlacementRecord):
    """Information the school shared with the provider at the start (docs/domain-rules.md#roles)."""

    class Item(models.TextChoices):
        ATTAINMENT = "attainment", "Attainment data"
        CHARACTERISTICS = "characteristics", "Pupil characteristics"
        BEHAVIOUR_PLAN = "behaviour_plan", "Behaviour plan"
        SAFEGUARDING = "safeguarding", "Safeguarding information"
        SEMH = "semh", "SEMH needs"
        MEDICAL = "medical", "Medical information"

    placement = models.ForeignKey(Placement, on_delete=models.CASCADE, related_name="handovers")
    shared_on = models.DateField("Shared on")
    shared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="Shared by"
    )
    shared_with = models.CharField("Shared with (at the provider)", max_length=200)
    items = models.JSONField("What was shared", default=list, blank=True)
    notes = models.TextField(blank=True, help_text="How it was shared (meeting, secure e-mail) and anything agreed.")
    # The structured handover (issue 16): what the provider needs to keep the pupil safe and
    # learning. It reaches the provider portal only when the school chooses to share it there.
    needs = models.TextField("Needs", blank=True, help_text="Learning, SEMH and SEND needs to plan for.")
    risks = models.TextField("Risks", blank=True, help_text="Risks to the pupil or to others.")
    risk_management = models.TextField("How to manage the risks", blank=True)
    what_works = models.TextField("What works", blank=True, help_text="Approaches, people and routines that help.")
    medical_notes = models.TextField("Medical notes", blank=True, help_text="Conditions, medicines, allergies.")
    emergency_contacts = models.ManyToManyField(
        "pupils.Contact", blank=True, related_name="+", verbose_name="Emergency contacts"
    )
    shared_in_portal = models.BooleanField(
        "Share with the provider in the portal",
        default=False,
        help_text="The provider's staff then see the needs, risks, emergency contacts, what works and medical notes.",
    )
    # The provider's acknowledgement, signed in the provider portal (docs/portal.md): who, when,
    # from where, which words; the PDF holds the whole of it.
    acknowledged_by_name = models.CharField(max_length=120, blank=True, editable=False)
    acknowledged_position = models.CharField(max_length=120, blank=True, editable=False)
    acknowledged_at = models.DateTimeField(null=True, blank=True, editable=False)
    acknowledged_from_ip = models.GenericIPAddressField(null=True, blank=True, editable=False)
    acknowledgement_version = models.CharField(max_length=40, blank=True, editable=False)
    acknowledgement = models.FileField(
        upload_to=PrivateUploadTo("handover-acknowledgements"), blank=True, editable=False
    )
    history = HistoricalRecords(m2m_fields=[emergency_contacts])

    # The structured parts, in the order the school fills them in and the provider reads them.
    SECTIONS = ("needs", "risks", "risk_management", "what_works", "medical_notes")

    class Meta:
        ordering = ["-shared_on", "-recorded_at"]

    def __str__(self) -> str:
        return f"Handover to {self.shared_with} on {self.shared_on:%d/%m/%Y}"

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if any(item not in self.Item.values for item in self.items):
            errors["items"] = "Unknown item shared."
        elif not self.items and not any(getattr(self, name).strip() for name in self.SECTIONS):
            errors["items"] = "Tick what was shared, or write the needs, risks, what works or medical notes."
        if self.risks.strip() and not self.risk_management.strip():
            errors["risk_management"] = "Say how the provider should manage the risks."
        if errors:
            raise ValidationError(errors)

    @property
    def item_labels(self) -> list[str]:
        labels = dict(self.Item.choices)
        return [labels[value] for value in self.Item.values if value in self.items]

    @property
    def sections(self) -> list[tuple[str, str]]:
        """(heading, text) of each structured part filled in, for the portal and the letter."""
        labels = {field.name: str(field.verbose_name) for field in self._meta.concrete_fields}
        return [(labels[name], getattr(self, name)) for name in self.SECTIONS if getattr(self, name).strip()]


class Incident(PlacementRecord):
    """An incident the provider reported. A serious one leads to a placement review
    (docs/domain-rules.md#serious-incident)."""

    class Severity(models.TextChoices):
        LOW = "low", "Low"
        MODERATE = "moderate", "Moderate"
        SERIOUS = "serious", "Serious"

    IN_THE_FUTURE = "Record an incident after it has happened."

    placement = models.ForeignKey(Placement, on_delete=models.CASCADE, related_name="incidents")
    occurred_at = models.DateTimeField("When it happened")
    description = models.TextField("What happened")
    severity = models.CharField(max_length=10, choices=Severity.choices)
    actions_taken = models.TextField("Actions taken", blank=True)
    safeguarding_concern = models.BooleanField(
        "There is a safeguarding concern", default=False, help_text="The school's DSLs are told at once."
    )
    reported_by = models.CharField(
        "Reported by", max_length=200, help_text="Who at the provider reported it, e.g. 'Jo Whitfield, head of centre'."
    )
    # The SENDCo's decision on a serious incident: "deciding on an appropriate course of action, in
    # conjunction with the SLT and Headteacher" (docs/domain-rules.md#serious-incident).
    response = models.TextField("Course of action decided", blank=True)
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    responded_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-occurred_at"]
        indexes = [
            models.Index(fields=["placement", "-occurred_at"], name="incident_placement_time"),
            models.Index(fields=["severity", "responded_at"], name="incident_severity_response"),
        ]

    def __str__(self) -> str:
        return f"{self.get_severity_display()} incident on {self.occurred_at:%d/%m/%Y}"

    @property
    def is_moderate(self) -> bool:
        return self.severity == self.Severity.MODERATE

    @property
    def is_serious(self) -> bool:
        return self.severity == self.Severity.SERIOUS

    @property
    def needs_response(self) -> bool:
        return self.is_serious and self.responded_at is None


class Visit(PlacementRecord):
    """A visit by school staff to the pupil at the provision."""

    placement = models.ForeignKey(Placement, on_delete=models.CASCADE, related_name="visits")
    visited_on = models.DateField("Date of the visit")
    staff = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="placement_visits", verbose_name="School staff"
    )
    what_was_seen = models.TextField("What was seen")
    pupil_voice = models.TextField("The pupil's views", blank=True)
    follow_up = models.TextField("Follow-up", blank=True)
    history = HistoricalRecords(m2m_fields=[staff])

    class Meta:
        ordering = ["-visited_on", "-recorded_at"]

    def __str__(self) -> str:
        return f"Visit on {self.visited_on:%d/%m/%Y}"
