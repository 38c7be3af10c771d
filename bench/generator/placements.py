"""Placements at every status from their shapes: the plan as the SENDCo fills it in, the
headteacher's approvals, the parent notices of off-site directions, and each status step in the
pupil's chronology, worded as the placement services word them."""

from __future__ import annotations

from datetime import time, timedelta
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType

from apcase.history import history_stamp
from apcase.models import Document, Role
from bench import texts
from bench.generator.base import BenchSchool, Build, PupilPlan
from bench.generator.shapes import STARTED, PlacementShape
from placements.models import ParentNotice, Placement
from placements.notice import TITLE, notice_deadline, notice_facts, notice_recipients
from placements.schedule import days_at_provision, expected_sessions, school_days_in
from placements.services.placements import PLACEMENT_APPROVAL
from pupils.models import Approval, CaseEvent

S, K = Placement.Status, CaseEvent.Kind
NOTICE_STATUSES = (S.NOTICE_ISSUED, *STARTED)
OUTCOMES = {
    Placement.Outcome.REINTEGRATED: 60,
    Placement.Outcome.MOVED_PROVIDER: 10,
    Placement.Outcome.SPECIAL_SCHOOL: 10,
    Placement.Outcome.MANAGED_MOVE: 5,
    Placement.Outcome.PERMANENT_EXCLUSION: 5,
    Placement.Outcome.OTHER: 10,
}


def build_placements(build: Build) -> list[tuple[BenchSchool, Placement, PlacementShape]]:
    """The placements of every plan with a shape, not yet written (attendance is planned first).
    Every school has at least one return to class (the reviews stage follows it up with check-ins)."""
    made = [(bs, _placement(build, bs, plan), plan.shape) for bs in build.schools for plan in bs.plans if plan.shape]
    for bs in build.schools:
        ended = [placement for school, placement, _shape in made if school is bs and placement.status == S.ENDED]
        if ended and not any(placement.outcome == Placement.Outcome.REINTEGRATED for placement in ended):
            ended[0].outcome = Placement.Outcome.REINTEGRATED
    return made


def write_placements(build: Build, made: list[tuple[BenchSchool, Placement, PlacementShape]]) -> None:
    build.insert(Placement, [placement for _bs, placement, _shape in made])
    content_type = ContentType.objects.get_for_model(Placement)
    approvals, documents, notices = [], [], []
    for bs, placement, shape in made:
        _status_steps(build, bs, placement, shape)
        if shape.asked_at:
            approvals.append(_approval(build, bs, placement, shape, content_type))
        if placement.directed_off_site and placement.status in NOTICE_STATUSES:
            notice = _notice(build, bs, placement, shape)
            documents.append(notice.document)
            notices.append(notice)
    build.insert(Approval, approvals)
    build.insert(Document, documents)
    build.insert(ParentNotice, notices)


