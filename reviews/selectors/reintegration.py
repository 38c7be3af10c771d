"""Reads for the return to class: a placement's plan with every version, its final report and
check-ins; the check-ins falling due; and the outcomes for the governors' report."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Q

from apcase.access import school_ids_for
from apcase.models import Role, User
from placements.models import Placement
from pupils.models import Pupil, SenProvision
from reviews.models import CheckIn, FinalReport, PlanVersion, ReintegrationPlan
from reviews.selectors.meetings import RUNS_REVIEWS, school_day_horizons


@dataclass(frozen=True)
class ReintegrationState:
    plan: ReintegrationPlan | None
    versions: list[PlanVersion]  # newest first
    final_report: FinalReport | None
    check_ins: list[CheckIn]

    @property
    def current(self) -> PlanVersion | None:
        return self.versions[0] if self.versions else None


def reintegration_state(placement: Placement) -> ReintegrationState:
    """The plan and its versions, the final report and the check-ins of one placement (four queries)."""
    plan = ReintegrationPlan.objects.filter(placement=placement).first()
    versions = list(plan.versions.select_related("agreed_by", "review").order_by("-number")) if plan else []
    return ReintegrationState(
        plan=plan,
        versions=versions,
        final_report=FinalReport.objects.filter(placement=placement).select_related("prepared_by").first(),
        check_ins=list(placement.check_ins.select_related("recorded_by").order_by("weeks_after")),
    )


def reintegration_steps_missing(placement: Placement, outcome: str) -> list[str]:
    """Before a return to class, an agreed reintegration plan and a final report (the school's AP
    policy; docs/policy-steps.md): what is missing, one sentence each (two queries)."""
    if outcome != Placement.Outcome.REINTEGRATED:
        return []
    missing = []
    if not PlanVersion.objects.filter(plan__placement=placement).exists():
        missing.append("No reintegration plan has been agreed.")
    if not FinalReport.objects.filter(placement=placement).exists():
        missing.append("No final report on the placement has been prepared.")
    return missing


def check_ins_due(*, user: User, today: date, within_school_days: int = 5) -> list[CheckIn]:
    """Check-ins not yet recorded that are due within `within_school_days` school days or overdue:
    for the school's leaders, and for the class teacher and key adults of each pupil."""
    leading = school_ids_for(user, RUNS_REVIEWS)
    teaching = school_ids_for(user, [Role.TEACHER])
    horizons = school_day_horizons(leading | teaching, today, within_school_days)
    if not horizons:
        return []
    key_adult_of = Pupil.key_adults.through.objects.filter(user=user).values("pupil_id")
    theirs = Q(placement__school_id__in=teaching) & (
        Q(placement__pupil__class_teacher=user) | Q(placement__pupil_id__in=key_adult_of)
    )
    check_ins = (
        CheckIn.objects.filter(Q(placement__school_id__in=leading) | theirs)
        .filter(held_on__isnull=True, due_on__lte=max(horizons.values()))
        .select_related("placement__pupil", "placement__provider")
        .order_by("due_on", "pk")
    )
    return [check_in for check_in in check_ins if check_in.due_on <= horizons[check_in.placement.school_id]]


@dataclass(frozen=True)
class ReintegrationOutcome:
    """One return to class and whether it lasted. No name: for the governors' report."""

    pupil_id: int
    sen_provision: str
    pupil_premium: bool
    fsm: bool
    last_day: date  # the last day of the placement; the return is the next school day
    in_class: dict[int, bool | None]  # weeks after the return -> still in class (None: not known yet)

    @property
    def sen_label(self) -> str:
        return SenProvision(self.sen_provision).label

    @property
    def in_class_at_6_weeks(self) -> bool | None:
        return self.in_class.get(6)

    @property
    def in_class_at_12_weeks(self) -> bool | None:
        return self.in_class.get(12)


def reintegration_outcomes(*, school_ids, start: date, end: date) -> list[ReintegrationOutcome]:
    """Every placement that ended with a return to class between start and end, with what each
    check-in found (two queries)."""
    placements = (
        Placement.objects.filter(
            school_id__in=school_ids,
            status=Placement.Status.ENDED,
            outcome=Placement.Outcome.REINTEGRATED,
            actual_end_date__range=(start, end),
        )
        .select_related("pupil")
        .prefetch_related("check_ins")
        .order_by("actual_end_date", "pk")
    )
    return [
        ReintegrationOutcome(
            pupil_id=placement.pupil_id,
            sen_provision=placement.pupil.sen_provision,
            pupil_premium=placement.pupil.pupil_premium,
            fsm=placement.pupil.fsm,
            last_day=placement.actual_end_date,
            in_class={
                check_in.weeks_after: check_in.still_in_class if check_in.held_on else None
                for check_in in placement.check_ins.all()
            },
        )
        for placement in placements
    ]
