"""When a school enters or changes its term dates (a half-term, or a closure such as an INSET day),
the reviews and check-ins that could not be dated before (they lay beyond the last half-term the
school had entered) are scheduled, and routine reviews that now fall on another school day move.

Scheduling counts school days on the school's calendar and leaves out any point beyond it rather
than guess, so without this a check-in 12 weeks after a return in July would never appear once
the office adds next year's dates."""

from __future__ import annotations

from datetime import timedelta
from functools import partial

from django.db import transaction
from django.db.models import Count
from django.db.models.signals import post_delete, post_save
from django.utils import timezone

from apcase.calendar import forget_calendar
from apcase.models import AcademicYear, Closure, HalfTerm
from placements.models import Placement
from reviews.models import CheckIn
from reviews.services.schedule import check_ins_schedule, review_schedule_sync

# A return older than this has had its 12-week point (12 school weeks, holidays between).
RECENT_RETURN = timedelta(days=183)
TERM_DATES_CHANGED = "the school's term dates changed"


def schedules_after_term_dates_change(school_id: int) -> None:
    forget_calendar(school_id)
    for placement in Placement.objects.running().filter(school_id=school_id).select_related("school"):
        review_schedule_sync(placement, None, because=TERM_DATES_CHANGED)
    returned = (
        Placement.objects.filter(
            school_id=school_id,
            status=Placement.Status.ENDED,
            outcome=Placement.Outcome.REINTEGRATED,
            actual_end_date__gte=timezone.localdate() - RECENT_RETURN,
        )
        .annotate(check_in_count=Count("check_ins"))
        .filter(check_in_count__lt=len(CheckIn.WEEKS))
        .select_related("school")
    )
    for placement in returned:
        check_ins_schedule(placement, None)


def _after_commit(school_id: int | None) -> None:
    if school_id is not None:
        # Once the dates are committed: the back office saves a year's half-terms one by one.
        transaction.on_commit(partial(schedules_after_term_dates_change, school_id))


def _half_term_changed(sender, instance: HalfTerm, **kwargs) -> None:
    _after_commit(AcademicYear.objects.filter(pk=instance.academic_year_id).values_list("school_id", flat=True).first())


def _closure_changed(sender, instance: Closure, **kwargs) -> None:
    _after_commit(instance.school_id)


def connect_term_dates_listener() -> None:
    for name, signal in (("saved", post_save), ("deleted", post_delete)):
        signal.connect(_half_term_changed, sender=HalfTerm, dispatch_uid=f"reviews.term_dates.half_term_{name}")
        signal.connect(_closure_changed, sender=Closure, dispatch_uid=f"reviews.term_dates.closure_{name}")
