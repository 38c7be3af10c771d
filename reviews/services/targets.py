"""Setting a placement's targets and recording measurements against them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.defaultfilters import floatformat
from django.urls import reverse
from django.utils import timezone

from apcase.details import Details
from apcase.models import Role, User
from apcase.services import check_not_future, notification_send, save_tracked
from placements.models import Placement
from placements.schedule import calendar_for
from placements.services.common import placement_step
from pupils.models import CaseEvent
from pupils.services import staff_of
from reviews.models import Measurement, ProviderProgressNote, Target
from reviews.schedule import period_label
from reviews.services.common import check_perm


@dataclass(frozen=True, kw_only=True)
class TargetDetails(Details):
    area: str
    description: str
    baseline: Decimal
    target_value: Decimal
    unit: str
    higher_is_better: bool = True


def _check(actor: User, placement: Placement) -> None:
    check_perm(actor, "reviews.change_targets", placement, "Only the SENDCo or headteacher sets targets.")


@transaction.atomic
def target_set(
    *, actor: User, placement: Placement, details: TargetDetails, occurred_at: datetime | None = None
) -> Target:
    """A new target, from its baseline: set while planning (the plan's objectives and targets), at a
    review, or afterwards to complete the record."""
    _check(actor, placement)
    if placement.status == Placement.Status.CANCELLED:
        raise ValidationError("This placement is cancelled: it has no targets.")
    target = Target(placement=placement, created_by=actor)
    details.apply_to(target)
    if target.baseline == target.target_value:
        raise ValidationError({"target_value": "The target is where the pupil started: aim for a change."})
    save_tracked(target, actor)
    summary = (
        f"Target set: {target.get_area_display()}, {target.description}: "
        f"from {floatformat(target.baseline, -1)} to {floatformat(target.target_value, -1)} ({target.unit})"
    )
    placement_step(placement, CaseEvent.Kind.NOTE, summary, actor, link=placement.get_absolute_url(), when=occurred_at)
    return target


@transaction.atomic
def target_update(*, actor: User, target: Target, details: TargetDetails) -> Target:
    """Correct or adjust a target; its history keeps what it was."""
    _check(actor, target.placement)
    details.apply_to(target)
    save_tracked(target, actor)
    return target


@transaction.atomic
def measurement_record(
    *, actor: User, target: Target, measured_on: date, value: Decimal, note: str = ""
) -> Measurement:
    """A reading between reviews (readings taken at a review are recorded with the review)."""
    _check(actor, target.placement)
    check_not_future("measured_on", measured_on)
    placement = target.placement
    if placement.start_date and measured_on < placement.start_date:
        raise ValidationError({"measured_on": "Readings before the placement are its baseline: edit the target."})
    measurement = Measurement(
        target=target,
        measured_on=measured_on,
        period=period_label(calendar_for(placement), measured_on),
        value=value,
        note=note.strip(),
        recorded_by=actor,
    )
    save_tracked(measurement, actor)
    return measurement


# --- Progress the provider sends (the provider portal, docs/portal.md) ---------------------------


@transaction.atomic
def provider_progress_submit(
    *, actor: User, target: Target, measured_on: date, value: Decimal | None, note: str
) -> ProviderProgressNote:
    placement = target.placement
    check_perm(actor, "reviews.submit_provider_progress", placement, "Only the placement's provider sends progress.")
    check_not_future("measured_on", measured_on)
    if placement.start_date and measured_on < placement.start_date:
        raise ValidationError({"measured_on": "This is before the placement started."})
    sent = ProviderProgressNote(
        target=target,
        measured_on=measured_on,
        value=value,
        note=note.strip(),
        provider_name=placement.provider.name,
        submitted_by=actor,
    )
    save_tracked(sent, actor)
    for sendco in staff_of(placement.school, [Role.SENDCO]):
        notification_send(
            user=sendco,
            title=f"Progress from {placement.provider.name} for {placement.pupil.initials} to accept",
            link=reverse("progress:page", args=[placement.public_id]),
            kind="provider_progress",
            school=placement.school,
        )
    return sent


def _decide(actor: User, sent: ProviderProgressNote) -> Placement:
    placement = sent.target.placement
    _check(actor, placement)
    if not sent.is_waiting:
        raise ValidationError("The school has already answered this.")
    return placement


@transaction.atomic
def provider_progress_accept(*, actor: User, sent: ProviderProgressNote) -> ProviderProgressNote:
    """Into the record: a reading becomes one of the target's measurements; the note goes in the
    pupil's chronology."""
    placement = _decide(actor, sent)
    if sent.value is not None:
        note = f"From {sent.provider_name}: {sent.note}" if sent.note else f"From {sent.provider_name}"
        sent.measurement = measurement_record(
            actor=actor, target=sent.target, measured_on=sent.measured_on, value=sent.value, note=note[:300]
        )
    sent.status, sent.decided_by, sent.decided_at = ProviderProgressNote.Status.ACCEPTED, actor, timezone.now()
    save_tracked(sent, actor)
    summary = f"Progress on “{sent.target}” from {sent.provider_name} accepted"
    placement_step(
        placement, CaseEvent.Kind.NOTE, summary[:200], actor, link=reverse("progress:page", args=[placement.public_id])
    )
    return sent


@transaction.atomic
def provider_progress_return(*, actor: User, sent: ProviderProgressNote, comment: str) -> ProviderProgressNote:
    _decide(actor, sent)
    if not comment.strip():
        raise ValidationError({"school_comment": "Say why it goes back, so the provider can put it right."})
    sent.status, sent.school_comment = ProviderProgressNote.Status.RETURNED, comment.strip()
    sent.decided_by, sent.decided_at = actor, timezone.now()
    save_tracked(sent, actor)
    return sent
