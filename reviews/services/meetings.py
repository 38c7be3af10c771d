"""A review meeting from arranging it to its minutes: who is invited, what was said and measured,
what was decided, and the actions agreed. Each step is in the pupil's chronology."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from apcase.history import history_stamp
from apcase.models import Role, User
from apcase.services import check_not_future, notification_send, save_tracked
from apcase.uploads import validate_upload
from placements.models import Incident, Placement
from placements.schedule import calendar_for
from placements.selectors import attendance_summary
from placements.services import placement_length_change
from placements.services.common import moment_on, placement_step
from pupils.models import CaseEvent
from pupils.services import staff_of
from reviews.invitations import NOBODY_INVITED
from reviews.models import Measurement, ProviderReviewReport, ReviewAction, ReviewMeeting, ReviewParticipant, Target
from reviews.schedule import period_label
from reviews.selectors.meetings import attendance_figures
from reviews.services.common import check_perm
from reviews.wording import lower_first
from reviews.workflows import REVIEW_WORKFLOW

K = ReviewMeeting.Kind
R = ReviewMeeting.Status
ROUTINE_KINDS = (K.HALF_TERMLY, K.TERMLY, K.IAP_WEEKLY)


def review_step(review: ReviewMeeting, kind: str, summary: str, actor: User | None, when: datetime | None = None):
    return placement_step(review.placement, kind, summary, actor, link=review.get_absolute_url(), when=when)


def review_create(
    *,
    placement: Placement,
    kind: str,
    due_on: date,
    actor: User | None,
    incident: Incident | None = None,
    from_calendar: bool = False,
    record_step: bool = True,
    occurred_at: datetime | None = None,
) -> ReviewMeeting:
    """A review falling due. No permission check: the schedule, a serious incident and a request
    create reviews whoever set them off (the DSL records incidents); review_arrange is the
    person's way in."""
    review = ReviewMeeting(
        school_id=placement.school_id,
        placement=placement,
        kind=kind,
        due_on=due_on,
        incident=incident,
        from_calendar=from_calendar,
    )
    save_tracked(review, actor)
    if record_step:
        summary = f"{review.get_kind_display()} due by {due_on:%d/%m/%Y}"
        review_step(review, CaseEvent.Kind.REVIEW_SCHEDULED, summary, actor, occurred_at)
    return review


@transaction.atomic
def review_arrange(
    *, actor: User, placement: Placement, kind: str, due_on: date, occurred_at: datetime | None = None
) -> ReviewMeeting:
    """A review the school decides to hold: a formal review when progress is not satisfactory, or
    any other outside the regular schedule."""
    check_perm(actor, "reviews.add_review", placement, "Only the SENDCo or headteacher arranges reviews.")
    if not placement.is_running:
        raise ValidationError("Reviews are arranged while the placement is running.")
    if kind == K.REQUESTED:
        raise ValidationError({"kind": "A requested review comes from recording the written request."})
    return review_create(placement=placement, kind=kind, due_on=due_on, actor=actor, occurred_at=occurred_at)


def _lock_open(review: ReviewMeeting) -> None:
    """Re-read the review under a row lock and refuse if its record is closed: two people saving at
    once cannot change a review the other has just closed."""
    review.refresh_from_db(from_queryset=ReviewMeeting.objects.select_for_update(of=("self",)))
    if not review.is_open:
        raise ValidationError(f"This review is {review.get_status_display().lower()}; its record is closed.")


@transaction.atomic
def review_schedule(
    *,
    actor: User,
    review: ReviewMeeting,
    meeting_at: datetime,
    place: str,
    staff: Iterable[User],
    others: Iterable[tuple[str, str]],
    occurred_at: datetime | None = None,
) -> ReviewMeeting:
    """Arrange the meeting: when, where and who is invited (staff, and others as (role, name))."""
    check_perm(actor, "reviews.schedule_review", review, "Only the SENDCo or headteacher arranges review meetings.")
    _lock_open(review)
    staff, others = list(staff), [(role, name.strip()) for role, name in others if name.strip()]
    if not staff and not others:
        raise ValidationError(NOBODY_INVITED)
    review.meeting_at, review.place = meeting_at, place.strip()
    save_tracked(review, actor)
    review.participants.all().delete()
    for participant in [ReviewParticipant(review=review, role=ReviewParticipant.Role.STAFF, user=u) for u in staff] + [
        ReviewParticipant(review=review, role=role, name=name) for role, name in others
    ]:
        save_tracked(participant, actor)
    when = timezone.localtime(meeting_at)
    where = f" at {review.place}" if review.place else ""
    summary = f"{review.get_kind_display()} arranged for {when:%A %d/%m/%Y at %H:%M}{where}"
    review_step(review, CaseEvent.Kind.REVIEW_SCHEDULED, summary, actor, occurred_at)
    return review


def _reading_day(review: ReviewMeeting) -> date:
    """Readings taken at a meeting carry its date (today until it is arranged or held)."""
    today = timezone.localdate()
    if review.held_on:
        return review.held_on
    if review.meeting_at and timezone.localdate(review.meeting_at) <= today:
        return timezone.localdate(review.meeting_at)
    return today


