"""Planning a placement, changing it, and moving it along its workflow (with the headteacher's
approval through the pupils app's approval registry); extending an approved placement, which the
headteacher approves too."""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from apcase.calendar import CalendarGap, SchoolCalendar
from apcase.details import Details
from apcase.models import User
from apcase.services import save_tracked
from audits.models import Provider, ProviderSite
from placements.hooks import missing_before_end, schedule_listeners
from placements.models import Placement, PlacementExtension
from placements.notice import NOTICE_SCHOOL_DAYS
from placements.schedule import (
    IAP_DEFAULT_SCHOOL_DAYS,
    calendar_for,
    days_at_provision,
    expected_sessions,
    last_day_after,
    school_days_in,
)
from placements.selectors import (
    PLACEMENT_DEPARTURE_APPROVAL,
    departure_approval,
    placement_approval_gate,
    placement_clash,
    placement_pending_extension,
    referral_departure,
)
from placements.selectors.placements import clash_message
from placements.services.common import placement_step
from placements.timetable import WEEKDAY_NAMES, session_key, sorted_sessions
from placements.workflows import PLACEMENT_WORKFLOW
from pupils.models import Approval, CaseEvent, Pupil, Referral
from pupils.services import approval_request, approval_withdraw, case_event_record

PLACEMENT_APPROVAL = "placement"
PLACEMENT_EXTENSION_APPROVAL = "placement_extension"
S = Placement.Status
# What the headteacher approves: fixed once the request is sent (withdraw it to change them).
TERMS = ("provider", "site", "directed_off_site", "pattern", "timetable", "start_date", "cost_unit", "cost_rate")
X = PlacementExtension.Status


# --- Dates, timetable and cost ------------------------------------------------------------------


def _gap_error(field: str, gap: CalendarGap) -> ValidationError:
    return ValidationError({field: str(gap)})


def _apply_schedule(placement: Placement, calendar: SchoolCalendar, planned_end_date, school_days) -> None:
    """Work out the last day from the length in school days, or the length from the last day
    (whichever was given), on the school's calendar; an IAP defaults to six weeks."""
    p = placement
    p.timetable = sorted_sessions(p.timetable)
    p.sessions_per_week = len(p.timetable)
    if p.start_date is None:
        p.planned_end_date, p.school_days = planned_end_date, None
        return
    _check_first_day(p, p.start_date, calendar)
    if school_days is not None and planned_end_date is None:
        try:
            p.planned_end_date, p.school_days = last_day_after(calendar, p.start_date, school_days), school_days
        except CalendarGap as gap:
            raise _gap_error("school_days", gap) from None
        return
    end = planned_end_date or p.planned_end_date
    if end is None and p.is_iap:
        return _apply_schedule(p, calendar, None, IAP_DEFAULT_SCHOOL_DAYS)
    if end is None:
        p.planned_end_date, p.school_days = None, None
        return
    if end < p.start_date:
        raise ValidationError({"planned_end_date": "The last day cannot be before the first day."})
    try:
        p.planned_end_date, p.school_days = end, school_days_in(calendar, p.start_date, end)
    except CalendarGap as gap:
        raise _gap_error("planned_end_date", gap) from None


def _check_first_day(placement: Placement, day: date, calendar: SchoolCalendar) -> None:
    try:
        school_day = calendar.is_school_day(day)
    except CalendarGap as gap:
        raise _gap_error("start_date", gap) from None
    if not school_day:
        raise ValidationError({"start_date": f"{day:%A %d/%m/%Y} is not a school day in the school's term dates."})
    if placement.timetable and not any(session_key(day, half) in placement.timetable for half in ("am", "pm")):
        weekday = WEEKDAY_NAMES[day.weekday()]
        raise ValidationError(
            {"start_date": f"The first day is a {weekday}, but the timetable has no {weekday} session."}
        )


def _estimate_cost(placement: Placement, calendar: SchoolCalendar) -> Decimal | None:
    """The rate times the sessions (or days) at the provision over the planned period."""
    p = placement
    if p.cost_rate is None or p.start_date is None or p.planned_end_date is None:
        return None
    if p.cost_unit == Placement.CostUnit.SESSION:
        units = len(expected_sessions(p, calendar, p.start_date, p.planned_end_date))
    else:
        units = days_at_provision(p, calendar)
    return p.cost_rate * units


