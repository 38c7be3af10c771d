"""Every write to pupils, contacts, the chronology, referrals and approvals.

Each service is `<entity>_<action>(*, actor, ...)`, runs in one transaction, validates with the
model's full_clean() and raises ValidationError with a message a person can act on.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, models, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator
from simple_history.utils import bulk_create_with_history

from apcase.details import Details
from apcase.history import history_stamp
from apcase.models import Membership, Role, School, User
from apcase.services import notification_send, save_tracked
from apcase.uploads import validate_upload
from pupils.approvals import approval_kind
from pupils.imports import ImportPlan, RowPlan, cells_apply, plan_import
from pupils.models import (
    Approval,
    CaseEvent,
    Contact,
    EhcpPathway,
    ImportBatch,
    ParentMeeting,
    Pupil,
    Referral,
    ReferralAttachment,
    SenProvision,
)
from pupils.selectors import referral_approval_blockers
from pupils.workflows import APPROVAL_WORKFLOW, REFERRAL_WORKFLOW

REFER_TO_AP = "refer_to_ap"
STAFF_ROLES = (Role.SENDCO, Role.HEAD, Role.DSL, Role.TEACHER)


def staff_of(school: School, roles: Iterable[str] = STAFF_ROLES) -> models.QuerySet[User]:
    """Active users holding one of these roles in the school itself (not trust-wide)."""
    memberships = Membership.objects.filter(school=school, role__in=list(roles), is_active=True)
    return User.objects.filter(is_active=True, pk__in=memberships.values("user_id")).order_by("first_name", "last_name")


# --- Chronology ---------------------------------------------------------------------------------


def case_event_record(
    *,
    pupil: Pupil,
    kind: str,
    summary: str,
    actor: User | None,
    occurred_at: datetime | None = None,
    link: str = "",
) -> CaseEvent:
    """Add a step to the pupil's chronology. occurred_at may be back-dated, never in the future."""
    now = timezone.now()
    if occurred_at is not None and occurred_at > now:
        raise ValidationError("A step in the chronology cannot have happened in the future.")
    event = CaseEvent(
        pupil=pupil,
        school_id=pupil.school_id,
        kind=kind,
        summary=Truncator(" ".join(summary.split())).chars(200),
        occurred_at=occurred_at or now,
        actor=actor,
        link=link,
    )
    save_tracked(event, actor)
    return event


# --- Pupils and contacts ------------------------------------------------------------------------


def _check_staff(school: School, users: Iterable[User | None]) -> None:
    chosen = {user.pk for user in users if user is not None}
    if chosen - set(staff_of(school).filter(pk__in=chosen).values_list("pk", flat=True)):
        raise ValidationError("Class teachers and key adults must be staff of the pupil's school.")


@dataclass(frozen=True, kw_only=True)
class PupilDetails(Details):
    """What the pupil form edits: never the school, the retention stamp or the CP-plan flag."""

    upn: str
    legal_first_name: str
    legal_last_name: str
    preferred_first_name: str = ""
    preferred_last_name: str = ""
    date_of_birth: date
    sex: str
    year_group: str
    registration_group: str = ""
    class_teacher: User | None = None
    admission_date: date
    leaving_date: date | None = None
    sen_provision: str = SenProvision.NONE
    primary_need: str = ""
    ehcp_pathway: str = EhcpPathway.NONE
    pupil_premium: bool = False
    fsm: bool = False
    looked_after: bool = False
    eal: bool = False


@transaction.atomic
def pupil_create(
    *, actor: User | None, school: School, details: PupilDetails, key_adults: Iterable[User] = ()
) -> Pupil:
    pupil = Pupil(school=school)
    details.apply_to(pupil)
    _pupil_save(pupil, actor, list(key_adults))
    return pupil


@transaction.atomic
def pupil_update(*, actor: User | None, pupil: Pupil, details: PupilDetails, key_adults: Iterable[User]) -> Pupil:
    details.apply_to(pupil)
    _pupil_save(pupil, actor, list(key_adults))
    return pupil


