"""The handover pack: the placement's handover record as a letter to the provider's contact,
rendered once when it is sent; the stored copy is what the provider receives."""

from __future__ import annotations

from datetime import date

from apcase.pdf import render_pdf
from placements.models import Handover

TITLE = "Handover to the provider"


def handover_pdf(handover: Handover, *, letter_date: date) -> bytes:
    placement = handover.placement
    context = {"school": placement.school, "placement": placement, "handover": handover, "today": letter_date}
    return render_pdf("letters/handover.html", context)
