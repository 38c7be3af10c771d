"""The letter telling the local authority of a placement the school commissions (DfE, Arranging
alternative provision, 2025: schools should always inform the LA). Rendered once when the school
notifies; the stored copy is what the LA receives and what is downloaded again."""

from __future__ import annotations

from datetime import date

from apcase.models import LocalAuthority
from apcase.pdf import render_pdf
from placements.models import Placement

TITLE = "Notification of an AP placement"


def la_notification_pdf(
    placement: Placement, *, local_authority: LocalAuthority, letter_date: date, draft: bool
) -> bytes:
    context = {
        "school": placement.school,
        "placement": placement,
        "local_authority": local_authority,
        "today": letter_date,
        "draft": draft,
    }
    return render_pdf("letters/la_notification.html", context)
