"""Providers a school may place pupils with, the checks the DSL makes on them (registration, KCSIE
safeguarding confirmations) and the AP audit (docs/domain-rules.md#kcsie-confirmation) with its versioned questions.

Each school keeps its own directory: two schools using the same provider each hold their own
record and their own checks, because each school stays responsible for the pupils it places.
The body behind those entries is one ProviderOrganisation across the installation: its staff sign
in to the provider portal, and counts across schools (the registration threshold) meet there.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable
from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from apcase.access import SchoolScopedQuerySet, school_ids_for
from apcase.models import PublicIdModel, School, TimeStampedModel
from apcase.uploads import PrivateUploadTo

AUDIT_VALIDITY_MONTHS = 12
RISK_ASSESSMENT_VALIDITY_MONTHS = 12

urn_validator = RegexValidator(r"^\d{6}$", "A URN is six digits, for example 123456.")
ukprn_validator = RegexValidator(r"^1\d{7}$", "A UKPRN is eight digits starting with 1, for example 10012345.")


def add_months(day: date, months: int) -> date:
    """The same day of the month `months` later, or that month's last day (31/01 + 1 = 28/02)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


# Ofsted moved from four graded judgements to report cards in November 2025; providers inspected
# before then keep their old grades until their next inspection, so both scales are offered.
OFSTED_GRADES = [
    (
        "Graded judgements (before November 2025)",
        [
            ("outstanding", "Outstanding"),
            ("good", "Good"),
            ("requires_improvement", "Requires improvement"),
            ("inadequate", "Inadequate"),
        ],
    ),
    (
        "Report card grades (from November 2025)",
        [
            ("exceptional", "Exceptional"),
            ("strong", "Strong standard"),
            ("expected", "Expected standard"),
            ("needs_attention", "Needs attention"),
            ("urgent_improvement", "Urgent improvement"),
        ],
    ),
]
OFSTED_SAFEGUARDING = [("met", "Effective / met"), ("not_met", "Not effective / not met")]


def organisation_match(*, urn: str, ukprn: str, name: str) -> dict[str, str]:
    """How a school's directory entry finds its organisation: by URN, else UKPRN, else the name
    (ignoring case), because the identifiers are the same whoever typed them and names are not."""
    if urn:
        return {"urn": urn}
    if ukprn:
        return {"ukprn": ukprn}
    return {"name__iexact": name.strip()}


class ProviderOrganisation(PublicIdModel, TimeStampedModel):
    """One provider body across the installation, whichever schools list it in their directories.

    Not school-scoped: school staff reach it only through their own Provider entry, and provider
    staff through their ProviderStaff membership (docs/portal.md)."""

    name = models.CharField(max_length=200)
    urn = models.CharField("URN", max_length=6, blank=True, validators=[urn_validator])
    ukprn = models.CharField("UKPRN", max_length=8, blank=True, validators=[ukprn_validator])
    address = models.TextField(blank=True, help_text="One line per line of the postal address, without the postcode.")
    postcode = models.CharField(max_length=10, blank=True)
    email = models.EmailField("Main contact e-mail", blank=True)
    phone = models.CharField("Main contact phone", max_length=30, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["urn"], condition=~models.Q(urn=""), name="provider_organisation_unique_urn"
            ),
            models.UniqueConstraint(
                fields=["ukprn"], condition=~models.Q(ukprn=""), name="provider_organisation_unique_ukprn"
            ),
        ]
        indexes = [models.Index(fields=["name"], name="provider_organisation_name")]

    def __str__(self) -> str:
        return self.name

    @property
    def address_lines(self) -> list[str]:
        return [line for line in self.address.splitlines() if line.strip()] + ([self.postcode] if self.postcode else [])


