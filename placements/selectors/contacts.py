"""Reads of the contact log: a placement's contacts, and placements whose provider has not been
in touch for longer than the school's interval (a weekly conversation by default: the school's
AP policy asks for one; docs/decisions.md, "The contact log")."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

from apcase.calendar import CalendarGap
from placements.models import ContactLog, Placement
from placements.schedule import calendar_for

if TYPE_CHECKING:
    from placements.selectors.placements import OpenPlacement

PROVIDER = ContactLog.Party.PROVIDER


def placement_contacts(placement: Placement) -> list[ContactLog]:
    """The placement's contact log, newest first (one query)."""
    return list(placement.contact_log.select_related("recorded_by"))


def last_provider_contact(contacts: list[ContactLog]) -> ContactLog | None:
    return next((entry for entry in contacts if entry.party == PROVIDER), None)


@dataclass(frozen=True)
class ContactOverdue:
    placement: Placement
    last: date | None  # the last contact with the provider, None if never
    school_days: int  # school days since the last contact (or the first day)
    due: date  # the school day by which the next contact was due


def provider_contact_overdue_among(placements: list[OpenPlacement], today: date) -> list[ContactOverdue]:
    """Running placements with no contact with the provider for more than the school's interval
    of school days, counted from the last contact or, before any, from the first day. The
    placements as open_placements reads them: the last contact comes with each (no query)."""
    overdue = []
    for placement in placements:
        if not (placement.is_live and placement.start_date):
            continue
        last = placement.last_provider_contact
        since = max(filter(None, [last, placement.start_date]))
        interval = placement.school.provider_contact_school_days
        try:
            calendar = calendar_for(placement)
            days = calendar.school_days_between(since, today)
            if days > interval:
                due = calendar.add_school_days(since, interval)
                overdue.append(ContactOverdue(placement, last, days, due))
        except CalendarGap:
            continue
    return overdue


FOLLOW_UP_LOOKBACK_DAYS = 14  # a dispatcher down over a holiday still finds the follow-ups it missed


def contact_follow_ups_due(*, today: date) -> list[ContactLog]:
    """Contacts whose follow-up day has come (the reminders' source; one query)."""
    return list(
        ContactLog.objects.filter(
            follow_up_on__lte=today, follow_up_on__gte=today - timedelta(days=FOLLOW_UP_LOOKBACK_DAYS)
        ).select_related("pupil", "placement")
    )
