"""What is recorded during a placement: the handover before it starts, incidents the provider
reports (serious ones on the SENDCo's queue until answered) and visits by school staff."""

from __future__ import annotations

from datetime import date, timedelta

from simple_history.models import HistoricalRecords

from apcase.models import Role, User
from bench import texts
from bench.generator.base import BenchSchool, Build
from bench.generator.shapes import STARTED, PlacementShape
from placements.models import Handover, Incident, Placement, Visit
from pupils.models import CaseEvent

S, K = Placement.Status, CaseEvent.Kind
UNANSWERED_DAYS = 14  # serious incidents of the last fortnight still wait for the SENDCo's decision
HANDOVER_ITEMS = [Handover.Item.ATTAINMENT, Handover.Item.CHARACTERISTICS, Handover.Item.BEHAVIOUR_PLAN]


def create_records(build: Build, made: list[tuple[BenchSchool, Placement, PlacementShape]]) -> None:
    handovers, incidents, visits = [], [], []
    for bs, placement, _shape in made:
        started = placement.status in STARTED
        if started or (placement.status in (S.APPROVED, S.NOTICE_ISSUED) and build.chance(0.5)):
            handovers += _handover(build, bs, placement)
        if started:
            assert placement.start_date is not None  # started
            last = min(placement.actual_end_date or build.today, build.last_school_day(bs))
            incidents += [_incident(build, bs, placement, last) for _ in range(build.rng.choice((0, 0, 1, 1, 2, 3)))]
            visits += [_visit(build, bs, placement, last) for _ in range(1 + (last - placement.start_date).days // 60)]
    build.insert(Handover, handovers)
    build.insert(Incident, incidents)
    _insert_visits(build, visits)


def _handover(build: Build, bs: BenchSchool, placement: Placement) -> list[Handover]:
    assert placement.start_date is not None  # handovers are for approved placements, which have a first day
    shared_on = bs.calendar.add_school_days(placement.start_date, -build.rng.randrange(1, 4))
    if shared_on > build.last_school_day(bs):
        return []
    sendco = bs.staff[Role.SENDCO]
    items = HANDOVER_ITEMS + ([Handover.Item.SAFEGUARDING] if build.chance(0.4) else [])
    handover = Handover(
        public_id=build.uuid(),
        placement=placement,
        shared_on=shared_on,
        shared_by=sendco,
        shared_with=placement.first_day_contact,
        items=items,
        notes="At the transition meeting; documents sent by secure e-mail the same day.",
        recorded_by=sendco,
        recorded_at=build.at(shared_on, 16),
    )
    labels = ", ".join(handover.item_labels).lower()
    summary = f"Handover to {handover.shared_with}: {labels} (shared by {sendco})"
    build.event(placement.pupil, K.HANDOVER, summary, sendco, build.at(shared_on, 12, 0), placement.get_absolute_url())
    return [build.stamped(handover, handover.recorded_at, sendco)]


def _incident(build: Build, bs: BenchSchool, placement: Placement, last: date) -> Incident:
    assert placement.start_date is not None  # a started placement
    sendco = bs.staff[Role.SENDCO]
    occurred_at = build.at(build.school_day_between(bs, placement.start_date, last), build.rng.randrange(10, 15))
    severity = build.pick({Incident.Severity.LOW: 6, Incident.Severity.MODERATE: 3, Incident.Severity.SERIOUS: 1})
    serious = severity == Incident.Severity.SERIOUS
    answered = serious and occurred_at.date() < build.today - timedelta(days=UNANSWERED_DAYS)
    incident = Incident(
        public_id=build.uuid(),
        placement=placement,
        occurred_at=occurred_at,
        description=build.rng.choice(texts.INCIDENTS),
        severity=severity,
        actions_taken="Key worker spoke with the pupil; parents phoned the same afternoon.",
        safeguarding_concern=build.chance(0.06),
        reported_by=placement.first_day_contact,
        response=texts.RESPONSES if answered else "",
        responded_by=sendco if answered else None,
        responded_at=occurred_at + timedelta(days=2) if answered else None,
        recorded_by=sendco,
        recorded_at=occurred_at + timedelta(hours=2),
    )
    pupil, link = placement.pupil, placement.get_absolute_url()
    concern = " (safeguarding concern)" if incident.safeguarding_concern else ""
    summary = f"{incident.get_severity_display()} incident reported by {incident.reported_by}{concern}"
    build.event(pupil, K.INCIDENT, summary, sendco, occurred_at, link)
    if incident.safeguarding_concern:
        title = f"Safeguarding concern reported at AP for {pupil.initials}"
        build.notify(bs.staff[Role.DSL], title, link, "safeguarding_concern", incident.recorded_at, bs.school)
    if serious:
        title = f"Serious incident at AP for {pupil.initials}: review needed"
        build.notify(sendco, title, link, "serious_incident", incident.recorded_at, bs.school)
    return build.stamped(incident, incident.recorded_at, sendco)


def _visit(build: Build, bs: BenchSchool, placement: Placement, last: date) -> tuple[Visit, list[User]]:
    """A visit, and the staff who made it."""
    assert placement.start_date is not None  # a started placement
    sendco = bs.staff[Role.SENDCO]
    visited_on = build.school_day_between(bs, placement.start_date, last)
    visit = Visit(
        public_id=build.uuid(),
        placement=placement,
        visited_on=visited_on,
        what_was_seen=build.rng.choice(texts.VISIT_NOTES),
        pupil_voice="Likes the smaller group; misses friends at lunchtime.",
        follow_up="Share the maths targets with the provider.",
        recorded_by=sendco,
        recorded_at=build.at(visited_on, 16),
    )
    visitors = [sendco] + ([bs.staff[Role.HEAD]] if build.chance(0.3) else [])
    names = ", ".join(str(user) for user in visitors)
    summary = f"Visit to {placement.provider.name} by {names}"
    build.event(placement.pupil, K.VISIT, summary, sendco, build.at(visited_on, 12, 0), placement.get_absolute_url())
    return build.stamped(visit, visit.recorded_at, sendco), visitors


def _insert_visits(build: Build, visits: list[tuple[Visit, list[User]]]) -> None:
    """As visit_record saves them: the visit ("+"), then its staff, which simple-history's m2m
    tracking records as a "~" history row holding a copy of each staff row."""
    records = [visit for visit, _staff in visits]
    build.insert(Visit, records)
    Through = Visit.staff.through
    staff_rows = Through.objects.bulk_create([Through(visit=v, user=user) for v, staff in visits for user in staff])
    changed = {row.id: row for row in Visit.history.bulk_history_create(records, update=True)}
    HistoricalStaff = HistoricalRecords.m2m_models[Visit._meta.get_field("staff")]
    HistoricalStaff.objects.bulk_create(
        [
            HistoricalStaff(history=changed[row.visit_id], id=row.id, visit_id=row.visit_id, user_id=row.user_id)
            for row in staff_rows
        ]
    )
