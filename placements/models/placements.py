"""A pupil's placement with a provider: where, when, the timetable, the personalised plan, the
cost, and where it stands."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from apcase.access import SchoolScopedQuerySet
from apcase.models import PublicIdModel, School, TimeStampedModel
from audits.models import Provider, ProviderSite
from audits.staff import provider_organisation_ids
from placements.timetable import FULL_WEEK, timetable_summary, validate_timetable
from pupils.models import Pupil, Referral


class PlacementQuerySet(SchoolScopedQuerySet):
    """The status groups of Placement as filters (what each means is on the model)."""

    def unapproved(self):
        return self.filter(status__in=Placement.UNAPPROVED)

    def before_start(self):
        return self.filter(status__in=Placement.BEFORE_START)

    def live(self):
        return self.filter(status__in=Placement.LIVE)

    def in_force(self):
        return self.filter(status__in=Placement.IN_FORCE)

    def running(self):
        return self.filter(status__in=Placement.RUNNING)

    def started(self):
        return self.filter(status__in=Placement.STARTED)

    def ended(self):
        return self.filter(status=Placement.Status.ENDED)

    def finished(self):
        return self.filter(status__in=Placement.FINISHED)

    def committed(self):
        return self.filter(status__in=Placement.COMMITTED)

    def open(self):
        return self.filter(status__in=Placement.OPEN)

    def with_follow_up_facts(self):
        """What the dashboards' to-dos ask of each placement besides its own row, in the placements'
        own query rather than one query each: whether a handover is recorded (`has_handover`), the
        day of the last contact with the provider (`last_provider_contact`) and the school's latest
        decision on whether the provision suits the pupil (`suitable`, `suitability_decided_on`);
        None where there is none."""
        from placements.models.contacts import ContactLog
        from placements.models.records import Handover, SuitabilityDecision

        last_contact = ContactLog.objects.filter(placement=models.OuterRef("pk"), party=ContactLog.Party.PROVIDER)
        latest_decision = SuitabilityDecision.objects.filter(placement=models.OuterRef("pk"))  # newest first
        return self.annotate(
            has_handover=models.Exists(Handover.objects.filter(placement=models.OuterRef("pk"))),
            last_provider_contact=models.Subquery(
                last_contact.order_by("-contacted_on").values("contacted_on")[:1], output_field=models.DateField()
            ),
            suitable=models.Subquery(latest_decision.values("suitable")[:1], output_field=models.BooleanField()),
            suitability_decided_on=models.Subquery(
                latest_decision.values("decided_on")[:1], output_field=models.DateField()
            ),
        )

    def with_register(self):
        return self.filter(status__in=Placement.WITH_REGISTER)

    def for_provider_staff(self, user):
        """The provider portal's scope: placements in force with the organisations the user works
        for, from every school that places there (docs/portal.md). Empty for school staff."""
        return self.with_provider_organisations(provider_organisation_ids(user))

    def with_provider_organisations(self, organisation_ids):
        """Placements in force with any of these provider organisations, from every school: while
        there are none, the organisations' portal access has lapsed (docs/portal.md)."""
        return self.filter(provider__organisation_id__in=organisation_ids, status__in=Placement.IN_FORCE)


class PlacementPartQuerySet(SchoolScopedQuerySet):
    """Records that belong to a school through their placement."""

    school_field = "placement__school"


