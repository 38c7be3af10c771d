"""Where reminders come from: sources that read the database and say what is falling due.

A source is a function `source(today) -> Iterable[ReminderSpec]`, registered with
@reminder_source. The dispatcher asks every source on every run, so work that was missed —
beat down, broker lost, worker killed — is found again on the next run.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date

from django.db import models


@dataclass(frozen=True)
class ReminderSpec:
    kind: str
    target: models.Model  # the record the reminder is about (its school must be target.school_id)
    school_id: int
    due_on: date
    recipient_ids: tuple[int, ...]
    title: str  # initials only, never sensitive detail: it goes by e-mail
    link: str


ReminderSource = Callable[[date], Iterable[ReminderSpec]]
SOURCES: list[ReminderSource] = []


def reminder_source(func: ReminderSource) -> ReminderSource:
    SOURCES.append(func)
    return func
