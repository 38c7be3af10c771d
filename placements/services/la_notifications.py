"""Notifying the local authority of a placement: the letter is rendered once, stored, and becomes a
record the LA receives (its officers see it at /la/; the outbox sends it)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from apcase.models import LocalAuthorityOfficer, User
from apcase.services import document_store
from placements.la_notification import TITLE, la_notification_pdf
from placements.models import LANotification, Placement
from placements.services.common import placement_step, save_tracked
from pupils.models import CaseEvent


@transaction.atomic
def placement_la_notify(*, actor: User, placement: Placement) -> LANotification:
    """Store the notification of `placement` to the school's LA. A placement may be notified again
    (its facts changed); each notification is kept."""
    if not actor.has_perm("placements.notify_la", placement):
        raise PermissionDenied("Only the SENDCo or headteacher notifies the local authority.")
    placement = Placement.objects.select_for_update().select_related("school__local_authority").get(pk=placement.pk)
    if not placement.la_notifiable:
        raise ValidationError("The LA is told of an off-site placement once it has been sent for approval.")
    local_authority = placement.school.local_authority
    if local_authority is None:
        raise ValidationError(
            "The school's local authority is not set: the school office sets it in the back office first."
        )
    content = la_notification_pdf(
        placement, local_authority=local_authority, letter_date=timezone.localdate(), draft=False
    )
    document = document_store(
        school=placement.school,
        kind="la_notification",
        title=f"{TITLE}: {placement.pupil.full_name}",
        content=content,
        actor=actor,
    )
    notification = LANotification(
        placement=placement, local_authority=local_authority, document=document, created_by=actor
    )
    save_tracked(notification, actor)
    placement_step(placement, CaseEvent.Kind.NOTE, f"Placement notified to {local_authority.name} by {actor}", actor)
    return notification


@transaction.atomic
def la_notification_acknowledge(*, actor: User, notification: LANotification, reference: str = "") -> LANotification:
    """The LA says it has received the notification, with its own reference if it gives one. Only
    an officer of the LA it was sent to; once only (the first acknowledgement stands)."""
    officer = LocalAuthorityOfficer.objects.filter(user=actor, is_active=True).first()
    if officer is None or officer.local_authority_id != notification.local_authority_id:
        raise PermissionDenied("Only an officer of the local authority notified acknowledges it.")
    notification = LANotification.objects.select_for_update().get(pk=notification.pk)
    if notification.is_acknowledged:
        raise ValidationError("This notification is already acknowledged.")
    notification.acknowledged_at = timezone.now()
    notification.acknowledged_by = actor
    notification.reference = reference.strip()
    save_tracked(notification, actor)
    return notification