def _pupil_save(pupil: Pupil, actor: User | None, key_adults: list[User]) -> None:
    _check_staff(pupil.school, [pupil.class_teacher, *key_adults])
    save_tracked(pupil, actor)
    pupil.key_adults.set(key_adults)


@dataclass(frozen=True, kw_only=True)
class ContactDetails(Details):
    name: str
    title: str = ""
    relationship: str
    parental_responsibility: bool = False
    priority: int = 1
    phone: str = ""
    email: str = ""
    address: str = ""
    postcode: str = ""
    preferred_method: str = Contact.Method.PHONE
    do_not_contact: bool = False
    do_not_contact_reason: str = ""


@transaction.atomic
def contact_create(*, actor: User | None, pupil: Pupil, details: ContactDetails) -> Contact:
    contact = Contact(pupil=pupil)
    details.apply_to(contact)
    save_tracked(contact, actor)
    return contact


@transaction.atomic
def contact_update(*, actor: User | None, contact: Contact, details: ContactDetails) -> Contact:
    details.apply_to(contact)
    save_tracked(contact, actor)
    return contact


@transaction.atomic
def contact_delete(*, actor: User | None, contact: Contact) -> None:
    history_stamp(contact, user=actor)  # the history keeps a "deleted" row with who removed it
    contact.delete()


# --- Approvals ----------------------------------------------------------------------------------


@transaction.atomic
def approval_request(
    *,
    subject: models.Model,
    kind: str,
    pupil: Pupil,
    actor: User,
    summary: str,
    cost=None,
    occurred_at: datetime | None = None,
) -> Approval:
    """Ask the headteacher to decide; tells each head of the school (initials only)."""
    entry = approval_kind(kind)
    if not actor.has_perm("pupils.request_approval", pupil):
        raise PermissionDenied("Only the SENDCo or headteacher can ask for a headteacher's approval.")
    content_type = ContentType.objects.get_for_model(subject)
    pending = Approval.objects.filter(
        content_type=content_type, object_id=subject.pk, kind=kind, status=Approval.Status.PENDING
    )
    if pending.exists():
        raise ValidationError(
            f"There is already a request waiting for the headteacher's decision on this {entry.label.lower()}."
        )
    approval = Approval(
        school_id=pupil.school_id,
        kind=kind,
        content_type=content_type,
        object_id=subject.pk,
        pupil=pupil,
        summary=Truncator(summary).chars(200),
        cost=cost,
        requested_by=actor,
        requested_at=occurred_at or timezone.now(),
    )
    save_tracked(approval, actor, validate_constraints=False)  # the pending check above explains itself
    for head in staff_of(pupil.school, [Role.HEAD]).exclude(pk=actor.pk):
        notification_send(
            user=head,
            title=f"Approval needed for {{pupil}}: {entry.label}",
            link=reverse("approvals:inbox"),
            kind="approval_requested",
            school=pupil.school,
            pupil=pupil,
            occurred_at=approval.requested_at,
        )
    return approval


def _locked(approval: Approval) -> Approval:
    """Re-read the approval under a row lock so two heads deciding at once cannot both win."""
    locked = Approval.objects.select_for_update(of=("self",))  # not the pupil, school or users it joins
    return locked.select_related("pupil__school", "requested_by").get(pk=approval.pk)