def _settle(placement: Placement, planned_end_date: date | None, school_days: int | None) -> None:
    calendar = calendar_for(placement)
    _apply_schedule(placement, calendar, planned_end_date, school_days)
    placement.estimated_cost = _estimate_cost(placement, calendar)


# --- Create and change --------------------------------------------------------------------------


def _check_referral(pupil: Pupil, referral: Referral | None, no_referral_reason: str) -> None:
    if referral is None:
        if not no_referral_reason.strip():
            raise ValidationError({"no_referral_reason": "Say why this placement starts without an approved referral."})
        return
    R = Referral.Recommendation
    if referral.status != Referral.Status.APPROVED or referral.recommendation not in (R.INTERNAL_AP, R.OFFSITE_AP):
        raise ValidationError("A placement starts from a referral whose recommendation of AP the headteacher approved.")
    if referral.pupil_id != pupil.pk:
        raise ValidationError("The referral is for another pupil.")


def _check_no_open_placement(referral: Referral) -> None:
    """One open placement per referral: a second "plan the placement" (a double click, two tabs)
    waits here for the first to commit and is then refused. The database constraint
    placement_one_open_per_referral holds the same rule if another path forgets."""
    Referral.objects.select_for_update().filter(pk=referral.pk).first()
    if Placement.objects.filter(referral=referral).exclude(status__in=Placement.FINISHED).exists():
        raise ValidationError("A placement is already planned from this referral: open it from the pupil's page.")


@dataclass(frozen=True, kw_only=True)
class PlacementDetails(Details):
    """The plan as the placement form edits it: never its status, pupil, referral or school. Its
    last day or length travels beside it (planned_end_date, school_days), since a later last day
    once approved is an extension rather than a change."""

    provider: Provider
    site: ProviderSite | None = None
    directed_off_site: bool = False
    census_reason: str = ""
    reasons: str = ""
    pattern: str = Placement.Pattern.FULL_TIME
    timetable: list[str] = field(default_factory=list)
    start_date: date | None = None
    start_time: time | None = None
    maximum_end_date: date | None = None
    objectives: str = ""
    intervention: str = ""
    reintegration_intention: str = ""
    timeline: str = ""
    first_day_contact: str = ""
    sessions_a_day: int = Placement.SessionsADay.TWO
    day_starts: time | None = None
    break_starts: time | None = None
    break_ends: time | None = None
    day_ends: time | None = None
    what_to_bring: str = ""
    transport: str = ""
    reporting_arrangements: str = ""
    school_contact: User | None = None
    cost_unit: str = ""
    cost_rate: Decimal | None = None
    funding_source: str = ""
    baseline_attendance: Decimal | None = None
    baseline_note: str = ""


@transaction.atomic
def placement_create(
    *,
    actor: User,
    pupil: Pupil,
    details: PlacementDetails,
    referral: Referral | None = None,
    no_referral_reason: str = "",
    planned_end_date: date | None = None,
    school_days: int | None = None,
    occurred_at: datetime | None = None,
) -> Placement:
    """Plan a placement, from an approved referral or, with a recorded reason, without one (for
    example provision from the sixth day of a suspension)."""
    if not actor.has_perm("placements.add_placement", pupil):
        raise PermissionDenied("Only the SENDCo or headteacher plans placements.")
    if not pupil.is_on_roll():
        raise ValidationError("This pupil is no longer on roll.")
    provider = details.provider
    if provider.school_id != pupil.school_id or not provider.is_active:
        raise ValidationError({"provider": "Choose a provider in the school's directory that is still used."})
    _check_referral(pupil, referral, no_referral_reason)
    if referral is not None:
        _check_no_open_placement(referral)
    placement = Placement(
        school_id=pupil.school_id,
        pupil=pupil,
        referral=referral,
        no_referral_reason="" if referral else no_referral_reason.strip(),
        kind=provider.kind,
        created_by=actor,
    )
    details.apply_to(placement)
    _settle(placement, planned_end_date, school_days)
    save_tracked(placement, actor)
    start = f" from {placement.start_date:%d/%m/%Y}" if placement.start_date else ""
    placement_step(
        placement, CaseEvent.Kind.PLACEMENT_CREATED, f"Placement at {provider.name}{start} planned by {actor}", actor
    )
    _hold_for_departure(placement, actor)
    return placement


