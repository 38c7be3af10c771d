"""Reviews and check-ins that fall due by themselves: the routine schedule, kept in step with the
placement's dates (the placements schedule listener); a review after each serious incident (the
serious-incident listener); check-ins after a return to class."""

from __future__ import annotations

from django.utils import timezone

from apcase.models import User
from apcase.services import save_tracked
from placements.models import Incident, Placement
from placements.schedule import calendar_for
from placements.services.common import placement_step
from pupils.models import CaseEvent
from reviews.models import CheckIn, ReviewMeeting
from reviews.schedule import INCIDENT_REVIEW_SCHOOL_DAYS, check_in_dates, routine_reviews, school_day_offset
from reviews.services.meetings import cancel_quietly, review_create
from reviews.wording import and_list, count_of, lower_first

K = ReviewMeeting.Kind


def review_schedule_sync(placement: Placement, actor: User | None, *, because: str = "") -> None:
    """Give a running placement every routine review from its first day to its last and cancel
    those a shorter placement no longer reaches; at its end cancel those after the last day and,
    after a return to class, schedule the check-ins. Safe to run any number of times. `because`
    says why reviews moved when it was not the placement's dates (the term dates changed)."""
    if placement.status == Placement.Status.ENDED:
        _end_schedule(placement, actor)
        return
    if not placement.is_running:
        return
    wanted = routine_reviews(placement, calendar_for(placement))
    existing = {(review.kind, review.due_on): review for review in placement.reviews.filter(from_calendar=True)}
    created = [
        review_create(placement=placement, kind=kind, due_on=day, actor=actor, from_calendar=True, record_step=False)
        for kind, day in wanted
        if (kind, day) not in existing
    ]
    today, end = timezone.localdate(), placement.end_date
    because = because or f"the placement now ends on {end:%d/%m/%Y}"
    # Future reviews the new dates no longer reach go; so does a final review the new last day
    # replaces, even if its date has passed (a past routine review not held stays overdue).
    stale = [
        review
        for key, review in existing.items()
        if key not in set(wanted) and review.is_open and (review.due_on >= today or review.kind == K.FINAL)
    ]
    for review in stale:
        cancel_quietly(review, actor, f"No longer due: {because}")
    link = placement.get_absolute_url()
    if created:
        kinds = and_list(sorted({lower_first(review.get_kind_display()) for review in created}))
        first = min(review.due_on for review in created)
        summary = f"{count_of(created, 'review')} ({kinds}) from the term calendar, the first due by {first:%d/%m/%Y}"
        placement_step(placement, CaseEvent.Kind.REVIEW_SCHEDULED, summary, actor, link=link)
    if stale:
        summary = f"{count_of(stale, 'review')} cancelled: {because}"
        placement_step(placement, CaseEvent.Kind.REVIEW_SCHEDULED, summary, actor, link=link)


def _end_schedule(placement: Placement, actor: User | None) -> None:
    """Routine reviews after the last day are cancelled; one that fell due before it and was not
    held stays overdue until it is recorded or cancelled with a reason."""
    end = placement.actual_end_date
    after = list(placement.reviews.to_hold().filter(from_calendar=True, due_on__gt=end))
    for review in after:
        cancel_quietly(review, actor, f"No longer due: the placement ended on {end:%d/%m/%Y}")
    if after:
        summary = f"{count_of(after, 'review')} after the last day cancelled"
        placement_step(placement, CaseEvent.Kind.REVIEW_SCHEDULED, summary, actor, link=placement.get_absolute_url())
    if placement.outcome == Placement.Outcome.REINTEGRATED:
        check_ins_schedule(placement, actor)


def check_ins_schedule(placement: Placement, actor: User | None) -> list[CheckIn]:
    """The check-ins 2, 6 and 12 school weeks after the return to class."""
    have = set(placement.check_ins.values_list("weeks_after", flat=True))
    created = []
    for weeks, due in check_in_dates(placement, calendar_for(placement)).items():
        if weeks not in have:
            check_in = CheckIn(placement=placement, weeks_after=weeks, due_on=due)
            save_tracked(check_in, actor)
            created.append(check_in)
    if created:
        dates = and_list([f"{check_in.due_on:%d/%m/%Y}" for check_in in created])
        summary = f"Check-ins after the return to class due on {dates}"
        placement_step(placement, CaseEvent.Kind.FOLLOW_UP, summary, actor, link=placement.get_absolute_url())
    return created


def review_for_incident(incident: Incident, actor: User) -> ReviewMeeting:
    """After a serious incident the placement is reviewed (docs/domain-rules.md#serious-incident)."""
    placement = incident.placement
    day = timezone.localdate(incident.occurred_at)
    due = school_day_offset(calendar_for(placement), day, INCIDENT_REVIEW_SCHOOL_DAYS)
    return review_create(placement=placement, kind=K.INCIDENT, due_on=due, actor=actor, incident=incident)
