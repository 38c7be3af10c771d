"""The parents' agreement letter: what the school and the parents agree about a placement that is
not a direction off-site, for each parent with parental responsibility to sign (the school's AP
policy asks for a written agreement, reviewed each term; docs/policy-steps.md)."""

from __future__ import annotations

from datetime import date

from apcase.pdf import render_pdf
from placements.models import ParentAgreement, Placement
from placements.notice import NoticeRecipient, notice_recipients, session_times_summary

TITLE = "Agreement to an alternative provision placement"


def agreement_recipients(placement: Placement) -> list[NoticeRecipient]:
    """Each parent with parental responsibility who may be contacted (or the pupil once 18)."""
    return [r for r in notice_recipients(placement) if r.kind != NoticeRecipient.LOCAL_AUTHORITY]


def agreement_pdf(placement: Placement, *, agreement: ParentAgreement, letter_date: date) -> bytes:
    """One letter per recipient, each with a form to sign and return."""
    context = {
        "title": TITLE,
        "school": placement.school,
        "placement": placement,
        "pupil": placement.pupil,
        "agreement": agreement,
        "recipients": agreement_recipients(placement),
        "letter_date": letter_date,
        "session_times": session_times_summary(placement),
    }
    return render_pdf("letters/parent_agreement.html", context)