def _placement(build: Build, bs: BenchSchool, plan: PupilPlan) -> Placement:
    rng, shape, sendco = build.rng, plan.shape, bs.staff[Role.SENDCO]
    assert shape is not None and shape.planned_at is not None  # a placement's plan, dated by shape_placements()
    provider, offsite = shape.provider, shape.offsite
    referral = bs.approved_referrals.get(plan.pupil.public_id) if shape.from_referral else None
    by_day = build.chance(0.6)
    placement = Placement(
        public_id=build.uuid(),
        school=bs.school,
        pupil=plan.pupil,
        referral=referral,
        no_referral_reason="" if referral else "Provision from the sixth day of a suspension.",
        status=shape.status,
        provider=provider,
        site=bs.main_site.get(provider.public_id),
        kind=provider.kind,
        directed_off_site=shape.directed,
        census_reason=_census_reason(build, shape, referral is not None) if offsite else "",
        reasons=rng.choice(texts.REASONS),
        pattern=shape.pattern,
        timetable=shape.timetable,
        sessions_per_week=len(shape.timetable),
        start_date=shape.start,
        start_time=time(9, 15),
        planned_end_date=shape.planned_end,
        maximum_end_date=shape.planned_end + timedelta(days=90) if shape.planned_end else None,
        objectives=rng.choice(texts.OBJECTIVES),
        intervention="Small-group teaching with a therapeutic key worker; daily regulation sessions.",
        reintegration_intention="Back to class full time through a graduated return timetable.",
        timeline="Half-termly reviews with the provider; a decision on the return at the termly review.",
        first_day_contact=f"{provider.contact_name}, {provider.contact_role}" if offsite else provider.lead_staff_name,
        day_starts=time(9, 15),
        break_starts=time(12, 0),
        break_ends=time(13, 0),
        day_ends=time(15, 0),
        what_to_bring="A packed lunch and a coat. No mobile phones.",
        transport="A taxi arranged and paid for by the school collects from home at 8:40." if offsite else "",
        reporting_arrangements="The provider phones the school office by 9:30 about any absence.",
        school_contact=sendco,
        cost_unit=(Placement.CostUnit.DAY if by_day else Placement.CostUnit.SESSION) if offsite else "",
        cost_rate=(provider.cost_per_day if by_day else provider.cost_per_session) if offsite else None,
        funding_source=build.pick({"school": 6, "high_needs": 2, "pupil_premium": 2}) if offsite else "",
        baseline_attendance=Decimal(rng.randrange(600, 930)) / 10,
        baseline_note="The half-term before the placement, from the MIS.",
        created_by=sendco,
    )
    if placement.start_date and placement.planned_end_date:
        placement.school_days = school_days_in(bs.calendar, placement.start_date, placement.planned_end_date)
        placement.estimated_cost = _estimate(placement, bs)
    if shape.status == S.ENDED:
        placement.outcome = build.pick(OUTCOMES)
        placement.outcome_notes = "Final report and the pupil's views are filed with the placement."
        placement.actual_end_date = shape.actual_end
    if shape.status == S.CANCELLED:
        placement.cancellation_reason = "The suspension was withdrawn after the governors' meeting."
    return build.stamped(placement, shape.planned_at, sendco)


def _census_reason(build: Build, shape: PlacementShape, from_referral: bool) -> str:
    Reason = Placement.CensusReason
    if shape.directed:
        return Reason.OFF_SITE_DIRECTION
    if not from_referral:
        return Reason.SUSPENSION
    return build.pick({Reason.EXCLUSION_RISK: 4, Reason.MENTAL_HEALTH: 3, Reason.SEN: 3})


def _estimate(placement: Placement, bs: BenchSchool) -> Decimal | None:
    """The rate times the sessions (or days) at the provision over the planned period, as planned."""
    if placement.cost_rate is None:
        return None
    if placement.cost_unit == Placement.CostUnit.SESSION:
        assert placement.start_date and placement.planned_end_date  # estimated only once both are set
        units = len(expected_sessions(placement, bs.calendar, placement.start_date, placement.planned_end_date))
    else:
        units = days_at_provision(placement, bs.calendar)
    return placement.cost_rate * units


def _status_steps(build: Build, bs: BenchSchool, placement: Placement, shape: PlacementShape) -> None:
    sendco, head = bs.staff[Role.SENDCO], bs.staff[Role.HEAD]
    assert shape.planned_at is not None  # dated by shape_placements()
    pupil, link, provider = placement.pupil, placement.get_absolute_url(), placement.provider.name
    start = f" from {placement.start_date:%d/%m/%Y}" if placement.start_date else ""
    build.event(
        pupil,
        K.PLACEMENT_CREATED,
        f"Placement at {provider}{start} planned by {sendco}",
        sendco,
        shape.planned_at,
        link,
    )
    if shape.asked_at:
        cost = f" (about £{placement.estimated_cost:,.2f})" if placement.estimated_cost is not None else ""
        summary = f"Placement at {provider}{cost} sent to the headteacher for approval by {sendco}"
        build.approval_requested(bs, pupil, PLACEMENT_APPROVAL, summary, shape.asked_at, link)
    if shape.decided_at:
        build.event(
            pupil, K.APPROVAL_DECIDED, f"{head} approved the placement at {provider}", head, shape.decided_at, link
        )
    if shape.cancelled_at:
        summary = f"Placement at {provider} cancelled by {sendco}: {placement.cancellation_reason}"
        build.event(pupil, K.PLACEMENT_STATUS, summary, sendco, shape.cancelled_at, link)
    if placement.status in STARTED:
        assert shape.start is not None  # started
        build.event(
            pupil, K.PLACEMENT_STATUS, f"Placement at {provider} started", sendco, build.at(shape.start, 9, 30), link
        )
    if shape.ending_at:
        summary = f"Ending of the placement at {provider} being planned by {sendco}"
        build.event(pupil, K.PLACEMENT_STATUS, summary, sendco, shape.ending_at, link)
    if placement.status == S.ENDED:
        assert placement.actual_end_date is not None  # ended
        ended = f"ended on {placement.actual_end_date:%d/%m/%Y}: {placement.get_outcome_display().lower()}"
        when = build.at(placement.actual_end_date, 15)
        build.event(pupil, K.PLACEMENT_STATUS, f"Placement at {provider} {ended}", sendco, when, link)