class Provider(PublicIdModel, TimeStampedModel):
    class Kind(models.TextChoices):
        INTERNAL = "internal", "Internal provision (on the school site)"
        OFFSITE = "offsite", "Off-site provider"

    class Registration(models.TextChoices):
        REGISTERED_SCHOOL = "registered_school", "Registered school (has a URN)"
        UKPRN_ONLY = "ukprn_only", "Not a school, has a UKPRN"
        UNREGISTERED = "unregistered", "Unregistered (no URN or UKPRN)"

    class SettingType(models.TextChoices):
        # The school census "AP setting type" codes, used when there is no URN or UKPRN.
        NON_MAINTAINED_FE = "NFE", "Non-maintained further education provision"
        ONE_TO_ONE_TUITION = "OOT", "One-to-one tuition"
        OTHER_UNREGISTERED = "OTH", "Other unregistered provider"
        WORK_BASED = "WBP", "Work-based placement"

    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="providers")
    organisation = models.ForeignKey(
        ProviderOrganisation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="directory_entries",
        help_text="The provider body this directory entry stands for, shared with other schools that use it.",
    )
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.OFFSITE)
    is_active = models.BooleanField(
        "Active", default=True, db_index=True, help_text="Untick when the school no longer uses this provider."
    )

    contact_name = models.CharField("Named contact", max_length=120, blank=True)
    contact_role = models.CharField("Contact's position", max_length=120, blank=True)
    phone = models.CharField(max_length=30, blank=True)
    email = models.EmailField(blank=True)

    # Registration (off-site providers): exactly one of URN, UKPRN or setting type, as the census asks.
    registration = models.CharField(max_length=20, choices=Registration.choices, blank=True)
    urn = models.CharField("URN", max_length=6, blank=True, validators=[urn_validator])
    ukprn = models.CharField("UKPRN", max_length=8, blank=True, validators=[ukprn_validator])
    setting_type = models.CharField(max_length=3, choices=SettingType.choices, blank=True)
    registration_checked_on = models.DateField(null=True, blank=True)
    registration_checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    ofsted_overall = models.CharField("Ofsted overall", max_length=20, choices=OFSTED_GRADES, blank=True)
    ofsted_quality_of_education = models.CharField(
        "Ofsted quality of education", max_length=20, choices=OFSTED_GRADES, blank=True
    )
    ofsted_leadership = models.CharField(
        "Ofsted leadership and management", max_length=20, choices=OFSTED_GRADES, blank=True
    )
    ofsted_safeguarding = models.CharField(
        "Ofsted safeguarding", max_length=10, choices=OFSTED_SAFEGUARDING, blank=True
    )
    ofsted_inspected_on = models.DateField("Date of the last inspection", null=True, blank=True)
    ofsted_report_url = models.URLField("Ofsted report link", blank=True)
    on_la_directory = models.BooleanField(
        "On the local authority's AP directory",
        default=False,
        help_text="The LA keeps a directory of AP providers that have passed its own checks.",
    )

    # Internal provision (docs/domain-rules.md#iap-length): the school's own staff and policies apply.
    lead_staff_name = models.CharField(
        "Lead member of staff", max_length=120, blank=True, help_text="Who leads the provision day to day."
    )
    safeguarding_policy_applies = models.BooleanField(
        "The school's child protection and safeguarding policy applies in full",
        default=False,
    )
    staff_training = models.TextField(
        blank=True, help_text="For example trauma-informed practice, de-escalation, inclusive practice."
    )
    reintegration_approach = models.TextField(
        "How pupils return to class",
        blank=True,
        help_text="Home class, reintegration plans, graduated return timetables.",
    )
    risk_assessment_on = models.DateField("Risk assessment of the space last done on", null=True, blank=True)
    # docs/domain-rules.md#iap-length: an Internal Alternative Provision is a short intervention (typically 2–6 weeks);
    # placements there default to six weeks and warn when extended past it. An on-site class such
    # as Rockets is internal provision too, but pupils may stay longer.
    short_term_iap = models.BooleanField(
        "Internal Alternative Provision (IAP): a short intervention, typically 2–6 weeks",
        default=False,
        help_text="Placements here default to six weeks and warn when extended past six.",
    )

    # Commissioning and offer (docs/domain-rules.md#commissioning).
    agreement_starts_on = models.DateField("Commissioning agreement starts", null=True, blank=True)
    agreement_ends_on = models.DateField("Commissioning agreement ends", null=True, blank=True)
    agreement_document = models.FileField(
        "Signed commissioning agreement", upload_to=PrivateUploadTo("provider-agreements"), blank=True
    )
    subjects = models.TextField("Subjects and curriculum offered", blank=True)
    age_from = models.PositiveSmallIntegerField(
        "Ages from", null=True, blank=True, validators=[MinValueValidator(2), MaxValueValidator(25)]
    )
    age_to = models.PositiveSmallIntegerField(
        "Ages to", null=True, blank=True, validators=[MinValueValidator(2), MaxValueValidator(25)]
    )
    sessions = models.TextField(
        "Sessions offered", blank=True, help_text="Days and times, for example Mon–Fri 9:00–15:00."
    )
    cost_per_session = models.DecimalField(
        "Cost per session (£)", max_digits=8, decimal_places=2, null=True, blank=True, validators=[MinValueValidator(0)]
    )
    cost_per_day = models.DecimalField(
        "Cost per day (£)", max_digits=8, decimal_places=2, null=True, blank=True, validators=[MinValueValidator(0)]
    )

    history = HistoricalRecords()
    objects = SchoolScopedQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "name"],
                name="provider_unique_name_per_school",
                violation_error_message="The directory already has a provider with this name.",
            )
        ]
        indexes = [
            models.Index(fields=["school", "kind", "name"], name="provider_school_kind"),
            # The reminder a month before a commissioning agreement ends (reminders.sources).
            models.Index(fields=["agreement_ends_on"], name="provider_agreement_ends"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_internal(self) -> bool:
        return self.kind == self.Kind.INTERNAL

    @property
    def is_registered_school(self) -> bool:
        return self.registration == self.Registration.REGISTERED_SCHOOL

    @property
    def registration_summary(self) -> str:
        """How a person would say it: 'Registered school, URN 123456', 'Unregistered (one-to-one tuition)'."""
        if self.registration == self.Registration.REGISTERED_SCHOOL:
            return f"Registered school, URN {self.urn}"
        if self.registration == self.Registration.UKPRN_ONLY:
            return f"Not a school, UKPRN {self.ukprn}"
        if self.registration == self.Registration.UNREGISTERED:
            if self.setting_type in ("", self.SettingType.OTHER_UNREGISTERED):
                return "Unregistered provider"
            return f"Unregistered ({self.get_setting_type_display().lower()})"
        return ""

    def clean(self):
        errors = {}
        if self.kind == self.Kind.OFFSITE:
            required: dict[str, tuple[str, str]] = {
                self.Registration.REGISTERED_SCHOOL: ("urn", "Give the URN of a registered school."),
                self.Registration.UKPRN_ONLY: ("ukprn", "Give the provider's UKPRN."),
                self.Registration.UNREGISTERED: ("setting_type", "Choose the type of setting."),
            }
            if not self.registration:
                errors["registration"] = "Say whether the provider is a registered school, has a UKPRN or neither."
            elif not getattr(self, required[self.registration][0]):
                field, message = required[self.registration]
                errors[field] = message
        if self.short_term_iap and self.kind != self.Kind.INTERNAL:
            errors["short_term_iap"] = "Only an internal provision on the school site can be an IAP."
        if self.age_from and self.age_to and self.age_from > self.age_to:
            errors["age_to"] = "The upper age must not be below the lower age."
        if self.agreement_starts_on and self.agreement_ends_on and self.agreement_ends_on < self.agreement_starts_on:
            errors["agreement_ends_on"] = "The agreement cannot end before it starts."
        if errors:
            raise ValidationError(errors)


class ProviderChildQuerySet(SchoolScopedQuerySet):
    """Records that belong to a school through their provider."""

    school_field = "provider__school"


class ProviderSite(PublicIdModel, TimeStampedModel):
    """An address a pupil may attend; the parent notice names the site, so every one is listed."""

    provider = models.ForeignKey(Provider, on_delete=models.CASCADE, related_name="sites")
    name = models.CharField(max_length=120, help_text="For example 'Main site' or 'Forest school'.")
    address = models.TextField(help_text="One line per line of the address, without the postcode.")
    postcode = models.CharField(max_length=10)
    is_main = models.BooleanField("Main site", default=False)
    history = HistoricalRecords()
    objects = ProviderChildQuerySet.as_manager()

    class Meta:
        ordering = ["-is_main", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["provider"], condition=models.Q(is_main=True), name="provider_site_one_main"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name}, {self.postcode}"

    @property
    def school_id(self) -> int:
        return self.provider.school_id

    @property
    def address_lines(self) -> list[str]:
        return [line for line in self.address.splitlines() if line.strip()] + [self.postcode]


class SafeguardingConfirmation(PublicIdModel, TimeStampedModel):
    """The provider's signed reply to the request letter: KCSIE written confirmation
    (docs/domain-rules.md#kcsie-confirmation)."""

    # (field, label) of each check the provider confirms; the letter lists the same checks.
    CHECKS = [
        ("enhanced_dbs", "Enhanced DBS certificate for every member of staff and volunteer"),
        ("barred_list", "Children's barred list check"),
        ("identity", "Identity checked"),
        ("right_to_work", "Right to work in the UK checked"),
        ("qualifications", "Qualifications checked where the role needs them"),
        ("prohibition", "Prohibition from teaching check for staff who teach"),
        ("single_central_record", "All checks recorded on a single central record"),
    ]

    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="confirmations")
    confirmed_by_name = models.CharField("Name of the person confirming", max_length=120)
    confirmed_by_position = models.CharField("Their position", max_length=120)
    signed_on = models.DateField("Date signed", db_index=True)
    enhanced_dbs = models.BooleanField("Enhanced DBS", default=False)
    barred_list = models.BooleanField("Barred list", default=False)
    identity = models.BooleanField("Identity", default=False)
    right_to_work = models.BooleanField("Right to work", default=False)
    qualifications = models.BooleanField("Qualifications", default=False)
    prohibition = models.BooleanField("Prohibition", default=False)
    single_central_record = models.BooleanField("Single central record", default=False)
    signed_copy = models.FileField("Signed copy", upload_to=PrivateUploadTo("safeguarding-confirmations"))
    expires_on = models.DateField(
        db_index=True, help_text="Date signed plus the school's confirmation validity (default 12 months)."
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Signed in the provider portal rather than printed, signed and scanned (docs/portal.md): the
    # version of the statement signed, and where from; the PDF in signed_copy holds the rest.
    text_version = models.CharField(max_length=40, blank=True, editable=False)
    signed_from_ip = models.GenericIPAddressField(null=True, blank=True, editable=False)
    history = HistoricalRecords()
    objects = ProviderChildQuerySet.as_manager()

    class Meta:
        ordering = ["-signed_on", "-created_at"]
        indexes = [models.Index(fields=["provider", "signed_on"], name="confirmation_provider_signed")]

    def __str__(self) -> str:
        return f"Safeguarding confirmation from {self.provider} signed {self.signed_on:%d/%m/%Y}"

    @property
    def school_id(self) -> int:
        return self.provider.school_id

    @property
    def missing_checks(self) -> list[str]:
        return [label for field, label in self.CHECKS if not getattr(self, field)]

    @property
    def is_complete(self) -> bool:
        return not self.missing_checks

    def is_valid_on(self, day: date) -> bool:
        return self.is_complete and self.signed_on <= day < self.expires_on

    @property
    def is_valid_today(self) -> bool:
        return self.is_valid_on(timezone.localdate())


# --- The audit question bank ---------------------------------------------------------------------


class QuestionBank(TimeStampedModel):
    """One version of the AP audit questions. A published version is never edited: the admin
    copies it into a new draft version, so an audit always shows the questions it was made with."""

    version = models.PositiveIntegerField(unique=True)
    notes = models.TextField(blank=True, help_text="What changed in this version and why.")
    published_at = models.DateTimeField(
        null=True, blank=True, db_index=True, help_text="New audits use the latest published version."
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["-version"]

    def __str__(self) -> str:
        state = "published" if self.published_at else "draft"
        return f"Audit questions, version {self.version} ({state})"

    @property
    def is_published(self) -> bool:
        return self.published_at is not None


class AuditSection(models.Model):
    bank = models.ForeignKey(QuestionBank, on_delete=models.CASCADE, related_name="sections")
    order = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=120)
    history = HistoricalRecords()

    class Meta:
        ordering = ["order"]
        constraints = [models.UniqueConstraint(fields=["bank", "order"], name="audit_section_unique_order")]

    def __str__(self) -> str:
        return self.title


class AuditQuestion(models.Model):
    section = models.ForeignKey(AuditSection, on_delete=models.CASCADE, related_name="questions")
    order = models.PositiveSmallIntegerField()
    text = models.TextField(help_text="The question. Put each listed item on its own line.")
    guidance = models.TextField(blank=True, help_text="What to look at or ask to see, one point per line.")
    history = HistoricalRecords()

    class Meta:
        ordering = ["section__order", "order"]
        constraints = [models.UniqueConstraint(fields=["section", "order"], name="audit_question_unique_order")]

    def __str__(self) -> str:
        return self.text.splitlines()[0] if self.text else ""


# --- Audits ---------------------------------------------------------------------------------------


class Audit(PublicIdModel, TimeStampedModel):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        COMPLETED = "completed", "Completed"
        SUPERSEDED = "superseded", "Superseded by a correction"

    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="audits")
    bank = models.ForeignKey(QuestionBank, on_delete=models.PROTECT, related_name="audits")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    version = models.PositiveSmallIntegerField(default=1, help_text="1, then one more for each correction.")
    supersedes = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="superseded_by"
    )
    visit_date = models.DateField("Date of visit", db_index=True)
    visit_time = models.TimeField("Time of visit", null=True, blank=True)
    auditor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="Completed by"
    )
    suitable = models.BooleanField("Is this AP suitable for your pupil?", null=True, blank=True)
    reasons = models.TextField("Reasons for the answer", blank=True)
    signed_off_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    signed_off_at = models.DateTimeField(null=True, blank=True)
    expires_on = models.DateField(
        null=True, blank=True, db_index=True, help_text="Set at sign-off: the visit date plus 12 months."
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    history = HistoricalRecords()
    objects = ProviderChildQuerySet.as_manager()

    class Meta:
        ordering = ["-visit_date", "-version"]
        indexes = [models.Index(fields=["provider", "status", "visit_date"], name="audit_provider_status")]

    def __str__(self) -> str:
        return f"Audit of {self.provider} on {self.visit_date:%d/%m/%Y} (version {self.version})"

    @property
    def school_id(self) -> int:
        return self.provider.school_id

    @property
    def is_completed(self) -> bool:
        return self.status == self.Status.COMPLETED

    @property
    def is_superseded(self) -> bool:
        return self.status == self.Status.SUPERSEDED

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT


class AuditAnswerQuerySet(SchoolScopedQuerySet):
    school_field = "audit__provider__school"


class AuditAnswer(PublicIdModel, TimeStampedModel):
    """One question of one audit: the answer plus evidence, and any concerns."""

    audit = models.ForeignKey(Audit, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(AuditQuestion, on_delete=models.PROTECT, related_name="+")
    answer = models.TextField(blank=True)
    evidence = models.TextField(blank=True, help_text="What you saw or were shown.")
    concerns = models.TextField(blank=True)
    history = HistoricalRecords()
    objects = AuditAnswerQuerySet.as_manager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["audit", "question"], name="audit_answer_unique_question")]

    def __str__(self) -> str:
        return f"{self.audit}: {self.question}"

    @property
    def school_id(self) -> int:
        return self.audit.provider.school_id


