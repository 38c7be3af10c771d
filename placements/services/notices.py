"""Issuing the parent notice of a direction off-site: the letter is rendered once, stored with its
hash, and that stored copy is what is ever downloaded again."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from apcase.models import Document, User
from apcase.services import document_store
from placements.models import AmendedNotice, ParentNotice, Placement
from placements.notice import (
    AMENDED_TITLE,
    TITLE,
    NoticeRecipient,
    notice_changes,
    notice_deadline,
    notice_facts,
    notice_missing_items,
    notice_pdf,
    notice_recipients,
)
from placements.selectors.notices import notice_in_force
from placements.services.common import moment_on, placement_step, save_tracked
from placements.services.placements import placement_transition
from pupils.models import CaseEvent

Method = ParentNotice.Method


def _check_method(method: str, recipients: list[NoticeRecipient]) -> None:
    if method not in Method.values:
        raise ValidationError({"method": "Choose how the notice is served: by post, by hand or by e-mail."})
    needs = "email" if method == Method.EMAIL else "address_lines"
    without = [r.name for r in recipients if not getattr(r, needs)]
    if without:
        detail = "e-mail address" if method == Method.EMAIL else "postal address"
        raise ValidationError({"method": f"{', '.join(without)}: no {detail} is recorded. Choose another method."})


def _letter_served(
    placement: Placement, actor: User, method: str, issued_on: date, **amended
) -> tuple[Document, list[NoticeRecipient]]:
    """The letter as served by `method`, rendered once and stored with its hash; with amends and
    changes, the amended notice."""
    recipients = notice_recipients(placement)
    _check_method(method, recipients)
    content = notice_pdf(placement, letter_date=issued_on, recipients=recipients, draft=False, **amended)
    title = AMENDED_TITLE if amended else TITLE
    document = document_store(
        school=placement.school,
        kind="parent_notice",
        title=f"{title}: {placement.pupil.full_name}",
        content=content,
        actor=actor,
    )
    return document, recipients


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
    if placement.status != Placement.Status.APPROVED:
        raise ValidationError("The notice is issued once the headteacher has approved the placement, before it starts.")
    missing = notice_missing_items(placement)
    if missing:
        raise ValidationError(missing)
    today = timezone.localdate()
    issued_on = issued_on or today
    if issued_on > today:
        raise ValidationError({"issued_on": "The date of service cannot be in the future."})
    deadline = notice_deadline(placement)
    late_reason = late_reason.strip()
    is_late = issued_on > deadline
    if is_late and not late_reason:
        raise ValidationError(
            {"late_reason": f"The notice is due by {deadline:%d/%m/%Y}; say why it is given later than that."}
        )
    document, recipients = _letter_served(placement, actor, method, issued_on)
    notice = ParentNotice(
        placement=placement,
        document=document,
        issued_on=issued_on,
        method=method,
        recipients=[recipient.as_json() for recipient in recipients],
        first_day=placement.start_date,
        deadline=deadline,
        is_late=is_late,
        late_reason=late_reason if is_late else "",
        stated=notice_facts(placement),
        issued_by=actor,
    )
    save_tracked(notice, actor)
    placement_transition(
        placement=placement,
        target=Placement.Status.NOTICE_ISSUED,
        actor=actor,
        notice_summary=_served_summary(notice, actor),
        occurred_at=moment_on(issued_on),
    )
    return notice


@transaction.atomic
def parent_notice_amend(
    *, actor: User, placement: Placement, method: str, issued_on: date | None = None
) -> AmendedNotice:
    """Issue an amended notice once a fact the notice in force states has changed (the first day's
    time, who the pupil reports to, the session times, the number of days...): it says what changed,
    and it is stored like the first (docs/policy-steps.md)."""
    if not actor.has_perm("placements.issue_notice", placement):
        raise PermissionDenied("Only the SENDCo or headteacher issues the parent notice.")
    # Lock the row so two amended notices cannot both be issued for one change.
    Placement.objects.select_for_update().filter(pk=placement.pk).values_list("pk").first()
    in_force = notice_in_force(placement)
    if in_force is None or not placement.is_in_force:
        raise ValidationError("An amended notice is issued for a direction whose notice is in force.")
    changes = notice_changes(placement, in_force.stated)
    if not changes:
        raise ValidationError("Nothing the notice states has changed since it was issued.")
    missing = notice_missing_items(placement)
    if missing:
        raise ValidationError(missing)
    issued_on = issued_on or timezone.localdate()
    if issued_on > timezone.localdate():
        raise ValidationError({"issued_on": "The date of service cannot be in the future."})
    document, recipients = _letter_served(
        placement, actor, method, issued_on, amends=in_force.issued_on, changes=changes
    )
    amended = AmendedNotice(
        placement=placement,
        document=document,
        issued_on=issued_on,
        method=method,
        recipients=[recipient.as_json() for recipient in recipients],
        changes=[list(change) for change in changes],
        stated=notice_facts(placement),
        issued_by=actor,
    )
    save_tracked(amended, actor)
    what = ", ".join(label.lower() for label, _said, _now in changes)
    summary = f"Amended parent notice issued {amended.get_method_display().lower()} by {actor}: {what} changed"
    placement_step(placement, CaseEvent.Kind.NOTICE_ISSUED, summary, actor, moment_on(issued_on))
    return amended
