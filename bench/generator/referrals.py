"""Cause for Concern referrals at every status, with the parents' meetings, the headteacher's
approvals and each step in the pupil's chronology, worded as the referral services word them.

Every placement that follows a referral gets an approved one, decided a few days before the
placement was planned; other pupils' referrals stop at the status their plan gives."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from apcase.history import history_stamp
from apcase.models import Role, User
from bench import texts
from bench.generator.base import BenchSchool, Build, PupilPlan
from pupils.models import Approval, CaseEvent, ParentMeeting, Referral
from pupils.services import REFER_TO_AP

S, Rec, K = Referral.Status, Referral.Recommendation, CaseEvent.Kind
REVIEWED = (S.AWAITING_APPROVAL, S.APPROVED, S.DECLINED)
OPEN_SINCE_DAYS = 25  # an open referral was raised within the last few weeks


@dataclass
class _Steps:
    """When each step of one referral happened."""

    raised: datetime
    submitted: datetime
    reviewed: datetime
    met: datetime
    asked: datetime
    decided: datetime

    @classmethod
    def ending_on(cls, build: Build, last_step: datetime, status: str) -> _Steps:
        """Steps a few days apart whose last one for `status` is at `last_step`."""
        gaps = [timedelta(days=build.rng.randrange(1, 4), hours=build.rng.randrange(0, 3)) for _ in range(4)]
        offset = {
            S.DRAFT: 0,
            S.SUBMITTED: 0,
            S.WITHDRAWN: 2,  # withdrawn at the "met" step
            S.UNDER_REVIEW: 1,
            S.AWAITING_APPROVAL: 3,
            S.APPROVED: 4,
            S.DECLINED: 4,
        }[S(status)]
        raised = last_step - sum(gaps[:offset], timedelta())
        moments = [raised]
        for gap in gaps:
            moments.append(moments[-1] + gap)
        return cls(raised, raised + timedelta(minutes=5), *moments[1:])


@dataclass
class _Pending:
    """Rows that need the referral's primary key, made once the referrals are in."""

    meetings: list[ParentMeeting] = field(default_factory=list)
    approvals: list[tuple[Referral, Approval]] = field(default_factory=list)


def create_referrals(build: Build) -> None:
    referrals, pending = [], _Pending()
    for bs in build.schools:
        for plan in bs.plans:
            referral = _referral_for(build, bs, plan, pending)
            if referral is not None:
                referrals.append(referral)
    build.insert(Referral, referrals)
    build.insert(ParentMeeting, pending.meetings)
    content_type = ContentType.objects.get_for_model(Referral)
    for referral, approval in pending.approvals:
        approval.content_type, approval.object_id = content_type, referral.pk
    build.insert(Approval, [approval for _referral, approval in pending.approvals])


def _referral_for(build: Build, bs: BenchSchool, plan: PupilPlan, pending: _Pending) -> Referral | None:
    shape = plan.shape
    status: str
    if shape is not None and shape.from_referral:
        assert shape.planned_at is not None  # shaped before the referrals
        status = S.APPROVED
        recommendation = Rec.OFFSITE_AP if shape.offsite else Rec.INTERNAL_AP
        last_step = shape.planned_at - timedelta(days=build.rng.randrange(1, 6), hours=3)
    elif plan.referral_status:
        status = plan.referral_status
        choices = {Rec.OFFSITE_AP: 4, Rec.INTERNAL_AP: 3}
        if status != S.APPROVED:  # an approved referral without a placement is waiting for one
            choices |= {Rec.MANAGED_MOVE: 1, Rec.NO_AP: 1}
        recommendation = build.pick(choices)
        last_step = _last_step(build, bs, status)
    else:
        return None
    steps = _Steps.ending_on(build, last_step, status)
    referral = _referral(build, bs, plan, status, recommendation, steps)
    if shape is not None:
        bs.approved_referrals[plan.pupil.public_id] = referral
    _record_steps(build, bs, referral, steps, pending)
    return referral


def _last_step(build: Build, bs: BenchSchool, status: str) -> datetime:
    """Open referrals moved recently; decided and withdrawn ones at any time in the year."""
    last = build.last_school_day(bs)
    if status in (S.DECLINED, S.WITHDRAWN, S.APPROVED):
        first = bs.school_days[0] + timedelta(days=14)
    else:
        first = last - timedelta(days=OPEN_SINCE_DAYS)
    return build.at(build.school_day_between(bs, first, last), build.rng.randrange(9, 16))


