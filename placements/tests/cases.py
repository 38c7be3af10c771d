"""Placements taken to a given status through the real services, for tests at every step."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, time
from decimal import Decimal

from django.utils import timezone

from audits.models import Provider
from audits.tests.factories import ProviderFactory, cleared_provider
from placements.models import Placement
from placements.notice import notice_deadline
from placements.services import (
    PlacementDetails,
    parent_agreement_record,
    parent_notice_issue,
    placement_create,
    placement_transition,
    placement_update,
    suitability_decision_record,
)
from placements.timetable import SESSION_KEYS
from pupils.models import Approval, Referral
from pupils.services import approval_decide
from pupils.tests.cases import referral_at
from pupils.tests.factories import ContactFactory, PupilFactory

S = Placement.Status
MONDAY = date(2026, 11, 30)  # a school day a week after the tests' frozen today (23/11/2026)

NOTICE_FIELDS = {
    "reasons": "Repeated disruption of lessons and two suspensions this term.",
    "objectives": "Attend every session; re-engage with English and maths; no further suspensions.",
    "start_time": time(9, 15),
    "first_day_contact": "Ms Jo Whitfield, head of centre",
    "sessions_a_day": Placement.SessionsADay.TWO,
    "day_starts": time(9, 15),
    "break_starts": time(12, 0),
    "break_ends": time(13, 0),
    "day_ends": time(15, 0),
    "what_to_bring": "PE kit on Wednesdays and a packed lunch.",
    "transport": "A taxi arranged by the school collects from home at 8:40.",
}


def approved_referral(*, pupil, teacher, sendco, head) -> Referral:
    """A Cause for Concern recommending off-site AP, approved by the head."""
    referral = referral_at(
        Referral.Status.AWAITING_APPROVAL,
        pupil=pupil,
        teacher=teacher,
        sendco=sendco,
        recommendation=Referral.Recommendation.OFFSITE_AP,
    )
    approval = Approval.objects.get(object_id=referral.pk, kind="refer_to_ap")
    approval_decide(approval=approval, actor=head, approve=True, reasons="")
    return Referral.objects.get(pk=referral.pk)


def pupil_with_parent(school, **fields):
    pupil = PupilFactory(school=school, **fields)
    ContactFactory(pupil=pupil, name="Donna Clarke", address="14 Orchard Way\nNorthbridge", postcode="ST99 1AB")
    return pupil


def offsite_provider(school, dsl, **fields) -> Provider:
    return cleared_provider(school, dsl, **fields)


def internal_provider(school, **fields) -> Provider:
    return ProviderFactory(school=school, internal=True, **fields)


def plan_fields(provider: Provider, contact, **overrides) -> dict:
    fields = {
        "site": provider.sites.first(),
        "directed_off_site": not provider.is_internal,
        "census_reason": Placement.CensusReason.OFF_SITE_DIRECTION,
        "pattern": Placement.Pattern.FULL_TIME,
        "timetable": list(SESSION_KEYS),
        "start_date": MONDAY,
        "planned_end_date": date(2026, 12, 18),
        "cost_unit": Placement.CostUnit.DAY,
        "cost_rate": Decimal("170.00"),
        "funding_source": Placement.FundingSource.SCHOOL,
        "school_contact": contact,
        **NOTICE_FIELDS,
    }
    return fields | overrides


def placement_planned(
    *,
    actor,
    pupil,
    provider: Provider,
    referral: Referral | None = None,
    no_referral_reason: str = "",
    planned_end_date: date | None = None,
    school_days: int | None = None,
    occurred_at: datetime | None = None,
    **plan,
) -> Placement:
    """placement_create with the plan given field by field, as the tests write it."""
    return placement_create(
        actor=actor,
        pupil=pupil,
        details=PlacementDetails(provider=provider, **plan),
        referral=referral,
        no_referral_reason=no_referral_reason,
        planned_end_date=planned_end_date,
        school_days=school_days,
        occurred_at=occurred_at,
    )


def placement_changed(
    *,
    actor,
    placement: Placement,
    planned_end_date: date | None = None,
    school_days: int | None = None,
    extension_reason: str = "",
    **changes,
) -> Placement:
    """placement_update with the fields named changed and the rest of the plan as it stands, as
    the placement form sends it."""
    return placement_update(
        actor=actor,
        placement=placement,
        details=replace(PlacementDetails.of(placement), **changes),
        planned_end_date=planned_end_date,
        school_days=school_days,
        extension_reason=extension_reason,
    )


PATH: list[str] = [S.PLANNED, S.AWAITING_APPROVAL, S.APPROVED, S.NOTICE_ISSUED, S.ACTIVE, S.ENDING, S.ENDED]


def placement_at(status: str, *, pupil, provider, sendco, head, **overrides) -> Placement:
    """A placement planned by sendco (without a referral) and moved through the real services."""
    placement = placement_planned(
        actor=sendco,
        pupil=pupil,
        provider=provider,
        no_referral_reason="Provision from the sixth day of a suspension.",
        **plan_fields(provider, sendco, **overrides),
    )
    if status == S.CANCELLED:
        return placement_transition(placement=placement, target=S.CANCELLED, actor=sendco, reasons="Family moved.")
    for target in PATH[1 : PATH.index(status) + 1]:
        placement = _move(placement, target, sendco, head)
    return placement


def parents_agree(placement: Placement, sendco, given_on: date | None = None) -> None:
    """The parents' agreement a placement that is not a direction needs before the head approves it."""
    parent_agreement_record(
        actor=sendco,
        placement=placement,
        response="agreed",
        given_by="Donna Clarke",
        given_on=given_on or timezone.localdate(),
        method="meeting",
    )


