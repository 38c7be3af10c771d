"""The daily attendance chase's writes: the outcome of a call home (into the contact log, and a
reason given turns today's absence into an explained one), and the letters a long run of absence
calls for (the attendance return to the LA, the Virtual School's notice), each sent once a run."""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from apcase.models import Document, User
from apcase.pdf import render_pdf
from apcase.services import document_store, save_tracked
from outbox.models import Message
from outbox.services import message_queue
from placements.models import AttendanceCode, ChaseNotice, ContactLog, Placement
from placements.selectors.chase import CallHome, call_home_for, escalated_runs
from placements.services.attendance import MarkEntry, active_codes, attendance_marks_record
from placements.services.common import placement_step
from placements.services.contacts import contact_record
from placements.services.la_notifications import la_letter_queue
from pupils.models import CaseEvent, Contact

Outcome = ContactLog.Outcome
CALL_OUTCOMES = (Outcome.REASON_GIVEN, Outcome.REACHED, Outcome.NO_ANSWER, Outcome.MESSAGE_LEFT)
REASON_MAX = 200  # an attendance mark's reason
_PARTY: dict[str, str] = {
    Contact.Relationship.SOCIAL_WORKER: ContactLog.Party.SOCIAL_CARE,
    Contact.Relationship.VIRTUAL_SCHOOL: ContactLog.Party.VIRTUAL_SCHOOL,
}


def _check_outcome(outcome: str, code: str, reason: str) -> AttendanceCode | None:
    errors = {}
    if outcome not in CALL_OUTCOMES:
        errors["outcome"] = "Choose how the call went."
    chosen = None
    if outcome == Outcome.REASON_GIVEN:
        chosen = active_codes().get(code)
        if chosen is None or chosen.meaning != AttendanceCode.Meaning.AUTHORISED:
            errors["code"] = "Choose the register code for the reason the family gave."
        if not reason:
            errors["reason"] = "Write down the reason the family gave."
        elif len(reason) > REASON_MAX:
            errors["reason"] = f"Keep the reason to {REASON_MAX} characters: it goes into the register."
    if errors:
        raise ValidationError(errors)
    return chosen


@transaction.atomic
def chase_call_record(
    *,
    actor: User,
    placement: Placement,
    contact: Contact,
    outcome: str,
    code: str = "",
    reason: str = "",
    now: datetime | None = None,
) -> ContactLog:
    """Record a call home about today's absence in the contact log. A reason given makes today's
    chased sessions an explained absence with that code and reason, through the register's own
    service (the history keeps what it was and who changed it, and why)."""
    if not actor.has_perm("placements.record_contact", placement.pupil):
        raise PermissionDenied("Your role does not record calls home.")
    if contact.pupil_id != placement.pupil_id:
        raise ValidationError("Choose one of this pupil's contacts.")
    reason = reason.strip()
    chosen = _check_outcome(outcome, code, reason)
    now = timezone.localtime(now or timezone.now())
    said = f"Call home about today's absence: {Outcome(outcome).label.lower()}"
    entry = contact_record(
        actor=actor,
        pupil=placement.pupil,
        placement=placement,
        party=_PARTY.get(contact.relationship, ContactLog.Party.PARENT),
        with_whom=f"{contact.name} ({contact.get_relationship_display()})",
        how=ContactLog.How.CALL,
        contacted_on=now.date(),
        agreed=f"{said}. {reason}" if reason else f"{said}.",
        outcome=outcome,
    )
    item = call_home_for(placement, now=now) if chosen is not None else None
    if chosen is not None and item is not None:
        correction = f"Reason given on the phone by {contact.name}: {reason}"[:REASON_MAX]
        entries = [
            MarkEntry(now.date(), session, chosen.code, reason, correction) for session in item.explainable_sessions
        ]
        attendance_marks_record(actor=actor, placement=placement, entries=entries)
    return entry


# --- Letters a run of absence calls for -------------------------------------------------------------


def _recipient(item: CallHome, kind: str) -> tuple[str, str, str, str]:
    """(name, role, e-mail, address) the letter goes to; a ValidationError says what is missing."""
    placement = item.placement
    if kind == ChaseNotice.Kind.ATTENDANCE_RETURN:
        if not item.return_due:
            raise ValidationError("The attendance return is due after 10 school days of absence without authorisation.")
        la = placement.school.local_authority
        if la is None:
            raise ValidationError("The school's local authority is not set: the office sets it in the back office.")
        return la.ap_contact or la.name, la.name, la.ap_email, "\n".join([la.ap_contact, *la.address_lines]).strip()
    if not item.virtual_school_due:
        raise ValidationError("The Virtual School is told of a looked-after pupil's run of unexplained absence.")
    found = next((c for c in item.virtual_school if c.email or c.address), None)
    if found is None:
        raise ValidationError("Add the Virtual School to the pupil's contacts, with an e-mail or postal address.")
    address = "\n".join(filter(None, [found.name, found.address.strip(), found.postcode]))
    return found.name, "Virtual School", found.email, address