def _referral(
    build: Build, bs: BenchSchool, plan: PupilPlan, status: str, recommendation: str, steps: _Steps
) -> Referral:
    rng, teacher = build.rng, bs.staff[Role.TEACHER]
    raised_by = build.pick({teacher: 70, bs.staff[Role.SENDCO]: 20, bs.staff[Role.HEAD]: 10})
    reviewed = status in (*REVIEWED, S.UNDER_REVIEW) or (status == S.WITHDRAWN and build.chance(0.5))
    decided = status in REVIEWED
    referral = Referral(
        public_id=build.uuid(),
        school=bs.school,
        pupil=plan.pupil,
        raised_by=raised_by,
        raised_at=steps.raised,
        status=status,
        submitted_at=steps.submitted if status != S.DRAFT else None,
        criteria=rng.sample(Referral.Criterion.values, rng.randrange(1, 3)),
        reasons=rng.sample(Referral.Reason.values, rng.randrange(1, 4)),
        suspensions_this_year=rng.choice((0, 0, 1, 2)),
        concern=rng.choice(texts.CONCERNS),
        strategies_tried=rng.choice(texts.STRATEGIES),
        tried_for_weeks=rng.randrange(3, 13),
        evidence="Behaviour log and attendance summary for this half-term.",
        parents_informed=True,
        parents_informed_notes="Phoned mum the same day.",
        safeguarding_concern=build.chance(0.1),
        background="Spoke to the class teacher, the pastoral lead and last year's teacher." if reviewed else "",
        staff_consulted="Class teacher, pastoral lead, DSL" if reviewed else "",
        avenues_considered=[Referral.Avenue.IN_CLASS, Referral.Avenue.SEND_HUB] if decided else [],
        recommendation=recommendation if decided else "",
        recommendation_reasons="Support in class has not been enough; a smaller setting is needed for now."
        if decided
        else "",
        withdrawal_reason="The family moved out of the area." if status == S.WITHDRAWN else "",
    )
    return build.stamped(referral, steps.raised, raised_by)


def _url(referral: Referral) -> str:
    return reverse("referrals:detail", kwargs={"public_id": referral.public_id})


def _record_steps(build: Build, bs: BenchSchool, referral: Referral, steps: _Steps, pending: _Pending) -> None:
    """The chronology, the meeting and the approval of one referral, as far as its status goes."""
    sendco, head = bs.staff[Role.SENDCO], bs.staff[Role.HEAD]
    status, pupil, link, author = referral.status, referral.pupil, _url(referral), referral.raised_by
    build.event(pupil, K.REFERRAL_RAISED, f"Cause for Concern started by {author}", author, steps.raised, link)
    if status == S.DRAFT:
        return
    summary = f"Cause for Concern submitted to the SENDCo by {author}"
    build.event(pupil, K.REFERRAL_SUBMITTED, summary, author, steps.submitted, link)
    build.notify(
        sendco,
        f"Cause for Concern for {pupil.initials} to review",
        link,
        "referral_submitted",
        steps.submitted,
        bs.school,
    )
    if status == S.SUBMITTED:
        return
    if referral.background:
        build.event(pupil, K.REFERRAL_REVIEWED, f"Review started by {sendco}", sendco, steps.reviewed, link)
    if status == S.WITHDRAWN:
        summary = f"Referral withdrawn by {sendco}: {referral.withdrawal_reason}"
        build.event(pupil, K.REFERRAL_WITHDRAWN, summary, sendco, steps.met, link)
        return
    if status == S.UNDER_REVIEW:
        return
    _meeting(build, referral, sendco, steps.met, pending)
    recommendation = referral.get_recommendation_display()
    summary = f"Recommendation “{recommendation}” sent to the headteacher by {sendco}"
    build.approval_requested(bs, pupil, REFER_TO_AP, summary, steps.asked, link)
    approval = Approval(
        public_id=build.uuid(),
        school=bs.school,
        kind=REFER_TO_AP,
        pupil=pupil,
        summary=f"{pupil.display_name}: {recommendation}",
        requested_by=sendco,
        requested_at=steps.asked,
    )
    if status != S.AWAITING_APPROVAL:
        approve = status == S.APPROVED
        approval.status = Approval.Status.APPROVED if approve else Approval.Status.DECLINED
        approval.decided_by, approval.decided_at = head, steps.decided
        approval.reasons = "" if approve else "Try the SEND hub's outreach support for a half-term first."
        verb = "approved" if approve else "declined"
        reasons = "" if approve else f": {approval.reasons}"
        build.event(
            pupil,
            K.APPROVAL_DECIDED,
            f"{head} {verb} the recommendation “{recommendation}”{reasons}",
            head,
            steps.decided,
            link,
        )
    history_stamp(approval, user=approval.decided_by or sendco, date=approval.decided_at or steps.asked)
    pending.approvals.append((referral, approval))


def _meeting(build: Build, referral: Referral, sendco: User, held_at: datetime, pending: _Pending) -> None:
    """The meeting with the parents before the head decides (every reviewed referral here has one)."""
    instead_of_exclusion = Referral.Reason.EXCLUSION_RISK in referral.reasons
    meeting = ParentMeeting(
        public_id=build.uuid(),
        referral=referral,
        held_at=held_at,
        attendees="Mum\nSENDCo\nClass teacher",
        explained="Why AP is being considered, what the provision offers and how the return to class is planned.",
        alternative_to_exclusion=instead_of_exclusion,
        made_clear_to_parents=instead_of_exclusion,
        parents_views="Worried about the journey but keen for a fresh start; asked for weekly updates.",
        agreement=ParentMeeting.Agreement.AGREE,
        recorded_by=sendco,
    )
    pending.meetings.append(build.stamped(meeting, held_at, sendco))
    summary = f"Meeting with parents or carers: {meeting.get_agreement_display().lower()}"
    if instead_of_exclusion:
        summary += " (AP offered as an alternative to permanent exclusion)"
    build.event(referral.pupil, K.PARENT_MEETING, summary, sendco, held_at, _url(referral))
