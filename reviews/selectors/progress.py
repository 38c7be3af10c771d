"""Targets and their measurements: a placement's progress (the table of stages by half-term and
the charts, docs/domain-rules.md#progress-measures), the readings a review records, and the steps gained
for the governors' report."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Prefetch
from django.template.defaultfilters import floatformat, pluralize

from placements.models import Placement
from pupils.models import SenProvision
from reviews.models import Measurement, ProviderProgressNote, ReviewMeeting, Target

ORDERED_MEASUREMENTS = Prefetch("measurements", queryset=Measurement.objects.order_by("measured_on", "pk"))


@dataclass(frozen=True)
class TargetProgress:
    target: Target
    measurements: list[Measurement]

    @property
    def latest(self) -> Measurement | None:
        return self.measurements[-1] if self.measurements else None

    @property
    def chart_description(self) -> str:
        """The chart's text alternative: what it shows, in words."""
        target, count = self.target, len(self.measurements)
        latest = floatformat(self.latest.value, -1) if self.latest else ""
        return (
            f"{target.description}: the baseline {floatformat(target.baseline, -1)}, {count} reading{pluralize(count)} "
            f"to {latest}, and the target {floatformat(target.target_value, -1)} as a dashed line."
        )

    @property
    def met(self) -> bool | None:
        return None if self.latest is None else self.target.is_met_by(self.latest.value)

    @property
    def change(self) -> Decimal | None:
        return None if self.latest is None else self.latest.value - self.target.baseline


def placement_targets(placement: Placement) -> list[TargetProgress]:
    """Every target of the placement with its measurements, oldest first (two queries)."""
    targets = Target.objects.filter(placement=placement).prefetch_related(ORDERED_MEASUREMENTS).order_by("area", "pk")
    return [TargetProgress(target, list(target.measurements.all())) for target in targets]


@dataclass(frozen=True)
class ProgressTable:
    """The table of stages: the baseline, then the latest reading in each half-term."""

    columns: list[str]
    rows: list[tuple[TargetProgress, list[Decimal | None]]]


def progress_table(progress: list[TargetProgress]) -> ProgressTable:
    periods = sorted(
        {(m.measured_on, m.period) for item in progress for m in item.measurements},
        key=lambda dated: dated[0],
    )
    columns = list(dict.fromkeys(period or f"{day:%d/%m/%Y}" for day, period in periods))
    rows = []
    for item in progress:
        latest = {(m.period or f"{m.measured_on:%d/%m/%Y}"): m.value for m in item.measurements}
        rows.append((item, [latest.get(column) for column in columns]))
    return ProgressTable(columns, rows)


@dataclass(frozen=True)
class Reading:
    """A target at a review: the reading before it and the one taken there."""

    target: Target
    previous: Measurement | None
    current: Measurement | None


def review_readings(review: ReviewMeeting) -> list[Reading]:
    readings = []
    for item in placement_targets(review.placement):
        current = next((m for m in item.measurements if m.review_id == review.pk), None)
        earlier = [m for m in item.measurements if m.review_id != review.pk]
        if current is not None:
            earlier = [m for m in earlier if m.measured_on <= current.measured_on]
        readings.append(Reading(item.target, earlier[-1] if earlier else None, current))
    return readings


# --- For the governors' report ------------------------------------------------------------------


@dataclass(frozen=True)
class PupilSteps:
    """One pupil's steps gained in each framework area over a period, with the characteristics the
    governors' report groups by. No name: governors see no pupil-identifiable detail."""

    pupil_id: int
    sen_provision: str
    pupil_premium: bool
    fsm: bool
    steps: dict[str, Decimal]  # area (Target.Area value) -> steps gained
    stages: dict[str, tuple[Decimal, Decimal]]  # area -> (stage at the start, stage at the end)

    @property
    def sen_label(self) -> str:
        return SenProvision(self.sen_provision).label


def progress_steps(*, school_ids, start: date, end: date) -> list[PupilSteps]:
    """Per pupil, the stages gained in each framework area (Next Steps reading and number, other
    frameworks) from start to end: the last reading in the period less the stage at its start (the
    last reading before it, else the target's baseline). Areas without a reading in the period are
    left out, and so are pupils without any. Two queries."""
    targets = (
        Target.objects.filter(placement__school_id__in=school_ids, area__in=Target.FRAMEWORK_AREAS)
        .select_related("placement__pupil")
        .prefetch_related(ORDERED_MEASUREMENTS)
        .order_by("placement__pupil_id", "area", "placement__start_date", "pk")
    )
    by_pupil: dict[int, dict[str, list[Target]]] = {}
    for target in targets:
        by_pupil.setdefault(target.placement.pupil_id, {}).setdefault(target.area, []).append(target)
    result = []
    for areas in by_pupil.values():
        stages = {area: span for area, area_targets in areas.items() if (span := _span(area_targets, start, end))}
        if stages:
            pupil = next(iter(areas.values()))[0].placement.pupil
            steps = {area: to - start_stage for area, (start_stage, to) in stages.items()}
            result.append(PupilSteps(pupil.pk, pupil.sen_provision, pupil.pupil_premium, pupil.fsm, steps, stages))
    return result


def _span(targets: list[Target], start: date, end: date) -> tuple[Decimal, Decimal] | None:
    readings = sorted((m for t in targets for m in t.measurements.all()), key=lambda m: (m.measured_on, m.pk))
    before = [m.value for m in readings if m.measured_on < start]
    during = [m.value for m in readings if start <= m.measured_on <= end]
    if not during:
        return None
    return (before[-1] if before else targets[0].baseline, during[-1])


def provider_progress_waiting(placement: Placement) -> list[ProviderProgressNote]:
    """Notes and readings the provider sent from the portal that the school has not answered yet."""
    return list(
        ProviderProgressNote.objects.filter(target__placement=placement, status=ProviderProgressNote.Status.SUBMITTED)
        .select_related("target", "submitted_by")
        .order_by("measured_on", "submitted_at")
    )
