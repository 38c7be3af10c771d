"""What each role sees first at /. The top of the house: reads every app through its selectors.

A dashboard is made of tiles (a count that links to the list it counts, filtered the same way)
and a queue of things to act on, most urgent first. A user with several roles in the school
(a head who is also the DSL) sees each role's panel.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode

from apcase.access import school_ids_for
from apcase.models import Role, School, User

if TYPE_CHECKING:
    from placements.selectors.figures import Spending


@dataclass(frozen=True)
class Tile:
    label: str
    count: int
    url: str
    tone: str = ""  # "", "is-warning" or "is-danger" (classes on .stat-tile)

    @property
    def words(self) -> str:
        """The label read after its count: "1 parent notice to issue", "2 parent notices to issue"."""
        return singular(self.label) if self.count == 1 else self.label


# The plural nouns tile labels are counted in, and each one's singular (issue 13 D3).
SINGULARS = {
    "placements": "placement",
    "notices": "notice",
    "Causes": "Cause",
    "referrals": "referral",
    "reviews": "review",
    "decisions": "decision",
    "providers": "provider",
    "actions": "action",
    "pupils": "pupil",
    "records": "record",
    "incidents": "incident",
    "letters": "letter",
    "messages": "message",
}


def singular(label: str) -> str:
    """The label with its first counted noun made singular."""
    words = label.split(" ")
    for n, word in enumerate(words):
        if word in SINGULARS:
            return " ".join([*words[:n], SINGULARS[word], *words[n + 1 :]])
    return label


@dataclass(frozen=True)
class QueueItem:
    kind: str  # what sort of work, e.g. "Referral to review"
    title: str
    url: str
    due: date | None = None  # when it must be done by, if anything fixes that
    tone: str = ""

    @property
    def is_urgent(self) -> bool:
        return self.tone == "is-danger"


@dataclass
class Panel:
    role: Role
    title: str
    template: str
    tiles: list[Tile] = field(default_factory=list)
    queue: list[QueueItem] = field(default_factory=list)
    extra: dict = field(default_factory=dict)


def _url(name: str, **query) -> str:
    url = reverse(name)
    return f"{url}?{urlencode(query)}" if query else url


def _sorted_queue(items: list[QueueItem]) -> list[QueueItem]:
    # Dated work first, soonest first; undated work keeps the order it was added in.
    return sorted(items, key=lambda item: (item.due is None, item.due or date.min))


def _failed_messages(user: User) -> list[QueueItem]:
    """The sender's own messages that failed or bounced: theirs to put right (one query)."""
    from outbox.selectors import messages_needing_sender

    return [
        QueueItem(
            "Message not delivered",
            f"{message.get_purpose_display()} to {message.recipient_name}: {message.get_status_display().lower()}",
            reverse("outbox:detail", args=[message.public_id]),
            due=timezone.localdate(message.created_at),
            tone="is-danger",
        )
        for message in messages_needing_sender(user=user)
    ]


# --- SENDCo ---------------------------------------------------------------------------------------


def _placement_work(attention, role: Role) -> tuple[list[Tile], list[QueueItem]]:
    """The role's placement tiles and to-dos, as declared once per kind of to-do in
    placements.selectors.attention; each kind is read once for its tile and its to-dos."""
    from placements.selectors.attention import ATTENTION

    tiles, queue = [], []
    for key, reason in ATTENTION.items():
        if role in reason.tiles:
            count = len(attention.placement_ids(key))
            tone = ("is-danger" if reason.urgent else "is-warning") if count else ""
            tiles.append(Tile(reason.label, count, _url("placements:list", attention=key), tone))
        if role in reason.queue:
            queue += [
                QueueItem(
                    reason.kind,
                    f"{todo.placement.pupil.display_name}: {todo.action}",
                    todo.url,
                    due=todo.due,
                    tone="is-danger" if todo.urgent else "is-warning",
                )
                for todo in attention.todos(key)
            ]
    return tiles, queue


