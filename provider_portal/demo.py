"""The provider portal's demo (all fictional): Jo Whitfield signs in as `provider` at Littleton
Green, which both demo schools use. Riverside's Noah Bennett is placed there full time from three
weeks ago, beside Oakfield's pupils, so the register has both schools' pupils on any school day;
on the last school day one Oakfield pupil was marked absent without a reason, so the SENDCo opens
the demo with a same-day alert on the to-do list (the office, with the daily chase's call home).
A reading from the provider waits on a placement's progress page, and a review to hold already
has the provider's report."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from apcase.calendar import CalendarGap, SchoolCalendar
from apcase.demo import DemoContext, _user
from audits.models import Provider, ProviderStaff
from placements.models import AttendanceCode, AttendanceMark, Placement
from placements.selectors import placements_expected_on
from placements.timetable import SESSION_KEYS, Session
from provider_portal.models import SameDayAlert
from provider_portal.services import same_day_alert_raise
from pupils.models import Pupil
from reviews.models import ProviderProgressNote, ProviderReviewReport, ReviewMeeting, Target


def _noah_at_littleton(ctx: DemoContext, entry: Provider) -> None:
    noah = Pupil.objects.get(school=ctx.other_school, legal_first_name="Noah", legal_last_name="Bennett")
    today = timezone.localdate()
    Placement.objects.get_or_create(
        pupil=noah,
        provider=entry,
        defaults={
            "school": ctx.other_school,
            "kind": Placement.Kind.OFFSITE,
            "status": Placement.Status.ACTIVE,
            "no_referral_reason": "Agreed at the trust's SEND hub panel before apcase was in use.",
            "site": entry.sites.first(),
            "timetable": list(SESSION_KEYS),
            "sessions_per_week": len(SESSION_KEYS),
            "start_date": today - timedelta(weeks=3),
            "planned_end_date": today + timedelta(weeks=6),
            "objectives": "Attend every session; rebuild reading confidence; two weeks without a removal.",
            "created_by": ctx.users["riverside"],
        },
    )


def _absent_on_the_last_school_day(ctx: DemoContext, jo) -> None:
    """An Oakfield pupil the provider marked N (reason not yet established) on the last school day."""
    try:
        day = SchoolCalendar.for_school(ctx.school).school_day_on_or_before(timezone.localdate())
    except CalendarGap:
        return
    oakfield = Placement.objects.filter(school=ctx.school, provider__organisation__staff__user=jo)
    expected = [item for item in placements_expected_on(oakfield, day) if Session.AM in item.sessions]
    if not expected or SameDayAlert.objects.filter(placement__school=ctx.school).exists():
        return
    placement = expected[0].placement
    AttendanceMark.objects.update_or_create(
        placement=placement,
        date=day,
        session=Session.AM,
        defaults={
            "code": AttendanceCode.objects.get(code="N"),
            "recorded_by": jo,
            "recorded_by_provider": placement.provider.organisation,
        },
    )
    same_day_alert_raise(placement=placement, day=day, session=Session.AM, kind=SameDayAlert.Kind.ABSENT)


def _progress_and_report(ctx: DemoContext, jo) -> None:
    """A reading waiting for the SENDCo to accept, and the provider's report for a review to hold."""
    oakfield = Placement.objects.filter(school=ctx.school, provider__organisation__staff__user=jo)
    target = Target.objects.filter(placement__in=oakfield).order_by("pk").first()
    if target is not None and not target.provider_notes.exists():
        ProviderProgressNote.objects.create(
            target=target,
            measured_on=timezone.localdate(),
            value=target.baseline + 1,
            note="Read a whole page aloud to the group this week, unprompted.",
            provider_name=target.placement.provider.name,
            submitted_by=jo,
        )
    review = ReviewMeeting.objects.filter(placement__in=oakfield, status=ReviewMeeting.Status.SCHEDULED).first()
    if review is not None and not review.provider_reports.exists():
        ProviderReviewReport.objects.create(
            review=review,
            report="Settled into the morning routine; two refusals in practical sessions, both resolved with "
            "time out. Reading up a stage. Attendance 8 of 10 sessions this fortnight.",
            provider_name=review.placement.provider.name,
            submitted_by=jo,
        )


def seed(ctx: DemoContext) -> None:
    oakfield_entry = Provider.objects.get(school=ctx.school, name="Littleton Green Alternative Provision")
    riverside_entry = Provider.objects.get(school=ctx.other_school, organisation=oakfield_entry.organisation)
    jo = _user(
        ctx,
        "provider",
        "Jo",
        "Whitfield",
        "Head of centre, Littleton Green",
        email="jo.whitfield@littletongreen.example",
        is_provider_staff=True,
    )
    ProviderStaff.objects.update_or_create(
        organisation=oakfield_entry.organisation,
        user=jo,
        defaults={
            "job_title": "Head of centre",
            "status": ProviderStaff.Status.ACTIVE,
            "invited_by": ctx.users["dsl"],
            "invited_from": oakfield_entry,
            "accepted_at": timezone.now(),
        },
    )
    _noah_at_littleton(ctx, riverside_entry)
    _absent_on_the_last_school_day(ctx, jo)
    _progress_and_report(ctx, jo)
