"""What falls due, read from the database each time the dispatcher runs (see reviews/reminders.py).

Recipients are the people holding the role in the school itself. Titles name providers and
pupils' initials only: reminders go by e-mail.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta

from django.urls import reverse

from apcase.models import Membership, Role, School
from audits.selectors import (
    agreements_expiring_everywhere,
    audits_expiring_everywhere,
    confirmations_expiring_everywhere,
    further_actions_overdue_everywhere,
)
from placements.models import Placement
from placements.schedule import calendar_for
from placements.selectors import attendance_missing, iaps_past_six_weeks_in, notices_due_in
from placements.selectors.attendance import MissingMark
from placements.selectors.chase import escalated_runs
from placements.selectors.contacts import contact_follow_ups_due
from placements.selectors.placements import open_placements
from reminders.specs import ReminderSpec, reminder_source
from reviews.models import CheckIn, ReviewMeeting
from reviews.schedule import school_day_offset
from reviews.selectors.meetings import school_calendars

EXPIRY_WARNING = timedelta(days=30)


def role_holders(school_ids, roles) -> dict[int, tuple[int, ...]]:
    """{school_id: user ids} for active members holding any of the roles (one query)."""
    holders: dict[int, set[int]] = defaultdict(set)
    rows = Membership.objects.filter(
        school_id__in=school_ids, role__in=list(roles), is_active=True, user__is_active=True
    ).values_list("school_id", "user_id")
    for school_id, user_id in rows:
        holders[school_id].add(user_id)
    return {school_id: tuple(sorted(users)) for school_id, users in holders.items()}


def _provider_url(provider_public_id) -> str:
    return reverse("providers:detail", kwargs={"public_id": provider_public_id})


@reminder_source
def safeguarding_confirmations_expiring(today: date):
    expiring = list(confirmations_expiring_everywhere(on=today, within_days=EXPIRY_WARNING.days))
    dsls = role_holders({c.provider.school_id for c in expiring}, [Role.DSL])
    for confirmation in expiring:
        provider = confirmation.provider
        yield ReminderSpec(
            kind="confirmation_expiring",
            target=confirmation,
            school_id=provider.school_id,
            due_on=confirmation.expires_on - EXPIRY_WARNING,
            recipient_ids=dsls.get(provider.school_id, ()),
            title=f"Safeguarding confirmation from {provider.name} expires on {confirmation.expires_on:%d/%m/%Y}",
            link=_provider_url(provider.public_id),
        )


@reminder_source
def audits_expiring(today: date):
    expiring = list(audits_expiring_everywhere(on=today, within_days=EXPIRY_WARNING.days))
    dsls = role_holders({a.provider.school_id for a in expiring}, [Role.DSL])
    for audit in expiring:
        provider = audit.provider
        yield ReminderSpec(
            kind="audit_expiring",
            target=audit,
            school_id=provider.school_id,
            due_on=audit.expires_on - EXPIRY_WARNING,
            recipient_ids=dsls.get(provider.school_id, ()),
            title=f"The AP audit of {provider.name} is due again by {audit.expires_on:%d/%m/%Y}",
            link=_provider_url(provider.public_id),
        )


@reminder_source
def commissioning_agreements_expiring(today: date):
    """A month before a provider's commissioning agreement ends, the DSL and the SENDCo (who
    commission placements) are told, whether or not the school's policy makes it part of clearance."""
    expiring = list(agreements_expiring_everywhere(on=today, within_days=EXPIRY_WARNING.days))
    holders = role_holders({p.school_id for p in expiring}, [Role.DSL, Role.SENDCO])
    for provider in expiring:
        yield ReminderSpec(
            kind="agreement_expiring",
            target=provider,
            school_id=provider.school_id,
            due_on=provider.agreement_ends_on - EXPIRY_WARNING,
            recipient_ids=holders.get(provider.school_id, ()),
            title=f"The commissioning agreement with {provider.name} ends on {provider.agreement_ends_on:%d/%m/%Y}",
            link=_provider_url(provider.public_id),
        )


