"""Reads of placements for the list, the placement page, the approval gate and the dashboards,
each scoped to the user asking (the reasoning is in placements/permissions.py)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, TypedDict

from django.contrib.contenttypes.models import ContentType
from django.db.models import BooleanField, Exists, ExpressionWrapper, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.utils.text import Truncator, capfirst

from apcase.access import school_ids_for
from apcase.calendar import CalendarGap
from apcase.models import Role, User
from apcase.workflow import Transition
from audits.selectors import Clearance, provider_clearance
from outbox.models import Message
from placements.models import Incident, ParentAgreement, Placement, PlacementExtension, SuitabilityDecision
from placements.notice import notice_deadline
from placements.schedule import calendar_for, iap_limit, with_shared_schools
from placements.threshold import placement_threshold_warning
from placements.workflows import PLACEMENT_WORKFLOW
from pupils.approvals import Facts
from pupils.models import Approval, Pupil, Referral


class FollowUpFacts(TypedDict):
    """PlacementQuerySet.with_follow_up_facts()."""

    has_handover: bool
    last_provider_contact: date | None
    suitable: bool | None  # the latest suitability decision's answer, None before any
    suitability_decided_on: date | None


class PendingExtension(TypedDict):
    pending_extension_until: date | None


if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

    PlacementDetail = WithAnnotations[Placement, PendingExtension]  # the placement page's placement
    OpenPlacement = WithAnnotations[Placement, FollowUpFacts]  # the dashboards' (open_placements)

SEES_EVERY_PLACEMENT = (Role.SENDCO, Role.HEAD, Role.DSL, Role.OFFICE)
RUNS_PLACEMENTS = (Role.SENDCO, Role.HEAD)
S = Placement.Status


# --- Lists --------------------------------------------------------------------------------------


def _visible(user: User) -> Q:
    visible = Q(school_id__in=school_ids_for(user, SEES_EVERY_PLACEMENT))
    teaching = school_ids_for(user, [Role.TEACHER])
    if teaching:
        key_adult_of = Pupil.key_adults.through.objects.filter(user=user).values("pupil_id")
        visible |= Q(school_id__in=teaching) & (Q(pupil__class_teacher=user) | Q(pupil_id__in=key_adult_of))
    return visible


# The status groups the list can be filtered to (?group=), by their queryset method.
LIST_GROUPS = {
    "live": "Current: waiting for approval, approved or running",
    "unapproved": "Not yet approved",
    "running": "Running now",
    "finished": "Ended or cancelled",
}


def placement_list_for_user(
    *, user: User, school=None, status: str = "", group: str = "", provider=None, kind: str = "", attention: str = ""
) -> QuerySet[Placement]:
    """Placements the user may see, newest first; a teacher sees only their own pupils'. The list
    page, its CSV export and the dashboard tiles that link to it all read it with the same filters."""
    placements = Placement.objects.for_user(user).filter(_visible(user))
    if group:
        placements = getattr(placements, group)() if group in LIST_GROUPS else placements.none()
    if attention:
        from django.utils import timezone

        from placements.selectors.attention import attention_ids

        today = timezone.localdate()
        placements = placements.filter(pk__in=attention_ids(user=user, reason=attention, today=today, school=school))
    if school is not None:
        placements = placements.filter(school=school)
    if status:
        placements = placements.filter(status=status)
    if provider is not None:
        placements = placements.filter(provider=provider)
    if kind:
        placements = placements.filter(kind=kind)
    return placements.select_related("pupil", "provider", "site").order_by("-start_date", "-created_at", "-pk")


def placement_detail_queryset() -> QuerySet[PlacementDetail]:
    """The placement with what its pages show, and the last day of any extension waiting for the
    headteacher's decision (pending_extension_until) in the same query."""
    pending = PlacementExtension.objects.filter(placement=OuterRef("pk"), status=PlacementExtension.Status.PENDING)
    return (
        Placement.objects.annotate(pending_extension_until=Subquery(pending.values("requested_end_date")[:1]))
        .select_related(
            "school",
            "pupil__school",
            "pupil__class_teacher",
            "provider__school",
            "provider__registration_checked_by",
            "site",
            "referral",
            "school_contact",
            "notice__issued_by",
            "notice__document",
        )
        .prefetch_related("pupil__contacts")
    )


