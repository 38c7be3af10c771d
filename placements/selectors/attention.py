"""Placements that need someone to act: the one place where each kind of placement to-do is
declared, with who sees it. A dashboard's tile counts a reason's placements and links to the
placement list filtered to the same reason (?attention=<key>), its to-do list shows the reason's
items; both read the same Attention, so every count has its list.

To add a kind of to-do, declare an AttentionReason and register it (another app does so from its
AppConfig.ready(), as the reviews app does for "the school may end it"):

    register_attention_reason("may_end", AttentionReason(
        label="placements the school may end after three formal reviews without improvement",
        kind="May end",
        find=lambda attention: [...],        # Attention -> list[Todo]
        tiles=frozenset({Role.HEAD}), queue=frozenset(), urgent=False,
    ))
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cached_property
from typing import TYPE_CHECKING

from django.urls import reverse

from apcase.access import school_ids_for
from apcase.calendar import CalendarGap
from apcase.models import Role, School, User
from audits.selectors import provider_clearances
from placements.models import Incident, Placement
from placements.schedule import calendar_for
from placements.selectors.attendance import attendance_missing_among
from placements.selectors.chase import calls_home, escalated_runs
from placements.selectors.contacts import provider_contact_overdue_among
from placements.selectors.notices import notices_due_among, notices_superseded_among
from placements.selectors.placements import (
    RUNS_PLACEMENTS,
    first_day_passed,
    iaps_past_six_weeks_among,
    incidents_needing_review,
    open_placements,
)

if TYPE_CHECKING:
    from placements.selectors.placements import OpenPlacement

SAFEGUARDING_WINDOW = timedelta(days=30)
# A placement starting this soon that the headteacher has not approved is flagged (issue 13 A3).
UNAPPROVED_WARNING_SCHOOL_DAYS = 2
# The provider has what it needs before the pupil arrives: a handover is due two school days before.
HANDOVER_SCHOOL_DAYS = 2
# Those who see placement to-dos at all; each reason narrows to the roles it is for.
WATCHERS = (*RUNS_PLACEMENTS, Role.DSL)


@dataclass(frozen=True)
class Todo:
    """One thing to do about one placement."""

    placement: Placement
    action: str  # what is wrong or to do, after the pupil's name
    url: str
    due: date | None = None
    urgent: bool = False


class Attention:
    """What one page asks about the placements needing attention, read once and shared by every
    reason: the user's open placements (one query) and each reason's to-dos (computed once)."""

    def __init__(self, *, user: User, today: date, school: School | None = None):
        self.user, self.today, self.school = user, today, school
        self._todos: dict[str, list[Todo]] = {}

    def school_ids(self, roles: Iterable[str]) -> set[int]:
        ids = school_ids_for(self.user, roles)
        return ids & {self.school.pk} if self.school is not None else ids

    @cached_property
    def open_placements(self) -> list[OpenPlacement]:
        return open_placements(school_ids=self.school_ids(WATCHERS))

    def placements(self, roles: Iterable[str] = RUNS_PLACEMENTS) -> list[OpenPlacement]:
        """The open placements of the schools where the user holds one of roles."""
        ids = self.school_ids(roles)
        return [placement for placement in self.open_placements if placement.school_id in ids]

    def todos(self, key: str) -> list[Todo]:
        if key not in self._todos:
            self._todos[key] = ATTENTION[key].find(self)
        return self._todos[key]

    def placement_ids(self, key: str) -> set[int]:
        return {todo.placement.pk for todo in self.todos(key)}


@dataclass(frozen=True)
class AttentionReason:
    label: str  # what a tile says after its count, and the list filter's name
    kind: str  # the badge of its items in a to-do list
    find: Callable[[Attention], list[Todo]]
    tiles: frozenset[Role] = frozenset()  # roles whose dashboard counts it
    queue: frozenset[Role] = frozenset()  # roles whose to-do list shows its items
    urgent: bool = False  # a tile in danger rather than warning colours when it counts any


def _detail(placement: Placement) -> str:
    return placement.get_absolute_url()


# --- The reasons ----------------------------------------------------------------------------------


def _notices(attention: Attention) -> list[Todo]:
    """Directions off-site whose notice is not yet issued; one starting within two school days that
    the head has not approved is said so instead (below), not "issue the notice"."""
    unapproved_soon = attention.placement_ids("unapproved_soon")
    todos = []
    for item in notices_due_among(attention.placements(), attention.today):
        placement, deadline = item.placement, item.deadline
        if placement.pk in unapproved_soon:
            continue
        if placement.is_unapproved:
            action = f"the parent notice is due by {deadline.day:%d/%m/%Y}; first the headteacher must approve"
            url = _detail(placement)
        else:
            action = f"issue the notice for {placement.provider.name}"
            url = reverse("placements:notice", args=[placement.public_id])
        todos.append(Todo(placement, action, url, deadline.day, urgent=deadline.days_left <= 1))
    return todos


def _amended_notices(attention: Attention) -> list[Todo]:
    """A direction whose notice a change has superseded: an amended notice is due (docs/policy-steps.md)."""
    placements = attention.placements()
    superseded = notices_superseded_among(placements)
    return [
        Todo(
            p,
            f"issue an amended notice: {', '.join(label.lower() for label, _said, _now in superseded[p.pk])} changed",
            reverse("placements:notice", args=[p.public_id]),
            attention.today,
            urgent=True,
        )
        for p in placements
        if p.pk in superseded
    ]


def _attendance(attention: Attention) -> list[Todo]:
    unmarked: dict[int, list] = {}
    for missing in attendance_missing_among(attention.placements(), attention.today):
        unmarked.setdefault(missing.placement.pk, []).append(missing)
    return [
        Todo(
            sessions[0].placement,
            f"{len(sessions)} session{'s' if len(sessions) != 1 else ''} at {sessions[0].placement.provider.name} "
            "not marked",
            reverse("placements:attendance", args=[sessions[0].placement.public_id]),
            sessions[0].date,
        )
        for sessions in unmarked.values()
    ]


def _absence(attention: Attention) -> list[Todo]:
    flagged = (Placement.AbsenceLevel.PERSISTENT, Placement.AbsenceLevel.SEVERE)
    return [
        Todo(
            p,
            f"absence at {p.provider.name} is {Placement.AbsenceLevel(p.absence_alert_level).label.lower()}",
            _detail(p),
        )
        for p in attention.placements()
        if p.is_live and p.absence_alert_level in flagged
    ]


def _incidents(attention: Attention) -> list[Todo]:
    from django.utils import timezone

    incidents = incidents_needing_review(user=attention.user)
    if attention.school is not None:
        incidents = incidents.filter(placement__school=attention.school)
    return [
        Todo(i.placement, "decide what happens next", _detail(i.placement), timezone.localdate(i.occurred_at), True)
        for i in incidents
    ]


def _iaps(attention: Attention) -> list[Todo]:
    return [
        Todo(item.placement, "review the plan or the return", _detail(item.placement), item.six_weeks_end)
        for item in iaps_past_six_weeks_among(attention.placements(), attention.today)
    ]


def _safeguarding(attention: Attention) -> list[Todo]:
    incidents = (
        Incident.objects.filter(
            placement__school_id__in=attention.school_ids(WATCHERS),
            safeguarding_concern=True,
            occurred_at__date__gte=attention.today - SAFEGUARDING_WINDOW,
        )
        .select_related("placement__pupil", "placement__provider")
        .order_by("occurred_at", "pk")
    )
    return [Todo(i.placement, "safeguarding concern reported", _detail(i.placement), urgent=True) for i in incidents]


def _not_started(attention: Attention, roles=RUNS_PLACEMENTS, offsite_only: bool = False) -> list[Todo]:
    """From the morning of its first day, a placement with no start recorded: the pupil is expected
    somewhere, whatever the record says."""
    return [
        Todo(p, first_day_passed(p), _detail(p), p.start_date, urgent=True)
        for p in attention.placements(roles)
        if p.first_day_passed_unstarted(attention.today) and (p.is_offsite or not offsite_only)
    ]


def _not_started_off_site(attention: Attention) -> list[Todo]:
    return _not_started(attention, roles=[Role.DSL], offsite_only=True)


def _not_cleared(attention: Attention) -> list[Todo]:
    """Approved placements (running or about to) at a provider no longer cleared for placements:
    the DSL's directory judges clearance, and the placement's people must know too."""
    in_force = [p for p in attention.placements() if p.is_in_force]
    clearances = provider_clearances([p.provider for p in in_force], on=attention.today)
    todos = []
    for placement in in_force:
        clearance = clearances[placement.provider_id]
        if not clearance.cleared:
            action = f"{placement.provider.name} is no longer cleared for placements: {clearance.missing[0]}"
            todos.append(Todo(placement, action, _detail(placement), attention.today, urgent=True))  # act today
    return todos


def starts_in_words(start: date, today: date, school_days: int) -> str:
    """'starts tomorrow', 'starts on Monday (the next school day)', 'starts in 2 school days'."""
    if start == today + timedelta(days=1):
        return "starts tomorrow"
    if school_days == 1:
        return f"starts on {start:%A} (the next school day)"
    return f"starts in {school_days} school days"


def _school_days_until(placement: Placement, today: date) -> int | None:
    """School days from today to the first day (0 once it has come); None without term dates."""
    if placement.start_date is None:
        return None
    if placement.start_date <= today:
        return 0
    try:
        return calendar_for(placement).school_days_between(today, placement.start_date)
    except CalendarGap:
        return None


def _unapproved_soon(attention: Attention) -> list[Todo]:
    """From its first day, an unapproved placement is a "first day passed" to-do instead."""
    todos = []
    for p in attention.placements():
        if not p.is_unapproved or p.start_date is None or p.start_date <= attention.today:
            continue
        days = _school_days_until(p, attention.today)
        if days is not None and days <= UNAPPROVED_WARNING_SCHOOL_DAYS:
            action = f"{starts_in_words(p.start_date, attention.today, days)}; not yet approved"
            if p.status == Placement.Status.PLANNED:
                action += " (the headteacher has not been asked)"
            todos.append(Todo(p, action, _detail(p), p.start_date, urgent=True))
    return todos


def _no_handover(attention: Attention) -> list[Todo]:
    """An approved placement with no handover to the provider, from two school days before its
    first day (the school's AP policy: a detailed handover at the start; docs/policy-steps.md)."""
    due: dict[int, OpenPlacement] = {}
    for p in attention.placements():
        days = _school_days_until(p, attention.today) if p.is_in_force and not p.has_handover else None
        if days is not None and days <= HANDOVER_SCHOOL_DAYS:
            due[p.pk] = p  # a first day is set: days is None without one
    return [
        Todo(
            p,
            f"no handover to {p.provider.name} recorded; the first day is {p.start_date:%d/%m/%Y}",
            reverse("placements:handover_new", args=[p.public_id]),
            p.start_date,
            urgent=p.start_date is not None and p.start_date <= attention.today,
        )
        for p in due.values()
    ]


def _provider_contact(attention: Attention) -> list[Todo]:
    return [
        Todo(
            item.placement,
            f"no contact with {item.placement.provider.name} for {item.school_days} school days"
            if item.last
            else f"no contact with {item.placement.provider.name} recorded since the first day",
            item.placement.get_absolute_url() + "#contacts",
            item.due,
        )
        for item in provider_contact_overdue_among(attention.placements(), attention.today)
    ]


def _suitability(attention: Attention) -> list[Todo]:
    """Off-site placements waiting for the school's decision that the provision suits the pupil
    before the headteacher can approve them, and any (approved or not) last judged not suitable."""
    offsite = [p for p in attention.placements(WATCHERS) if p.is_offsite]
    todos = []
    for placement in offsite:
        if placement.suitable is None and placement.is_unapproved:
            action = f"decide whether {placement.provider.name} is suitable for the pupil"
        elif placement.suitable is False:
            action = f"{placement.provider.name} was judged not suitable on {placement.suitability_decided_on:%d/%m/%Y}"
        else:
            continue
        url = reverse("placements:suitability_new", args=[placement.public_id])
        todos.append(Todo(placement, action, url, placement.start_date, urgent=placement.is_in_force))
    return todos


def _chase_url(placement: Placement) -> str:
    return reverse("placements:chase") + f"#chase-{placement.public_id}"


def _call_home(attention: Attention) -> list[Todo]:
    """The daily chase: each pupil to call home about today until someone is reached or a
    message is left (placements.selectors.chase)."""
    placements = Placement.objects.filter(school_id__in=attention.school_ids([Role.OFFICE]))
    todos = []
    for item in calls_home(placements):
        if not item.settled:
            said = "; ".join(chased.in_a_sentence for chased in item.sessions)
            action = f"call home: {said} at {item.placement.provider.name}"
            todos.append(Todo(item.placement, action, _chase_url(item.placement), attention.today, urgent=True))
    return todos


def _escalated(attention: Attention) -> list[Todo]:
    """A run of unexplained absence past the school's escalation: the SENDCo and the DSL, with
    what the law or the pupil's care asks next (the attendance return, the Virtual School)."""
    placements = Placement.objects.filter(school_id__in=attention.school_ids([Role.SENDCO, Role.DSL]))
    todos = []
    for item in escalated_runs(placements, today=attention.today):
        words = [f"{item.run.sessions} unexplained sessions in a row"]
        if item.return_due and not item.return_sent:
            words.append(f"{item.run.school_days} school days: the attendance return to the LA is due")
        if item.virtual_school_due and not item.virtual_school_sent:
            words.append("tell the Virtual School")
        todos.append(Todo(item.placement, "; ".join(words), _chase_url(item.placement), item.run.sessions_from, True))
    return todos


S, H, D = frozenset({Role.SENDCO}), frozenset({Role.HEAD}), frozenset({Role.DSL})
SH = S | H
ATTENTION: dict[str, AttentionReason] = {
    "not_started": AttentionReason(
        "placements past their first day with no start recorded", "First day passed", _not_started, S, S, True
    ),
    "not_started_offsite": AttentionReason(
        "off-site placements past their first day with no start recorded",
        "First day passed",
        _not_started_off_site,
        D,
        D,
        True,
    ),
    "unapproved_soon": AttentionReason(
        "placements starting within two school days, not yet approved",
        "Not approved",
        _unapproved_soon,
        SH,
        SH,
        True,
    ),
    "not_cleared": AttentionReason(
        "placements at a provider no longer cleared", "Provider not cleared", _not_cleared, SH, SH, True
    ),
    "suitability": AttentionReason(
        "off-site placements with no decision that they suit the pupil",
        "Suitability",
        _suitability,
        S,
        S | D,
    ),
    "handover": AttentionReason(
        "placements with no handover two school days before the first day", "Handover", _no_handover, S, S
    ),
    "notice": AttentionReason("parent notices to issue", "Parent notice", _notices, SH, S, True),
    "amended_notice": AttentionReason(
        "parent notices superseded by a change", "Amended notice", _amended_notices, S, S, True
    ),
    "attendance": AttentionReason("placements with attendance not recorded", "Attendance", _attendance, S, S),
    "absence": AttentionReason("placements with absence at 10% or more", "Absence", _absence, S),
    "incident": AttentionReason(
        "serious incidents waiting for a decision", "Serious incident", _incidents, SH, S, True
    ),
    "provider_contact": AttentionReason(
        "placements with no recent contact with the provider", "Provider contact", _provider_contact, S, S
    ),
    "iap": AttentionReason("Internal AP placements past six weeks", "Internal AP past six weeks", _iaps, S, S),
    "safeguarding": AttentionReason(
        "placements with a safeguarding concern in the last 30 days", "Safeguarding", _safeguarding, D, urgent=True
    ),
    "call_home": AttentionReason(
        "pupils to call home about today", "Call home", _call_home, queue=frozenset({Role.OFFICE}), urgent=True
    ),
    "absence_escalated": AttentionReason(
        "pupils with a run of unexplained absence", "Unexplained absence", _escalated, queue=S | D, urgent=True
    ),
}


def register_attention_reason(key: str, reason: AttentionReason) -> None:
    """Another app's reason a placement needs someone (the reviews app: the school may end it),
    so its tile links to this list like the rest. Called from an AppConfig.ready()."""
    ATTENTION.setdefault(key, reason)


def attention_ids(*, user: User, reason: str, today: date, school: School | None = None) -> set[int]:
    """The placements the list shows for ?attention=<reason>: those the dashboard's tile counts."""
    return Attention(user=user, today=today, school=school).placement_ids(reason)