@transaction.atomic
def approval_decide(
    *,
    approval: Approval,
    actor: User,
    approve: bool,
    reasons: str,
    occurred_at: datetime | None = None,
    answers: dict | None = None,
) -> Approval:
    """The headteacher's decision. Moves the subject through its kind's on_decided, in this
    transaction; approving first settles what the kind's decision check asks (answers)."""
    approval = _locked(approval)
    if not actor.has_perm("pupils.decide_approval", approval):
        raise PermissionDenied("Only a headteacher of the school decides approvals.")
    if approval.status != Approval.Status.PENDING:
        raise ValidationError(f"This request has already been decided: {approval.get_status_display().lower()}.")
    if approval.requested_by_id == actor.pk:
        raise ValidationError(
            "You asked for this approval, so someone else must decide it: another headteacher of the "
            "school, or a trust-wide headteacher."
        )
    reasons = reasons.strip()
    if not approve and not reasons:
        raise ValidationError("Give the reasons for declining, so the SENDCo and the family can be told why.")
    target = Approval.Status.APPROVED if approve else Approval.Status.DECLINED
    APPROVAL_WORKFLOW.apply(obj=approval, target=target, actor=actor)
    approval.decided_by = actor
    approval.decided_at = occurred_at or timezone.now()
    entry = approval_kind(approval.kind)
    check = entry.check_for(approval.subject, timezone.localdate(approval.decided_at)) if approve else None
    if check is not None:
        given = {name: value for name, value in (answers or {}).items() if name in check.fields and value}
        if not given:
            raise ValidationError(check.unanswered)
        reasons = "\n".join(filter(None, [reasons, check.resolve(given, actor)]))
    approval.reasons = reasons
    save_tracked(approval, actor)
    entry.on_decided(approval, actor)
    notification_send(
        user=approval.requested_by,
        title=f"{entry.label} for {{pupil}}: {approval.get_status_display().lower()}",
        link=_subject_link(approval),
        kind="approval_decided",
        school=approval.pupil.school,
        pupil=approval.pupil,
        occurred_at=approval.decided_at,
    )
    return approval


@transaction.atomic
def approval_withdraw(*, approval: Approval, actor: User, reasons: str = "") -> Approval:
    """Take back a request that no longer needs deciding. Called by the subject's own service
    (which has checked its actor), e.g. when a proposed placement is cancelled."""
    approval = _locked(approval)
    APPROVAL_WORKFLOW.apply(obj=approval, target=Approval.Status.WITHDRAWN, actor=actor)
    approval.decided_by = actor
    approval.decided_at = timezone.now()
    approval.reasons = reasons.strip()
    save_tracked(approval, actor)
    return approval


def _subject_link(approval: Approval) -> str:
    get_url = getattr(approval.subject, "get_absolute_url", None)
    return get_url() if get_url else reverse("approvals:inbox")


# --- Referrals ----------------------------------------------------------------------------------


def _referral_step(referral: Referral, kind: str, summary: str, actor: User, occurred_at: datetime) -> CaseEvent:
    """A step of this referral in the pupil's chronology, linking back to the referral."""
    return case_event_record(
        pupil=referral.pupil,
        kind=kind,
        summary=summary,
        actor=actor,
        occurred_at=occurred_at,
        link=referral.get_absolute_url(),
    )


@dataclass(frozen=True, kw_only=True)
class ReferralDetails(Details):
    """The Cause for Concern form, as the teacher who raised it writes and corrects it."""

    criteria: list[str]
    concern: str
    reasons: list[str] = field(default_factory=list)
    suspensions_this_year: int = 0
    strategies_tried: str = ""
    tried_for_weeks: int | None = None
    evidence: str = ""
    parents_informed: bool = False
    parents_informed_notes: str = ""
    safeguarding_concern: bool = False


@transaction.atomic
def referral_create(
    *, actor: User, pupil: Pupil, details: ReferralDetails, occurred_at: datetime | None = None
) -> Referral:
    """A teacher starts a Cause for Concern (a draft until they submit it)."""
    if not actor.has_perm("pupils.add_referral", pupil):
        raise PermissionDenied("Your role cannot raise a Cause for Concern in this school.")
    if not pupil.is_on_roll():
        raise ValidationError("This pupil is no longer on roll, so a concern cannot be raised here.")
    referral = Referral(
        school_id=pupil.school_id, pupil=pupil, raised_by=actor, raised_at=occurred_at or timezone.now()
    )
    details.apply_to(referral)
    save_tracked(referral, actor)
    _referral_step(
        referral, CaseEvent.Kind.REFERRAL_RAISED, f"Cause for Concern started by {actor}", actor, referral.raised_at
    )
    return referral


