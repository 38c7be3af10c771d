"""Pupils, the census codes that describe them, and their parent and carer contacts."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from apcase.access import SchoolScopedQuerySet
from apcase.greetings import TITLES, greeting
from apcase.models import PublicIdModel, School, TimeStampedModel
from pupils.upn import upn_is_temporary, upn_normalise, validate_upn


class SenProvision(models.TextChoices):
    """School census SEN provision codes."""

    NONE = "N", "No SEN"
    SUPPORT = "K", "SEN support"
    EHCP = "E", "EHC plan"


class PrimaryNeed(models.TextChoices):
    """School census SEN type codes."""

    SEMH = "SEMH", "Social, emotional and mental health"
    SPLD = "SpLD", "Specific learning difficulty"
    MLD = "MLD", "Moderate learning difficulty"
    SLD = "SLD", "Severe learning difficulty"
    PMLD = "PMLD", "Profound and multiple learning difficulty"
    SLCN = "SLCN", "Speech, language and communication needs"
    HI = "HI", "Hearing impairment"
    VI = "VI", "Visual impairment"
    MSI = "MSI", "Multi-sensory impairment"
    PD = "PD", "Physical disability"
    ASD = "ASD", "Autistic spectrum disorder"
    OTH = "OTH", "Other difficulty or disability"
    NSA = "NSA", "SEN support but no specialist assessment of type of need"


class EhcpPathway(models.TextChoices):
    NONE = "none", "Not on a pathway"
    REQUESTED = "requested", "Assessment requested"
    ASSESSING = "assessing", "Assessment under way"
    DRAFTING = "drafting", "Plan being drafted"


class Sex(models.TextChoices):
    FEMALE = "F", "Female"
    MALE = "M", "Male"
    UNKNOWN = "U", "Not known"


class YearGroup(models.TextChoices):
    """National Curriculum year groups, as the census codes them."""

    N1 = "N1", "Nursery 1"
    N2 = "N2", "Nursery 2"
    RECEPTION = "R", "Reception"
    Y1 = "1", "Year 1"
    Y2 = "2", "Year 2"
    Y3 = "3", "Year 3"
    Y4 = "4", "Year 4"
    Y5 = "5", "Year 5"
    Y6 = "6", "Year 6"
    Y7 = "7", "Year 7"
    Y8 = "8", "Year 8"
    Y9 = "9", "Year 9"
    Y10 = "10", "Year 10"
    Y11 = "11", "Year 11"
    Y12 = "12", "Year 12"
    Y13 = "13", "Year 13"


class PupilQuerySet(SchoolScopedQuerySet):
    def on_roll(self, on: date | None = None):
        on = on or timezone.localdate()
        return self.filter(Q(leaving_date__isnull=True) | Q(leaving_date__gt=on))


class Pupil(PublicIdModel, TimeStampedModel):
    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="pupils")
    upn = models.CharField(
        "UPN",
        max_length=13,
        unique=True,
        validators=[validate_upn],
        help_text="Unique Pupil Number: 13 characters, from the MIS.",
        error_messages={"unique": "Another pupil already has this UPN."},
    )
    legal_first_name = models.CharField("Legal first name", max_length=100)
    legal_last_name = models.CharField("Legal last name", max_length=100)
    preferred_first_name = models.CharField(
        "Preferred first name", max_length=100, blank=True, help_text="Leave blank if the same as the legal name."
    )
    preferred_last_name = models.CharField(
        "Preferred last name", max_length=100, blank=True, help_text="Leave blank if the same as the legal name."
    )
    date_of_birth = models.DateField()
    sex = models.CharField(max_length=1, choices=Sex.choices)
    year_group = models.CharField("NC year group", max_length=2, choices=YearGroup.choices, db_index=True)
    registration_group = models.CharField(
        "Registration / home class", max_length=40, blank=True, help_text="For example 5B or Oak."
    )
    class_teacher = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="pupils_as_class_teacher",
    )
    key_adults = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="pupils_as_key_adult",
        help_text="Staff the pupil trusts and who may open their profile.",
    )
    sen_provision = models.CharField(
        "SEN provision", max_length=1, choices=SenProvision.choices, default=SenProvision.NONE, db_index=True
    )
    primary_need = models.CharField(
        "Primary need", max_length=4, choices=PrimaryNeed.choices, blank=True, help_text="For SEN support or EHC plan."
    )
    ehcp_pathway = models.CharField(
        "EHCP pathway",
        max_length=10,
        choices=EhcpPathway.choices,
        default=EhcpPathway.NONE,
        help_text="Where an EHC needs assessment has been asked for but there is no plan yet.",
    )
    pupil_premium = models.BooleanField("Pupil Premium", default=False)
    fsm = models.BooleanField("Free school meals", default=False)
    looked_after = models.BooleanField("Looked after", default=False)
    child_protection_plan = models.BooleanField(
        "On a child protection plan",
        default=False,
        help_text="The DSL is told at once of an unexplained absence from a placement.",
    )
    eal = models.BooleanField("English as an additional language", default=False)
    admission_date = models.DateField()
    leaving_date = models.DateField(null=True, blank=True, db_index=True)
    # Set when the retention period ran out and the record was anonymised (pupils.retention).
    anonymised_at = models.DateTimeField(null=True, blank=True, editable=False)
    history = HistoricalRecords(m2m_fields=[key_adults])

    objects = PupilQuerySet.as_manager()

    class Meta:
        ordering = ["legal_last_name", "legal_first_name"]
        indexes = [
            models.Index(fields=["school", "legal_last_name", "legal_first_name"], name="pupil_school_name"),
            models.Index(fields=["school", "preferred_last_name"], name="pupil_school_preferred"),
        ]

    def __str__(self) -> str:
        return self.display_name

    def get_absolute_url(self) -> str:
        return reverse("pupils:detail", kwargs={"public_id": self.public_id})

    def clean(self) -> None:
        self.upn = upn_normalise(self.upn)
        errors = {}
        if self.sen_provision == SenProvision.NONE and self.primary_need:
            errors["primary_need"] = "A primary need is recorded only for pupils with SEN support or an EHC plan."
        if self.sen_provision != SenProvision.NONE and not self.primary_need:
            errors["primary_need"] = "Give the primary need of a pupil with SEN support or an EHC plan."
        if self.sen_provision == SenProvision.EHCP and self.ehcp_pathway != EhcpPathway.NONE:
            errors["ehcp_pathway"] = "The pupil already has an EHC plan, so they are not on a pathway to one."
        if self.date_of_birth and self.date_of_birth >= timezone.localdate():
            errors["date_of_birth"] = "The date of birth must be in the past."
        if self.date_of_birth and self.admission_date and self.admission_date <= self.date_of_birth:
            errors["admission_date"] = "The admission date must be after the date of birth."
        if self.leaving_date and self.admission_date and self.leaving_date < self.admission_date:
            errors["leaving_date"] = "The leaving date cannot be before the admission date."
        if errors:
            raise ValidationError(errors)

    @property
    def first_name(self) -> str:
        return self.preferred_first_name or self.legal_first_name

    @property
    def last_name(self) -> str:
        return self.preferred_last_name or self.legal_last_name

    @property
    def display_name(self) -> str:
        """The names the pupil goes by: what staff see on screen."""
        return f"{self.first_name} {self.last_name}"

    @property
    def full_name(self) -> str:
        """Legal names: for letters and official records."""
        return f"{self.legal_first_name} {self.legal_last_name}"

    @property
    def initials(self) -> str:
        """What e-mails and notifications say instead of a name, e.g. "J.S."."""
        return f"{self.first_name[:1].upper()}.{self.last_name[:1].upper()}."

    @property
    def short_name(self) -> str:
        """What a letter's covering e-mail calls the pupil: first name and initial, e.g. "Jamie S."."""
        return f"{self.first_name} {self.last_name[:1].upper()}."

    @property
    def email_name(self) -> str:
        """What an e-mail carrying one of the school's letters calls the pupil: first name and
        initial, or the full name where the school has chosen so (School.full_names_in_emails)."""
        return self.display_name if self.school.full_names_in_emails else self.short_name

    @property
    def has_sen_support(self) -> bool:
        return self.sen_provision == SenProvision.SUPPORT

    @property
    def on_ehcp_pathway(self) -> bool:
        return self.ehcp_pathway != EhcpPathway.NONE

    @property
    def has_ehcp(self) -> bool:
        return self.sen_provision == SenProvision.EHCP

    @property
    def has_temporary_upn(self) -> bool:
        return upn_is_temporary(self.upn)

    def age_on(self, on: date) -> int:
        before_birthday = (on.month, on.day) < (self.date_of_birth.month, self.date_of_birth.day)
        return on.year - self.date_of_birth.year - before_birthday

    def is_on_roll(self, on: date | None = None) -> bool:
        on = on or timezone.localdate()
        return self.leaving_date is None or self.leaving_date > on