def _hold_for_departure(placement: Placement, actor: User) -> None:
    """Another kind of placement than the headteacher approved on the referral waits for them to
    agree to the change, the way an extension does (docs/policy-steps.md); changing back to the
    approved kind takes the request back."""
    what = referral_departure(placement)
    if what is None:
        _withdraw_departure(placement, actor, "The placement is now of the kind approved.")
        return
    decision = departure_approval(placement)
    if decision is not None and decision.status != Approval.Status.WITHDRAWN:
        return  # waiting for the head, or decided
    assert placement.referral is not None  # a departure is from a referral
    approval_request(
        subject=placement,
        kind=PLACEMENT_DEPARTURE_APPROVAL,
        pupil=placement.pupil,
        actor=actor,
        summary=f"{placement.pupil.display_name}: {placement.kind_word} placement at {placement.provider.name} "
        f"instead of {placement.referral.get_recommendation_display()}",
    )
    placement_step(placement, CaseEvent.Kind.APPROVAL_REQUESTED, f"{what}: sent to the headteacher by {actor}", actor)


def _referral_waits_again(placement: Placement, actor: User, occurred_at: datetime | None) -> None:
    """A cancelled placement hands its approved referral back: it waits for a placement again, and
    the chronology says so, linking to the referral (docs/policy-steps.md)."""
    referral = placement.referral
    if referral is None:
        return
    summary = (
        f"The Cause for Concern raised {timezone.localdate(referral.raised_at):%d/%m/%Y} is waiting for a placement "
        f"again: the placement at {placement.provider.name} was cancelled"
    )
    case_event_record(
        pupil=placement.pupil,
        kind=CaseEvent.Kind.PLACEMENT_STATUS,
        summary=summary,
        actor=actor,
        occurred_at=occurred_at,
        link=referral.get_absolute_url(),
    )


def _withdraw_departure(placement: Placement, actor: User, reasons: str) -> None:
    decision = departure_approval(placement)
    if decision is not None and decision.status == Approval.Status.PENDING:
        approval_withdraw(approval=decision, actor=actor, reasons=reasons)


def placement_departure_on_approval_decided(approval: Approval, actor: User) -> None:
    """on_decided for "placement_departure": the decision is a step in the chronology (no status moves)."""
    placement = approval.subject
    assert isinstance(placement, Placement) and placement.referral is not None
    agreed = "agreed to" if approval.status == Approval.Status.APPROVED else "did not agree to"
    reasons = f": {approval.reasons}" if approval.reasons else ""
    summary = (
        f"{actor} {agreed} an {placement.kind_word} placement at {placement.provider.name} "
        f"instead of {placement.referral.get_recommendation_display()}{reasons}"
    )
    placement_step(placement, CaseEvent.Kind.APPROVAL_DECIDED, summary, actor, approval.decided_at)


TERM_WORDS = {
    "provider": "the provider",
    "site": "the site",
    "directed_off_site": "whether it is a direction off-site",
    "pattern": "the pattern",
    "timetable": "the timetable",
    "start_date": "the first day",
    "cost_unit": "the cost",
    "cost_rate": "the cost",
}


def _terms_changed(placement: Placement, details: PlacementDetails) -> list[str]:
    changed = [TERM_WORDS[name] for name in TERMS if getattr(details, name) != getattr(placement, name)]
    return list(dict.fromkeys(changed))


def _and(words: list[str]) -> str:
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} and {words[-1]}"