@transaction.atomic
def referral_update(*, actor: User, referral: Referral, details: ReferralDetails) -> Referral:
    if not actor.has_perm("pupils.change_referral", referral):
        raise PermissionDenied("Only the person who raised it can change a referral, and only while it is a draft.")
    details.apply_to(referral)
    save_tracked(referral, actor)
    return referral


@transaction.atomic
def referral_review_save(
    *,
    actor: User,
    referral: Referral,
    background: str = "",
    staff_consulted: str = "",
    avenues_considered: Sequence[str] = (),
    avenues_notes: str = "",
    recommendation: str = "",
    recommendation_reasons: str = "",
) -> Referral:
    """The SENDCo's review notes and recommendation, while the review is open."""
    if not actor.has_perm("pupils.review_referral", referral):
        raise PermissionDenied("Only the SENDCo reviews referrals.")
    if referral.status != Referral.Status.UNDER_REVIEW:
        raise ValidationError("Start the review before recording it; once sent for a decision it cannot change.")
    referral.background = background
    referral.staff_consulted = staff_consulted
    referral.avenues_considered = list(avenues_considered)
    referral.avenues_notes = avenues_notes
    referral.recommendation = recommendation
    referral.recommendation_reasons = recommendation_reasons
    save_tracked(referral, actor)
    return referral


_EVENT_FOR_TARGET: dict[str, str] = {
    Referral.Status.SUBMITTED: CaseEvent.Kind.REFERRAL_SUBMITTED,
    Referral.Status.UNDER_REVIEW: CaseEvent.Kind.REFERRAL_REVIEWED,
    Referral.Status.AWAITING_APPROVAL: CaseEvent.Kind.APPROVAL_REQUESTED,
    Referral.Status.APPROVED: CaseEvent.Kind.APPROVAL_DECIDED,
    Referral.Status.DECLINED: CaseEvent.Kind.APPROVAL_DECIDED,
    Referral.Status.WITHDRAWN: CaseEvent.Kind.REFERRAL_WITHDRAWN,
}


def _event_summary(referral: Referral, actor: User, reasons: str) -> str:
    S = Referral.Status
    recommendation = referral.get_recommendation_display()
    return {
        S.SUBMITTED: f"Cause for Concern submitted to the SENDCo by {actor}",
        S.UNDER_REVIEW: f"Review started by {actor}",
        S.AWAITING_APPROVAL: f"Recommendation “{recommendation}” sent to the headteacher by {actor}",
        S.APPROVED: f"{actor} approved the recommendation “{recommendation}”",
        S.DECLINED: f"{actor} declined the recommendation “{recommendation}”: {reasons}",
        S.WITHDRAWN: f"Referral withdrawn by {actor}: {reasons}",
    }[S(referral.status)]