def judged_suitable(placement: Placement, sendco, suitable: bool = True) -> None:
    """The school's decision, for this pupil, that an off-site provision suits them (or not)."""
    suitability_decision_record(
        actor=sendco,
        placement=placement,
        suitable=suitable,
        decided_on=timezone.localdate(),
        reasons="The centre's small groups and forest school suit his needs." if suitable else "Too far from home.",
        considered="The audit's concerns, his EHC plan and a taster morning.",
    )


def _move(placement: Placement, target: str, sendco, head) -> Placement:
    if target == S.AWAITING_APPROVAL and not placement.notice_required:
        parents_agree(placement, sendco)
    if target == S.AWAITING_APPROVAL and placement.is_offsite:
        judged_suitable(placement, sendco)
    if target == S.APPROVED:
        approval = Approval.objects.get(kind="placement", object_id=placement.pk, status=Approval.Status.PENDING)
        # A test placement may start in the past: the head then records why it is approved as it is.
        late = {"late_reason": "The pupil has attended since the first day."}
        approval_decide(approval=approval, actor=head, approve=True, reasons="", answers=late)
    elif target == S.NOTICE_ISSUED:
        if not placement.notice_required:
            return placement
        issued_on = min(notice_deadline(placement), timezone.localdate())
        parent_notice_issue(actor=sendco, placement=placement, method="post", issued_on=issued_on)
    elif target == S.ENDED:
        # The reintegration plan and final report live in the reviews app: the head records why not.
        placement_transition(
            placement=placement,
            target=S.ENDED,
            actor=head,
            outcome=Placement.Outcome.REINTEGRATED,
            actual_end_date=timezone.localdate(),
            ended_without_steps_reason="The return was agreed at the final review.",
        )
    else:
        placement_transition(placement=placement, target=target, actor=sendco)
    return Placement.objects.select_related("pupil", "provider", "school").get(pk=placement.pk)


def extension_approval(placement: Placement) -> Approval:
    """The headteacher's pending decision on the placement's extension."""
    extension = placement.extensions.get(status="pending")
    return Approval.objects.get(kind="placement_extension", object_id=extension.pk, status=Approval.Status.PENDING)


def extended(placement: Placement, until: date, *, sendco, head, reason: str = "Needs longer to settle.") -> Placement:
    """The placement's last day moved later: asked for by sendco, approved by head in the inbox."""
    placement_changed(actor=sendco, placement=placement, planned_end_date=until, extension_reason=reason)
    approval_decide(approval=extension_approval(placement), actor=head, approve=True, reasons="")
    return Placement.objects.select_related("pupil", "provider", "school").get(pk=placement.pk)
