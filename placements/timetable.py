"""The weekly timetable of a placement: which of the ten sessions of a school week (Monday to
Friday, morning and afternoon) the pupil spends at the provision. Attendance is registered per
session, so the timetable is what says which sessions are expected there."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import models


class Session(models.TextChoices):
    AM = "am", "Morning"
    PM = "pm", "Afternoon"


WEEKDAYS = ("mon", "tue", "wed", "thu", "fri")
WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday")
SESSION_KEYS = tuple(f"{day}_{half}" for day in WEEKDAYS for half in Session.values)
FULL_WEEK = len(SESSION_KEYS)


def session_key(day: date, session: str) -> str:
    """The timetable key of a session on a weekday, e.g. "wed_pm"."""
    return f"{WEEKDAYS[day.weekday()]}_{session}"


def session_label(key: str) -> str:
    weekday, half = key.split("_")
    return f"{WEEKDAY_NAMES[WEEKDAYS.index(weekday)]} {Session(half).label.lower()}"


def validate_timetable(value) -> None:
    if not isinstance(value, list) or any(key not in SESSION_KEYS for key in value):
        raise ValidationError("The timetable is a list of sessions from Monday morning to Friday afternoon.")
    if len(set(value)) != len(value):
        raise ValidationError("A session is listed twice in the timetable.")


def sorted_sessions(keys) -> list[str]:
    """Keys in week order, whatever order they were ticked in."""
    return [key for key in SESSION_KEYS if key in set(keys)]


def timetable_summary(keys) -> str:
    """How a letter says it: "Monday and Tuesday (all day); Wednesday (mornings)"."""
    chosen = set(keys)
    groups: dict[str, list[str]] = {"all day": [], "mornings": [], "afternoons": []}
    for weekday, name in zip(WEEKDAYS, WEEKDAY_NAMES, strict=True):
        am, pm = f"{weekday}_am" in chosen, f"{weekday}_pm" in chosen
        if am and pm:
            groups["all day"].append(name)
        elif am:
            groups["mornings"].append(name)
        elif pm:
            groups["afternoons"].append(name)
    return "; ".join(f"{_and_list(days)} ({when})" for when, days in groups.items() if days)


def _and_list(items: list[str]) -> str:
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"


def week_grid(keys) -> list[tuple[str, list[bool]]]:
    """(Morning/Afternoon, [at the provision Monday..Friday]) rows, for a timetable table."""
    chosen = set(keys)
    return [(Session(half).label, [f"{day}_{half}" in chosen for day in WEEKDAYS]) for half in Session.values]