def referral_placements(referral) -> QuerySet[Placement]:
    """The placements that take up a referral: all but cancelled ones (a cancelled placement hands
    the approved referral back, waiting for a placement again)."""
    return Placement.objects.filter(referral=referral).exclude(status=S.CANCELLED)


def referrals_ready_for_placement(*, user: User, school) -> QuerySet[Referral]:
    """Approved referrals recommending AP that have no placement yet (where a new one starts)."""
    return (
        Referral.objects.for_user(user, RUNS_PLACEMENTS)
        .filter(
            school=school,
            status=Referral.Status.APPROVED,
            recommendation__in=[Referral.Recommendation.INTERNAL_AP, Referral.Recommendation.OFFSITE_AP],
        )
        .exclude(Exists(referral_placements(OuterRef("pk"))))
        .select_related("pupil")
        .order_by("-raised_at")
    )


# --- The placement page -------------------------------------------------------------------------


def placement_clash(placement: Placement) -> Placement | None:
    """Another off-site placement of the pupil over the same dates, unless both are split with the
    home school: a pupil is at one off-site provider at a time."""
    if not placement.is_offsite or placement.start_date is None:
        return None
    others = Placement.objects.live().filter(pupil_id=placement.pupil_id, kind=Placement.Kind.OFFSITE)
    others = others.exclude(pk=placement.pk)
    if placement.end_date is not None:
        others = others.filter(Q(start_date__isnull=True) | Q(start_date__lte=placement.end_date))
    for other in others.select_related("provider").order_by("start_date"):
        both_split = placement.pattern == other.pattern == Placement.Pattern.SPLIT
        if not both_split and (other.end_date is None or other.end_date >= placement.start_date):
            return other
    return None


def clash_message(placement: Placement, other: Placement) -> str:
    start = f"{other.start_date:%d/%m/%Y}" if other.start_date else "a date not yet set"
    end = f" to {other.end_date:%d/%m/%Y}" if other.end_date else ""
    return (
        f"{placement.pupil.display_name} already has an off-site placement at {other.provider.name} from "
        f"{start}{end} ({other.get_status_display().lower()}). A pupil can be at only one off-site placement "
        "at a time, unless both are split with the home school."
    )


@dataclass(frozen=True)
class ApprovalGate:
    """What stops the placement being sent to, or approved by, the headteacher."""

    incomplete: list[str]
    clearance: Clearance | None  # off-site placements only
    threshold_warning: str | None
    clash: str | None
    parents: str | None = None  # the parents' agreement is missing or was refused
    departure: str | None = None  # another kind than the head approved on the referral, not yet agreed
    suitability: str | None = None  # off-site: no decision that it suits the pupil, or one that it does not

    @property
    def blockers(self) -> list[str]:
        cleared = [] if self.clearance is None else self.clearance.missing
        extra = [m for m in (self.threshold_warning, self.clash, self.parents, self.departure, self.suitability) if m]
        return [*self.incomplete, *cleared, *extra]

    @property
    def ready(self) -> bool:
        return not self.blockers


def _incomplete(placement: Placement) -> list[str]:
    p = placement
    checks = [
        (p.start_date, "Set the first day."),
        (p.planned_end_date, "Set the planned last day or the length in school days."),
        (p.timetable, "Tick the sessions at the provision in the timetable."),
        (p.objectives.strip(), "Record the objectives and targets."),
    ]
    if p.is_offsite:
        checks += [
            (p.site_id, "Choose the site the pupil will attend."),
            (p.census_reason, "Choose the primary reason for the placement (school census)."),
            (p.cost_rate is not None, "Record the cost, so the headteacher approves it with the placement."),
        ]
    if p.cost_rate:
        checks.append((p.funding_source, "Say how the placement is funded."))
    return [message for present, message in checks if not present]


def parents_agreement(placement: Placement) -> ParentAgreement | None:
    """The parents' latest answer to the placement, if they have given one."""
    return placement.parent_agreements.order_by("-given_on", "-recorded_at").first()