@transaction.atomic
def placement_update(
    *,
    actor: User,
    placement: Placement,
    details: PlacementDetails,
    planned_end_date: date | None = None,
    school_days: int | None = None,
    extension_reason: str = "",
) -> Placement:
    """Change the plan. What the headteacher approves (TERMS) changes only while planned. Once
    approved, an earlier last day applies at once (the chronology records it); a later one is an
    extension, which waits for the headteacher's approval in the inbox, with extension_reason."""
    if not actor.has_perm("placements.change_placement", placement):
        raise PermissionDenied("Only the SENDCo or headteacher changes a placement.")
    if placement.is_finished:
        raise ValidationError(f"This placement is {placement.get_status_display().lower()}; it cannot change.")
    changed_terms = _terms_changed(placement, details)
    if changed_terms and placement.status == S.AWAITING_APPROVAL:
        raise ValidationError(
            f"The headteacher is deciding on {_and(changed_terms)}: withdraw the request for approval to change them."
        )
    if changed_terms and placement.status != S.PLANNED:
        raise ValidationError(
            f"The headteacher approved {_and(changed_terms)}, so they cannot change now. Cancel or end this "
            "placement and plan a new one instead."
        )
    # As saved, not as a bound form may have left the instance.
    before = Placement.objects.select_for_update().values_list("planned_end_date", flat=True).get(pk=placement.pk)
    if details.provider.pk != placement.provider_id:
        placement.kind = details.provider.kind
    details.apply_to(placement)
    proposed = copy.copy(placement)
    _settle(proposed, planned_end_date, school_days)
    # Once the headteacher has approved the placement, a later last day (more school days, more
    # cost) is an extension that waits for their approval; an earlier one applies at once.
    if placement.is_in_force and proposed.planned_end_date != before:
        _check_no_pending_extension(placement)
    if placement.is_in_force and before and proposed.planned_end_date and proposed.planned_end_date > before:
        _settle(placement, before, None)  # the approved last day stands until the headteacher decides
        save_tracked(placement, actor)
        _request_extension(placement, proposed, actor, extension_reason)
        return placement
    _settle(placement, planned_end_date, school_days)
    save_tracked(placement, actor)
    if placement.status == S.PLANNED:
        _hold_for_departure(placement, actor)
    if placement.status != S.PLANNED and before and placement.planned_end_date != before:
        summary = (
            f"Planned last day changed from {before:%d/%m/%Y} to {placement.planned_end_date:%d/%m/%Y} "
            f"({placement.school_days} school days) by {actor}"
        )
        placement_step(placement, CaseEvent.Kind.PLACEMENT_STATUS, summary, actor)
    if placement.is_running and placement.planned_end_date != before:
        _tell_schedule_listeners(placement, actor)
    return placement


def placement_length_change(
    *,
    actor: User,
    placement: Placement,
    planned_end_date: date | None = None,
    school_days: int | None = None,
    extension_reason: str = "",
) -> Placement:
    """Move the last day (or give the length in school days) and nothing else: an earlier last day
    applies at once, a later one after approval is an extension the headteacher decides."""
    return placement_update(
        actor=actor,
        placement=placement,
        details=PlacementDetails.of(placement),
        planned_end_date=planned_end_date,
        school_days=school_days,
        extension_reason=extension_reason,
    )


def _tell_schedule_listeners(placement: Placement, actor: User) -> None:
    for listener in schedule_listeners():
        listener(placement, actor)


# --- The workflow -------------------------------------------------------------------------------


def _summary(placement: Placement, actor: User, reasons: str, approval: Approval | None) -> str:
    p, provider = placement, placement.provider.name
    if p.status == S.AWAITING_APPROVAL:
        cost = f" (about £{p.estimated_cost:,.2f})" if p.estimated_cost is not None else ""
        return f"Placement at {provider}{cost} sent to the headteacher for approval by {actor}"
    if p.status == S.APPROVED:
        return f"{actor} approved the placement at {provider}"
    if p.status == S.PLANNED and approval is not None:
        return f"{actor} declined the placement at {provider}: {reasons}"
    if p.status == S.PLANNED:
        return f"Request for approval of the placement at {provider} withdrawn by {actor} to change the plan"
    if p.status == S.ACTIVE:
        return f"Placement at {provider} started"
    if p.status == S.ENDING:
        return f"Ending of the placement at {provider} being planned by {actor}"
    if p.status == S.ENDED:
        ended = f"Placement at {provider} ended on {p.actual_end_date:%d/%m/%Y}: {p.get_outcome_display().lower()}"
        if p.ended_without_steps_reason:
            ended += f"; {actor} recorded why without the reintegration steps: {p.ended_without_steps_reason}"
        return ended
    return f"Placement at {provider} cancelled by {actor}: {reasons}"


