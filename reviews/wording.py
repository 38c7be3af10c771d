"""Putting records into words for the chronology, the pages and reminders."""

from __future__ import annotations


def lower_first(text: str) -> str:
    """A label in the middle of a sentence: "weekly IAP reintegration review" keeps IAP in capitals."""
    return text[:1].lower() + text[1:]


def count_of(items: list, noun: str) -> str:
    """ "1 review", "3 reviews"."""
    return f"{len(items)} {noun}{'s' if len(items) != 1 else ''}"


def and_list(words: list[str]) -> str:
    """ "a, b and c"."""
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} and {words[-1]}"
