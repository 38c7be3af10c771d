"""Recording a contact with the provider, the family or an agency (the contact log)."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from apcase.models import User
from apcase.services import save_tracked
from placements.models import ContactLog, Placement
from placements.services.common import moment_on
from pupils.models import CaseEvent, Pupil
from pupils.services import case_event_record


def contact_date_errors(*, contacted_on: date | None, follow_up_on: date | None) -> dict[str, str]:
    """What is wrong with the contact's dates, by field; the contact form asks it too, so its page
    names these beside any other mistake."""
    errors = {}
    if contacted_on and contacted_on > timezone.localdate():
        errors["contacted_on"] = "A contact cannot be recorded before it happens."
    if contacted_on and follow_up_on and follow_up_on < contacted_on:
        errors["follow_up_on"] = "The follow-up cannot be before the contact."
    return errors


@transaction.atomic
def contact_record(
    *,
    actor: User,
    pupil: Pupil,
    party: str,
    with_whom: str,
    how: str,
    contacted_on: date,
    agreed: str,
    placement: Placement | None = None,
    outcome: str = "",
    follow_up_on: date | None = None,
) -> ContactLog:
    if not actor.has_perm("placements.record_contact", pupil):
        raise PermissionDenied("Your role does not record contacts about pupils.")
    if placement is not None and placement.pupil_id != pupil.pk:
        raise ValidationError({"placement": "Choose one of this pupil's placements."})
    entry = ContactLog(
        school_id=pupil.school_id,
        pupil=pupil,
        placement=placement,
        party=party,
        with_whom=with_whom.strip(),
        how=how,
        contacted_on=contacted_on,
        agreed=agreed.strip(),
        outcome=outcome,
        follow_up_on=follow_up_on,
        recorded_by=actor,
    )
    errors = contact_date_errors(contacted_on=contacted_on, follow_up_on=follow_up_on)
    if errors:
        raise ValidationError(errors)
    save_tracked(entry, actor)
    summary = f"{entry.get_how_display()} with {entry.with_whom} ({entry.get_party_display().lower()})"
    if outcome:
        summary += f": {entry.get_outcome_display().lower()}"
    case_event_record(
        pupil=pupil,
        kind=CaseEvent.Kind.CONTACT,
        summary=summary[:200],
        actor=actor,
        occurred_at=moment_on(contacted_on),
        link=placement.get_absolute_url() if placement else pupil.get_absolute_url(),
    )
    return entry