@transaction.atomic
def referral_transition(
    *,
    referral: Referral,
    target: str,
    actor: User,
    reasons: str = "",
    occurred_at: datetime | None = None,
    approval: Approval | None = None,
) -> Referral:
    """Move a referral along REFERRAL_WORKFLOW and record the step in the pupil's chronology.

    Approving or declining happens only through the headteacher's decision on the approval
    (approval_decide -> referral_on_approval_decided), which passes that approval in.
    """
    S = Referral.Status
    referral = Referral.objects.select_for_update(of=("self",)).select_related("pupil__school").get(pk=referral.pk)
    reasons = reasons.strip()
    if target in (S.APPROVED, S.DECLINED) and (approval is None or approval.status != target):
        raise ValidationError("A referral is approved or declined only by the headteacher's decision in the inbox.")
    if target == S.WITHDRAWN and not reasons:
        raise ValidationError("Say why the referral is being withdrawn.")
    if target == S.AWAITING_APPROVAL and referral.status == S.UNDER_REVIEW:
        errors = referral_approval_blockers(referral=referral)
        if errors:
            raise ValidationError(errors)
    REFERRAL_WORKFLOW.apply(obj=referral, target=target, actor=actor)
    when = occurred_at or timezone.now()
    if target == S.SUBMITTED:
        referral.submitted_at = when
    if target == S.WITHDRAWN:
        referral.withdrawal_reason = reasons
    save_tracked(referral, actor)
    if target == S.AWAITING_APPROVAL:
        approval_request(
            subject=referral,
            kind=REFER_TO_AP,
            pupil=referral.pupil,
            actor=actor,
            summary=f"{referral.pupil.display_name}: {referral.get_recommendation_display()}",
            occurred_at=when,
        )
    _referral_step(referral, _EVENT_FOR_TARGET[target], _event_summary(referral, actor, reasons), actor, when)
    if target == S.SUBMITTED:
        _tell_sendcos(referral)
    return referral


def _tell_sendcos(referral: Referral) -> None:
    """Each SENDCo reviews; each DSL is told too when the referral is flagged for safeguarding,
    since the flag is what lets them see it."""
    pupil = referral.pupil
    recipients = [(user, "to review") for user in staff_of(pupil.school, [Role.SENDCO])]
    if referral.safeguarding_concern:
        recipients += [(user, "flagged for safeguarding") for user in staff_of(pupil.school, [Role.DSL])]
    for user, why in recipients:
        notification_send(
            user=user,
            title=f"Cause for Concern for {{pupil}} {why}",
            link=referral.get_absolute_url(),
            kind="referral_submitted",
            school=pupil.school,
            pupil=pupil,
            occurred_at=referral.submitted_at,
        )


def referral_on_approval_decided(approval: Approval, actor: User) -> None:
    """on_decided for "refer_to_ap": the head's decision becomes the referral's outcome."""
    referral = approval.subject
    assert isinstance(referral, Referral)  # the "refer_to_ap" kind is about a referral
    referral_transition(
        referral=referral,
        target=approval.status,
        actor=actor,
        reasons=approval.reasons,
        occurred_at=approval.decided_at,
        approval=approval,
    )
    if referral.raised_by_id != approval.requested_by_id:
        notification_send(
            user=referral.raised_by,
            title="Outcome of your Cause for Concern for {pupil}",
            link=referral.get_absolute_url(),
            kind="referral_decided",
            school=approval.pupil.school,
            pupil=approval.pupil,
            occurred_at=approval.decided_at,
        )


@dataclass(frozen=True, kw_only=True)
class ParentMeetingDetails(Details):
    held_at: datetime
    attendees: str
    explained: str
    alternative_to_exclusion: bool = False
    made_clear_to_parents: bool = False
    parents_views: str
    agreement: str


@transaction.atomic
def parent_meeting_record(*, actor: User, referral: Referral, details: ParentMeetingDetails) -> ParentMeeting:
    _check_meeting_allowed(actor, referral)
    meeting = ParentMeeting(referral=referral, recorded_by=actor)
    details.apply_to(meeting)
    save_tracked(meeting, actor)
    summary = f"Meeting with parents or carers: {meeting.get_agreement_display().lower()}"
    if meeting.alternative_to_exclusion:
        summary += " (AP offered as an alternative to permanent exclusion)"
    _referral_step(referral, CaseEvent.Kind.PARENT_MEETING, summary, actor, meeting.held_at)
    return meeting