def _letter(item: CallHome, kind: str, recipient_name: str, recipient_address: str) -> bytes:
    placement = item.placement
    start = item.run_started_on(kind)
    calls = list(
        placement.contact_log.filter(how=ContactLog.How.CALL, contacted_on__gte=start).exclude(outcome=Outcome.NONE)
    )
    cause = next((call.agreed for call in calls if call.outcome == Outcome.REASON_GIVEN), "")
    return render_pdf(
        "letters/absence_notice.html",
        {
            "title": ChaseNotice.Kind(kind).label,
            "is_return": kind == ChaseNotice.Kind.ATTENDANCE_RETURN,
            "school": placement.school,
            "placement": placement,
            "pupil": placement.pupil,
            "parents": [c for c in item.family if c.parental_responsibility],
            "run": item.run,
            "calls": calls,
            "cause": cause,
            "recipient_name": recipient_name,
            "recipient_lines": recipient_address.splitlines()[1:],
            "today": timezone.localdate(),
        },
    )


def _queue(actor: User, item: CallHome, kind: str, document: Document, recipient) -> Message | None:
    placement, school = item.placement, item.placement.school
    name, role, email, address = recipient
    body = render_to_string(
        "emails/outbox/absence_notice.txt",
        {
            "school": school,
            "recipient_name": name,
            "is_return": kind == ChaseNotice.Kind.ATTENDANCE_RETURN,
            "pupil_name": placement.pupil.email_name,
        },
    )
    # No pupil's name in a subject (docs/decisions.md, "One outbox").
    if kind == ChaseNotice.Kind.ATTENDANCE_RETURN:
        assert school.local_authority is not None  # _recipient refused a school without one
        return la_letter_queue(
            actor=actor,
            placement=placement,
            local_authority=school.local_authority,
            document=document,
            purpose=Message.Purpose.ATTENDANCE_RETURN,
            subject=f"{school.name}: attendance return (10 school days)",
            body=body,
        )
    return message_queue(
        actor=actor,
        school=school,
        pupil=placement.pupil,
        purpose=Message.Purpose.VIRTUAL_SCHOOL,
        channel=Message.Channel.EMAIL if email else Message.Channel.POST,
        recipient_name=name,
        recipient_role=role,
        recipient_email=email,
        recipient_address=address,
        subject=f"{school.name}: unexplained absence of a looked-after pupil",
        body=body,
        document=document,
        link=placement.get_absolute_url(),
    )


@transaction.atomic
def chase_notice_send(*, actor: User, placement: Placement, kind: str) -> ChaseNotice:
    """Prepare and queue the attendance return to the LA, or the Virtual School's notice, for the
    placement's current run of absence: once a run (the placement row is locked, and a constraint
    stands behind it)."""
    if not actor.has_perm("placements.send_chase_notice", placement):
        raise PermissionDenied("The SENDCo, headteacher or DSL sends this.")
    if kind not in ChaseNotice.Kind.values:
        raise ValidationError("Choose what to send.")
    Placement.objects.select_for_update(of=("self",)).filter(pk=placement.pk).first()
    item = next(iter(escalated_runs(Placement.objects.filter(pk=placement.pk), today=timezone.localdate())), None)
    if item is None:
        raise ValidationError("This pupil has no run of unexplained absence to report.")
    sent = item.notices.get(kind)
    if sent is not None:
        raise ValidationError(f"This was sent on {timezone.localtime(sent.created_at):%-d %B %Y} for this run.")
    recipient = _recipient(item, kind)
    label = ChaseNotice.Kind(kind).label
    content = _letter(item, kind, recipient[0], recipient[3])
    document = document_store(
        school=placement.school, kind=kind, title=f"{label}: {placement.pupil.full_name}", content=content, actor=actor
    )
    message = _queue(actor, item, kind, document, recipient)
    if message is None:
        raise ValidationError("The local authority has no e-mail or postal address: the school office sets one.")
    run_started_on = item.run_started_on(kind)
    assert run_started_on is not None  # a due notice has a run
    notice = ChaseNotice(
        placement=placement, kind=kind, run_started_on=run_started_on, message=message, created_by=actor
    )
    save_tracked(notice, actor)
    placement_step(placement, CaseEvent.Kind.NOTE, f"{label} sent by {actor}", actor)
    return notice
