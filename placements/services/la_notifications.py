"""Notifying the local authority of a placement: the letter is rendered once, stored, and becomes a
record the LA receives (its officers see it at /la/; the outbox sends it)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from apcase.models import Document, LocalAuthority, LocalAuthorityOfficer, User
from apcase.services import document_store, save_tracked
from outbox.models import Message
from outbox.services import message_queue
from placements.la_notification import TITLE, la_notification_pdf
from placements.models import LANotification, Placement
from placements.services.common import placement_step
from pupils.models import CaseEvent


@transaction.atomic
def placement_la_notify(*, actor: User, placement: Placement) -> LANotification:
    """Store the notification of `placement` to the school's LA. A placement may be notified again
    (its facts changed); each notification is kept."""
    if not actor.has_perm("placements.notify_la", placement):
        raise PermissionDenied("Only the SENDCo or headteacher notifies the local authority.")
    placement = (
        Placement.objects.select_for_update(of=("self",)).select_related("school__local_authority").get(pk=placement.pk)
    )
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
    school = placement.school
    la_letter_queue(
        actor=actor,
        placement=placement,
        local_authority=local_authority,
        document=document,
        purpose=Message.Purpose.LA_NOTIFICATION,
        # No pupil's name in a subject (docs/decisions.md, "One outbox").
        subject=f"{school.name}: notification of an alternative provision placement",
        body=render_to_string(
            "emails/outbox/la_notification.txt", {"school": school, "local_authority": local_authority}
        ),
    )
    return notification


def la_letter_queue(
    *,
    actor: User,
    placement: Placement,
    local_authority: LocalAuthority,
    document: Document,
    purpose: str,
    subject: str,
    body: str,
) -> Message | None:
    """E-mail a stored letter about a placement to the LA's AP address, or post it when the LA
    gives only a postal address. With neither, nothing is queued: for the placement notification
    the LA's officers still see it at /la/, and the card on the placement says it was not sent."""
    channel = Message.Channel.EMAIL if local_authority.ap_email else Message.Channel.POST
    if channel == Message.Channel.POST and not local_authority.address_lines:
        return None
    return message_queue(
        actor=actor,
        school=placement.school,
        pupil=placement.pupil,
        purpose=purpose,
        channel=channel,
        recipient_name=local_authority.ap_contact or local_authority.name,
        recipient_role=local_authority.name,
        recipient_email=local_authority.ap_email,
        recipient_address="\n".join([local_authority.ap_contact, *local_authority.address_lines]).strip(),
        subject=subject,
        body=body,
        document=document,
        link=reverse("placements:detail", args=[placement.public_id]),
    )


def la_notification_on_sent(message: Message) -> None:
    """The outbox calls this when any message leaves: the LA notification it carried was sent then."""
    if message.purpose != Message.Purpose.LA_NOTIFICATION or message.document_id is None:
        return
    for notification in LANotification.objects.filter(document_id=message.document_id, sent_at__isnull=True):
        notification.sent_at = message.sent_at
        save_tracked(notification, message.created_by)


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