def _parents_blocker(placement: Placement) -> str | None:
    """A placement that is not a direction off-site needs the parents' agreement (docs/policy-steps.md)."""
    if placement.notice_required:
        return None
    answer = parents_agreement(placement)
    if answer is None:
        return "Record the parents' agreement to the placement (who agreed, when and how)."
    if not answer.agreed:
        return (
            f"{answer.given_by} refused the placement on {answer.given_on:%d/%m/%Y}. It can be approved only once "
            "the parents agree: record their agreement if they change their mind."
        )
    return None


def suitability_decision(placement: Placement) -> SuitabilityDecision | None:
    """The school's latest decision on whether the provision suits the pupil, if it has made one."""
    return placement.suitability_decisions.select_related("recorded_by", "audit").first()


def suitability_blocker(placement: Placement, decision: SuitabilityDecision | None) -> str | None:
    """An off-site placement needs the school's own decision that it suits this pupil
    (docs/domain-rules.md#suitability), whoever's checks cleared the provider."""
    if not placement.is_offsite:
        return None
    if decision is None:
        return (
            f"Record whether {placement.provider.name} is suitable for {placement.pupil.display_name}: "
            "the school's own decision for this pupil, with its reasons."
        )
    if not decision.suitable:
        return (
            f"{decision.recorded_by} judged {placement.provider.name} not suitable for "
            f"{placement.pupil.display_name} on {decision.decided_on:%d/%m/%Y}. It can be approved only "
            "after a later decision that it is suitable."
        )
    return None


PLACEMENT_DEPARTURE_APPROVAL = "placement_departure"
# The kind of placement the headteacher approves with a referral's recommendation.
KIND_APPROVED = {
    Referral.Recommendation.INTERNAL_AP: Placement.Kind.INTERNAL,
    Referral.Recommendation.OFFSITE_AP: Placement.Kind.OFFSITE,
}


def referral_departure(placement: Placement) -> str | None:
    """How the placement differs from what the headteacher approved on its referral, in words
    (None when it does not, or has no referral)."""
    referral = placement.referral
    approved = KIND_APPROVED.get(Referral.Recommendation(referral.recommendation)) if referral else None
    if referral is None or approved in (None, placement.kind):
        return None
    return (
        f"The headteacher approved {referral.get_recommendation_display()} on the referral, but this placement at "
        f"{placement.provider.name} is {placement.kind_word}"
    )


def departure_approval(placement: Placement) -> Approval | None:
    """The headteacher's latest decision (or pending request) on the placement's departure from its referral."""
    return (
        Approval.objects.filter(kind=PLACEMENT_DEPARTURE_APPROVAL, object_id=placement.pk)
        .order_by("-requested_at", "-pk")
        .first()
    )


def _departure_blocker(placement: Placement) -> str | None:
    what = referral_departure(placement)
    if what is None:
        return None
    decision = departure_approval(placement)
    if decision is None or decision.status == Approval.Status.WITHDRAWN:
        return f"{what}: the headteacher must agree to the change first."
    if decision.status == Approval.Status.PENDING:
        return f"{what}: waiting for the headteacher to agree to the change."
    if decision.status == Approval.Status.DECLINED:
        return (
            f"{what}: the headteacher did not agree ({decision.reasons}). Choose a provider of the kind approved, "
            "or cancel this placement."
        )
    return None


def placement_approval_gate(placement: Placement) -> ApprovalGate:
    """Complete, provider cleared for placements (off-site), not over the registration threshold,
    no other off-site placement at the same time, the parents' agreement unless a direction, and
    (off-site) the school's decision that the provision suits the pupil."""
    other = placement_clash(placement)
    return ApprovalGate(
        incomplete=_incomplete(placement),
        clearance=provider_clearance(placement.provider) if placement.is_offsite else None,
        threshold_warning=placement_threshold_warning(placement),
        clash=clash_message(placement, other) if other else None,
        parents=_parents_blocker(placement),
        departure=_departure_blocker(placement),
        suitability=suitability_blocker(placement, suitability_decision(placement)),
    )


