"""Statuses move only along declared transitions (docs/architecture.md, writes).

Each model with a status declares a Workflow: the allowed moves and the permission each needs.
Its one service (e.g. referral_transition) calls workflow.apply(), saves, and writes the CaseEvent.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError


@dataclass(frozen=True)
class Transition:
    source: str
    target: str
    perm: str | None  # rules permission checked against the object; None: the service decides
    label: str  # the button or event text, e.g. "Submit to the SENDCo"


class Workflow:
    def __init__(self, transitions: list[Transition], *, field: str = "status"):
        self.transitions = transitions
        self.field = field

    def from_status(self, status: str) -> list[Transition]:
        return [t for t in self.transitions if t.source == status]

    def available_to(self, user, obj) -> list[Transition]:
        """The moves this user may make now (for buttons)."""
        return [t for t in self.from_status(getattr(obj, self.field)) if t.perm is None or user.has_perm(t.perm, obj)]

    def get(self, source: str, target: str, choices=None) -> Transition:
        for transition in self.transitions:
            if transition.source == source and transition.target == target:
                return transition
        labels = dict(choices or [])
        raise ValidationError(
            f"This cannot move from “{labels.get(source, source)}” to “{labels.get(target, target)}”."
        )

    def apply(self, *, obj, target: str, actor) -> Transition:
        """Check the move and the actor's permission, then set the new status (the caller saves)."""
        transition = self._transition_to(obj, target)
        if transition.perm is not None and not actor.has_perm(transition.perm, obj):
            raise PermissionDenied(f"Your role cannot {transition.label.lower()}.")
        setattr(obj, self.field, target)
        return transition

    def apply_for_schedule(self, *, obj, target: str) -> Transition:
        """A move the calendar makes, not a person (a review the term dates no longer reach): the
        move must still be allowed, but no one's role is asked; the caller saves."""
        transition = self._transition_to(obj, target)
        setattr(obj, self.field, target)
        return transition

    def _transition_to(self, obj, target: str) -> Transition:
        return self.get(getattr(obj, self.field), target, obj._meta.get_field(self.field).choices)
