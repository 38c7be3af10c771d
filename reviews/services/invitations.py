"""Review invitations through the outbox: a letter to each person invited from outside the school,
with the date, time and place and an .ics file for their calendar."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import prefetch_related_objects
from django.utils import timezone
from icalendar import Calendar, Event

from apcase.greetings import PARENT_FALLBACK, greeting
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
    assert review.meeting_at is not None  # invitations are sent only for an arranged meeting
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


def _parent_contact(placement, role: str, name: str):
    """A parent is found by their name among the pupil's contacts."""
    return next((c for c in placement.pupil.contacts.all() if c.name == name), None) if role == P.PARENT else None


def addressed(placement, role: str, name: str, *, told_to: str = "") -> str:
    """The letter's opening: a parent by the title and surname the school holds for them, anyone
    else by the name the school was given (`told_to`, when the answer goes to someone named)."""
    contact = _parent_contact(placement, role, name)
    if contact is not None:
        return contact.greeting
    return greeting(name=told_to or name, fallback=PARENT_FALLBACK if role == P.PARENT else "Sir or Madam")


def reach(placement, role: str, name: str) -> tuple[str, str]:
    """(e-mail, postal address) the school holds for someone outside it, by their part: a parent
    among the pupil's contacts (none if marked do not contact), the provider's e-mail and the
    site's address, the LA's SEND team; none for the pupil or anyone else."""
    if role == P.PARENT:
        contact = _parent_contact(placement, role, name)
        if contact is None or contact.do_not_contact:
            return "", ""
        return contact.email, _lines(contact.address, contact.postcode)
    if role == P.PROVIDER:
        site = placement.site
        return placement.provider.email, "\n".join([placement.provider.name, *site.address_lines]) if site else ""
    if role == P.LOCAL_AUTHORITY:
        return placement.school.la_send_email, placement.school.la_send_address
    return "", ""


def _plain_letter(actor: User, school, kind: str, title: str, addressee: str, paragraphs: list[str]):
    """A letter on the school's letterhead dated today, stored as sent."""
    content = render_pdf(
        "letters/plain.html",
        {"school": school, "title": title, "date": timezone.localdate(), "paragraphs": paragraphs},
    )
    return document_store(school=school, kind=kind, title=f"{title}: {addressee}", content=content, actor=actor)


def channel_for(email: str, address: str) -> str:
    """E-mail where the school holds an address, else post, else by hand."""
    return C.EMAIL if email else C.POST if address else C.HAND


@dataclass(frozen=True)
class Invitee:
    """Someone invited from outside the school, how the school can reach them, and the channel
    their invitation goes by unless the sender chooses another."""

    participant: ReviewParticipant
    email: str
    address: str

    @property
    def key(self) -> str:
        return f"channel_{self.participant.pk}"

    @property
    def default_channel(self) -> str:
        return channel_for(self.email, self.address)

    def problem(self, channel: str) -> str | None:
        if channel == C.EMAIL and not self.email:
            return f"The school holds no e-mail address for {self.participant.name}: choose post or by hand."
        if channel == C.POST and not self.address:
            return f"The school holds no postal address for {self.participant.name}: choose e-mail or by hand."
        if channel not in C.values:
            return "Choose e-mail, post or by hand."
        return None


def review_invitees(review: ReviewMeeting) -> list[Invitee]:
    """Everyone invited from outside the school (staff see the review on their dashboard)."""
    outside = [p for p in review.participants.all() if p.role != P.STAFF]
    prefetch_related_objects([review.placement.pupil], "contacts")  # once, however many parents
    return [Invitee(p, *reach(review.placement, p.role, p.name)) for p in outside]