# Moves made somewhere other than the status buttons: the head decides in the approvals inbox, the
# notice is issued on its own page, ending and cancelling ask for an outcome or a reason.
MOVES_ELSEWHERE = {S.APPROVED, S.NOTICE_ISSUED, S.ENDED, S.CANCELLED}


def placement_moves(user: User, placement: Placement) -> list[Transition]:
    """The status buttons this user sees on the placement page."""
    moves = []
    for transition in PLACEMENT_WORKFLOW.available_to(user, placement):
        if transition.target in MOVES_ELSEWHERE:
            continue
        if transition.target == S.PLANNED and not user.has_perm("placements.change_placement", placement):
            continue  # withdrawing the request is for those who run the placement
        if transition.target == S.ACTIVE and placement.status == S.APPROVED and placement.notice_required:
            continue  # the notice comes first
        moves.append(transition)
    return moves


def placement_approvals(placement: Placement) -> list[Approval]:
    """The headteacher's decisions on the placement and on its extensions, newest first (one query)."""
    extensions = PlacementExtension.objects.filter(placement=placement).values("pk")
    of_extension = Q(content_type=ContentType.objects.get_for_model(PlacementExtension), object_id__in=extensions)
    return list(
        Approval.objects.filter(
            Q(content_type=ContentType.objects.get_for_model(Placement), object_id=placement.pk) | of_extension
        )
        .select_related("requested_by", "decided_by")
        .annotate(is_extension=ExpressionWrapper(of_extension, output_field=BooleanField()))
        .order_by("-requested_at", "-pk")
    )


def placement_pending_extension(placement: Placement) -> PlacementExtension | None:
    """The extension waiting for the headteacher's decision, if any (one at a time)."""
    return placement.extensions.filter(status=PlacementExtension.Status.PENDING).first()


def placement_records(placement: Placement) -> dict:
    """Handovers, incidents, visits, the contact log and LA notifications with the messages that carried
    them (seven queries)."""
    from placements.selectors.contacts import last_provider_contact, placement_contacts

    contacts = placement_contacts(placement)
    return {
        "contacts": contacts,
        "last_provider_contact": last_provider_contact(contacts),
        # Each letter's messages (document.sent): how it went to the LA, for the notification card.
        "la_notifications": list(
            placement.la_notifications.select_related("local_authority", "created_by", "document").prefetch_related(
                Prefetch("document__messages", queryset=Message.objects.order_by("created_at", "id"), to_attr="sent")
            )
        ),
        "handovers": list(
            placement.handovers.select_related("shared_by", "recorded_by").prefetch_related("emergency_contacts")
        ),
        "incidents": list(placement.incidents.select_related("recorded_by", "responded_by")),
        "visits": list(
            placement.visits.select_related("recorded_by").prefetch_related(
                Prefetch("staff", queryset=User.objects.order_by("first_name", "last_name"))
            )
        ),
    }


def placement_approval_facts(placement: Placement) -> Facts:
    """What the headteacher sees in the inbox to approve a placement, the cost included."""
    p = placement
    where = p.provider.name + (f", {p.site.name} ({p.site.postcode})" if p.site is not None else "")
    kind = p.get_kind_display() + (": a direction off-site to improve behaviour" if p.directed_off_site else "")
    start = f"{p.start_date:%d/%m/%Y}" if p.start_date else "not set"
    end = f"{p.planned_end_date:%d/%m/%Y} ({p.school_days} school days)" if p.planned_end_date else "not set"
    return [
        ("Pupil", f"{p.pupil.display_name}, {p.pupil.get_year_group_display()}"),
        ("Provider", where),
        ("Kind", kind),
        ("Dates", f"{start} to {end}"),
        ("Pattern", p.get_pattern_display()),
        ("Sessions a week", f"{p.sessions_per_week}: {p.timetable_summary or 'none ticked'}"),
        ("Cost and funding", placement_cost_summary(p)),
        ("Objectives", Truncator(p.objectives).words(40) or "—"),
        *_suitability_fact(p),
    ]