_EVENT_FOR_TARGET: dict[str, str] = {
    S.AWAITING_APPROVAL: CaseEvent.Kind.APPROVAL_REQUESTED,
    S.APPROVED: CaseEvent.Kind.APPROVAL_DECIDED,
    S.NOTICE_ISSUED: CaseEvent.Kind.NOTICE_ISSUED,
}


def _check_move(
    placement: Placement, target: str, approval: Approval | None, notice_summary: str, today: date, actor: User
):
    """The conditions of each move beyond the workflow table itself."""
    if target == S.AWAITING_APPROVAL:
        blockers = placement_approval_gate(placement).blockers
        if blockers:
            raise ValidationError(blockers)
    if target == S.APPROVED:
        if approval is None or approval.status != Approval.Status.APPROVED:
            raise ValidationError("A placement is approved only by the headteacher's decision in the inbox.")
        gate = placement_approval_gate(placement)
        blockers = [
            *(gate.clearance.missing if gate.clearance else []),
            *filter(None, [gate.threshold_warning, gate.parents, gate.suitability]),
        ]
        if blockers:
            raise ValidationError(["This placement cannot be approved now:", *blockers])
    if target == S.NOTICE_ISSUED and not notice_summary:
        raise ValidationError("The notice is issued from the parent notice page.")
    if target == S.ACTIVE:
        if placement.status == S.APPROVED and placement.notice_required:
            raise ValidationError("Issue the parent notice before the placement starts.")
        if placement.start_date is None:
            raise ValidationError("Set the first day before recording the start.")
        if placement.start_date > today:
            raise ValidationError(f"The placement starts on {placement.start_date:%d/%m/%Y}; record the start then.")
        other = placement_clash(placement)
        if other is not None:
            raise ValidationError(clash_message(placement, other))
    if target == S.ENDED:
        _check_ending(placement, today, actor)


def _check_ending(placement: Placement, today: date, actor: User) -> None:
    errors = placement_end_errors(
        placement,
        outcome=placement.outcome,
        actual_end_date=placement.actual_end_date,
        ended_without_steps_reason=placement.ended_without_steps_reason,
        actor=actor,
        today=today,
    )
    if errors:
        raise ValidationError(errors)
    if not missing_before_end(placement, placement.outcome):
        placement.ended_without_steps_reason = ""


def placement_end_errors(
    placement: Placement,
    *,
    outcome: str,
    actual_end_date: date | None,
    ended_without_steps_reason: str,
    actor: User,
    today: date,
) -> dict[str, list[str]]:
    """What stops the placement ending so, by field. The end form asks it too, so its page names
    these beside any other mistake instead of one submission later."""
    errors: dict[str, list[str]] = {}
    if not outcome:
        errors["outcome"] = ["Choose the outcome."]
    if actual_end_date is None:
        errors["actual_end_date"] = ["Give the last day the pupil attended the placement."]
    elif actual_end_date > today:
        errors["actual_end_date"] = ["Record the end on or after the last day."]
    # The school's AP policy: the return follows an agreed plan and a final report, unless the
    # headteacher records why not (docs/policy-steps.md).
    missing = missing_before_end(placement, outcome) if outcome else []
    if missing and not ended_without_steps_reason.strip():
        errors.setdefault("outcome", []).extend(
            [*missing, "Complete them first, or the headteacher records why the pupil returns without them."]
        )
    elif missing and not actor.has_perm("pupils.decide_approval", placement):
        errors["ended_without_steps_reason"] = [
            "Only the headteacher can end the placement without them; ask them to record the end."
        ]
    return errors