@transaction.atomic
def review_invitations_send(
    *, actor: User, review: ReviewMeeting, channels: dict[int, str] | None = None
) -> list[Message]:
    """Queue an invitation to everyone invited from outside the school, each by the channel chosen
    for them (channels: participant id -> e-mail, post or by hand; by default an e-mail address
    means e-mail, else post, else by hand). Sending again after a change of time or place sends the
    new arrangements."""
    check_perm(actor, "reviews.schedule_review", review, "Only the SENDCo or headteacher sends review invitations.")
    if not review.is_open or review.meeting_at is None:
        raise ValidationError("Arrange the meeting (when and where) before sending the invitations.")
    invitees = review_invitees(review)
    if not invitees:
        raise ValidationError("No one from outside the school is invited to this meeting.")
    chosen = {i.participant.pk: (channels or {}).get(i.participant.pk) or i.default_channel for i in invitees}
    problems = {i.key: problem for i in invitees if (problem := i.problem(chosen[i.participant.pk]))}
    if problems:
        raise ValidationError(problems)
    school, pupil = review.school, review.placement.pupil
    when = timezone.localtime(review.meeting_at)
    ics = document_store(
        school=school, kind="review_invitation_ics", title="Review meeting", content=review_ics(review),
        actor=actor, content_type="text/calendar",
    )  # fmt: skip
    sent = []
    for invitee in invitees:
        participant, email, address = invitee.participant, invitee.email, invitee.address
        channel = chosen[participant.pk]
        opening = addressed(review.placement, participant.role, participant.name)
        paragraphs = [
            f"{opening},",
            f"You are invited to a {review.get_kind_display().lower()} meeting about {pupil.first_name}'s education "
            f"at {review.placement.provider.name}, on {when:%A} {when.day} {when:%B %Y} at {when:%H:%M}"
            + (f", at {review.place}." if review.place else "."),
            "The meeting looks at how the placement is going, hears everyone's views and agrees what happens next. "
            f"If you cannot come, please tell us beforehand: {school.phone}.",
            school.letter_signoff,
        ]
        document = _plain_letter(
            actor, school, "review_invitation", "Invitation to a review meeting", participant.name, paragraphs
        )
        body = (
            f"{opening},\n\nYou are invited to a review meeting about {pupil.email_name}'s education "
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


def review_outcome_send(*, actor: User, request) -> Message:
    """The decision on a requested review, in writing to the person who asked (reg 6), through the
    outbox by the method recorded. Called from review_request_answer, in its transaction."""
    placement, school, pupil = request.placement, request.placement.school, request.placement.pupil
    email, address = reach(placement, request.requester, request.requester_name)
    method = request.notified_method
    if (method == C.EMAIL and not email) or (method == C.POST and not address):
        missing = "e-mail address" if method == C.EMAIL else "postal address"
        raise ValidationError(
            {"notified_method": f"No {missing} is recorded for {request.requester_name}: choose another way."}
        )
    held = request.review.held_on if request.review_id else None
    opening = addressed(placement, request.requester, request.requester_name, told_to=request.notified_to)
    paragraphs = [
        f"{opening},",
        f"You asked on {request.received_on:%d/%m/%Y} for a review of the requirement that {pupil.first_name} "
        f"attend {placement.provider.name}." + (f" The review meeting was held on {held:%d/%m/%Y}." if held else ""),
        f"The decision: {request.decision_text}.",
        *([request.decision_notes] if request.decision_notes else []),
        f"If you have any questions, please contact us: {school.phone}.",
        school.letter_signoff,
    ]
    document = _plain_letter(
        actor, school, "review_outcome", "The outcome of your request for a review", request.requester_name, paragraphs
    )
    return message_queue(
        actor=actor,
        school=school,
        pupil=pupil,
        purpose=Message.Purpose.REVIEW_OUTCOME,
        channel=method,
        recipient_name=request.notified_to or request.requester_name,
        recipient_role=request.get_requester_display(),
        recipient_email=email if method == C.EMAIL else "",
        recipient_address=address,
        subject=f"{school.name}: the outcome of your request for a review",
        body=f"{opening},\n\nThe attached letter gives the outcome of your "
        f"request for a review of {pupil.email_name}'s education away from school.\n\n{school.letter_signoff}\n"
        f"{school.name}\n",
        document=document,
        link=request.get_absolute_url(),
    )