def _review_work(user: User, counts: dict[str, int], school: School, today: date) -> tuple[list[Tile], list[QueueItem]]:
    """Reviews to hold and overdue, and check-ins after a return to class, for those who run reviews."""
    from reviews.selectors import check_ins_due, reviews_to_hold

    tiles = [
        Tile("reviews to hold", counts["upcoming"], _url("reviews:list")),
        Tile(
            "reviews overdue",
            counts["overdue"],
            _url("reviews:list", view="overdue"),
            "is-danger" if counts["overdue"] else "",
        ),
    ]
    queue = [
        QueueItem(
            "Review overdue" if review.due_on < today else "Review",
            f"{review.placement.pupil.display_name}: {review.get_kind_display()} ({review.placement.provider.name})",
            review.get_absolute_url(),
            due=review.due_on,
            tone="is-danger" if review.due_on < today else "",
        )
        for review in reviews_to_hold(user=user, today=today)
        if review.school_id == school.pk
    ]
    queue += [
        QueueItem(
            "Check-in after the return",
            f"{check_in.placement.pupil.display_name}: is the pupil still in class {check_in.weeks_after} weeks on?",
            reverse("reintegration:check_in", args=[check_in.placement.public_id, check_in.weeks_after]),
            due=check_in.due_on,
            tone="is-warning" if check_in.due_on < today else "",
        )
        for check_in in check_ins_due(user=user, today=today)
        if check_in.placement.school_id == school.pk
    ]
    return tiles, queue


def sendco_panel(*, user: User, school: School, today: date, attention) -> Panel:
    from placements.selectors.placements import caseload_among
    from pupils.models import Referral
    from pupils.selectors import referral_list_for_user
    from reviews.charts import half_term_chart
    from reviews.selectors import review_figures

    referrals = list(
        referral_list_for_user(user=user).filter(
            status__in=[Referral.Status.SUBMITTED, Referral.Status.UNDER_REVIEW, Referral.Status.AWAITING_APPROVAL]
        )
    )
    by_status = {status: [r for r in referrals if r.status == status] for status in Referral.Status.values}
    placement_tiles, placement_queue = _placement_work(attention, Role.SENDCO)
    review_counts, half_term = review_figures(user=user, school=school, today=today)
    review_tiles, review_queue = _review_work(user, review_counts, school, today)
    tiles = [
        Tile(
            "new Causes for Concern to review",
            len(by_status[Referral.Status.SUBMITTED]),
            _url("referrals:list", status=Referral.Status.SUBMITTED),
            "is-warning" if by_status[Referral.Status.SUBMITTED] else "",
        ),
        Tile(
            "referrals you are reviewing",
            len(by_status[Referral.Status.UNDER_REVIEW]),
            _url("referrals:list", status=Referral.Status.UNDER_REVIEW),
        ),
        Tile(
            "waiting for the head's decision",
            len(by_status[Referral.Status.AWAITING_APPROVAL]),
            _url("referrals:list", status=Referral.Status.AWAITING_APPROVAL),
        ),
        *placement_tiles,
        *review_tiles,
    ]
    queue = [
        QueueItem(
            "New Cause for Concern" if referral.status == Referral.Status.SUBMITTED else "Referral under review",
            f"{referral.pupil.display_name} ({referral.pupil.get_year_group_display()}) by {referral.raised_by}",
            referral.get_absolute_url(),
            due=timezone.localdate(referral.submitted_at) if referral.submitted_at else None,
        )
        for referral in referrals
        if referral.status in (Referral.Status.SUBMITTED, Referral.Status.UNDER_REVIEW)
    ]
    queue += placement_queue + review_queue + _failed_messages(user)
    return Panel(
        Role.SENDCO,
        "Your work as SENDCo",
        "dashboards/sendco.html",
        tiles,
        _sorted_queue(queue),
        extra={
            "caseload": caseload_among(attention.placements(), today),
            "half_term": half_term,
            "half_term_chart": half_term_chart(half_term),
        },
    )


@dataclass(frozen=True)
class SendcoCharts:
    attendance: str | None  # data: URL of the weekly attendance chart, None without marks
    weeks: list  # [(monday, Figures)] behind it, for the table a screen reader gets
    steps: str | None
    term: object  # the Period the steps are counted over, or None