def _save_readings(actor: User, review: ReviewMeeting, readings: Mapping[Target, tuple[Decimal | None, str]]) -> None:
    day = _reading_day(review)
    period = period_label(calendar_for(review.placement), day)
    existing = {m.target_id: m for m in review.measurements.all()}
    for target, (value, note) in readings.items():
        if target.placement_id != review.placement_id:
            raise ValidationError("A reading can only be for one of this placement's targets.")
        measurement = existing.get(target.pk)
        if value is None:
            if measurement is not None:
                history_stamp(measurement, user=actor)
                measurement.delete()
            continue
        measurement = measurement or Measurement(target=target, review=review, recorded_by=actor)
        measurement.value, measurement.note = value, note.strip()
        measurement.measured_on, measurement.period = day, period
        save_tracked(measurement, actor)


@transaction.atomic
def review_record(
    *,
    actor: User,
    review: ReviewMeeting,
    attended: Iterable[ReviewParticipant] = (),
    readings: Mapping[Target, tuple[Decimal | None, str]] | None = None,
    pupil_voice: str = "",
    parents_views: str = "",
    provider_report: str = "",
    satisfactory_progress: bool | None = None,
    decision: str = "",
    extend_until: date | None = None,
    decision_notes: str = "",
    next_review_on: date | None = None,
) -> ReviewMeeting:
    """Write down the meeting: who came, a reading for each target, the views heard, the decision.
    It may be saved as often as needed until the meeting is closed."""
    check_perm(actor, "reviews.record_review", review, "Only the SENDCo or headteacher records review meetings.")
    _lock_open(review)
    review.pupil_voice = pupil_voice.strip()
    review.parents_views = parents_views.strip()
    review.provider_report = provider_report.strip()
    review.satisfactory_progress = satisfactory_progress if review.is_formal else None
    review.decision = decision
    review.extend_until = extend_until if decision == ReviewMeeting.Decision.EXTEND else None
    review.decision_notes = decision_notes.strip()
    review.next_review_on = next_review_on
    review.recorded_by = actor
    save_tracked(review, actor)
    came = {participant.pk for participant in attended}
    for participant in review.participants.all():
        if participant.attended != (participant.pk in came):
            participant.attended = participant.pk in came
            save_tracked(participant, actor)
    _save_readings(actor, review, readings or {})
    return review


def review_closing_errors(
    review: ReviewMeeting,
    *,
    held_on: date | None,
    anyone_attended: bool,
    decision: str,
    satisfactory_progress: bool | None,
    extend_until: date | None,
    next_review_on: date | None,
) -> dict[str, str]:
    """What stops the review closing as held, by field. The record form asks it too when it is
    sent to close, so its page names these beside any other mistake (a reading that is not a
    number) instead of one submission later."""
    errors = {}
    if held_on is None:
        errors["held_on"] = "Give the day the meeting was held."
    elif held_on > timezone.localdate():
        errors["held_on"] = "Close the review once the meeting has been held."
    if not anyone_attended:
        errors["attended"] = "Tick who came (arrange the meeting with its invitees first)."
    if not decision:
        errors["decision"] = "Record the decision."
    if review.is_formal and satisfactory_progress is None:
        errors["satisfactory_progress"] = "Say whether the pupil is now making satisfactory progress."
    if decision == ReviewMeeting.Decision.EXTEND:
        end = review.placement.end_date
        if extend_until is None:
            errors["extend_until"] = "Give the date the placement is extended to."
        elif end and extend_until <= end:
            errors["extend_until"] = f"The placement already runs to {end:%d/%m/%Y}: give a later date."
    if next_review_on and held_on and next_review_on < held_on:
        errors["next_review_on"] = "The next review cannot be before this one."
    return errors


def _next_kind(review: ReviewMeeting) -> str:
    if review.is_formal and not review.satisfactory_progress:
        # Formal reviews go on until progress improves, or three have not (docs/domain-rules.md#formal-reviews).
        return K.FORMAL
    if review.placement.is_iap:
        return K.IAP_WEEKLY
    return review.kind if review.kind in ROUTINE_KINDS else K.HALF_TERMLY


def _decision_summary(review: ReviewMeeting) -> str:
    progress = ""
    if review.is_formal:
        progress = ", progress satisfactory" if review.satisfactory_progress else ", progress not satisfactory"
    return f"{review.get_kind_display()} held{progress}. Decision: {lower_first(review.decision_text)}"