class FurtherActionQuerySet(SchoolScopedQuerySet):
    school_field = "answer__audit__provider__school"


class FurtherAction(PublicIdModel, TimeStampedModel):
    """Follow-up work an audit question raised. It stays in the DSL's queue until done, and a
    blocking one that is overdue stops the provider being cleared for placements."""

    answer = models.OneToOneField(AuditAnswer, on_delete=models.CASCADE, related_name="action")
    description = models.TextField("Further action")
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    due_on = models.DateField("Due by", db_index=True)
    blocking = models.BooleanField(
        "Blocks placements until done", default=False, help_text="Stops the provider being cleared once overdue."
    )
    done_on = models.DateField(null=True, blank=True, db_index=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    history = HistoricalRecords()
    objects = FurtherActionQuerySet.as_manager()

    class Meta:
        ordering = ["due_on"]

    def __str__(self) -> str:
        return self.description

    @property
    def school_id(self) -> int:
        return self.answer.audit.provider.school_id

    @property
    def is_done(self) -> bool:
        return self.done_on is not None

    @property
    def is_overdue(self) -> bool:
        return not self.is_done and self.due_on < timezone.localdate()


# --- Provider staff (the provider portal, docs/portal.md) ---------------------------------------


class ProviderStaffQuerySet(models.QuerySet):
    def current(self):
        return self.filter(status=ProviderStaff.Status.ACTIVE)

    def for_user(self, user, roles: Iterable[str] | None = None):
        """People at the provider bodies the user's schools list: any of those schools may suspend
        or remove them (docs/portal.md)."""
        return self.filter(organisation__directory_entries__school__in=school_ids_for(user, roles)).distinct()


class ProviderStaff(PublicIdModel, TimeStampedModel):
    """A person at a provider body who signs in to the provider portal. They belong to the
    organisation, never to a school: they hold no school role, so every school-scoped read is
    empty for them, and the portal shows only the pupils placed with their organisation."""

    class Status(models.TextChoices):
        INVITED = "invited", "Invited"
        ACTIVE = "active", "Active"
        SUSPENDED = "suspended", "Suspended"
        REMOVED = "removed", "Removed"

    organisation = models.ForeignKey(ProviderOrganisation, on_delete=models.PROTECT, related_name="staff")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="provider_roles")
    job_title = models.CharField("Their role at the provider", max_length=120)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.INVITED)
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    invited_from = models.ForeignKey(
        "audits.Provider",
        on_delete=models.PROTECT,
        related_name="staff_invited",
        help_text="The school's directory entry the invitation was sent from: that school manages this access.",
    )
    # Only a hash of the one-time link's token is kept, so a copy of the database cannot sign in.
    invite_token_hash = models.CharField(max_length=64, blank=True, editable=False)
    invite_expires_at = models.DateTimeField(null=True, blank=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    objects = ProviderStaffQuerySet.as_manager()

    class Meta:
        ordering = ["user__last_name", "user__first_name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "user"], name="provider_staff_once_per_organisation"),
            models.UniqueConstraint(
                fields=["invite_token_hash"], condition=~models.Q(invite_token_hash=""), name="provider_staff_token"
            ),
        ]
        indexes = [models.Index(fields=["user", "status"], name="provider_staff_user_status")]

    def __str__(self) -> str:
        return f"{self.user} ({self.job_title}, {self.organisation})"

    @property
    def is_current(self) -> bool:
        return self.status == self.Status.ACTIVE

    @property
    def can_be_suspended(self) -> bool:
        return self.status in (self.Status.INVITED, self.Status.ACTIVE)

    @property
    def can_be_reinstated(self) -> bool:
        return self.status == self.Status.SUSPENDED

    def state_label(self, *, has_pupils: bool) -> str:
        """What the school sees of this access: "Lapsed" for an active person whose provider no
        school places a pupil with now (access returns with the next placement), else the status."""
        if self.status == self.Status.ACTIVE and not has_pupils:
            return "Lapsed"
        return self.get_status_display()


class ProviderAccessEvent(models.Model):
    """The portal's access log: every invitation, sign-in, suspension and removal (issue 16)."""

    class Kind(models.TextChoices):
        INVITED = "invited", "Invited"
        ACCEPTED = "accepted", "Accepted the invitation and set a password"
        SIGNED_IN = "signed_in", "Signed in"
        SIGNED_OUT = "signed_out", "Signed out"
        SUSPENDED = "suspended", "Suspended"
        REINSTATED = "reinstated", "Reinstated"
        REMOVED = "removed", "Removed"
        LAPSED = "lapsed", "Refused: no pupil placed with the provider"
        LINK_REFUSED = "link_refused", "Invitation link refused (used or expired)"

    staff = models.ForeignKey(ProviderStaff, on_delete=models.CASCADE, related_name="access_events")
    kind = models.CharField(max_length=15, choices=Kind.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-at"]
        indexes = [models.Index(fields=["staff", "at"], name="provider_access_staff_at")]

    def __str__(self) -> str:
        return f"{self.staff.user} {self.get_kind_display().lower()} at {self.at:%d/%m/%Y %H:%M}"


# --- Checks shared across a trust (docs/oversight.md) ---------------------------------------------


class CheckReliance(PublicIdModel):
    """A school relying, for its own directory entry, on a KCSIE confirmation or an audit that another
    school of its trust made of the same provider organisation. The check stays the other school's;
    this records who here decided to rely on it, and when. Each school still decides for itself
    whether the provision suits its own pupil (the placement's approval)."""

    provider = models.ForeignKey(Provider, on_delete=models.CASCADE, related_name="reliances")
    confirmation = models.ForeignKey(
        SafeguardingConfirmation, null=True, blank=True, on_delete=models.PROTECT, related_name="relied_on_by"
    )
    audit = models.ForeignKey(Audit, null=True, blank=True, on_delete=models.PROTECT, related_name="relied_on_by")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    objects = ProviderChildQuerySet.as_manager()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(confirmation__isnull=False, audit__isnull=True)
                | models.Q(confirmation__isnull=True, audit__isnull=False),
                name="check_reliance_one_check",
            ),
            models.UniqueConstraint(
                fields=["provider", "confirmation"], condition=models.Q(confirmation__isnull=False),
                name="check_reliance_once_per_confirmation",
            ),
            models.UniqueConstraint(
                fields=["provider", "audit"], condition=models.Q(audit__isnull=False),
                name="check_reliance_once_per_audit",
            ),
        ]  # fmt: skip

    def __str__(self) -> str:
        return f"{self.provider} relies on {self.confirmation or self.audit}"

    @property
    def school_id(self) -> int:
        return self.provider.school_id