class ContactQuerySet(SchoolScopedQuerySet):
    school_field = "pupil__school"

    def for_emergencies(self) -> ContactQuerySet:
        """Whom a provider may ring in an emergency: a phone number, and no order against contact."""
        return self.filter(do_not_contact=False).exclude(phone="")


class Contact(PublicIdModel, TimeStampedModel):
    class Relationship(models.TextChoices):
        PARENT = "parent", "Parent"
        MOTHER = "mother", "Mother"
        FATHER = "father", "Father"
        STEP_PARENT = "step_parent", "Step-parent"
        FOSTER_CARER = "foster_carer", "Foster carer"
        GRANDPARENT = "grandparent", "Grandparent"
        OTHER_RELATIVE = "other_relative", "Other relative"
        CARER = "carer", "Carer"
        SOCIAL_WORKER = "social_worker", "Social worker"
        # A looked-after pupil's Virtual School head or their caseworker: told of unexplained
        # absence from a placement by the daily chase (placements.selectors.chase).
        VIRTUAL_SCHOOL = "virtual_school", "Virtual School"
        OTHER = "other", "Other"

    class Method(models.TextChoices):
        PHONE = "phone", "Phone"
        EMAIL = "email", "E-mail"
        TEXT = "text", "Text message"
        POST = "post", "Post"

    pupil = models.ForeignKey(Pupil, on_delete=models.CASCADE, related_name="contacts")
    title = models.CharField(
        max_length=4,
        choices=[(title, title) for title in TITLES],
        blank=True,
        help_text="Letters open “Dear Ms Khan” with a title, “Dear Aisha Khan” without one.",
    )
    name = models.CharField(max_length=150)
    relationship = models.CharField(max_length=20, choices=Relationship.choices)
    parental_responsibility = models.BooleanField(default=False)
    address = models.TextField(blank=True, help_text="One line per line of the address, without the postcode.")
    postcode = models.CharField(max_length=10, blank=True)
    phone = models.CharField(max_length=30, blank=True)
    email = models.EmailField("E-mail", blank=True)
    preferred_method = models.CharField(
        "Preferred contact method", max_length=10, choices=Method.choices, default=Method.PHONE
    )
    do_not_contact = models.BooleanField(
        "Do not contact", default=False, help_text="For example a court order, or at the request of social care."
    )
    do_not_contact_reason = models.CharField("Why not", max_length=300, blank=True)
    priority = models.PositiveSmallIntegerField(default=1, help_text="1 is the first person to contact.")
    history = HistoricalRecords()

    objects = ContactQuerySet.as_manager()

    class Meta:
        ordering = ["priority", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(do_not_contact=False) | ~Q(do_not_contact_reason=""),
                name="contact_do_not_contact_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_relationship_display()})"

    @property
    def greeting(self) -> str:
        return greeting(name=self.name, title=self.title)

    def clean(self) -> None:
        if self.do_not_contact and not self.do_not_contact_reason.strip():
            raise ValidationError({"do_not_contact_reason": "Say why this person must not be contacted."})
        if self.do_not_contact:
            return  # no method is used, so none needs details
        if self.preferred_method == self.Method.EMAIL and not self.email:
            raise ValidationError({"email": "Give an e-mail address, or choose another contact method."})
        if self.preferred_method in (self.Method.PHONE, self.Method.TEXT) and not self.phone:
            raise ValidationError({"phone": "Give a phone number, or choose another contact method."})
        if self.preferred_method == self.Method.POST and not (self.address and self.postcode):
            raise ValidationError({"address": "Give the address and postcode, or choose another contact method."})