@reminder_source
def further_actions_overdue(today: date):
    overdue = list(further_actions_overdue_everywhere(on=today))
    dsls = role_holders({a.answer.audit.provider.school_id for a in overdue}, [Role.DSL])
    for action in overdue:
        provider = action.answer.audit.provider
        recipients = tuple(sorted({action.owner_id, *dsls.get(provider.school_id, ())}))
        yield ReminderSpec(
            kind="further_action_overdue",
            target=action,
            school_id=provider.school_id,
            due_on=action.due_on + timedelta(days=1),
            recipient_ids=recipients,
            title=f"A further action from the audit of {provider.name} was due on {action.due_on:%d/%m/%Y}",
            link=reverse("providers:actions"),
        )


@reminder_source
def retention_reviews_due(today: date):
    from pupils.retention import pupils_due_for_retention_review

    due = pupils_due_for_retention_review(school_ids=School.objects.values("id"), today=today)
    counts: dict[int, int] = defaultdict(int)
    for pupil in due:
        counts[pupil.school_id] += 1
    keepers = role_holders(counts, [Role.HEAD, Role.OFFICE])
    monday = today - timedelta(days=today.weekday())  # at most one reminder a week per school
    schools = School.objects.in_bulk(counts)
    for school_id, count in counts.items():
        yield ReminderSpec(
            kind="retention_review",
            target=schools[school_id],
            school_id=school_id,
            due_on=monday,
            recipient_ids=keepers.get(school_id, ()),
            title=f"{count} former pupil record{'s are' if count != 1 else ' is'} due for retention review",
            link=reverse("pupils:retention"),
        )


# --- Reviews, notices, attendance and the return to class ----------------------------------------
#
# These sources yield a reminder only once it is due, so a review held or cancelled before its
# reminder date never leaves a reminder waiting to be sent about it.

REVIEW_WARNING_SCHOOL_DAYS = 5
REVIEW_ESCALATION_SCHOOL_DAYS = 5  # overdue this long, the headteacher is told too
NOTICE_WARNING_SCHOOL_DAYS = 2


def _review_url(review) -> str:
    return reverse("reviews:detail", kwargs={"public_id": review.public_id})


@reminder_source
def reviews_due_soon(today: date):
    """Five school days before a review is due, the SENDCo is reminded (once)."""
    calendars = school_calendars(School.objects.values_list("id", flat=True))
    horizon = max((school_day_offset(c, today, REVIEW_WARNING_SCHOOL_DAYS) for c in calendars.values()), default=today)
    reviews = list(
        ReviewMeeting.objects.filter(
            status=ReviewMeeting.Status.SCHEDULED, due_on__gte=today, due_on__lte=horizon
        ).select_related("placement__pupil")
    )
    sendcos = role_holders({review.school_id for review in reviews}, [Role.SENDCO])
    for review in reviews:
        remind_on = school_day_offset(calendars[review.school_id], review.due_on, -REVIEW_WARNING_SCHOOL_DAYS)
        if remind_on <= today:
            yield ReminderSpec(
                kind="review_due",
                target=review,
                school_id=review.school_id,
                due_on=remind_on,
                recipient_ids=sendcos.get(review.school_id, ()),
                title=f"A review for {review.placement.pupil.initials} is due by {review.due_on:%d/%m/%Y}",
                link=_review_url(review),
            )