# --- The local authority's own quality assurance (docs/oversight.md) -------------------------------


class LAQualityVisit(PublicIdModel, TimeStampedModel):
    """A local authority's own quality-assurance visit of a provider body, for its AP directory. Its
    AP officer records it; every school that lists the provider reads it on the provider's page,
    beside the school's own checks (which it does not replace)."""

    class Judgement(models.TextChoices):
        MEETS = "meets", "Meets the authority's standards"
        ACTIONS = "actions", "Meets them with actions agreed"
        NOT_MET = "not_met", "Does not meet them: not to be commissioned"

    local_authority = models.ForeignKey("apcase.LocalAuthority", on_delete=models.PROTECT, related_name="qa_visits")
    organisation = models.ForeignKey(ProviderOrganisation, on_delete=models.PROTECT, related_name="la_visits")
    visited_on = models.DateField("Date of the visit")
    visitor = models.CharField("Visited by", max_length=200, help_text="Name and role, e.g. 'Sam Okafor, AP officer'.")
    judgement = models.CharField("Outcome", max_length=10, choices=Judgement.choices)
    summary = models.TextField(help_text="What was seen, and any actions agreed with the provider.")
    next_visit_due = models.DateField("Next visit due", null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    history = HistoricalRecords()

    class Meta:
        ordering = ["-visited_on", "-created_at", "-pk"]
        indexes = [models.Index(fields=["organisation", "-visited_on"], name="la_visit_organisation")]

    def __str__(self) -> str:
        return f"{self.local_authority.name}'s visit of {self.organisation} on {self.visited_on:%d/%m/%Y}"

    def clean(self) -> None:
        if self.next_visit_due and self.visited_on and self.next_visit_due <= self.visited_on:
            raise ValidationError({"next_visit_due": "The next visit must be after this one."})

    @property
    def not_met(self) -> bool:
        return self.judgement == self.Judgement.NOT_MET