def _approval(build: Build, bs: BenchSchool, placement: Placement, shape: PlacementShape, content_type) -> Approval:
    sendco, head = bs.staff[Role.SENDCO], bs.staff[Role.HEAD]
    assert shape.asked_at is not None  # only a placement sent for approval has one
    approval = Approval(
        public_id=build.uuid(),
        school=bs.school,
        kind=PLACEMENT_APPROVAL,
        content_type=content_type,
        object_id=placement.pk,
        pupil=placement.pupil,
        summary=f"{placement.pupil.display_name}: placement at {placement.provider.name}",
        cost=placement.estimated_cost,
        requested_by=sendco,
        requested_at=shape.asked_at,
    )
    if shape.decided_at:
        approval.status, approval.decided_by, approval.decided_at = Approval.Status.APPROVED, head, shape.decided_at
    elif shape.cancelled_at:
        approval.status, approval.decided_by, approval.decided_at = (
            Approval.Status.WITHDRAWN,
            sendco,
            shape.cancelled_at,
        )
        approval.reasons = placement.cancellation_reason
    history_stamp(approval, user=approval.decided_by or sendco, date=approval.decided_at or approval.requested_at)
    return approval


def _notice(build: Build, bs: BenchSchool, placement: Placement, shape: PlacementShape) -> ParentNotice:
    """Served on time, between the head's approval and two school days before the first day; one in
    twenty late, the day before, with the reason."""
    sendco, calendar = bs.staff[Role.SENDCO], bs.calendar
    # A notice follows the head's approval of a placement with a first day, in a school with terms.
    assert shape.decided_at is not None and placement.start_date is not None and calendar.first_day is not None
    deadline = notice_deadline(placement)
    latest = min(deadline, build.last_school_day(bs))
    # (a placement starting early in the year was approved in the summer, before the term dates begin)
    after_approval = calendar.school_day_on_or_after(
        max(shape.decided_at.date() + timedelta(days=1), calendar.first_day)
    )
    issued_on = max(calendar.add_school_days(latest, -build.rng.randrange(0, 3)), after_approval)
    is_late = False
    day_before = calendar.add_school_days(placement.start_date, -1)
    if build.chance(0.05) and day_before <= build.last_school_day(bs):
        issued_on, is_late = day_before, True
    issued_on = min(issued_on, build.last_school_day(bs))
    issued_at = build.at(issued_on, 14)
    recipients = notice_recipients(placement)
    stored = build.placeholder()
    document = Document(
        public_id=build.uuid(),
        school=bs.school,
        kind="parent_notice",
        title=f"{TITLE}: {placement.pupil.full_name}",
        file=stored.name,
        sha256=stored.sha256,
        size=stored.size,
        created_by=sendco,
        created_at=issued_at,
    )
    method = build.pick({ParentNotice.Method.POST: 5, ParentNotice.Method.EMAIL: 3, ParentNotice.Method.HAND: 2})
    notice = ParentNotice(
        public_id=build.uuid(),
        placement=placement,
        document=build.stamped(document, issued_at, sendco),
        issued_on=issued_on,
        method=method,
        recipients=[recipient.as_json() for recipient in recipients],
        first_day=placement.start_date,
        deadline=deadline,
        is_late=is_late,
        late_reason="The provider confirmed the start date late." if is_late else "",
        stated=notice_facts(placement),
        issued_by=sendco,
        issued_at=issued_at,
    )
    count = len(recipients)
    summary = (
        f"Parent notice issued {notice.get_method_display().lower()} to {count} recipient{'s' if count != 1 else ''} "
        f"by {sendco}" + (f" — late: {notice.late_reason}" if is_late else "")
    )
    build.event(placement.pupil, K.NOTICE_ISSUED, summary, sendco, issued_at, placement.get_absolute_url())
    return build.stamped(notice, issued_at, sendco)