def sendco_charts(*, school: School, today: date) -> SendcoCharts:
    """The SENDCo's two small charts, loaded after the dashboard (three queries and the calendar):
    attendance at all placements over eight weeks, and framework stages gained this term."""
    from apcase.calendar import SchoolCalendar
    from placements.charts import school_attendance_chart
    from placements.selectors.attendance import school_attendance_by_week
    from reviews.charts import steps_chart
    from reviews.selectors import progress_steps

    weeks = school_attendance_by_week(school_id=school.pk, today=today)
    term = SchoolCalendar.for_school(school).term_for(today)
    pupils = progress_steps(school_ids=[school.pk], start=term.start, end=today) if term else []
    return SendcoCharts(school_attendance_chart(weeks), weeks, steps_chart(pupils), term)


# --- Headteacher ----------------------------------------------------------------------------------


def head_panel(*, user: User, school: School, today: date, attention) -> Panel:
    from pupils.selectors import approvals_pending_for_user

    pending = approvals_pending_for_user(user=user, with_facts=False)
    placement_tiles, queue = _placement_work(attention, Role.HEAD)
    tiles = [
        Tile(
            "decisions waiting for you",
            len(pending),
            _url("approvals:inbox"),
            "is-warning" if pending else "",
        ),
        *placement_tiles,
    ]
    return Panel(
        Role.HEAD,
        "Your decisions",
        "dashboards/head.html",
        tiles,
        _sorted_queue(queue),
        extra={
            "pending": pending[:8],
            "may_end": attention.todos("may_end"),
            "year": year_in_numbers(school=school, today=today),
        },
    )


@dataclass(frozen=True)
class YearInNumbers:
    spending: Spending  # as the governors' report shows it
    outcomes: list[tuple[str, int]]  # how placements ended so far this academic year


def year_in_numbers(*, school: School, today: date) -> YearInNumbers | None:
    """This academic year's committed cost against the AP budget, and how placements ended."""
    from apcase.calendar import SchoolCalendar
    from placements.selectors.figures import placement_figures

    year = SchoolCalendar.for_school(school).academic_year_on(today)
    if year is None:
        return None
    figures = placement_figures(school=school, year=year, ended_from=year.start, ended_to=min(today, year.end))
    return YearInNumbers(figures.spending, figures.outcomes())


# --- Designated Safeguarding Lead -----------------------------------------------------------------


def dsl_panel(*, user: User, school: School, today: date, attention) -> Panel:
    from audits.selectors import further_actions_open, provider_list_with_clearance
    from pupils.selectors import referral_list_for_user

    # The directory's rows once; its "not cleared" and "renewal due" filters select from the same.
    rows = provider_list_with_clearance(user, school=school, on=today, with_main_site=False)
    not_cleared = [row for row in rows if not row.clearance.cleared]
    renewals = [row for row in rows if row.renewal_due]
    actions = list(further_actions_open(user=user, school=school))
    flagged = referral_list_for_user(user=user, flagged=True)
    overdue = [action for action in actions if action.due_on < today]
    tiles = [
        Tile(
            "providers not cleared for placements",
            len(not_cleared),
            _url("providers:list", status="not_cleared"),
            "is-danger" if not_cleared else "",
        ),
        Tile(
            "providers with a confirmation or audit to renew within 30 days",
            len(renewals),
            _url("providers:list", status="renewal_due"),
            "is-warning" if renewals else "",
        ),
        Tile(
            "open further actions from audits", len(actions), _url("providers:actions"), "is-danger" if overdue else ""
        ),
        Tile("referrals flagged with a safeguarding concern", flagged.count(), _url("referrals:list", flagged=1)),
    ]
    placement_tiles, queue = _placement_work(attention, Role.DSL)
    tiles += placement_tiles
    queue += [
        QueueItem(
            "Further action",
            f"{action.answer.audit.provider.name}: {action.description}",
            _url("providers:actions"),
            due=action.due_on,
            tone="is-danger" if action.due_on < today else "",
        )
        for action in actions
    ]
    return Panel(
        Role.DSL,
        "Safeguarding",
        "dashboards/dsl.html",
        tiles,
        _sorted_queue(queue),
        extra={"not_cleared": not_cleared[:6]},
    )