def _suitability_fact(placement: Placement) -> Facts:
    # The latest decision, from PLACEMENT_SUBJECTS' prefetch: the inbox asks for every request at once.
    decision = next(iter(placement.suitability_decisions.all()), None) if placement.is_offsite else None
    if decision is None:
        return []
    said = f"{decision.verdict.capitalize()}, decided by {decision.recorded_by} on {decision.decided_on:%d/%m/%Y}"
    return [("Suitable for the pupil", f"{said}: {Truncator(decision.reasons).words(40)}")]


def placement_departure_facts(placement: Placement) -> Facts:
    """What the headteacher sees in the inbox to agree to another kind of placement than approved."""
    p, referral = placement, placement.referral
    assert referral is not None  # asked only for a placement planned from a referral
    return [
        ("Pupil", f"{p.pupil.display_name}, {p.pupil.get_year_group_display()}"),
        (
            "Approved on the referral",
            f"{referral.get_recommendation_display()}: {referral.recommendation_reasons or '—'}",
        ),
        ("Planned instead", f"{p.get_kind_display()} at {p.provider.name}"),
        ("First day", f"{p.start_date:%d/%m/%Y}" if p.start_date else "not set"),
    ]


PLACEMENT_DEPARTURE_SUBJECTS = Placement.objects.select_related("pupil", "provider", "referral")


def placement_cost_summary(placement: Placement) -> str:
    p = placement
    if p.cost_rate is None:
        return "No cost recorded"
    source = p.get_funding_source_display()
    funding = f", funded by {source[:1].lower()}{source[1:]}" if p.funding_source else ""
    estimate = f"; about £{p.estimated_cost:,.2f} in total" if p.estimated_cost is not None else ""
    return f"£{p.cost_rate:,.2f} {p.get_cost_unit_display().lower()}{estimate}{funding}"


PLACEMENT_SUBJECTS = Placement.objects.select_related("pupil", "provider", "site").prefetch_related(
    Prefetch("suitability_decisions", queryset=SuitabilityDecision.objects.select_related("recorded_by"))
)


def placement_extension_approval_facts(extension: PlacementExtension) -> Facts:
    """What the headteacher sees in the inbox to approve a later last day, and what it adds."""
    p, x = extension.placement, extension
    facts = [
        ("Pupil", f"{p.pupil.display_name}, {p.pupil.get_year_group_display()}"),
        ("Placement", f"{p.provider.name} from {p.start_date:%d/%m/%Y} ({p.get_status_display().lower()})"),
        ("Current last day", f"{p.planned_end_date:%d/%m/%Y} ({p.school_days} school days)"),
        ("Requested last day", f"{x.requested_end_date:%d/%m/%Y} ({x.school_days} school days)"),
        ("Extra school days", str(x.extra_school_days)),
        ("Extra estimated cost", _extra_cost(p, x)),
    ]
    if p.maximum_end_date:
        facts.append(("Proposed maximum period", f"ends no later than {p.maximum_end_date:%d/%m/%Y}"))
    return [*facts, ("Reason", x.reason)]


def _extra_cost(placement: Placement, extension: PlacementExtension) -> str:
    if extension.extra_cost is None:
        return "No cost recorded"
    if placement.estimated_cost is None:
        return f"£{extension.extra_cost:,.2f}"
    return f"£{extension.extra_cost:,.2f} (about £{placement.estimated_cost + extension.extra_cost:,.2f} in all)"


PLACEMENT_EXTENSION_SUBJECTS = PlacementExtension.objects.select_related("placement__pupil", "placement__provider")


# --- Dashboards ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class IapOverrun:
    placement: Placement
    six_weeks_end: date

    @property
    def extended(self) -> bool:
        return self.placement.end_date is not None and self.placement.end_date > self.six_weeks_end


def iaps_past_six_weeks(*, user: User, today: date) -> list[IapOverrun]:
    """Live IAP placements planned to run, or already running, past their six weeks
    (docs/domain-rules.md#iap-length)."""
    return iaps_past_six_weeks_in(school_ids=school_ids_for(user, RUNS_PLACEMENTS), today=today)


