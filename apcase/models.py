"""Core records: people, schools, roles, the term calendar, stored documents, notifications and
the record-access log. Every other app's records hang off a School."""

from __future__ import annotations

import datetime
import uuid
from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from apcase.access import UserOwnedQuerySet
from apcase.uploads import PrivateUploadTo

if TYPE_CHECKING:
    from apcase.calendar import SchoolCalendar


class PublicIdModel(models.Model):
    """Records reachable by URL carry an unguessable UUID; the integer key never leaves the server."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)

    class Meta:
        abstract = True


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class User(AbstractUser):
    class ReminderDelivery(models.TextChoices):
        IMMEDIATE = "immediate", "As they happen"
        DAILY = "daily", "One daily digest"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    job_title = models.CharField(max_length=100, blank=True)
    reminder_delivery = models.CharField(
        max_length=10, choices=ReminderDelivery.choices, default=ReminderDelivery.IMMEDIATE
    )
    # The school day a daily digest last went out; claimed with a conditional UPDATE so a
    # doubled beat tick cannot send two.
    digest_sent_on = models.DateField(null=True, blank=True, editable=False)
    # Staff of an AP provider (audits.ProviderStaff) reach the provider portal and nothing else;
    # set when they are invited, so every request knows it without a query (docs/portal.md).
    is_provider_staff = models.BooleanField(default=False, editable=False)

    def __str__(self) -> str:
        return self.get_full_name() or self.username


class Role(models.TextChoices):
    SENDCO = "sendco", "SENDCo / AP lead"
    HEAD = "head", "Headteacher"
    DSL = "dsl", "Designated Safeguarding Lead"
    TEACHER = "teacher", "Teacher"
    OFFICE = "office", "School office"
    GOVERNOR = "governor", "Governor"


# The roles that decide about children (approve, review, safeguard). Only a headteacher or a
# superuser gives or takes them away; the school office never does (docs/security.md).
LEADER_ROLES = frozenset({Role.HEAD, Role.SENDCO, Role.DSL})

#: Held trust-wide (Membership.trust_wide), these roles make a trust lead: the trust's view is theirs.
TRUST_LEAD_ROLES = frozenset({Role.SENDCO, Role.HEAD})


class Trust(PublicIdModel, TimeStampedModel):
    """A multi-academy trust, SEND hub or local authority grouping several schools."""

    name = models.CharField(max_length=200, unique=True)

    def __str__(self) -> str:
        return self.name


class LocalAuthority(PublicIdModel, TimeStampedModel):
    """A local authority: schools in its area tell it of the AP placements they commission, and
    its AP officers see what they were told (docs/oversight.md)."""

    name = models.CharField(max_length=200)
    code = models.CharField(
        "LA code",
        max_length=3,
        unique=True,
        validators=[RegexValidator(r"^\d{3}$", "An LA code is three digits, for example 894.")],
    )
    ap_contact = models.CharField(
        "AP notifications: contact", max_length=200, blank=True, help_text="The team or officer told of placements."
    )
    ap_address = models.TextField(
        "AP notifications: postal address", blank=True, help_text="One line per line, with the postcode last."
    )
    ap_email = models.EmailField("AP notifications: e-mail", blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "local authorities"

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    @property
    def address_lines(self) -> list[str]:
        return [line for line in self.ap_address.splitlines() if line.strip()]


class LocalAuthorityOfficer(TimeStampedModel):
    """A person of a local authority (its AP commissioning officer). Outside every school: no
    membership, so no school page reaches them; /la/ shows what the LA's schools sent it."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="la_officer")
    local_authority = models.ForeignKey(LocalAuthority, on_delete=models.PROTECT, related_name="officers")
    is_active = models.BooleanField(default=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "LA officer"

    def __str__(self) -> str:
        return f"{self.user} — {self.local_authority.name}"


class School(PublicIdModel, TimeStampedModel):
    name = models.CharField(max_length=200)
    urn = models.CharField(
        "URN",
        max_length=6,
        unique=True,
        validators=[RegexValidator(r"^\d{6}$", "A URN is six digits, for example 123456.")],
        help_text="Ofsted/DfE unique reference number (six digits).",
    )
    la_code = models.CharField(
        "LA code",
        max_length=3,
        validators=[RegexValidator(r"^\d{3}$", "An LA code is three digits, for example 894.")],
    )
    la_name = models.CharField("Local authority", max_length=120, blank=True)
    local_authority = models.ForeignKey(
        LocalAuthority,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="schools",
        help_text="Where the school's AP placements are notified.",
    )
    trust = models.ForeignKey(Trust, null=True, blank=True, on_delete=models.PROTECT, related_name="schools")
    address = models.TextField(help_text="One line per line of the postal address, without the postcode.")
    postcode = models.CharField(max_length=10)
    phone = models.CharField(max_length=30)
    email = models.EmailField(blank=True)
    headteacher_name = models.CharField(max_length=120)
    letter_signoff = models.TextField(
        help_text="Name and position printed under letters, for example 'Mrs A Patel, Headteacher'."
    )
    # Where the notice of an off-site direction goes for a pupil with an EHC plan (reg 3).
    la_send_contact = models.CharField("LA SEND team contact", max_length=200, blank=True)
    la_send_address = models.TextField("LA SEND team address", blank=True)
    la_send_email = models.EmailField("LA SEND team e-mail", blank=True)
    confirmation_validity_months = models.PositiveSmallIntegerField(
        default=12,
        validators=[MinValueValidator(1)],
        help_text="How long a provider's signed safeguarding confirmation stays valid.",
    )
    retention_years = models.PositiveSmallIntegerField(
        default=25,
        validators=[MinValueValidator(1)],
        help_text="Years after a pupil leaves before their AP records are reviewed for anonymisation.",
    )
    provider_contact_school_days = models.PositiveSmallIntegerField(
        "Provider contact interval (school days)",
        default=5,
        validators=[MinValueValidator(1)],
        help_text="A placement with no recorded contact with its provider for longer than this is flagged.",
    )
    annual_ap_budget = models.DecimalField(
        "Annual AP budget (£)", max_digits=10, decimal_places=2, null=True, blank=True
    )
    attendance_cutoff = models.TimeField(
        "Morning attendance cut-off",
        default=datetime.time(10, 0),
        help_text="A pupil expected at a placement this morning and not marked by this time is on the "
        "office's call-home list the same day.",
    )
    chase_escalation_sessions = models.PositiveSmallIntegerField(
        "Unexplained sessions before the SENDCo and DSL are told",
        default=4,
        validators=[MinValueValidator(1)],
        help_text="Consecutive sessions of unexplained absence from a placement (two a day) after which the "
        "daily chase tells the SENDCo and the DSL, and the Virtual School for a looked-after pupil.",
    )
    full_names_in_emails = models.BooleanField(
        "Name pupils in full in e-mails",
        default=False,
        help_text="The e-mails that carry the school's letters name the pupil by first name and initial unless "
        "this is ticked (an e-mail is easily forwarded or read over a shoulder). Subjects never name a pupil.",
    )
    requires_commissioning_agreement = models.BooleanField(
        "Placements need a commissioning agreement",
        default=False,
        help_text="The school's (or trust's) AP policy: an off-site provider is cleared for placements only "
        "with a signed commissioning agreement in force.",
    )
    history = HistoricalRecords()
    _calendar: SchoolCalendar  # loaded once per instance by SchoolCalendar.for_school()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        # UPNs are checked against la_code, placements are notified to local_authority: one LA.
        if self.local_authority is not None and self.la_code != self.local_authority.code:
            code = self.local_authority.code
            raise ValidationError(
                {"local_authority": f"This LA's code is {code}; the school's LA code is {self.la_code}."}
            )

    @property
    def address_lines(self) -> list[str]:
        return [line for line in self.address.splitlines() if line.strip()] + [self.postcode]


class Membership(TimeStampedModel):
    """A user's role in one school; trust_wide extends the role to every school of the trust."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=20, choices=Role.choices)
    trust_wide = models.BooleanField(
        default=False, help_text="Give this role in every school of the school's trust (trust leads)."
    )
    is_active = models.BooleanField(default=True)
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "school", "role"], name="membership_unique_role"),
        ]
        indexes = [models.Index(fields=["school", "role"], name="membership_school_role")]

    def __str__(self) -> str:
        scope = " (trust-wide)" if self.trust_wide else ""
        return f"{self.user} — {self.get_role_display()} at {self.school}{scope}"


# --- Term calendar ------------------------------------------------------------------------------


class AcademicYear(TimeStampedModel):
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="academic_years")
    label = models.CharField(max_length=7, help_text="For example 2025/26.")
    start_date = models.DateField()
    end_date = models.DateField()
    history = HistoricalRecords()

    class Meta:
        ordering = ["start_date"]
        constraints = [
            models.UniqueConstraint(fields=["school", "label"], name="academic_year_unique_label"),
            models.CheckConstraint(
                condition=models.Q(end_date__gt=models.F("start_date")), name="academic_year_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.label} ({self.school})"


class HalfTerm(models.Model):
    class TermName(models.TextChoices):
        AUTUMN = "autumn", "Autumn"
        SPRING = "spring", "Spring"
        SUMMER = "summer", "Summer"

    academic_year = models.ForeignKey(AcademicYear, on_delete=models.CASCADE, related_name="half_terms")
    term = models.CharField(max_length=6, choices=TermName.choices)
    half = models.PositiveSmallIntegerField(choices=[(1, "1"), (2, "2")])
    start_date = models.DateField(help_text="First day pupils are expected (INSET days are closures).")
    end_date = models.DateField(help_text="Last day of the half-term.")
    history = HistoricalRecords()

    class Meta:
        ordering = ["start_date"]
        constraints = [
            models.UniqueConstraint(fields=["academic_year", "term", "half"], name="half_term_unique"),
            models.CheckConstraint(
                condition=models.Q(end_date__gte=models.F("start_date")), name="half_term_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} {self.academic_year.label}"

    @property
    def name(self) -> str:
        return f"{self.get_term_display()} {self.half}"


class Closure(models.Model):
    """A weekday inside a half-term when pupils are not in school."""

    class Kind(models.TextChoices):
        INSET = "inset", "INSET (training) day"
        BANK_HOLIDAY = "bank_holiday", "Bank holiday"
        CLOSURE = "closure", "Other closure"

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="closures")
    date = models.DateField()
    kind = models.CharField(max_length=20, choices=Kind.choices)
    reason = models.CharField(max_length=200, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["date"]
        constraints = [models.UniqueConstraint(fields=["school", "date"], name="closure_unique_date")]

    def __str__(self) -> str:
        return f"{self.date:%d/%m/%Y} {self.get_kind_display()}"


# --- Documents, notifications, access log --------------------------------------------------------


class Document(PublicIdModel):
    """A generated letter or report exactly as it was issued; never regenerated once stored."""

    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="documents")
    kind = models.CharField(max_length=50, db_index=True)
    title = models.CharField(max_length=200)
    file = models.FileField(upload_to=PrivateUploadTo("documents"))
    sha256 = models.CharField(max_length=64)
    size = models.PositiveIntegerField()
    content_type = models.CharField(max_length=100, default="application/pdf")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title

    def read_bytes(self) -> bytes:
        with self.file.open("rb") as fh:
            return fh.read()


class Notification(PublicIdModel):
    """An in-app message. The title carries initials and a link, never sensitive detail: it is what
    e-mails and digests say. The in-app title may name the pupil as far as the reader may see."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    school = models.ForeignKey(School, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=50)
    title = models.CharField(max_length=200)
    in_app_title = models.CharField(
        max_length=200, blank=True, help_text="The title in the app, naming the pupil as far as the reader may see."
    )
    body = models.TextField(blank=True)
    link = models.CharField(max_length=300, blank=True)
    # When the event happened (a back-dated step, e.g. in the demo), not only when the row was written.
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)

    objects = UserOwnedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["user", "read_at"], name="notification_user_unread")]

    def __str__(self) -> str:
        return self.title

    @property
    def shown_title(self) -> str:
        return self.in_app_title or self.title


