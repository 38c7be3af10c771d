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

A kind may ask the headteacher something before they approve (decision_check): for example, a
placement whose first day has already passed needs a new first day or a reason. The check gives
the warning the inbox shows, the fields it adds to the decision, and resolve(), which
approval_decide calls in the same transaction before on_decided.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.db.models import QuerySet

Facts = list[tuple[str, str]]


@dataclass(frozen=True)
class DecisionCheck:
    """What the headteacher must answer to approve this subject now."""

    warning: str  # shown above the decision
    fields: dict[str, Any]  # form fields added to the decision, each optional: one answer is enough
    unanswered: str  # the error when approving without any answer
    # (answers, actor) -> a sentence added to the decision's reasons; raises ValidationError
    # ({field name: message}) when an answer cannot be used.
    resolve: Callable[[dict, Any], str]


@dataclass(frozen=True)
class ApprovalKind:
    kind: str
    label: str
    facts: Callable[[Any], Facts]
    on_decided: Callable[[Any, Any], None]
    subject_queryset: QuerySet | None = field(default=None, compare=False)
    # (subject, day of the decision) -> a DecisionCheck, or None when approving needs nothing more.
    decision_check: Callable[[Any, Any], DecisionCheck | None] | None = field(default=None, compare=False)

    def check_for(self, subject, day) -> DecisionCheck | None:
        return self.decision_check(subject, day) if self.decision_check else None


_KINDS: dict[str, ApprovalKind] = {}


def register_approval_kind(
    kind: str,
    *,
    label: str,
    facts: Callable[[Any], Facts],
    on_decided: Callable[[Any, Any], None],
    subject_queryset: QuerySet | None = None,
    decision_check: Callable[[Any, Any], DecisionCheck | None] | None = None,
) -> ApprovalKind:
    entry = ApprovalKind(kind, label, facts, on_decided, subject_queryset, decision_check)
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
