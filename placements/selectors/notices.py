"""Reads for the parent notice page and the notices falling due."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from django.urls import reverse

from apcase.access import school_ids_for
from apcase.calendar import CalendarGap
from apcase.models import User
from outbox.models import Message
from outbox.selectors import messages_about
from placements.models import ParentNotice, Placement
from placements.notice import (
    NoticeRecipient,
    notice_changes,
    notice_deadline,
    notice_facts,
    notice_missing_items,
    notice_recipients,
)
from placements.schedule import calendar_for, with_shared_schools
from placements.selectors.placements import RUNS_PLACEMENTS


@dataclass(frozen=True)
class Deadline:
    """The latest date for the notice, and school days from today to it (negative once passed)."""

    day: date
    days_left: int

    @property
    def is_passed(self) -> bool:
        return self.days_left < 0


def notice_deadline_from(placement: Placement, today: date) -> Deadline | None:
    """None when there is no first day yet, or the term dates do not reach it."""
    if placement.start_date is None:
        return None
    try:
        day = notice_deadline(placement)
        return Deadline(day, calendar_for(placement).school_days_between(today, day))
    except CalendarGap:
        return None


@dataclass(frozen=True)
class NoticeDue:
    placement: Placement
    deadline: Deadline


def notices_due(*, user: User, today: date) -> list[NoticeDue]:
    """Directions off-site whose notice is not yet issued, soonest deadline first (the SENDCo's and
    head's queue). Placements without a first day, or beyond the term dates, come last."""
    return notices_due_in(school_ids=school_ids_for(user, RUNS_PLACEMENTS), today=today)


def notices_due_in(*, school_ids, today: date) -> list[NoticeDue]:
    """The same for these schools, whoever asks (the reminders)."""
    placements = (
        Placement.objects.before_start()
        .filter(school_id__in=school_ids, kind=Placement.Kind.OFFSITE, directed_off_site=True, notice__isnull=True)
        .select_related("pupil", "provider", "school")
        .order_by("start_date", "pk")
    )
    return notices_due_among(with_shared_schools(placements), today)


def notices_due_among(placements: Sequence[Placement], today: date) -> list[NoticeDue]:
    """The same among placements already loaded: a direction off-site not started has no notice
    until it is issued (issuing moves it to "notice issued")."""
    due = [
        NoticeDue(p, deadline)
        for p in placements
        if p.notice_required
        and p.status in Placement.BEFORE_START
        and p.status != Placement.Status.NOTICE_ISSUED
        and (deadline := notice_deadline_from(p, today))
    ]
    return sorted(due, key=lambda item: item.deadline.day)


def notices_superseded_among(placements: Sequence[Placement]) -> dict[int, list[tuple[str, str, str]]]:
    """Placement id -> what changed since the notice stated it, for the directions among these
    whose notice a change has superseded: an amended notice is due (docs/policy-steps.md). Sending
    the amended notice updates what the notice states. The placements as open_placements reads
    them, each with its notice joined (no query)."""
    issued = [p for p in placements if p.notice_required and p.is_in_force and hasattr(p, "notice")]
    changed = {p.pk: notice_changes(p, p.notice.stated) for p in issued}
    return {pk: changes for pk, changes in changed.items() if changes}


@dataclass(frozen=True)
class NoticeState:
    """Everything the notice page shows: ready or what is missing, by when, to whom, and once issued
    what has changed on the placement since."""

    missing: list[str]
    facts: dict[str, str]  # what the letter states now
    deadline: Deadline | None
    recipients: list[NoticeRecipient]
    issued: ParentNotice | None
    changes: list[tuple[str, str, str]]
    messages: list[Message]  # the service record: what was sent, to whom, when, and whether it failed

    @property
    def superseded(self) -> bool:
        """A fact the notice states has changed since: an amended notice is due."""
        return bool(self.changes)

    @property
    def ready(self) -> bool:
        return not self.missing and self.issued is None


def notice_state(placement: Placement, today: date) -> NoticeState:
    try:
        issued = placement.notice  # placement_detail_queryset joins it, who issued it and the letter
    except ParentNotice.DoesNotExist:
        issued = None
    return NoticeState(
        missing=[] if issued else notice_missing_items(placement),
        facts=notice_facts(placement),
        deadline=notice_deadline_from(placement, today),
        recipients=notice_recipients(placement),
        issued=issued,
        changes=notice_changes(placement, issued.stated) if issued else [],
        messages=messages_about(link=reverse("placements:notice", args=[placement.public_id])) if issued else [],
    )