@transaction.atomic
def placement_transition(
    *,
    placement: Placement,
    target: str,
    actor: User,
    reasons: str = "",
    outcome: str = "",
    outcome_notes: str = "",
    actual_end_date: date | None = None,
    occurred_at: datetime | None = None,
    approval: Approval | None = None,
    notice_summary: str = "",
    ended_without_steps_reason: str = "",
) -> Placement:
    """Move a placement along PLACEMENT_WORKFLOW and record the step in the pupil's chronology.

    Approving or declining happens only through the headteacher's decision on the approval
    (approval_decide -> placement_on_approval_decided, which passes it in); the notice only through
    parent_notice_issue (which passes its summary in).
    """
    placement = _locked(placement)
    previous = placement.status
    transition = PLACEMENT_WORKFLOW.get(previous, target, S.choices)
    if transition.perm is not None and not actor.has_perm(transition.perm, placement):
        raise PermissionDenied(f"Your role cannot {transition.label.lower()}.")
    reasons = reasons.strip()
    if target == S.CANCELLED and not reasons:
        raise ValidationError({"reasons": "Say why the placement is cancelled."})
    if target == S.PLANNED and approval is None and not actor.has_perm("placements.change_placement", placement):
        raise PermissionDenied("Only the SENDCo or headteacher withdraws a request for approval.")
    if target == S.ENDED:
        placement.outcome, placement.outcome_notes = outcome, outcome_notes.strip()
        placement.actual_end_date = actual_end_date
        placement.ended_without_steps_reason = ended_without_steps_reason.strip()
    _check_move(placement, target, approval, notice_summary, timezone.localdate(), actor)
    PLACEMENT_WORKFLOW.apply(obj=placement, target=target, actor=actor)
    if target == S.CANCELLED:
        placement.cancellation_reason = reasons
    save_tracked(placement, actor)
    if target == S.CANCELLED:
        _withdraw_departure(placement, actor, "The placement was cancelled.")
        _referral_waits_again(placement, actor, occurred_at)
    if target == S.AWAITING_APPROVAL:
        _request_approval(placement, actor, occurred_at)
    if previous == S.AWAITING_APPROVAL and approval is None:
        _withdraw_pending(placement, actor, reasons or f"{placement.get_status_display()} by {actor}")
    kind = _EVENT_FOR_TARGET.get(target, CaseEvent.Kind.PLACEMENT_STATUS)
    if target == S.PLANNED and approval is not None:
        kind = CaseEvent.Kind.APPROVAL_DECIDED
    summary = notice_summary or _summary(placement, actor, reasons, approval)
    placement_step(placement, kind, summary, actor, occurred_at)
    if target == S.ENDED:
        _withdraw_pending_extension(placement, actor, "the placement has ended", occurred_at)
    if target in (S.ACTIVE, S.ENDED):
        _tell_schedule_listeners(placement, actor)
    return placement


def _locked(placement: Placement) -> Placement:
    """Re-read the placement under a row lock, so two moves at once cannot both succeed."""
    return (
        Placement.objects.select_for_update(of=("self",))
        .select_related("pupil__school", "provider", "site", "school")
        .get(pk=placement.pk)
    )


def _request_approval(placement: Placement, actor: User, occurred_at: datetime | None) -> None:
    approval_request(
        subject=placement,
        kind=PLACEMENT_APPROVAL,
        pupil=placement.pupil,
        actor=actor,
        summary=f"{placement.pupil.display_name}: placement at {placement.provider.name}",
        cost=placement.estimated_cost,
        occurred_at=occurred_at,
    )


def _withdraw_pending(placement: Placement, actor: User, reasons: str) -> None:
    pending = Approval.objects.filter(
        kind=PLACEMENT_APPROVAL, object_id=placement.pk, status=Approval.Status.PENDING
    ).first()
    if pending is not None:
        approval_withdraw(approval=pending, actor=actor, reasons=reasons)


def _earliest_first_day(placement: Placement, today: date) -> date:
    """A direction's notice must reach the parents two school days before the first day (reg 3)."""
    if not placement.notice_required:
        return today
    try:
        return calendar_for(placement).add_school_days(today, NOTICE_SCHOOL_DAYS)
    except CalendarGap as gap:
        raise _gap_error("new_start_date", gap) from None