# --- Teacher --------------------------------------------------------------------------------------


def teacher_panel(*, user: User, school: School, today: date, attention) -> Panel:
    from django.db.models import Exists, OuterRef

    from placements.selectors import placement_list_for_user
    from pupils.selectors import referral_list_for_user
    from reviews.models import ReintegrationPlan
    from reviews.selectors import check_ins_due

    mine = referral_list_for_user(user=user)
    # The tile, the list it links to and the card below read the same placements: current ones.
    current = {"group": "live"}
    in_ap = placement_list_for_user(user=user, school=school, **current).annotate(
        has_plan=Exists(ReintegrationPlan.objects.filter(placement=OuterRef("pk")))
    )
    tiles = [
        Tile("Causes for Concern you can follow", mine.count(), _url("referrals:list")),
        Tile(
            "current placements of pupils you teach",
            placement_list_for_user(user=user, school=school, **current).count(),
            _url("placements:list", **current),
        ),
    ]
    # The class teacher is asked at 2, 6 and 12 weeks whether a returned pupil is still in class.
    queue = [
        QueueItem(
            "Check-in after the return",
            f"{check_in.placement.pupil.display_name}: still in class {check_in.weeks_after} weeks on?",
            reverse("reintegration:check_in", args=[check_in.placement.public_id, check_in.weeks_after]),
            due=check_in.due_on,
        )
        for check_in in check_ins_due(user=user, today=today)
        if check_in.placement.school_id == school.pk
    ]
    return Panel(
        Role.TEACHER,
        "Your pupils",
        "dashboards/teacher.html",
        tiles,
        queue,
        extra={"referrals": list(mine[:8]), "in_ap": list(in_ap[:8])},
    )


# --- School office --------------------------------------------------------------------------------


def office_panel(*, user: User, school: School, today: date, attention) -> Panel:
    from outbox.models import Message
    from outbox.selectors import outbox_school_figures
    from pupils.models import Pupil
    from pupils.retention import pupils_due_for_retention_review

    on_roll = Pupil.objects.filter(school=school).on_roll().count()
    outbox = outbox_school_figures(school=school)
    due = pupils_due_for_retention_review(school_ids=school_ids_for(user, [Role.OFFICE]), today=today)
    placement_tiles, queue = _placement_work(attention, Role.OFFICE)
    tiles = [
        Tile("pupils on roll", on_roll, _url("pupils:list")),
        Tile(
            "former pupils' records due for retention review",
            len(due),
            _url("pupils:retention"),
            "is-warning" if due else "",
        ),
        *placement_tiles,
        Tile(
            "messages that failed or bounced",
            outbox["needs_action"],
            _url("outbox:list"),  # failed and bounced come first there
            "is-danger" if outbox["needs_action"] else "",
        ),
        Tile(
            "letters waiting to be posted or handed over",
            outbox["waiting"],
            _url("outbox:list", status=Message.Status.QUEUED),
            "is-warning" if outbox["waiting"] else "",
        ),
    ]
    return Panel(Role.OFFICE, "The school office", "dashboards/office.html", tiles, _sorted_queue(queue))


# --- Governor -------------------------------------------------------------------------------------


def governor_panel(*, user: User, school: School, today: date, attention) -> Panel:
    """Aggregates only: the governors' report holds the detail, with small groups suppressed."""
    return Panel(Role.GOVERNOR, "For governors", "dashboards/governor.html")


PANELS = {
    Role.HEAD: head_panel,
    Role.SENDCO: sendco_panel,
    Role.DSL: dsl_panel,
    Role.TEACHER: teacher_panel,
    Role.OFFICE: office_panel,
    Role.GOVERNOR: governor_panel,
}


def dashboard_for(*, user: User, school: School | None, roles: list[Role], today: date | None = None) -> list[Panel]:
    if school is None:
        return []
    from placements.selectors.attention import Attention

    today = today or timezone.localdate()
    # One reading of the placements needing attention, shared by every panel the user holds.
    attention = Attention(user=user, today=today, school=school)
    return [
        PANELS[role](user=user, school=school, today=today, attention=attention) for role in PANELS if role in roles
    ]
