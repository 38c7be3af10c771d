"""The registry of approval kinds: what the headteacher's inbox shows and what deciding does.

Each app registers its kinds in its AppConfig.ready(), e.g.

    register_approval_kind(
        "placement",
        label="Placement",
        facts=placement_approval_facts,          # subject -> [(label, value), ...]
        on_decided=placement_on_approval_decided,  # (approval, actor) -> None, same transaction
        subject_queryset=Placement.objects.select_related("pupil", "provider"),
    )

subject_queryset is how the inbox loads every subject of the kind in one query; give it the
select_related/prefetch_related the facts function needs, or the inbox runs a query per row.

The approval services write no chronology entry of their own: asking and deciding each move
the subject through its own workflow service, and that service records the step (the referral's
"sent to the headteacher" and "approved"), so one step is never recorded twice. A kind whose
decision moves no status should record its CaseEvent in on_decided.

The subject's get_absolute_url(), if it has one, is where the inbox and the requester's
notification link to.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.db.models import QuerySet

Facts = list[tuple[str, str]]


@dataclass(frozen=True)
class ApprovalKind:
    kind: str
    label: str
    facts: Callable[[Any], Facts]
    on_decided: Callable[[Any, Any], None]
    subject_queryset: QuerySet | None = field(default=None, compare=False)


_KINDS: dict[str, ApprovalKind] = {}


def register_approval_kind(
    kind: str,
    *,
    label: str,
    facts: Callable[[Any], Facts],
    on_decided: Callable[[Any, Any], None],
    subject_queryset: QuerySet | None = None,
) -> ApprovalKind:
    entry = ApprovalKind(kind, label, facts, on_decided, subject_queryset)
    existing = _KINDS.get(kind)
    if existing is not None and existing != entry:
        raise ImproperlyConfigured(f"Approval kind {kind!r} is already registered differently.")
    _KINDS[kind] = entry
    return entry


def approval_kind(kind: str) -> ApprovalKind:
    try:
        return _KINDS[kind]
    except KeyError:
        raise ImproperlyConfigured(
            f"No approval kind {kind!r} is registered; register it in its app's ready()."
        ) from None