@transaction.atomic
def placement_late_start_settle(
    *, actor: User, placement: Placement, new_start_date: date | None = None, late_reason: str = ""
) -> str:
    """The headteacher approves a placement whose first day has passed: with a new first day (the
    length in school days is kept and the last day worked out again on the term calendar), or with
    the reason it is approved as it is. Returns the sentence the decision records. Called inside
    approval_decide, whose lock on the approval keeps a second decision out."""
    before, late_reason = placement.start_date, late_reason.strip()
    if new_start_date is None:
        if not late_reason:
            raise ValidationError({"late_reason": "Give a new first day, or the reason to approve it as it is."})
        summary = f"The first day ({before:%d/%m/%Y}) had passed when {actor} approved the placement: {late_reason}"
        placement_step(placement, CaseEvent.Kind.PLACEMENT_STATUS, summary, actor)
        return f"First day {before:%d/%m/%Y} had passed: {late_reason}"
    today = timezone.localdate()
    earliest = _earliest_first_day(placement, today)
    if new_start_date < earliest:
        why = "the notice needs two school days" if placement.notice_required else "it cannot be in the past"
        raise ValidationError({"new_start_date": f"The new first day must be {earliest:%d/%m/%Y} or later: {why}."})
    placement.start_date = new_start_date
    try:
        _settle(placement, None, placement.school_days)
        placement.full_clean(validate_unique=False, validate_constraints=False)
    except ValidationError as error:
        problems = error.message_dict if hasattr(error, "error_dict") else {"": error.messages}
        raise ValidationError({"new_start_date": [m for field in problems.values() for m in field]}) from None
    save_tracked(placement, actor)
    summary = (
        f"First day moved from {before:%d/%m/%Y} to {new_start_date:%d/%m/%Y} (last day "
        f"{placement.planned_end_date:%d/%m/%Y}) by {actor} when approving the placement"
    )
    placement_step(placement, CaseEvent.Kind.PLACEMENT_STATUS, summary, actor)
    note = f"First day moved from {before:%d/%m/%Y} to {new_start_date:%d/%m/%Y}."
    return f"{note} {late_reason}" if late_reason else note


def placement_on_approval_decided(approval: Approval, actor: User) -> None:
    """on_decided for "placement": approved, or declined back to planning with the head's reasons."""
    target = S.APPROVED if approval.status == Approval.Status.APPROVED else S.PLANNED
    placement = approval.subject
    assert isinstance(placement, Placement)  # the "placement" kind is about a placement
    placement_transition(
        placement=placement,
        target=target,
        actor=actor,
        reasons=approval.reasons,
        occurred_at=approval.decided_at,
        approval=approval,
    )


# --- Extensions ---------------------------------------------------------------------------------


def _check_no_pending_extension(placement: Placement) -> None:
    pending = placement_pending_extension(placement)
    if pending is not None:
        raise ValidationError(
            {
                "planned_end_date": f"An extension to {pending.requested_end_date:%d/%m/%Y} is already waiting for "
                "the headteacher's decision. The last day can change again once they have decided."
            }
        )


def _difference(after: Decimal | None, before: Decimal | None) -> Decimal | None:
    return None if after is None or before is None else after - before


def _request_extension(placement: Placement, proposed: Placement, actor: User, reason: str) -> PlacementExtension:
    """Ask the headteacher to approve a later last day: `proposed` is the placement as it would be."""
    reason = reason.strip()
    if not reason:
        raise ValidationError(
            {"extension_reason": "Say why the placement needs longer: the headteacher approves the extension."}
        )
    proposed.full_clean(validate_unique=False, validate_constraints=False)  # e.g. past the maximum period
    # Only a placement with a last day is extended, to a later last day: both lengths are known.
    assert placement.planned_end_date is not None and proposed.planned_end_date is not None
    assert placement.school_days is not None and proposed.school_days is not None
    extension = PlacementExtension(
        placement=placement,
        current_end_date=placement.planned_end_date,
        requested_end_date=proposed.planned_end_date,
        school_days=proposed.school_days,
        extra_school_days=proposed.school_days - placement.school_days,
        extra_cost=_difference(proposed.estimated_cost, placement.estimated_cost),
        reason=reason,
        requested_by=actor,
    )
    save_tracked(extension, actor)
    until = f"{extension.requested_end_date:%d/%m/%Y}"
    approval_request(
        subject=extension,
        kind=PLACEMENT_EXTENSION_APPROVAL,
        pupil=placement.pupil,
        actor=actor,
        summary=f"{placement.pupil.display_name}: extend the placement at {placement.provider.name} to {until}",
        cost=extension.extra_cost,
    )
    cost = f", about £{extension.extra_cost:,.2f} more" if extension.extra_cost is not None else ""
    summary = (
        f"Extension of the placement at {placement.provider.name} to {until} ({extension.extra_school_days} more "
        f"school days{cost}) sent to the headteacher for approval by {actor}"
    )
    placement_step(placement, CaseEvent.Kind.APPROVAL_REQUESTED, summary, actor)
    return extension