class Placement(PublicIdModel, TimeStampedModel):
    class Kind(models.TextChoices):
        INTERNAL = "internal", "Internal (on the school site)"
        OFFSITE = "offsite", "Off-site"

    class Status(models.TextChoices):
        PLANNED = "planned", "Planned"
        AWAITING_APPROVAL = "awaiting_approval", "Awaiting approval"
        APPROVED = "approved", "Approved"
        NOTICE_ISSUED = "notice_issued", "Notice issued"
        ACTIVE = "active", "Active"
        ENDING = "ending", "Ending"
        ENDED = "ended", "Ended"
        CANCELLED = "cancelled", "Cancelled"

    # --- Status groups, defined once: every selector, dashboard, report and template counts with
    # these (or the queryset methods of the same names), never with a list of statuses of its own.
    #: Not approved by the headteacher yet: the plan can change, and nothing is committed.
    UNAPPROVED = frozenset({Status.PLANNED, Status.AWAITING_APPROVAL})
    #: Not started yet; from its first day the pupil is expected somewhere all the same.
    BEFORE_START = frozenset({Status.PLANNED, Status.AWAITING_APPROVAL, Status.APPROVED, Status.NOTICE_ISSUED})
    #: Holds, or is about to hold, the pupil's time: one off-site placement at a time.
    LIVE = frozenset({Status.AWAITING_APPROVAL, Status.APPROVED, Status.NOTICE_ISSUED, Status.ACTIVE, Status.ENDING})
    #: Approved and not yet ended: it takes a place at the provider, is handed over, may be extended.
    IN_FORCE = frozenset({Status.APPROVED, Status.NOTICE_ISSUED, Status.ACTIVE, Status.ENDING})
    #: The pupil is attending it now (started, not yet ended).
    RUNNING = frozenset({Status.ACTIVE, Status.ENDING})
    #: It has run, for at least a day: incidents, visits, the census and the governors count these.
    STARTED = frozenset({Status.ACTIVE, Status.ENDING, Status.ENDED})
    #: The headteacher approved it and its cost, so the money is committed, even after it ends.
    COMMITTED = frozenset({Status.APPROVED, Status.NOTICE_ISSUED, Status.ACTIVE, Status.ENDING, Status.ENDED})
    #: Nothing more happens to it.
    FINISHED = frozenset({Status.ENDED, Status.CANCELLED})
    #: Still to be worked on: everything that is not finished (the caseload).
    OPEN = frozenset(Status) - FINISHED
    #: Attendance may be recorded from its first day (see Placement.takes_marks_on).
    WITH_REGISTER = frozenset(Status) - {Status.CANCELLED}

    class Pattern(models.TextChoices):
        FULL_TIME = "full_time", "Full time: every session at the provision"
        PART_TIME = "part_time", "Part time: a reduced timetable, not in school for the other sessions"
        SPLIT = "split", "Split with the home school: in school for the other sessions"

    class Outcome(models.TextChoices):
        REINTEGRATED = "reintegrated", "Reintegrated to class"
        MOVED_PROVIDER = "moved_provider", "Moved to another provider"
        SPECIAL_SCHOOL = "special_school", "Special school or EHCP placement"
        MANAGED_MOVE = "managed_move", "Managed move"
        PERMANENT_EXCLUSION = "permanent_exclusion", "Permanent exclusion"
        OTHER = "other", "Other"

    class CensusReason(models.TextChoices):
        """The school census "primary reason for placement": why the placement was commissioned,
        not what the pupil's needs are. Only "Medical condition (mental health need)" is verified
        against DfE's published labels; match the others to the current census specification
        before building the census export."""

        SUSPENSION = "suspension", "Suspension (provision from the sixth day)"
        OFF_SITE_DIRECTION = "off_site_direction", "Off-site direction to improve behaviour"
        EXCLUSION_RISK = "exclusion_risk", "At risk of exclusion (preventative placement)"
        MENTAL_HEALTH = "mental_health", "Medical condition (mental health need)"
        PHYSICAL_HEALTH = "physical_health", "Medical condition (physical health need)"
        SEN = "sen", "Special educational needs"
        OTHER = "other", "Other"

    class CostUnit(models.TextChoices):
        SESSION = "session", "Per session"
        DAY = "day", "Per day"

    class FundingSource(models.TextChoices):
        SCHOOL = "school", "The school's AP budget"
        HIGH_NEEDS = "high_needs", "Local authority high-needs funding"
        PUPIL_PREMIUM = "pupil_premium", "Pupil Premium"
        HUB = "hub", "Trust or SEND hub"
        OTHER = "other", "Other"

    class SessionsADay(models.IntegerChoices):
        ONE = 1, "One session"
        TWO = 2, "Two sessions, with a break between them"

    class AbsenceLevel(models.TextChoices):
        NONE = "", "Below 10%"
        PERSISTENT = "persistent", "Persistent absence (10% or more)"
        SEVERE = "severe", "Severe absence (50% or more)"

    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="placements")
    pupil = models.ForeignKey(Pupil, on_delete=models.PROTECT, related_name="placements")
    referral = models.ForeignKey(Referral, null=True, blank=True, on_delete=models.PROTECT, related_name="placements")
    no_referral_reason = models.CharField(
        "Why there is no approved referral",
        max_length=300,
        blank=True,
        help_text="For example: provision from the sixth day of a suspension.",
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PLANNED)

    # Where
    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="placements")
    site = models.ForeignKey(
        ProviderSite,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="placements",
        help_text="The address the pupil attends; the parent notice states it.",
    )
    kind = models.CharField(max_length=10, choices=Kind.choices, help_text="Taken from the provider.")
    directed_off_site = models.BooleanField(
        "Directed off-site to improve behaviour",
        default=False,
        help_text="Section 29A Education Act 2002: the school must give the parents written notice.",
    )
    census_reason = models.CharField(
        "Primary reason for the placement (school census)", max_length=20, choices=CensusReason.choices, blank=True
    )
    reasons = models.TextField("Reasons for the placement", blank=True, help_text="The parent notice states them.")

    # When
    pattern = models.CharField(max_length=10, choices=Pattern.choices, default=Pattern.FULL_TIME)
    timetable = models.JSONField(
        default=list, blank=True, validators=[validate_timetable], help_text="Sessions at the provision each week."
    )
    sessions_per_week = models.PositiveSmallIntegerField(
        default=0, editable=False, validators=[MaxValueValidator(FULL_WEEK)]
    )
    start_date = models.DateField("First day", null=True, blank=True, db_index=True)
    start_time = models.TimeField("Time to arrive on the first day", null=True, blank=True)
    planned_end_date = models.DateField("Planned last day", null=True, blank=True)
    school_days = models.PositiveSmallIntegerField(
        "Length in school days",
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text="Counted on the school's term calendar from the first to the last day.",
    )
    maximum_end_date = models.DateField(
        "Proposed maximum period: ends no later than",
        null=True,
        blank=True,
        help_text="Agreed with the provider at planning (DfE, Arranging alternative provision, 2025).",
    )

    # The personalised plan (DfE 2025: nature of the intervention, objectives, reintegration, timeline)
    objectives = models.TextField("Objectives and targets", blank=True)
    intervention = models.TextField("Nature of the intervention", blank=True)
    reintegration_intention = models.TextField("Intention for reintegration", blank=True)
    timeline = models.TextField("Timeline to achieve the objectives", blank=True)

    # The first day and the school day at the provision (the parent notice states these)
    first_day_contact = models.CharField(
        "Person the pupil reports to on the first day",
        max_length=200,
        blank=True,
        help_text="Name and position, for example 'Ms Jo Whitfield, head of centre'.",
    )
    sessions_a_day = models.PositiveSmallIntegerField(
        "Sessions a day", choices=SessionsADay.choices, default=SessionsADay.TWO
    )
    day_starts = models.TimeField("Morning session starts (or the session starts)", null=True, blank=True)
    break_starts = models.TimeField("Break between sessions starts", null=True, blank=True)
    break_ends = models.TimeField("Break between sessions ends", null=True, blank=True)
    day_ends = models.TimeField("Afternoon session finishes (or the session finishes)", null=True, blank=True)
    what_to_bring = models.TextField("What the pupil should bring", blank=True)
    transport = models.TextField("Transport", blank=True, help_text="How the pupil gets there and back, and who pays.")
    reporting_arrangements = models.TextField(
        "Who reports to whom",
        blank=True,
        help_text="For example: the centre phones our attendance officer by 9:30 about any absence; "
        "a weekly e-mail to the SENDCo.",
    )
    school_contact = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="School contact for questions",
        help_text="Named in the parent notice as the person to contact.",
    )

    # Cost
    cost_unit = models.CharField(max_length=10, choices=CostUnit.choices, blank=True)
    cost_rate = models.DecimalField(
        "Cost (£)", max_digits=8, decimal_places=2, null=True, blank=True, validators=[MinValueValidator(0)]
    )
    estimated_cost = models.DecimalField(
        "Estimated total cost (£)", max_digits=10, decimal_places=2, null=True, blank=True, editable=False
    )
    funding_source = models.CharField(max_length=20, choices=FundingSource.choices, blank=True)

    # Attendance before the placement, for comparison
    baseline_attendance = models.DecimalField(
        "Attendance before the placement (%)",
        max_digits=4,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    baseline_note = models.CharField(
        "Period and source", max_length=200, blank=True, help_text="For example: autumn 1, from the MIS."
    )
    # The last absence threshold the SENDCo was alerted about; reset when absence falls below it,
    # so each crossing is reported once.
    absence_alert_level = models.CharField(max_length=10, choices=AbsenceLevel.choices, blank=True, editable=False)

    # How it ended
    outcome = models.CharField(max_length=20, choices=Outcome.choices, blank=True)
    outcome_notes = models.TextField("About the outcome", blank=True)
    actual_end_date = models.DateField("Last day", null=True, blank=True)
    cancellation_reason = models.CharField(max_length=300, blank=True)
    # The headteacher's reason for ending it as reintegrated without an agreed reintegration plan
    # or a final report (docs/policy-steps.md).
    ended_without_steps_reason = models.TextField("Why it ended without the reintegration steps", blank=True)

    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    history = HistoricalRecords()

    objects = PlacementQuerySet.as_manager()

    class Meta:
        ordering = ["-start_date", "-created_at"]
        indexes = [
            models.Index(fields=["school", "status", "-start_date"], name="placement_school_status"),
            models.Index(fields=["school", "kind", "-start_date"], name="placement_school_kind"),
            models.Index(fields=["provider", "status"], name="placement_provider_status"),
            models.Index(fields=["pupil", "status"], name="placement_pupil_status"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="ended") | (~Q(outcome="") & Q(actual_end_date__isnull=False)),
                name="placement_ended_has_outcome",
            ),
            models.CheckConstraint(
                condition=Q(referral__isnull=False) | ~Q(no_referral_reason=""),
                name="placement_referral_or_reason",
            ),
            # One referral, one open placement (not in FINISHED; see services.placements._check_no_open_placement).
            models.UniqueConstraint(
                fields=["referral"],
                condition=Q(referral__isnull=False) & ~Q(status__in=["cancelled", "ended"]),
                name="placement_one_open_per_referral",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.pupil.display_name} at {self.provider.name}"

    def get_absolute_url(self) -> str:
        return reverse("placements:detail", kwargs={"public_id": self.public_id})

    def clean(self) -> None:
        errors = {}
        if self.provider_id and self.kind != self.provider.kind:
            errors["provider"] = "The placement's kind must be the provider's."
        if self.directed_off_site and self.kind != self.Kind.OFFSITE:
            errors["directed_off_site"] = "Only an off-site placement can be a direction off-site."
        if self.site is not None and self.provider_id and self.site.provider_id != self.provider_id:
            errors["site"] = f"This site is not one of {self.provider.name}'s."
        if self.pattern == self.Pattern.FULL_TIME and self.timetable and len(self.timetable) != FULL_WEEK:
            errors["timetable"] = "A full-time placement has all ten sessions; otherwise choose part time or split."
        if self.pattern != self.Pattern.FULL_TIME and len(self.timetable) == FULL_WEEK:
            errors["pattern"] = "Every session is at the provision, so the placement is full time."
        if self.cost_rate is not None and not self.cost_unit:
            errors["cost_unit"] = "Say whether the cost is per session or per day."
        if self.maximum_end_date and self.start_date and self.maximum_end_date < self.start_date:
            errors["maximum_end_date"] = "The maximum period cannot end before the placement starts."
        if self.planned_end_date and self.maximum_end_date and self.planned_end_date > self.maximum_end_date:
            errors["planned_end_date"] = (
                f"This is after the proposed maximum period ({self.maximum_end_date:%d/%m/%Y}). "
                "Agree a longer maximum with the provider first."
            )
        errors.update(self._session_time_errors())
        if self.start_time and self.day_starts and self.start_time > self.day_starts:
            errors["start_time"] = (
                f"Arrive by the time the morning session starts ({self.day_starts:%H:%M}), not after it."
            )
        if self.actual_end_date and self.start_date and self.actual_end_date < self.start_date:
            errors["actual_end_date"] = "The last day cannot be before the first day."
        if self.referral is not None and self.referral.pupil_id != self.pupil_id:
            errors["referral"] = "The referral is for another pupil."
        if errors:
            raise ValidationError(errors)

    def _session_time_errors(self) -> dict[str, str]:
        if self.sessions_a_day == self.SessionsADay.TWO:
            times = [self.day_starts, self.break_starts, self.break_ends, self.day_ends]
            message = "The times must follow each other: morning start, break start, break end, afternoon finish."
        else:
            times = [self.day_starts, self.day_ends]
            message = "The session must finish after it starts."
        given = [time for time in times if time is not None]
        if given != sorted(given) or len(set(given)) != len(given):
            return {"day_ends": message}
        return {}

    # --- What kind of placement this is -------------------------------------------------------

    @property
    def is_split(self) -> bool:
        return self.pattern == self.Pattern.SPLIT

    @property
    def is_offsite(self) -> bool:
        return self.kind == self.Kind.OFFSITE

    @property
    def kind_word(self) -> str:
        """The kind in a sentence: "an off-site placement", "an internal placement"."""
        return "off-site" if self.is_offsite else "internal"

    @property
    def is_iap(self) -> bool:
        return self.provider.short_term_iap

    @property
    def notice_required(self) -> bool:
        """A direction off-site to improve behaviour needs the written notice of reg 3."""
        return self.is_offsite and self.directed_off_site

    @property
    def direction_in_force(self) -> bool:
        """A direction off-site from its notice to its end: a review of it may be asked for (reg 4A)."""
        return self.notice_required and self.is_in_force and self.status != self.Status.APPROVED

    @property
    def la_notifiable(self) -> bool:
        """The school tells its LA of an off-site placement once it asks for approval (docs/oversight.md)."""
        return self.is_offsite and (self.is_live or self.has_started)

    @property
    def is_full_time(self) -> bool:
        return self.pattern == self.Pattern.FULL_TIME

    @property
    def is_live(self) -> bool:
        return self.status in self.LIVE

    @property
    def is_unapproved(self) -> bool:
        return self.status in self.UNAPPROVED

    @property
    def is_approved(self) -> bool:
        """The headteacher has approved it (it may have run and ended since)."""
        return self.status in self.COMMITTED

    @property
    def is_in_force(self) -> bool:
        return self.status in self.IN_FORCE

    @property
    def is_running(self) -> bool:
        return self.status in self.RUNNING

    @property
    def has_started(self) -> bool:
        return self.status in self.STARTED

    @property
    def is_finished(self) -> bool:
        return self.status in self.FINISHED

    @property
    def end_date(self) -> date | None:
        """The last day: the actual one once ended, else the planned one."""
        return self.actual_end_date or self.planned_end_date

    # --- The register ------------------------------------------------------------------------

    def takes_marks_on(self, day: date) -> bool:
        """May attendance be recorded for this placement on this day? From its first day to its
        last, whatever its status says: from the morning of the first day the pupil is expected
        somewhere, started or not (issue 13). Never for a cancelled placement. The one rule the
        school's register, the provider's register and the imports all follow."""
        if self.status not in self.WITH_REGISTER or self.start_date is None or day < self.start_date:
            return False
        return self.end_date is None or day <= self.end_date

    def register_open_by(self, today: date) -> bool:
        """Has the register opened by today (its first day has come, and it was not cancelled)?"""
        return self.takes_marks_on(min(today, self.end_date or today))

    def first_day_passed_unstarted(self, today: date) -> bool:
        """Its first day has come but no one has recorded the start: a child who may be out of sight."""
        return self.status in self.BEFORE_START and self.start_date is not None and self.start_date <= today

    @property
    def timetable_summary(self) -> str:
        return timetable_summary(self.timetable)

    @property
    def present_code(self) -> str:
        """The register code for a session attended: B off-site (supervised, approved activity),
        / on the school site."""
        return "B" if self.is_offsite else "/"
