"""Review invitations through the outbox: a letter to each person invited from outside the school,
with the date, time and place and an .ics file for their calendar."""

from __future__ import annotations

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from icalendar import Calendar, Event

from apcase.models import User
from apcase.pdf import render_pdf
from apcase.services import document_store
from outbox.models import Message
from outbox.services import message_queue
from reviews.models import ReviewMeeting, ReviewParticipant
from reviews.services.common import check_perm

P, C = ReviewParticipant.Role, Message.Channel
MEETING_LENGTH = timedelta(hours=1)  # what the calendar entry blocks out; the letter gives the start only


def review_ics(review: ReviewMeeting) -> bytes:
    """The meeting as a calendar entry. Its summary names the school, not the pupil: calendars
    are shared and shown on lock screens."""
    calendar = Calendar()
    calendar.add("prodid", "-//apcase//review invitation//EN")
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    event = Event()
    event.add("uid", f"review-{review.public_id}@apcase")
    event.add("dtstamp", timezone.now())
    event.add("dtstart", review.meeting_at)
    event.add("dtend", review.meeting_at + MEETING_LENGTH)
    event.add("summary", f"Review meeting, {review.school.name}")
    if review.place:
        event.add("location", review.place)
    calendar.add_component(event)
    return calendar.to_ical()


def _lines(address: str, postcode: str) -> str:
    return "\n".join([line.strip() for line in address.splitlines() if line.strip()] + ([postcode] if postcode else []))


def _addressed(review: ReviewMeeting, participant: ReviewParticipant) -> tuple[str, str, str]:
    """(channel, e-mail, postal address) for one person invited: e-mail where we hold an address,
    else post, else by hand (the pupil, and anyone whose details the school does not hold)."""
    placement, school = review.placement, review.school
    if participant.role == P.PARENT:
        contact = next((c for c in placement.pupil.contacts.all() if c.name == participant.name), None)
        if contact is not None and not contact.do_not_contact:
            email, address = contact.email, _lines(contact.address, contact.postcode)
        else:
            email, address = "", ""
    elif participant.role == P.PROVIDER:
        site = placement.site
        email = placement.provider.email
        address = "\n".join([placement.provider.name, *site.address_lines]) if site is not None else ""
    elif participant.role == P.LOCAL_AUTHORITY:
        email, address = school.la_send_email, school.la_send_address
    else:
        email, address = "", ""
    channel = C.EMAIL if email else C.POST if address else C.HAND
    return channel, email, address


@transaction.atomic
def review_invitations_send(*, actor: User, review: ReviewMeeting) -> list[Message]:
    """Queue an invitation to everyone invited from outside the school (staff see the review on
    their dashboard). Sending again after a change of time or place sends the new arrangements."""
    check_perm(actor, "reviews.schedule_review", review, "Only the SENDCo or headteacher sends review invitations.")
    if not review.is_open or review.meeting_at is None:
        raise ValidationError("Arrange the meeting (when and where) before sending the invitations.")
    outside = [p for p in review.participants.all() if p.role != P.STAFF]
    if not outside:
        raise ValidationError("No one from outside the school is invited to this meeting.")
    school, pupil = review.school, review.placement.pupil
    when = timezone.localtime(review.meeting_at)
    ics = document_store(
        school=school, kind="review_invitation_ics", title="Review meeting", content=review_ics(review),
        actor=actor, content_type="text/calendar",
    )  # fmt: skip
    sent = []
    for participant in outside:
        channel, email, address = _addressed(review, participant)
        paragraphs = [
            f"Dear {participant.name},",
            f"You are invited to a {review.get_kind_display().lower()} meeting about {pupil.first_name}'s education "
            f"at {review.placement.provider.name}, on {when:%A} {when.day} {when:%B %Y} at {when:%H:%M}"
            + (f", at {review.place}." if review.place else "."),
            "The meeting looks at how the placement is going, hears everyone's views and agrees what happens next. "
            f"If you cannot come, please tell us beforehand: {school.phone}.",
            school.letter_signoff,
        ]
        letter = render_pdf(
            "letters/plain.html",
            {"school": school, "title": "Invitation to a review meeting", "date": timezone.localdate(),
             "paragraphs": paragraphs},
        )  # fmt: skip
        document = document_store(
            school=school, kind="review_invitation", title=f"Review invitation: {participant.name}", content=letter,
            actor=actor,
        )  # fmt: skip
        body = (
            f"Dear {participant.name},\n\nYou are invited to a review meeting about {pupil.short_name}'s education "
            f"on {when:%A} {when.day} {when:%B %Y} at {when:%H:%M}. The letter is attached, with an entry for your "
            f"calendar.\n\n{school.letter_signoff}\n{school.name}\n"
        )
        sent.append(
            message_queue(
                actor=actor,
                school=school,
                pupil=pupil,
                purpose=Message.Purpose.REVIEW_INVITATION,
                channel=channel,
                recipient_name=participant.name,
                recipient_role=participant.get_role_display(),
                recipient_email=email,
                recipient_address=address,
                subject=f"{school.name}: invitation to a review meeting",
                body=body,
                document=document,
                calendar=ics if channel == C.EMAIL else None,
                link=review.get_absolute_url(),
            )
        )
    return sent  # each goes in the chronology as it leaves (outbox.services)