@transaction.atomic
def parent_meeting_update(*, actor: User, meeting: ParentMeeting, details: ParentMeetingDetails) -> ParentMeeting:
    """Correct a meeting record. A correction to what the chronology shows (when, the parents'
    answer, the exclusion alternative) is itself a step in it, so the earlier entry is not
    silently contradicted."""
    referral = meeting.referral
    _check_meeting_allowed(actor, referral)
    before = ParentMeeting.objects.get(pk=meeting.pk)  # a bound form may already have changed `meeting`
    details.apply_to(meeting)
    save_tracked(meeting, actor)
    shown = ("held_at", "agreement", "alternative_to_exclusion")
    if any(getattr(before, name) != getattr(meeting, name) for name in shown):
        held = timezone.localtime(before.held_at)
        summary = f"Record of the meeting with parents of {held:%d/%m/%Y} corrected by {actor}"
        _referral_step(referral, CaseEvent.Kind.NOTE, summary, actor, timezone.now())
    return meeting


def _check_meeting_allowed(actor: User, referral: Referral) -> None:
    if not actor.has_perm("pupils.record_parent_meeting", referral):
        raise PermissionDenied("Only the SENDCo or headteacher records meetings with parents.")
    if referral.status not in (
        Referral.Status.SUBMITTED,
        Referral.Status.UNDER_REVIEW,
        Referral.Status.AWAITING_APPROVAL,
    ):
        raise ValidationError("Meetings are recorded while a submitted referral is being reviewed or decided.")


@transaction.atomic
def referral_attachment_add(*, actor: User, referral: Referral, file, description: str = "") -> ReferralAttachment:
    if not actor.has_perm("pupils.add_referral_evidence", referral):
        raise PermissionDenied("Your role cannot add evidence to this referral.")
    if not referral.is_open:
        raise ValidationError("Evidence can be added only while the referral is open.")
    validate_upload(file)
    attachment = ReferralAttachment(
        referral=referral,
        original_name=file.name[:200],
        size=file.size,
        description=description,
        uploaded_by=actor,
    )
    attachment.file.save(file.name, file, save=False)
    save_tracked(attachment, actor)
    return attachment


@transaction.atomic
def referral_attachment_remove(*, actor: User, attachment: ReferralAttachment) -> None:
    """An uploader may take back a file while the referral is still their draft."""
    if attachment.uploaded_by_id != actor.pk or attachment.referral.status != Referral.Status.DRAFT:
        raise PermissionDenied("Only the person who added a file can remove it, and only from a draft.")
    stored = attachment.file
    history_stamp(attachment, user=actor)
    attachment.delete()
    transaction.on_commit(lambda: stored.delete(save=False))


# --- CSV import ---------------------------------------------------------------------------------


class ImportRefused(ValidationError):
    """The file has errors, so nothing was applied; carries the plan that shows them."""

    def __init__(self, plan: ImportPlan):
        super().__init__("Nothing was imported: fix the rows listed and upload the file again.")
        self.plan = plan


@transaction.atomic
def pupils_import(*, actor: User | None, school: School, content: bytes) -> ImportPlan:
    """Apply an MIS export: every row or none. The file is validated again here, inside the
    transaction, so what is applied is checked against the pupils as they are now."""
    plan = plan_import(school=school, content=content)
    if plan.has_errors:
        raise ImportRefused(plan)
    try:
        with transaction.atomic():
            _import_rows(actor, school, plan.rows)
    except IntegrityError:
        raise ValidationError(
            "Someone else added or changed pupils while this import ran. Nothing was imported: preview it again."
        ) from None
    return plan


IMPORT_REASON = "Imported from the MIS export"