@reminder_source
def reviews_overdue(today: date):
    """The school day after a review was due, the SENDCo; five school days after, the headteacher."""
    reviews = list(
        ReviewMeeting.objects.filter(status=ReviewMeeting.Status.SCHEDULED, due_on__lt=today).select_related(
            "placement__pupil"
        )
    )
    school_ids = {review.school_id for review in reviews}
    calendars = school_calendars(school_ids)
    sendcos, heads = role_holders(school_ids, [Role.SENDCO]), role_holders(school_ids, [Role.HEAD])
    for review in reviews:
        calendar, initials, due = calendars[review.school_id], review.placement.pupil.initials, review.due_on
        overdue_on = school_day_offset(calendar, due, 1)
        escalate_on = school_day_offset(calendar, due, REVIEW_ESCALATION_SCHOOL_DAYS)
        common = {"target": review, "school_id": review.school_id, "link": _review_url(review)}
        if overdue_on <= today:
            title = f"A review for {initials} was due by {due:%d/%m/%Y} and is not recorded as held"
            yield ReminderSpec(
                kind="review_overdue",
                due_on=overdue_on,
                recipient_ids=sendcos.get(review.school_id, ()),
                title=title,
                **common,
            )
        if escalate_on <= today:
            title = f"Overdue: a review for {initials} was due by {due:%d/%m/%Y} and has not been held"
            yield ReminderSpec(
                kind="review_overdue_escalated",
                due_on=escalate_on,
                recipient_ids=heads.get(review.school_id, ()),
                title=title,
                **common,
            )


@reminder_source
def notice_deadlines(today: date):
    """Two school days before the latest date for a parent notice (reg 3), the SENDCo and head."""
    due = notices_due_in(school_ids=School.objects.values("id"), today=today)
    leaders = role_holders({item.placement.school_id for item in due}, [Role.SENDCO, Role.HEAD])
    for item in due:
        placement, deadline = item.placement, item.deadline.day
        remind_on = school_day_offset(calendar_for(placement), deadline, -NOTICE_WARNING_SCHOOL_DAYS)
        if remind_on <= today:
            yield ReminderSpec(
                kind="notice_deadline",
                target=placement,
                school_id=placement.school_id,
                due_on=remind_on,
                recipient_ids=leaders.get(placement.school_id, ()),
                title=f"The parent notice for {placement.pupil.initials} must be issued by {deadline:%d/%m/%Y}",
                link=reverse("placements:notice", kwargs={"public_id": placement.public_id}),
            )


@reminder_source
def attendance_not_recorded(today: date):
    """Sessions still unmarked the school day after: the office (who keep the register) and the
    SENDCo, once for each run of unmarked days (from the first of them)."""
    first_missing: dict[int, MissingMark] = {}
    for missing in attendance_missing(school_ids=School.objects.values("id"), today=today):
        first_missing.setdefault(missing.placement.pk, missing)
    keepers = role_holders({m.placement.school_id for m in first_missing.values()}, [Role.OFFICE, Role.SENDCO])
    for missing in first_missing.values():
        placement = missing.placement
        yield ReminderSpec(
            kind="attendance_missing",
            target=placement,
            school_id=placement.school_id,
            due_on=school_day_offset(calendar_for(placement), missing.date, 1),
            recipient_ids=keepers.get(placement.school_id, ()),
            title=f"Attendance at AP for {placement.pupil.initials} is not recorded since {missing.date:%d/%m/%Y}",
            link=reverse("placements:attendance", kwargs={"public_id": placement.public_id}),
        )


@reminder_source
def first_days_passed(today: date):
    """On its first day, a placement with no start recorded: the SENDCo, and the DSL when it is
    off-site (a pupil is expected somewhere; issue 13 A1). Once: its due date is the first day."""
    placements = [
        p for p in open_placements(school_ids=School.objects.values("id")) if p.first_day_passed_unstarted(today)
    ]
    school_ids = {placement.school_id for placement in placements}
    sendcos, dsls = role_holders(school_ids, [Role.SENDCO]), role_holders(school_ids, [Role.DSL])
    for placement in placements:
        assert placement.start_date is not None  # its first day has passed
        dsl = dsls.get(placement.school_id, ()) if placement.is_offsite else ()
        yield ReminderSpec(
            kind="first_day_passed",
            target=placement,
            school_id=placement.school_id,
            due_on=placement.start_date,
            recipient_ids=tuple(sorted({*sendcos.get(placement.school_id, ()), *dsl})),
            title=f"No start is recorded for {placement.pupil.initials}'s placement, due to begin on "
            f"{placement.start_date:%d/%m/%Y}: where is the pupil?",
            link=placement.get_absolute_url(),
        )


