"""The return to class: agreeing the reintegration plan and each change to it, the final report
before the return, and the check-ins after it. Each is a step in the pupil's chronology."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse

from apcase.models import User
from apcase.services import check_not_future, save_tracked
from placements.models import Placement
from placements.services.common import moment_on, placement_step
from pupils.models import CaseEvent
from reviews.models import CheckIn, FinalReport, PlanVersion, ReintegrationPlan, ReviewMeeting
from reviews.services.common import check_perm
from reviews.wording import lower_first


def _plan_link(placement: Placement) -> str:
    return reverse("reintegration:plan", kwargs={"public_id": placement.public_id})


@transaction.atomic
def plan_version_agree(
    *,
    actor: User,
    placement: Placement,
    agreed_on: date,
    strengths: str,
    needs: str,
    agreed_targets: str,
    classroom_strategies: str,
    return_timetable: list[list[str]],
    who_supports: str,
    change_summary: str = "",
    review: ReviewMeeting | None = None,
) -> PlanVersion:
    """Agree the plan, or a change to it. Each agreement is a new numbered version; the earlier
    ones stay as they were agreed."""
    check_perm(actor, "reviews.change_reintegration_plan", placement, "Only the SENDCo or headteacher agrees the plan.")
    if not placement.is_approved:
        raise ValidationError("A reintegration plan is agreed once the placement is approved.")
    check_not_future("agreed_on", agreed_on)
    if review is not None and review.placement_id != placement.pk:
        raise ValidationError({"review": "Choose a review of this placement."})
    plan = ReintegrationPlan.objects.select_for_update().filter(placement=placement).first()
    if plan is None:
        plan = ReintegrationPlan(placement=placement, created_by=actor)
        save_tracked(plan, actor)
    latest = PlanVersion.objects.filter(plan=plan).order_by("-number").first()
    version = PlanVersion(
        plan=plan,
        number=latest.number + 1 if latest else 1,
        agreed_on=agreed_on,
        agreed_by=actor,
        change_summary=change_summary.strip(),
        review=review,
        strengths=strengths,
        needs=needs,
        agreed_targets=agreed_targets,
        classroom_strategies=classroom_strategies,
        return_timetable=return_timetable,
        who_supports=who_supports,
    )
    if latest is not None:
        if latest.content == version.content:
            raise ValidationError(f"Nothing has changed since version {latest.number}.")
        if not change_summary.strip():
            raise ValidationError({"change_summary": "Say what changed and why."})
    save_tracked(version, actor)
    if latest is None:
        summary = "Reintegration plan agreed (version 1)"
    else:
        summary = f"Reintegration plan changed (version {version.number}): {version.change_summary}"
    placement_step(
        placement, CaseEvent.Kind.REINTEGRATION, summary, actor, link=_plan_link(placement), when=moment_on(agreed_on)
    )
    return version


@transaction.atomic
def final_report_save(
    *,
    actor: User,
    placement: Placement,
    prepared_on: date,
    attainment_progress: str,
    behaviour_evidence: str,
    pupil_views: str,
    pupil_views_heard_by: str,
    objectives_on_return: str,
) -> FinalReport:
    """Write, or correct, the final report the headteacher obtains before the return
    (docs/domain-rules.md#final-report)."""
    check_perm(actor, "reviews.change_final_report", placement, "Only the SENDCo or headteacher writes it.")
    if not placement.has_started:
        raise ValidationError("The final report is written once the placement has started.")
    check_not_future("prepared_on", prepared_on)
    report = FinalReport.objects.filter(placement=placement).first()
    first = report is None
    report = report or FinalReport(placement=placement)
    report.attainment_progress = attainment_progress.strip()
    report.behaviour_evidence = behaviour_evidence.strip()
    report.pupil_views = pupil_views.strip()
    report.pupil_views_heard_by = pupil_views_heard_by.strip()
    report.objectives_on_return = objectives_on_return.strip()
    report.prepared_by, report.prepared_on = actor, prepared_on
    save_tracked(report, actor)
    summary = f"Final report before the return {'prepared' if first else 'updated'} by {actor}"
    placement_step(
        placement, CaseEvent.Kind.FINAL_REPORT, summary, actor, link=_plan_link(placement), when=moment_on(prepared_on)
    )
    return report


@transaction.atomic
def check_in_record(
    *, actor: User, check_in: CheckIn, held_on: date, still_in_class: bool, where_now: str = "", notes: str = ""
) -> CheckIn:
    """A follow-up after the return: is the pupil still in class, and if not, where?"""
    placement = check_in.placement
    check_perm(actor, "reviews.record_check_in", placement, "Only the pupil's teachers and leaders record check-ins.")
    check_not_future("held_on", held_on)
    assert placement.actual_end_date is not None  # check-ins follow a return to class
    errors = check_in.record_errors(held_on=held_on, still_in_class=still_in_class, where_now=where_now)
    if errors:
        raise ValidationError(errors)
    check_in.held_on, check_in.still_in_class = held_on, still_in_class
    check_in.where_now = "" if still_in_class else where_now
    check_in.notes, check_in.recorded_by = notes.strip(), actor
    save_tracked(check_in, actor)
    answer = "still in class" if still_in_class else f"not in class: {lower_first(check_in.get_where_now_display())}"
    summary = f"{check_in.weeks_after}-week check-in after the return: {answer}"
    placement_step(
        placement, CaseEvent.Kind.FOLLOW_UP, summary, actor, link=_plan_link(placement), when=moment_on(held_on)
    )
    return check_in
