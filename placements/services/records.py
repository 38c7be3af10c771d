"""The records kept during a placement: the handover to the provider, incidents it reports (a
safeguarding concern goes to the DSLs at once; a serious incident leads to a placement review)
and visits by school staff. Each is a step in the pupil's chronology."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from apcase.models import Role, User
from apcase.pdf import render_pdf
from apcase.services import check_not_future, document_store, notification_send, save_tracked
from audits.models import Audit
from audits.selectors import audits_to_consider
from outbox.models import Message
from outbox.services import message_queue
from placements.handover import TITLE as HANDOVER_TITLE
from placements.handover import handover_pdf
from placements.hooks import serious_incident_listeners
from placements.models import Handover, Incident, ParentAgreement, Placement, SuitabilityDecision, Visit
from placements.permissions import works_at_placement_provider
from placements.services.common import moment_on, placement_step
from pupils.models import CaseEvent, Contact
from pupils.services import staff_of


def _check(actor: User, perm: str, placement: Placement, statuses, when: str) -> None:
    if not actor.has_perm(perm, placement):
        raise PermissionDenied("Your role cannot record this.")
    if placement.status not in statuses:
        raise ValidationError(f"This is recorded {when}.")


@transaction.atomic
def parent_agreement_record(
    *, actor: User, placement: Placement, response: str, given_by: str, given_on: date, method: str, notes: str = ""
) -> ParentAgreement:
    """The parents' answer to a placement that is not a direction off-site, before the headteacher
    approves it (docs/policy-steps.md); a later answer (they change their mind) replaces it."""
    _check(actor, "placements.change_placement", placement, Placement.OPEN, "while the placement is open")
    if placement.notice_required:
        raise ValidationError("A direction off-site needs the parent notice, not the parents' agreement.")
    agreement = ParentAgreement(
        placement=placement,
        response=response,
        given_by=given_by.strip(),
        given_on=given_on,
        method=method,
        notes=notes.strip(),
        recorded_by=actor,
    )
    check_not_future("given_on", given_on)
    save_tracked(agreement, actor)
    verb = "agreed to" if agreement.agreed else "refused"
    how = agreement.get_method_display().lower()
    summary = f"{agreement.given_by} {verb} the placement at {placement.provider.name} ({how})"
    placement_step(placement, CaseEvent.Kind.PARENT_MEETING, summary, actor, moment_on(given_on))
    return agreement


@transaction.atomic
def suitability_decision_record(
    *,
    actor: User,
    placement: Placement,
    suitable: bool,
    decided_on: date,
    reasons: str,
    considered: str,
    audit: Audit | None = None,
) -> SuitabilityDecision:
    """The school's own decision that an off-site provision does, or does not, suit this pupil
    (docs/domain-rules.md#suitability); the headteacher approves only after a "suitable" one. A later
    decision replaces it, and each is kept."""
    _check(actor, "placements.decide_suitability", placement, Placement.OPEN, "while the placement is open")
    if not placement.is_offsite:
        raise ValidationError("Only an off-site provider needs a suitability decision, not the school's own provision.")
    if audit is not None and not audits_to_consider(placement.provider).filter(pk=audit.pk).exists():
        raise ValidationError({"audit": "Choose a completed audit of this provider (its own, or one relied on)."})
    decision = SuitabilityDecision(
        placement=placement,
        suitable=suitable,
        decided_on=decided_on,
        reasons=reasons.strip(),
        considered=considered.strip(),
        audit=audit,
        recorded_by=actor,
    )
    check_not_future("decided_on", decided_on)
    save_tracked(decision, actor)
    summary = f"{actor} judged {placement.provider.name} {decision.verdict} for the pupil (reasons on the placement)"
    placement_step(placement, CaseEvent.Kind.DECISION, summary, actor, moment_on(decided_on))
    return decision


@transaction.atomic
def handover_record(
    *,
    actor: User,
    placement: Placement,
    shared_by: User,
    shared_on: date,
    shared_with: str,
    items: list[str],
    notes: str = "",
    needs: str = "",
    risks: str = "",
    risk_management: str = "",
    what_works: str = "",
    medical_notes: str = "",
    emergency_contacts: Iterable[Contact] = (),
    shared_in_portal: bool = False,
) -> Handover:
    """The handover to the provider; what the portal shows of it is only what the school chose:
    the structured parts and the chosen emergency contacts, when shared_in_portal."""
    _check(actor, "placements.record_handover", placement, Placement.IN_FORCE, "once the placement is approved")
    handover = Handover(
        placement=placement,
        shared_by=shared_by,
        recorded_by=actor,
        shared_on=shared_on,
        shared_with=shared_with,
        items=items,
        notes=notes,
        needs=needs,
        risks=risks,
        risk_management=risk_management,
        what_works=what_works,
        medical_notes=medical_notes,
        shared_in_portal=shared_in_portal,
    )
    check_not_future("shared_on", handover.shared_on)
    contacts = list(emergency_contacts)
    reachable = set(placement.pupil.contacts.for_emergencies().values_list("pk", flat=True))
    if any(contact.pk not in reachable for contact in contacts):
        raise ValidationError({"emergency_contacts": "Choose the pupil's own contacts who have a phone number."})
    save_tracked(handover, actor)
    handover.emergency_contacts.set(contacts)
    summary = f"Handover to {handover.shared_with}: {', '.join(handover.item_labels).lower()} (shared by {shared_by})"
    placement_step(placement, CaseEvent.Kind.HANDOVER, summary, actor, moment_on(handover.shared_on))
    return handover


@transaction.atomic
def handover_send(*, actor: User, handover: Handover) -> Message:
    """E-mail the handover record, as a stored PDF, to the provider's named contact through the
    outbox: once (the handover row is locked, so a double click queues one message; a failure is
    sent again from the outbox, with a corrected address if need be)."""
    placement = handover.placement
    if not actor.has_perm("placements.send_handover", placement):
        raise PermissionDenied("Only the SENDCo, headteacher or DSL sends the handover.")
    Handover.objects.select_for_update().filter(pk=handover.pk).first()
    link = f"{placement.get_absolute_url()}#handover-{handover.public_id}"
    sent = Message.objects.filter(purpose=Message.Purpose.HANDOVER, link=link).first()
    if sent is not None:
        raise ValidationError(
            f"This handover went to {sent.recipient_name} on {timezone.localtime(sent.created_at):%-d %B %Y}: "
            "the outbox shows how it went."
        )
    provider = placement.provider
    if provider is None or not provider.email:
        raise ValidationError("The provider has no e-mail address: add one in the provider directory first.")
    document = document_store(
        school=placement.school,
        kind="handover",
        title=f"{HANDOVER_TITLE}: {placement.pupil.full_name}",
        content=handover_pdf(handover, letter_date=timezone.localdate()),
        actor=actor,
    )
    recipient = provider.contact_name or handover.shared_with
    return message_queue(
        actor=actor,
        school=placement.school,
        pupil=placement.pupil,
        purpose=Message.Purpose.HANDOVER,
        channel=Message.Channel.EMAIL,
        recipient_name=recipient,
        recipient_role=provider.name,
        recipient_email=provider.email,
        # No pupil's name in a subject (docs/decisions.md, "One outbox").
        subject=f"{placement.school.name}: handover for a pupil's placement",
        body=render_to_string(
            "emails/outbox/handover.txt", {"school": placement.school, "provider": provider, "recipient": recipient}
        ),
        document=document,
        link=link,
    )


def _tell(placement: Placement, role: str, title: str, kind: str, occurred_at: datetime | None) -> None:
    """Tell each holder of role; title has a "{pupil}" slot (notification_send fills it)."""
    for user in staff_of(placement.school, [role]):
        notification_send(
            user=user,
            title=title,
            link=placement.get_absolute_url(),
            kind=kind,
            school=placement.school,
            pupil=placement.pupil,
            occurred_at=occurred_at,
        )


@transaction.atomic
def placement_incident_record(
    *,
    actor: User,
    placement: Placement,
    occurred_at: datetime,
    severity: str,
    description: str,
    reported_by: str,
    actions_taken: str = "",
    safeguarding_concern: bool = False,
) -> Incident:
    """Record an incident the provider reported. A safeguarding concern is sent to the school's DSLs;
    a serious incident goes on the SENDCo's queue and to every serious-incident listener (the
    reviews app schedules a placement review), inside this transaction."""
    _check(actor, "placements.record_incident", placement, Placement.STARTED, "once the placement has started")
    incident = Incident(
        placement=placement,
        recorded_by=actor,
        occurred_at=occurred_at,
        severity=severity,
        description=description,
        reported_by=reported_by,
        actions_taken=actions_taken,
        safeguarding_concern=safeguarding_concern,
    )
    if incident.occurred_at and incident.occurred_at > timezone.now():
        raise ValidationError({"occurred_at": Incident.IN_THE_FUTURE})
    save_tracked(incident, actor)
    concern = " (safeguarding concern)" if incident.safeguarding_concern else ""
    summary = f"{incident.get_severity_display()} incident reported by {incident.reported_by}{concern}"
    placement_step(placement, CaseEvent.Kind.INCIDENT, summary, actor, incident.occurred_at)
    when = incident.occurred_at
    if incident.safeguarding_concern:
        _tell(placement, Role.DSL, "Safeguarding concern reported at AP for {pupil}", "safeguarding_concern", when)
    if incident.is_serious:
        _tell(placement, Role.SENDCO, "Serious incident at AP for {pupil}: review needed", "serious_incident", when)
        for listener in serious_incident_listeners():
            listener(incident, actor)
    return incident


@transaction.atomic
def incident_respond(*, actor: User, incident: Incident, response: str) -> Incident:
    """The course of action decided on a serious incident, which takes it off the queue
    (docs/domain-rules.md#serious-incident)."""
    if not actor.has_perm("placements.respond_to_incident", incident.placement):
        raise PermissionDenied("Only the SENDCo or headteacher decides the course of action.")
    if not response.strip():
        raise ValidationError({"response": "Say what was decided."})
    incident.response = response.strip()
    incident.responded_by, incident.responded_at = actor, timezone.now()
    save_tracked(incident, actor)
    placement_step(
        incident.placement,
        CaseEvent.Kind.INCIDENT,
        f"Course of action on the incident of {timezone.localtime(incident.occurred_at):%d/%m/%Y} decided by {actor}",
        actor,
    )
    return incident


@transaction.atomic
def visit_record(
    *,
    actor: User,
    placement: Placement,
    staff: Iterable[User],
    visited_on: date,
    what_was_seen: str,
    pupil_voice: str = "",
    follow_up: str = "",
) -> Visit:
    _check(actor, "placements.record_visit", placement, Placement.STARTED, "once the placement has started")
    staff = list(staff)
    if not staff:
        raise ValidationError({"staff": "Choose who visited."})
    school_staff = set(staff_of(placement.school).values_list("pk", flat=True))
    if any(user.pk not in school_staff for user in staff):
        raise ValidationError({"staff": "Visitors must be staff of the school."})
    visit = Visit(
        placement=placement,
        recorded_by=actor,
        visited_on=visited_on,
        what_was_seen=what_was_seen,
        pupil_voice=pupil_voice,
        follow_up=follow_up,
    )
    check_not_future("visited_on", visit.visited_on)
    save_tracked(visit, actor)
    visit.staff.set(staff)
    names = ", ".join(str(user) for user in staff)
    summary = f"Visit to {placement.provider.name} by {names}"
    placement_step(placement, CaseEvent.Kind.VISIT, summary, actor, moment_on(visit.visited_on))
    return visit


# The words a provider signs to acknowledge a handover; change the version when they change.
HANDOVER_ACKNOWLEDGEMENT_VERSION = "handover-acknowledgement/2026-1"
HANDOVER_ACKNOWLEDGEMENT = (
    "On behalf of {provider}, I acknowledge that {school} shared with us on {shared_on} the information "
    "listed below about the pupil it has placed with us, that we will keep it securely and use it only "
    "to educate and safeguard the pupil, and that we will tell the school at once of anything that "
    "changes or worries us."
)


@transaction.atomic
def handover_acknowledge(
    *, actor: User, handover: Handover, typed_name: str, position: str, ip: str | None
) -> Handover:
    """The provider acknowledges the handover in the portal: a PDF of the exact words, what was
    shared, the typed name, position, date and time and internet address, kept on the handover."""
    placement = handover.placement
    if not works_at_placement_provider(actor, placement):
        raise PermissionDenied("Only the placement's provider acknowledges its handover.")
    if handover.acknowledged_at is not None:
        raise ValidationError("This handover has already been acknowledged.")
    if not typed_name.strip() or not position.strip():
        raise ValidationError({"typed_name": "Type your full name and your position to sign."})
    signed_at = timezone.localtime()
    statement = HANDOVER_ACKNOWLEDGEMENT.format(
        provider=placement.provider.name, school=placement.school.name, shared_on=f"{handover.shared_on:%d/%m/%Y}"
    )
    context = {
        "school": placement.school,
        "placement": placement,
        "handover": handover,
        "statement": statement,
        "version": HANDOVER_ACKNOWLEDGEMENT_VERSION,
        "typed_name": typed_name.strip(),
        "position": position.strip(),
        "signed_at": signed_at,
        "signer": actor,
        "ip": ip,
        "title": "Acknowledgement of the handover (signed in apcase)",
    }
    pdf = render_pdf("letters/handover_acknowledgement.html", context)
    handover.acknowledged_by_name, handover.acknowledged_position = typed_name.strip(), position.strip()
    handover.acknowledged_at, handover.acknowledged_from_ip = signed_at, ip
    handover.acknowledgement_version = HANDOVER_ACKNOWLEDGEMENT_VERSION
    handover.acknowledgement.save("acknowledgement.pdf", ContentFile(pdf), save=False)
    save_tracked(handover, actor)
    summary = f"{placement.provider.name} acknowledged the handover of {handover.shared_on:%d/%m/%Y}"
    placement_step(placement, CaseEvent.Kind.HANDOVER, summary, actor)
    return handover
