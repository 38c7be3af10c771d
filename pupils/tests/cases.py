"""Referrals taken to a given status through the real services, for tests at every step."""

from __future__ import annotations

from dataclasses import replace

from pupils.models import ParentMeeting, Pupil, Referral
from pupils.services import (
    ParentMeetingDetails,
    ReferralDetails,
    parent_meeting_record,
    referral_create,
    referral_review_save,
    referral_transition,
)

S = Referral.Status
PATH: list[str] = [S.DRAFT, S.SUBMITTED, S.UNDER_REVIEW, S.AWAITING_APPROVAL]


def referral_at(
    status: str,
    *,
    pupil: Pupil,
    teacher,
    sendco,
    recommendation: str = Referral.Recommendation.INTERNAL_AP,
    **fields,
) -> Referral:
    """A referral raised by teacher and, as far as status needs, reviewed by sendco."""
    referral = referral_create(
        actor=teacher,
        pupil=pupil,
        details=ReferralDetails(criteria=["disruptive"], concern="Daily incidents.", **fields),
    )
    for target in PATH[1 : PATH.index(status) + 1]:
        if target == S.AWAITING_APPROVAL:
            review(referral, sendco, recommendation)
        actor = teacher if target == S.SUBMITTED else sendco
        referral = referral_transition(referral=referral, target=target, actor=actor)
    return referral


def review(referral: Referral, sendco, recommendation: str) -> Referral:
    needs_meeting = recommendation in (Referral.Recommendation.OFFSITE_AP, Referral.Recommendation.MANAGED_MOVE)
    if needs_meeting:
        meet(referral, sendco)
    return referral_review_save(
        actor=sendco,
        referral=referral,
        recommendation=recommendation,
        recommendation_reasons="Best for the pupil now.",
    )


def meet(referral: Referral, actor, agreement: str = ParentMeeting.Agreement.AGREE, **fields) -> ParentMeeting:
    from django.utils import timezone

    defaults = ParentMeetingDetails(
        held_at=timezone.now(),
        attendees="Mum, SENDCo",
        explained="Why a placement is being considered.",
        parents_views="Supportive.",
        agreement=agreement,
    )
    return parent_meeting_record(actor=actor, referral=referral, details=replace(defaults, **fields))