def _import_rows(actor: User | None, school: School, rows: list[RowPlan]) -> None:
    """New pupils and contacts go in with bulk inserts and their history in bulk (a first import
    is the whole roll); changed ones are saved one by one, so the history of a pupil's key adults
    stays whole. plan_import has already run full_clean on every value applied here."""
    new_rows = [row for row in rows if row.action == "create"]
    new_pupils = []
    for row in new_rows:
        pupil = Pupil(school=school)
        cells_apply(pupil, row.pupil_fields)
        new_pupils.append(pupil)
    bulk_create_with_history(new_pupils, Pupil, default_user=actor, default_change_reason=IMPORT_REASON)
    new_contacts = []
    for row, pupil in zip(new_rows, new_pupils, strict=True):
        row.pupil = pupil
        if row.contact_fields is not None:
            new_contacts.append(Contact(pupil=pupil, **row.contact_fields))
    for row in rows:
        if row.action == "update":
            _update_row(actor, row)
            if row.contact_fields is not None and row.contact is None:
                new_contacts.append(Contact(pupil=row.pupil, **row.contact_fields))
    bulk_create_with_history(new_contacts, Contact, default_user=actor, default_change_reason=IMPORT_REASON)


def _update_row(actor: User | None, row: RowPlan) -> None:
    assert row.pupil is not None  # the plan matched the row to this pupil
    cells_apply(row.pupil, row.pupil_fields)
    save_tracked(row.pupil, actor, validate_unique=False)  # UPN uniqueness was checked for the whole file
    if row.contact is not None and row.contact_fields is not None:
        cells_apply(row.contact, row.contact_fields)
        save_tracked(row.contact, actor)


STALE_PREVIEW = timedelta(days=1)


@transaction.atomic
def import_batch_create(*, actor: User, school: School, upload) -> ImportBatch:
    """Keep the uploaded file on the server between preview and confirmation.

    Previews left unconfirmed for a day are discarded here, so abandoned copies of a school's
    roll do not pile up on disk.
    """
    stale = ImportBatch.objects.filter(
        school=school, status=ImportBatch.Status.PREVIEWED, uploaded_at__lt=timezone.now() - STALE_PREVIEW
    )
    for old in stale:
        _close_batch(old, ImportBatch.Status.DISCARDED)
    content = upload.read()
    batch = ImportBatch(
        school=school,
        uploaded_by=actor,
        original_name=upload.name[:200],
        sha256=hashlib.sha256(content).hexdigest(),
    )
    batch.file.save("pupils.csv", ContentFile(content), save=False)
    batch.save()
    return batch


def import_batch_content(batch: ImportBatch) -> bytes:
    with batch.file.open("rb") as handle:
        return handle.read()


def import_batch_plan(batch: ImportBatch) -> ImportPlan | None:
    """What confirming would do, or None once the batch is closed (its file deleted), which a
    confirm or discard in another tab may have done a moment ago: the page then says so."""
    if batch.status != ImportBatch.Status.PREVIEWED:
        return None
    try:
        content = import_batch_content(batch)
    except (FileNotFoundError, ValueError):
        batch.refresh_from_db()
        return None
    return plan_import(school=batch.school, content=content)


@transaction.atomic
def import_batch_apply(*, actor: User, batch: ImportBatch) -> ImportPlan:
    batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
    if batch.status != ImportBatch.Status.PREVIEWED:
        raise ValidationError(f"This import has already been {batch.get_status_display().lower()}.")
    plan = pupils_import(actor=actor, school=batch.school, content=import_batch_content(batch))
    counts = plan.counts
    batch.created_count, batch.updated_count, batch.unchanged_count = (
        counts["create"],
        counts["update"],
        counts["unchanged"],
    )
    _close_batch(batch, ImportBatch.Status.APPLIED)
    return plan


@transaction.atomic
def import_batch_discard(*, actor: User, batch: ImportBatch) -> None:
    # Locked like import_batch_apply, so a discard racing a confirm cannot relabel an applied import.
    batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
    if batch.status == ImportBatch.Status.PREVIEWED:
        _close_batch(batch, ImportBatch.Status.DISCARDED)


def _close_batch(batch: ImportBatch, status: str) -> None:
    """The pupils' data now lives in their records; the uploaded copy is not kept."""
    stored = batch.file
    batch.status = status
    batch.applied_at = timezone.now()
    batch.file = ""
    batch.save()
    transaction.on_commit(lambda: stored.storage.delete(stored.name))