def placement_extension_on_approval_decided(approval: Approval, actor: User) -> None:
    """on_decided for "placement_extension": approved, the new last day applies (and the reviews
    follow it); declined, the placement keeps its dates. Either way a step in the chronology."""
    extension = PlacementExtension.objects.select_for_update().get(pk=approval.object_id)
    placement = _locked(extension.placement)
    provider, until = placement.provider.name, f"{extension.requested_end_date:%d/%m/%Y}"
    before = placement.planned_end_date
    if approval.status != Approval.Status.APPROVED:
        extension.status = X.DECLINED
        save_tracked(extension, actor)
        summary = (
            f"{actor} declined extending the placement at {provider} to {until}; it still ends on "
            f"{before:%d/%m/%Y}: {approval.reasons}"
        )
        placement_step(placement, CaseEvent.Kind.APPROVAL_DECIDED, summary, actor, approval.decided_at)
        return
    if not placement.is_in_force:
        raise ValidationError(f"This placement is {placement.get_status_display().lower()}; it cannot be extended.")
    _settle(placement, extension.requested_end_date, None)
    save_tracked(placement, actor)
    extension.status = X.APPROVED
    save_tracked(extension, actor)
    summary = (
        f"{actor} approved extending the placement at {provider}: planned last day changed from "
        f"{before:%d/%m/%Y} to {until} ({placement.school_days} school days)"
    )
    placement_step(placement, CaseEvent.Kind.APPROVAL_DECIDED, summary, actor, approval.decided_at)
    if placement.is_running:
        _tell_schedule_listeners(placement, actor)


@transaction.atomic
def placement_extension_withdraw(*, placement: Placement, actor: User, reasons: str) -> Placement:
    """The SENDCo or head takes back an extension still waiting for the headteacher (asked for by
    mistake, or no longer needed); the placement keeps its last day. The caller checks the actor."""
    reasons = reasons.strip()
    if not reasons:
        raise ValidationError({"reasons": "Say why the request is withdrawn: the headteacher and the record see it."})
    placement = _locked(placement)
    if _withdraw_pending_extension(placement, actor, f"{reasons.rstrip('.')} ({actor})") is None:
        raise ValidationError("No extension of this placement is waiting for the headteacher's decision.")
    return placement


def _withdraw_pending_extension(
    placement: Placement, actor: User, reasons: str, occurred_at: datetime | None = None
) -> PlacementExtension | None:
    """Take back the extension still waiting for the headteacher, if there is one (the placement
    ended, or the SENDCo withdrew it); None when nothing was waiting."""
    extension = placement_pending_extension(placement)
    if extension is None:
        return None
    extension.status = X.WITHDRAWN
    save_tracked(extension, actor)
    pending = Approval.objects.filter(
        kind=PLACEMENT_EXTENSION_APPROVAL, object_id=extension.pk, status=Approval.Status.PENDING
    ).first()
    if pending is not None:
        approval_withdraw(approval=pending, actor=actor, reasons=f"Withdrawn: {reasons}.")
    summary = f"Request to extend the placement to {extension.requested_end_date:%d/%m/%Y} withdrawn: {reasons}"
    placement_step(placement, CaseEvent.Kind.PLACEMENT_STATUS, summary, actor, occurred_at)
    return extension