class RecordAccess(models.Model):
    """Who opened which record or document, when and from where (ASVS 16.3.2). No content."""

    class Action(models.TextChoices):
        VIEW = "view", "Viewed"
        DOWNLOAD = "download", "Downloaded"
        EXPORT = "export", "Exported"
        # Changes to how a person signs in or what they may do (the record is the person).
        ROLE = "role", "Role changed"
        PASSWORD_RESET = "password_reset", "Password reset e-mail sent"
        TWO_FACTOR_RESET = "two_factor_reset", "Two-factor device reset"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    school = models.ForeignKey(School, null=True, on_delete=models.CASCADE, related_name="+")
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.UUIDField()
    action = models.CharField(max_length=20, choices=Action.choices, default=Action.VIEW)
    path = models.CharField(max_length=300)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-at"]
        indexes = [
            models.Index(fields=["content_type", "object_id", "at"], name="record_access_object"),
            models.Index(fields=["user", "at"], name="record_access_user"),
        ]

    def __str__(self) -> str:
        return f"{self.user} {self.action} {self.content_type.model} {self.object_id} at {self.at:%d/%m/%Y %H:%M}"


class FormSubmission(models.Model):
    """A create form's one-time token, claimed in the transaction that makes the record: pressing
    the button twice (or a browser re-posting) finds the first record instead of making another.
    Not a record about anyone; tokens are kept a day (FORM_TOKEN_DAYS)."""

    token = models.UUIDField(unique=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    content_type = models.ForeignKey(ContentType, null=True, on_delete=models.CASCADE)
    object_id = models.UUIDField(null=True)  # the record's public_id, once made
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    def __str__(self) -> str:
        return f"Form sent by {self.user} at {self.created_at:%d/%m/%Y %H:%M}"


class ExportJob(PublicIdModel):
    """A CSV export or a long report, made in the background with its progress visible."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Waiting to start"
        RUNNING = "running", "Being made"
        DONE = "done", "Ready"
        FAILED = "failed", "Failed"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="exports")
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=50)
    params = models.JSONField(default=dict, blank=True, help_text="The list's filters, as the user set them.")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    done_rows = models.PositiveIntegerField(default=0)
    total_rows = models.PositiveIntegerField(default=0)
    document = models.ForeignKey(Document, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    error = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = UserOwnedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["user", "created_at"], name="export_user_created")]

    def __str__(self) -> str:
        return f"{self.kind} export by {self.user} ({self.get_status_display()})"

    @property
    def is_pending(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)

    @property
    def is_done(self) -> bool:
        return self.status == self.Status.DONE

    @property
    def is_failed(self) -> bool:
        return self.status == self.Status.FAILED

    @property
    def is_csv(self) -> bool:
        return self.document is not None and self.document.content_type == "text/csv"

    @property
    def percent(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        return int(100 * self.done_rows / self.total_rows) if self.total_rows else 0
