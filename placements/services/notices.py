"""Issuing the parent notice of a direction off-site: the letter is rendered once, stored with its
hash, and that stored copy is what is ever downloaded again."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from apcase.models import User
from apcase.services import document_store, save_tracked
from outbox.models import Message
from outbox.services import message_queue
from placements.models import ParentNotice, Placement
from placements.notice import (
    TITLE,
    NoticeRecipient,
    notice_changes,
    notice_deadline,
    notice_facts,
    notice_missing_items,
    notice_pdf,
    notice_recipients,
)
from placements.services.common import moment_on, placement_step
from placements.services.placements import placement_transition
from pupils.models import CaseEvent

Method = ParentNotice.Method
NOT_YET_APPROVED = "The notice is issued once the headteacher has approved the placement, before it starts."


def _method_error(method: str, recipients: list[NoticeRecipient]) -> str:
    if method not in Method.values:
        return "Choose how the notice is served: by post, by hand or by e-mail."
    needs = "email" if method == Method.EMAIL else "address_lines"
    without = [r.name for r in recipients if not getattr(r, needs)]
    if without:
        detail = "e-mail address" if method == Method.EMAIL else "postal address"
        return f"{', '.join(without)}: no {detail} is recorded. Choose another method."
    return ""


def _check_method(method: str, recipients: list[NoticeRecipient]) -> None:
    if error := _method_error(method, recipients):
        raise ValidationError({"method": error})


def parent_notice_issue_errors(
    placement: Placement, *, method: str, issued_on: date | None, late_reason: str
) -> dict[str, list[str]]:
    """What stops the notice being issued so, by field (NON_FIELD_ERRORS for what the placement
    lacks). The issue form asks it too, so its page names these beside any other mistake."""
    if placement.status != Placement.Status.APPROVED:
        return {NON_FIELD_ERRORS: [NOT_YET_APPROVED]}
    errors: dict[str, list[str]] = {}
    missing = notice_missing_items(placement)
    if missing:
        errors[NON_FIELD_ERRORS] = missing
    today = timezone.localdate()
    issued_on = issued_on or today
    if issued_on > today:
        errors["issued_on"] = ["The date of service cannot be in the future."]
    if method_error := _method_error(method, notice_recipients(placement)):
        errors["method"] = [method_error]
    deadline = None if missing else notice_deadline(placement)  # what is missing may be the first day
    if deadline and issued_on > deadline and not late_reason.strip():
        errors["late_reason"] = [f"The notice is due by {deadline:%d/%m/%Y}; say why it is given later than that."]
    return errors


def _served_summary(notice: ParentNotice, actor: User) -> str:
    count = len(notice.recipients)
    summary = (
        f"Parent notice issued {notice.get_method_display().lower()} to {count} "
        f"recipient{'s' if count != 1 else ''} by {actor}"
    )
    return summary + (f" — late: {notice.late_reason}" if notice.is_late else "")


@transaction.atomic
def parent_notice_issue(
    *, actor: User, placement: Placement, method: str, issued_on: date | None = None, late_reason: str = ""
) -> ParentNotice:
    """Issue the notice: every required item present, served by `method` on `issued_on`; later than
    two school days before the first day only with a reason, which flags it as late."""
    if not actor.has_perm("placements.issue_notice", placement):
        raise PermissionDenied("Only the SENDCo or headteacher issues the parent notice.")
    errors = parent_notice_issue_errors(placement, method=method, issued_on=issued_on, late_reason=late_reason)
    if errors:
        raise ValidationError(errors)
    today = timezone.localdate()
    issued_on = issued_on or today
    recipients = notice_recipients(placement)
    deadline = notice_deadline(placement)
    late_reason = late_reason.strip()
    is_late = issued_on > deadline
    first_day = placement.start_date
    assert first_day is not None  # notice_deadline() has counted back from it
    content = notice_pdf(placement, letter_date=issued_on, recipients=recipients, draft=False)
    document = document_store(
        school=placement.school,
        kind="parent_notice",
        title=f"{TITLE}: {placement.pupil.full_name}",
        content=content,
        actor=actor,
    )
    notice = ParentNotice(
        placement=placement,
        document=document,
        issued_on=issued_on,
        method=method,
        recipients=[recipient.as_json() for recipient in recipients],
        first_day=first_day,
        deadline=deadline,
        is_late=is_late,
        late_reason=late_reason if is_late else "",
        stated=notice_facts(placement),
        issued_by=actor,
    )
    save_tracked(notice, actor)
    notice_send(actor=actor, placement=placement, recipients=recipients, method=method, letter_date=issued_on)
    placement_transition(
        placement=placement,
        target=Placement.Status.NOTICE_ISSUED,
        actor=actor,
        notice_summary=_served_summary(notice, actor),
        occurred_at=moment_on(issued_on),
    )
    return notice


def notice_send(
    *,
    actor: User,
    placement: Placement,
    recipients: list[NoticeRecipient],
    method: str,
    letter_date: date,
    purpose: str = Message.Purpose.PARENT_NOTICE,
    changes: list[tuple[str, str, str]] | None = None,
) -> list[Message]:
    """One message per recipient through the outbox, each carrying only its own letter, so one
    parent is never sent the other's address. The combined copy stays the school's file copy."""
    pupil, school = placement.pupil, placement.school
    sent = []
    for recipient in recipients:
        content = notice_pdf(placement, letter_date=letter_date, recipients=[recipient], draft=False, changes=changes)
        document = document_store(
            school=school,
            kind=purpose,
            title=f"{TITLE}: {pupil.full_name} ({recipient.name})",
            content=content,
            actor=actor,
        )
        context = {"school": school, "pupil": pupil, "recipient": recipient, "amended": changes is not None}
        sent.append(
            message_queue(
                actor=actor,
                school=school,
                pupil=pupil,
                purpose=purpose,
                channel=method,
                recipient_name=recipient.name,
                recipient_role=recipient.role,
                recipient_email=recipient.email,
                recipient_address="\n".join(recipient.address_lines),
                subject=f"{school.name}: {'amended ' if changes is not None else ''}notice about off-site education",
                body=render_to_string("emails/outbox/parent_notice.txt", context),
                document=document,
                link=reverse("placements:notice", args=[placement.public_id]),
            )
        )
    return sent


@transaction.atomic
def parent_notice_amend(*, actor: User, placement: Placement, method: str) -> list[Message]:
    """Tell each recipient in writing what has changed since the notice, with the notice afresh;
    what the notice states is then the placement as it is now (its history keeps the earlier)."""
    if not actor.has_perm("placements.issue_notice", placement):
        raise PermissionDenied("Only the SENDCo or headteacher sends an amended notice.")
    notice = ParentNotice.objects.select_for_update().filter(placement=placement).first()
    if notice is None:
        raise ValidationError("The notice has not been issued yet: issue it, with the details as they are now.")
    changes = notice_changes(placement, notice.stated)
    if not changes:
        raise ValidationError("Nothing the notice stated has changed, so there is nothing to amend.")
    missing = notice_missing_items(placement)
    if missing:
        raise ValidationError(missing)
    recipients = notice_recipients(placement)
    _check_method(method, recipients)
    sent = notice_send(
        actor=actor,
        placement=placement,
        recipients=recipients,
        method=method,
        letter_date=timezone.localdate(),
        purpose=Message.Purpose.AMENDED_NOTICE,
        changes=changes,
    )
    notice.stated = notice_facts(placement)
    save_tracked(notice, actor)
    changed = ", ".join(label.lower() for label, _said, _now in changes)
    summary = f"Amended notice sent {Method(method).label.lower()} to {len(sent)} by {actor} ({changed})"
    placement_step(placement, CaseEvent.Kind.NOTICE_ISSUED, summary[:200], actor)
    return sent
