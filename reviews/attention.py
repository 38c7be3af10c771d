"""The reviews app's reason a placement needs someone: the school may end it after three formal
reviews without improvement (docs/domain-rules.md#formal-reviews). Declared like the placements app's own to-dos
(placements.selectors.attention), so the headteacher's tile links to the list it counts."""

from __future__ import annotations

from apcase.models import Role
from placements.selectors.attention import Attention, AttentionReason, Todo, register_attention_reason
from reviews.selectors import placements_flagged_for_ending


def _may_end(attention: Attention) -> list[Todo]:
    schools = attention.school_ids([Role.SENDCO, Role.HEAD])
    return [
        Todo(
            item.placement,
            "three formal reviews in a row without improvement, the last on "
            f"{item.formal_reviews[-1].held_on:%d/%m/%Y}",
            item.placement.get_absolute_url(),
        )
        for item in placements_flagged_for_ending(user=attention.user)
        if item.placement.school_id in schools
    ]


def register_may_end_attention() -> None:
    register_attention_reason(
        "may_end",
        AttentionReason(
            "placements the school may end after three formal reviews without improvement",
            "May end",
            _may_end,
            tiles=frozenset({Role.HEAD}),
        ),
    )