def iaps_past_six_weeks_in(*, school_ids, today: date) -> list[IapOverrun]:
    """The same for these schools, whoever asks (the reminders)."""
    placements = (
        Placement.objects.live()
        .filter(school_id__in=school_ids, provider__short_term_iap=True, start_date__isnull=False)
        .select_related("pupil", "provider", "school")
        .order_by("start_date", "pk")
    )
    return iaps_past_six_weeks_among(with_shared_schools(placements), today)


def iaps_past_six_weeks_among(placements: Sequence[Placement], today: date) -> list[IapOverrun]:
    """The same among placements already loaded."""
    overruns = []
    for placement in placements:
        if not (placement.is_live and placement.is_iap and placement.start_date):
            continue
        limit = iap_limit(placement, calendar_for(placement))
        if limit is not None and (today > limit or (placement.end_date and placement.end_date > limit)):
            overruns.append(IapOverrun(placement, limit))
    return overruns


@dataclass(frozen=True)
class CaseloadItem:
    placement: Placement
    next_step: str


def first_day_passed(placement: Placement) -> str:
    """What is wrong with a placement whose first day has come with no start recorded (the to-do,
    the caseload and the placement page say it in these words)."""
    p, first_day = placement, f"{placement.start_date:%d/%m/%Y}"
    if p.is_unapproved:
        return (
            f"the first day ({first_day}) has come and the headteacher has not approved the placement: "
            "set a new first day, or find out where the pupil is and ask the headteacher to decide"
        )
    return (
        f"expected at {p.provider.name} from {first_day}, but the start is not recorded: record the start "
        "and take the register, or record where the pupil is"
    )


def _next_step(placement: Placement, today: date) -> str:
    p = placement
    if p.first_day_passed_unstarted(today):
        return capfirst(first_day_passed(p))
    if p.status == S.PLANNED:
        return "Complete the plan and ask the headteacher to approve it"
    if p.status == S.AWAITING_APPROVAL:
        return "Waiting for the headteacher's decision"
    if p.status == S.APPROVED and p.notice_required:
        try:
            return f"Issue the parent notice by {notice_deadline(p):%d/%m/%Y}"
        except CalendarGap:
            return "Issue the parent notice (the term dates do not cover the deadline)"
    if p.status in (S.APPROVED, S.NOTICE_ISSUED):
        return f"Starts on {p.start_date:%d/%m/%Y}" if p.start_date else "Set the first day"
    if p.status == S.ACTIVE:
        return f"Attendance and visits; planned to end on {p.end_date:%d/%m/%Y}" if p.end_date else "Attendance"
    return f"Plan the return: the last day is {p.end_date:%d/%m/%Y}" if p.end_date else "Plan the return"


def open_placements(*, school_ids) -> list[OpenPlacement]:
    """Every placement of these schools not yet ended or cancelled, soonest first, with what the
    dashboards show of it (one query; each school's calendar shared). A dashboard reads its
    caseload and every placement to-do from this one list."""
    placements = Placement.objects.open().filter(school_id__in=school_ids).with_follow_up_facts()
    # The provider's school and registration checker: its clearance reads them (the "no longer cleared"
    # to-do); the site: the notice states its address, which the "amended notice" to-do compares with
    # what the notice stated.
    related = ("pupil", "provider__registration_checked_by", "provider__school", "school", "site", "notice")
    return with_shared_schools(placements.select_related(*related).order_by("start_date", "pk"))


def caseload(*, user: User, today: date) -> list[CaseloadItem]:
    """Every planned or live placement of the schools the user runs placements in, with its next step."""
    return caseload_among(open_placements(school_ids=school_ids_for(user, RUNS_PLACEMENTS)), today)


def caseload_among(placements: Sequence[Placement], today: date) -> list[CaseloadItem]:
    return [CaseloadItem(placement, _next_step(placement, today)) for placement in placements]


def incidents_needing_review(*, user: User) -> QuerySet[Incident]:
    """Serious incidents no one has yet decided a course of action on (the SENDCo's queue)."""
    return (
        Incident.objects.filter(
            placement__school_id__in=school_ids_for(user, RUNS_PLACEMENTS),
            severity=Incident.Severity.SERIOUS,
            responded_at__isnull=True,
        )
        .select_related("placement__pupil", "placement__provider")
        .order_by("occurred_at", "pk")
    )