@transaction.atomic
def review_close(*, actor: User, review: ReviewMeeting, held_on: date) -> ReviewMeeting:
    """The meeting was held: the record is complete and closes. The attendance figures are kept
    as they stood, an extension goes to the headteacher for approval (the placement's last day
    moves when they approve it), and the next review is set."""
    _lock_open(review)
    errors = review_closing_errors(
        review,
        held_on=held_on,
        anyone_attended=review.participants.filter(attended=True).exists(),
        decision=review.decision,
        satisfactory_progress=review.satisfactory_progress,
        extend_until=review.extend_until,
        next_review_on=review.next_review_on,
    )
    if errors:
        raise ValidationError(errors)
    REVIEW_WORKFLOW.apply(obj=review, target=R.HELD, actor=actor)
    review.held_on = held_on
    review.attendance_snapshot = attendance_figures(attendance_summary(review.placement, today=held_on))
    save_tracked(review, actor)
    period = period_label(calendar_for(review.placement), held_on)
    for measurement in review.measurements.all():
        measurement.measured_on, measurement.period = held_on, period
        save_tracked(measurement, actor)
    review_step(review, CaseEvent.Kind.REVIEW_HELD, _decision_summary(review), actor, moment_on(held_on))
    placement = review.placement
    if review.decision == ReviewMeeting.Decision.EXTEND:  # the headteacher approves the extension
        reason = f"Decided at the {review.get_kind_display().lower()} held on {held_on:%d/%m/%Y}"
        if review.decision_notes.strip():
            reason += f": {review.decision_notes.strip()}"
        placement_length_change(
            actor=actor, placement=placement, planned_end_date=review.extend_until, extension_reason=reason
        )
    next_on = review.next_review_on
    if next_on and placement.is_running and not placement.reviews.to_hold().filter(due_on=next_on).exists():
        review_create(placement=placement, kind=_next_kind(review), due_on=next_on, actor=actor)
    return review


def cancel_quietly(review: ReviewMeeting, actor: User | None, reason: str) -> None:
    """The schedule cancels a review the placement's dates or the term dates no longer reach,
    without a chronology step of its own (the schedule writes one for all it changes). Whoever
    changed those dates may not hold the right to cancel reviews, or be no one (the term-dates
    listener), so no role is asked; `actor` is who the history names."""
    _lock_open(review)
    REVIEW_WORKFLOW.apply_for_schedule(obj=review, target=R.CANCELLED)
    _save_cancellation(review, actor, reason)


def _save_cancellation(review: ReviewMeeting, actor: User | None, reason: str) -> None:
    review.cancellation_reason = reason
    save_tracked(review, actor)


@transaction.atomic
def review_cancel(*, actor: User, review: ReviewMeeting, reason: str) -> ReviewMeeting:
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": "Say why the review is cancelled."})
    _lock_open(review)
    REVIEW_WORKFLOW.apply(obj=review, target=R.CANCELLED, actor=actor)
    _save_cancellation(review, actor, reason)
    review_step(review, CaseEvent.Kind.REVIEW_SCHEDULED, f"{review.get_kind_display()} cancelled: {reason}", actor)
    return review


@transaction.atomic
def review_action_add(
    *,
    actor: User,
    review: ReviewMeeting,
    description: str,
    due_on: date,
    owner: User | None = None,
    owner_name: str = "",
) -> ReviewAction:
    check_perm(actor, "reviews.record_review", review, "Only the SENDCo or headteacher records review actions.")
    _lock_open(review)
    action = ReviewAction(
        review=review, description=description.strip(), due_on=due_on, owner=owner, owner_name=owner_name.strip()
    )
    if owner is None and not action.owner_name:
        raise ValidationError({"owner": "Say who does it: a member of staff, or someone outside the school."})
    save_tracked(action, actor)
    return action


@transaction.atomic
def review_action_complete(*, actor: User, action: ReviewAction, done_on: date | None = None) -> ReviewAction:
    """Done: by its owner, or by the SENDCo or headteacher."""
    if action.owner_id != actor.pk:
        check_perm(actor, "reviews.record_review", action.review, "Only the owner, SENDCo or head marks this done.")
    if action.done_on is None:
        action.done_on = done_on or timezone.localdate()
        check_not_future("done_on", action.done_on)
        save_tracked(action, actor)
    return action


@transaction.atomic
def provider_review_report_submit(
    *, actor: User, review: ReviewMeeting, report: str, upload=None
) -> ProviderReviewReport:
    """The provider's report for a review, from the portal: the review page shows it, the
    chronology notes it, and the SENDCo is told (docs/portal.md)."""
    check_perm(actor, "reviews.submit_provider_report", review, "Only the placement's provider sends its report.")
    if not review.is_open:
        raise ValidationError("This review has been held or cancelled: send your report to the school directly.")
    placement = review.placement
    sent = ProviderReviewReport(
        review=review, report=report.strip(), submitted_by=actor, provider_name=placement.provider.name
    )
    if upload is not None:
        try:
            validate_upload(upload)
        except ValidationError as error:
            raise ValidationError({"file": error.messages}) from None
        sent.file, sent.original_name = upload, upload.name[:200]
    save_tracked(sent, actor)
    summary = f"{placement.provider.name} sent its report for the {review.get_kind_display().lower()}"
    review_step(review, CaseEvent.Kind.PROVIDER_REPORT, summary, actor)
    for sendco in staff_of(placement.school, [Role.SENDCO]):
        notification_send(
            user=sendco,
            title=f"Provider's report received for {placement.pupil.initials}'s review",
            link=review.get_absolute_url(),
            kind="provider_report",
            school=placement.school,
        )
    return sent
