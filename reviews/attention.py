"""The reviews app's reason a placement needs someone, for the placement list's ?attention= filter
(placements.selectors.attention) and the headteacher's dashboard tile that links to it."""

from __future__ import annotations

from placements.selectors.attention import AttentionReason, register_attention_reason
from reviews.selectors import placements_flagged_for_ending


def register_may_end_attention() -> None:
    register_attention_reason(
        "may_end",
        AttentionReason(
            "placements the school may end after three formal reviews without improvement",
            lambda user, today: {item.placement.pk for item in placements_flagged_for_ending(user=user)},
        ),
    )