@reminder_source
def iaps_past_six_weeks(today: date):
    """The first school day past an IAP's six weeks (docs/domain-rules.md#iap-length), the SENDCo."""
    overruns = iaps_past_six_weeks_in(school_ids=School.objects.values("id"), today=today)
    sendcos = role_holders({overrun.placement.school_id for overrun in overruns}, [Role.SENDCO])
    for overrun in overruns:
        placement = overrun.placement
        remind_on = school_day_offset(calendar_for(placement), overrun.six_weeks_end, 1)
        if remind_on <= today:
            yield ReminderSpec(
                kind="iap_past_six_weeks",
                target=placement,
                school_id=placement.school_id,
                due_on=remind_on,
                recipient_ids=sendcos.get(placement.school_id, ()),
                title=f"The IAP for {placement.pupil.initials} is past its six weeks: review the reintegration plan",
                link=placement.get_absolute_url(),
            )


@reminder_source
def check_ins_due(today: date):
    """On the day a check-in after the return is due: the SENDCo and the pupil's class teacher."""
    check_ins = list(CheckIn.objects.filter(held_on__isnull=True, due_on__lte=today).select_related("placement__pupil"))
    sendcos = role_holders({check_in.placement.school_id for check_in in check_ins}, [Role.SENDCO])
    for check_in in check_ins:
        placement = check_in.placement
        teacher = (placement.pupil.class_teacher_id,) if placement.pupil.class_teacher_id else ()
        yield ReminderSpec(
            kind="check_in_due",
            target=check_in,
            school_id=placement.school_id,
            due_on=check_in.due_on,
            recipient_ids=tuple(sorted({*sendcos.get(placement.school_id, ()), *teacher})),
            title=f"The {check_in.weeks_after}-week check-in after {placement.pupil.initials}'s return is due",
            link=reverse(
                "reintegration:check_in", kwargs={"public_id": placement.public_id, "weeks": check_in.weeks_after}
            ),
        )


@reminder_source
def contact_follow_ups(today: date):
    """The follow-up day a person set on a contact they recorded: a reminder to them that day."""
    for entry in contact_follow_ups_due(today=today):
        assert entry.follow_up_on is not None  # only entries with a follow-up day are due
        link = entry.placement.get_absolute_url() + "#contacts" if entry.placement else entry.pupil.get_absolute_url()
        yield ReminderSpec(
            kind="contact_follow_up",
            target=entry,
            school_id=entry.school_id,
            due_on=entry.follow_up_on,
            recipient_ids=(entry.recorded_by_id,),
            title=f"Follow up your {entry.get_how_display().lower()} about {entry.pupil.initials} "
            f"({entry.get_party_display().lower()})",
            link=link,
        )


@reminder_source
def absence_escalations(today: date):
    """A run of unexplained absence from a placement reaching the school's number of sessions: the
    SENDCo and the DSL, once a run (its due date is the run's first day; placements.selectors.chase).
    A run long enough for the attendance return to the LA tells them again, once."""
    escalated = escalated_runs(Placement.objects.all(), today=today)
    leads = role_holders({item.placement.school_id for item in escalated}, [Role.SENDCO, Role.DSL])
    for item in escalated:
        placement = item.placement
        link = reverse("placements:chase") + f"#chase-{placement.public_id}"
        recipients = leads.get(placement.school_id, ())
        if item.escalated and item.run.sessions_from is not None:
            yield ReminderSpec(
                kind="absence_escalated",
                target=placement,
                school_id=placement.school_id,
                due_on=item.run.sessions_from,
                recipient_ids=recipients,
                title=f"{placement.pupil.initials} has missed {item.run.sessions} sessions at AP in a row "
                "without an explanation",
                link=link,
            )
        if item.return_due and item.run.days_from is not None:
            yield ReminderSpec(
                kind="attendance_return_due",
                target=placement,
                school_id=placement.school_id,
                due_on=item.run.days_from,
                recipient_ids=recipients,
                title=f"{placement.pupil.initials}: 10 school days absent without authorisation, "
                "the attendance return to the LA is due",
                link=link,
            )
