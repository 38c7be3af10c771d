"""When a school enters or changes its term dates, the reviews and check-ins that could not be
dated before (they lay beyond the last half-term the school had entered) are scheduled.

Scheduling counts school days on the school's calendar and leaves out any point beyond it rather
than guess, so without this a check-in 12 weeks after a return in July would never appear once
the office adds next year's dates."""

from __future__ import annotations

from datetime import timedelta
from functools import partial

from django.db import transaction
from django.db.models import Count
from django.db.models.signals import post_save
from django.utils import timezone

from apcase.calendar import forget_calendar
from apcase.models import AcademicYear, HalfTerm
from placements.models import Placement
from reviews.models import CheckIn
from reviews.services.common import RUNNING
from reviews.services.schedule import check_ins_schedule, review_schedule_sync

# A return older than this has had its 12-week point (12 school weeks, holidays between).
RECENT_RETURN = timedelta(days=183)


def schedules_after_term_dates_change(school_id: int) -> None:
    forget_calendar(school_id)
    for placement in Placement.objects.filter(school_id=school_id, status__in=RUNNING).select_related("school"):
        review_schedule_sync(placement, None)
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


def _half_term_saved(sender, instance: HalfTerm, **kwargs) -> None:
    school_id = AcademicYear.objects.filter(pk=instance.academic_year_id).values_list("school_id", flat=True).first()
    if school_id is not None:
        # Once the dates are committed; the back office saves a year's half-terms one by one.
        transaction.on_commit(partial(schedules_after_term_dates_change, school_id))


def connect_term_dates_listener() -> None:
    post_save.connect(_half_term_saved, sender=HalfTerm, dispatch_uid="reviews.term_dates")
