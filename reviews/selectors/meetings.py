"""Reads of review meetings for the list, the calendar, the meeting page and the dashboards, each
scoped to the user asking (reviews/permissions.py has the reasons)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from apcase.access import school_ids_for
from apcase.calendar import Period, SchoolCalendar
from apcase.models import Closure, Role, School, User
from placements.models import Placement
from placements.selectors import AttendanceSummary, attendance_summary
from reviews.models import ProviderReviewReport, ReviewAction, ReviewMeeting, ReviewParticipant, ReviewRequest
from reviews.schedule import school_day_offset

RUNS_REVIEWS = (Role.SENDCO, Role.HEAD)
READS_REVIEWS = (Role.SENDCO, Role.HEAD, Role.DSL)
R = ReviewMeeting.Status
# After three formal reviews without improvement the school may end the placement
# (docs/domain-rules.md#formal-reviews).
FORMAL_REVIEWS_BEFORE_ENDING = 3
LIST_RELATED = ("placement__pupil", "placement__provider")


# --- The list -----------------------------------------------------------------------------------


class ListView:
    UPCOMING = "upcoming"
    OVERDUE = "overdue"
    HELD = "held"
    CANCELLED = "cancelled"
    CHOICES = [(UPCOMING, "Upcoming"), (OVERDUE, "Overdue"), (HELD, "Held"), (CANCELLED, "Cancelled")]


def _reviews_of(user: User, school: School, kind: str, placement) -> QuerySet[ReviewMeeting]:
    reviews = ReviewMeeting.objects.for_user(user, READS_REVIEWS).filter(school=school)
    if kind:
        reviews = reviews.filter(kind=kind)
    if placement is not None:
        reviews = reviews.filter(placement=placement)
    return reviews


def review_list_for_user(
    *, user: User, school: School, view: str = ListView.UPCOMING, today: date, kind: str = "", placement=None
) -> QuerySet[ReviewMeeting]:
    """Reviews of the school: to hold (soonest first), overdue (oldest first), held or cancelled
    (latest first), optionally of one kind or one placement."""
    reviews = _reviews_of(user, school, kind, placement)
    if view == ListView.OVERDUE:
        reviews = reviews.filter(_overdue(today)).order_by("due_on", "pk")
    elif view == ListView.HELD:
        reviews = reviews.filter(status=R.HELD).order_by("-held_on", "-pk")
    elif view == ListView.CANCELLED:
        reviews = reviews.filter(status=R.CANCELLED).order_by("-due_on", "-pk")
    else:
        reviews = reviews.filter(status=R.SCHEDULED, due_on__gte=today).order_by("due_on", "pk")
    return reviews.select_related(*LIST_RELATED)


def _overdue(today: date) -> Q:
    return Q(status=R.SCHEDULED, due_on__lt=today)


def reviews_overdue_by_school(*, user: User, school_ids, today: date) -> dict[int, int]:
    """{school id: overdue reviews} for many schools in one query, counted as review_counts counts
    the school's own (the trust dashboard beside each school's)."""
    rows = (
        ReviewMeeting.objects.for_user(user, READS_REVIEWS)
        .filter(_overdue(today), school_id__in=school_ids)
        .values_list("school_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return dict(rows)


def review_counts(*, user: User, school: School, today: date, kind: str = "", placement=None) -> dict[str, int]:
    """How many reviews each tab of the list holds (one query)."""
    return _reviews_of(user, school, kind, placement).aggregate(**_tab_counts(today))


def _tab_counts(today: date) -> dict[str, Count]:
    return {
        ListView.UPCOMING: Count("pk", filter=Q(status=R.SCHEDULED, due_on__gte=today)),
        ListView.OVERDUE: Count("pk", filter=_overdue(today)),
        ListView.HELD: Count("pk", filter=Q(status=R.HELD)),
        ListView.CANCELLED: Count("pk", filter=Q(status=R.CANCELLED)),
    }


def review_detail_queryset() -> QuerySet[ReviewMeeting]:
    return ReviewMeeting.objects.select_related(
        "school", "placement__school", "placement__pupil", "placement__provider", "incident", "recorded_by"
    ).prefetch_related(
        Prefetch("participants", queryset=ReviewParticipant.objects.select_related("user")),
        Prefetch("actions", queryset=ReviewAction.objects.select_related("owner")),
        Prefetch("provider_reports", queryset=ProviderReviewReport.objects.select_related("submitted_by")),
    )


# --- The calendar -------------------------------------------------------------------------------


@dataclass(frozen=True)
class CalendarDay:
    day: date
    closed: str  # why there is no school ("" on a school day)
    reviews: list[ReviewMeeting]
    is_today: bool


@dataclass(frozen=True)
class ReviewCalendar:
    period: Period | None
    weeks: list[list[CalendarDay]]
    previous: date | None
    next: date | None


def review_day(review: ReviewMeeting) -> date:
    """Where a review sits in the calendar: its meeting once arranged, else its due date."""
    return timezone.localdate(review.meeting_at) if review.meeting_at else review.due_on


def _half_term_around(calendar: SchoolCalendar, day: date) -> Period | None:
    """The half-term of day, or in a holiday the next one (the last one after the term dates)."""
    for period in calendar.half_terms:
        if day <= period.end:
            return period
    return calendar.half_terms[-1] if calendar.half_terms else None


def _closed_reason(calendar: SchoolCalendar, day: date) -> str:
    if day in calendar.closures:
        return Closure.Kind(calendar.closures[day]).label
    return "" if calendar.half_term_for(day) else "Holiday"


def review_calendar(*, user: User, school: School, around: date, today: date) -> ReviewCalendar:
    """Monday to Friday of every week of the half-term around a day, with the reviews of each day
    (unheld and held; cancelled ones are left out)."""
    calendar = SchoolCalendar.for_school(school)
    period = _half_term_around(calendar, around)
    if period is None:
        return ReviewCalendar(None, [], None, None)
    first = period.start - timedelta(days=period.start.weekday())
    last = period.end + timedelta(days=4 - period.end.weekday()) if period.end.weekday() < 5 else period.end
    window = Q(due_on__range=(first, last), meeting_at__isnull=True) | Q(meeting_at__date__range=(first, last))
    reviews = (
        ReviewMeeting.objects.for_user(user, READS_REVIEWS)
        .filter(window, school=school)
        .exclude(status=R.CANCELLED)
        .select_related(*LIST_RELATED)
        .order_by("meeting_at", "due_on", "pk")
    )
    by_day: dict[date, list[ReviewMeeting]] = {}
    for review in reviews:
        by_day.setdefault(review_day(review), []).append(review)
    weeks, monday = [], first
    while monday <= last:
        days = [monday + timedelta(days=offset) for offset in range(5)]
        weeks.append([CalendarDay(d, _closed_reason(calendar, d), by_day.get(d, []), d == today) for d in days])
        monday += timedelta(days=7)
    index = calendar.half_terms.index(period)
    previous = calendar.half_terms[index - 1].start if index > 0 else None
    following = calendar.half_terms[index + 1].start if index + 1 < len(calendar.half_terms) else None
    return ReviewCalendar(period, weeks, previous, following)


# --- The meeting page ---------------------------------------------------------------------------


def attendance_figures(summary: AttendanceSummary) -> dict:
    """The attendance figures a review looks at, as plain data (kept with the record once held)."""

    def figures(f) -> dict:
        percentage = None if f.percentage is None else str(f.percentage)
        return {"possible": f.possible, "attended": f.attended, "percentage": percentage}

    return {
        "overall": figures(summary.overall),
        "last_four_weeks": figures(summary.last_four_weeks),
        "baseline": None if summary.baseline is None else str(summary.baseline),
        "baseline_note": summary.baseline_note,
        "level": summary.level_label if summary.persistent else "",
        "unrecorded": summary.unrecorded,
    }


def review_attendance(review: ReviewMeeting, today: date) -> dict:
    """As they stood when the review was held; until then, as they stand today."""
    if review.status == R.HELD:
        return review.attendance_snapshot
    return attendance_figures(attendance_summary(review.placement, today=today))


def request_of(review: ReviewMeeting) -> ReviewRequest | None:
    """The written request a requested review answers."""
    if review.kind != ReviewMeeting.Kind.REQUESTED:
        return None
    return ReviewRequest.objects.filter(review=review).first()


def review_series(review: ReviewMeeting) -> list[ReviewMeeting]:
    """The placement's formal reviews held so far, oldest first (a formal review's page shows them)."""
    return list(
        review.placement.reviews.filter(kind=ReviewMeeting.Kind.FORMAL, status=R.HELD).order_by("held_on", "pk")
    )


# --- Requested reviews (reg 4A) -----------------------------------------------------------------
#
# The relevant person (a parent, or the pupil at 18 or over) or the local authority that maintains
# the pupil's EHC plan may ask in writing for a review meeting. The governing body must hold one as
# soon as reasonably practicable, unless a review meeting took place in the 10 weeks before the day
# of the request. Ten weeks is a legal period in weeks, so it is counted in calendar days (70), not
# school days: the ten weeks before the day of the request are the 70 days ending the day before it,
# so a meeting exactly ten weeks earlier is inside them and one held on the day itself is not.
#
# A review meeting here is one that reviews the direction with the family: a progress meeting
# between the AP lead and the provider (half-termly, or an IAP's weekly review) does not lift the duty.

TEN_WEEKS = timedelta(weeks=10)
DIRECTION_REVIEW_KINDS = (
    ReviewMeeting.Kind.TERMLY,
    ReviewMeeting.Kind.FORMAL,
    ReviewMeeting.Kind.REQUESTED,
    ReviewMeeting.Kind.FINAL,
    ReviewMeeting.Kind.INCIDENT,
)


def recent_review_meeting(placement: Placement, received_on: date) -> ReviewMeeting | None:
    """The latest review meeting of the direction held in the 10 weeks before the day of a request."""
    return (
        placement.reviews.filter(
            status=R.HELD,
            kind__in=DIRECTION_REVIEW_KINDS,
            held_on__gte=received_on - TEN_WEEKS,
            held_on__lt=received_on,
        )
        .order_by("-held_on", "-pk")
        .first()
    )


# --- The formal-review flag (docs/domain-rules.md#formal-reviews) ------------------------------------


def formal_reviews_without_improvement(held_formal: list[ReviewMeeting]) -> list[ReviewMeeting]:
    """The formal reviews since the last one that found satisfactory progress (given oldest first).

    A review that finds the pupil making satisfactory progress starts the count again: the policy
    asks whether progress "does not improve following three formal review meetings".
    """
    since: list[ReviewMeeting] = []
    for review in held_formal:
        since = [] if review.satisfactory_progress else [*since, review]
    return since


@dataclass(frozen=True)
class FlaggedPlacement:
    placement: Placement
    formal_reviews: list[ReviewMeeting] = field(default_factory=list)


def placements_flagged_for_ending(*, user: User) -> list[FlaggedPlacement]:
    """Running placements where three formal reviews in a row found progress not satisfactory:
    the school may end them (docs/domain-rules.md#formal-reviews). For the headteacher's dashboard (one query)."""
    formal = (
        ReviewMeeting.objects.filter(
            school_id__in=school_ids_for(user, RUNS_REVIEWS),
            kind=ReviewMeeting.Kind.FORMAL,
            status=R.HELD,
            placement__status__in=Placement.RUNNING,
        )
        .select_related("placement__pupil", "placement__provider")
        .order_by("placement_id", "held_on", "pk")
    )
    by_placement: dict[int, list[ReviewMeeting]] = {}
    for review in formal:
        by_placement.setdefault(review.placement_id, []).append(review)
    flagged = [
        FlaggedPlacement(reviews[0].placement, since)
        for reviews in by_placement.values()
        if len(since := formal_reviews_without_improvement(reviews)) >= FORMAL_REVIEWS_BEFORE_ENDING
    ]
    return sorted(flagged, key=lambda item: item.formal_reviews[-1].held_on or date.min)  # held: always dated


# --- Dashboards ---------------------------------------------------------------------------------


def school_calendars(school_ids) -> dict[int, SchoolCalendar]:
    """Each school's calendar, loaded once (one query a school)."""
    return SchoolCalendar.for_school_ids(school_ids)


def school_day_horizons(school_ids, today: date, school_days: int) -> dict[int, date]:
    """{school: the last day within `school_days` school days of today} on each school's calendar."""
    return {
        school_id: school_day_offset(calendar, today, school_days)
        for school_id, calendar in school_calendars(school_ids).items()
    }


def reviews_to_hold(*, user: User, today: date, within_school_days: int = 5) -> list[ReviewMeeting]:
    """Reviews not yet held that were due before today or fall due within `within_school_days`
    school days, the longest overdue first: the dashboard's queue, in one query."""
    horizons = school_day_horizons(school_ids_for(user, RUNS_REVIEWS), today, within_school_days)
    if not horizons:
        return []
    reviews = (
        ReviewMeeting.objects.filter(school_id__in=horizons, status=R.SCHEDULED, due_on__lte=max(horizons.values()))
        .select_related(*LIST_RELATED)
        .order_by("due_on", "pk")
    )
    return [review for review in reviews if review.due_on <= horizons[review.school_id]]


def reviews_due(*, user: User, today: date, within_school_days: int = 5) -> list[ReviewMeeting]:
    """Reviews to hold from today to `within_school_days` school days ahead, soonest first."""
    return [
        review
        for review in reviews_to_hold(user=user, today=today, within_school_days=within_school_days)
        if review.due_on >= today
    ]


def reviews_overdue(*, user: User, today: date) -> list[ReviewMeeting]:
    """Reviews not held by their due date, the longest overdue first."""
    return list(
        ReviewMeeting.objects.filter(
            school_id__in=school_ids_for(user, RUNS_REVIEWS), status=R.SCHEDULED, due_on__lt=today
        )
        .select_related(*LIST_RELATED)
        .order_by("due_on", "pk")
    )


@dataclass(frozen=True)
class HalfTermReviews:
    """How the reviews of the half-term around today stand (the SENDCo's half-term chart)."""

    period: Period | None
    held: int = 0
    to_hold: int = 0
    overdue: int = 0

    @property
    def total(self) -> int:
        return self.held + self.to_hold + self.overdue


def review_figures(*, user: User, school: School, today: date) -> tuple[dict[str, int], HalfTermReviews]:
    """How many reviews each tab of the list holds (as review_counts), and how many of those due in
    the half-term around today (the next one in a holiday) are held, still to hold and overdue
    (cancelled ones left out): the SENDCo dashboard's tiles and chart, in one query."""
    period = _half_term_around(SchoolCalendar.for_school(school), today)
    half_term: dict[str, Count] = {}
    if period is not None:
        in_period = Q(due_on__range=(period.start, period.end))
        half_term = {
            "held": Count("pk", filter=in_period & Q(status=R.HELD)),
            "to_hold": Count("pk", filter=in_period & Q(status=R.SCHEDULED, due_on__gte=today)),
            "overdue": Count("pk", filter=in_period & _overdue(today)),
        }
    prefix = "half_term_"
    counts = _reviews_of(user, school, "", None).aggregate(
        **_tab_counts(today), **{prefix + name: count for name, count in half_term.items()}
    )
    tabs = {name: n for name, n in counts.items() if not name.startswith(prefix)}
    return tabs, HalfTermReviews(period, **{name: counts[prefix + name] for name in half_term})
