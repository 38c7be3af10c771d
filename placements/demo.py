"""Demo placements at Oakfield at every status, told through the real services with back-dated
steps, around today 23/11/2026 (all fictional). Idempotent: a pupil's story is played only if the
pupil has no placement yet.

- Jayden Clarke: directed off-site to Littleton Green (Monday to Wednesday), notice issued on time,
  active since 05/10 with a half-term of marks that shows persistent absence; a handover, a visit,
  and a serious incident waiting for the SENDCo's decision; the centre's afternoon now finishes at
  14:30, so his notice is superseded and an amended notice is due.
- Kacey Doyle: an IAP since 05/10, extended to eight weeks (past its six), the extension approved by
  the head.
- Amelia Novak: two days a week at Littleton Green's forest school, awaiting the head's approval.
- Mason Kaur-Bell: Rockets class in the mornings, approved, starting 30/11.
- Zara Mensah: directed off-site full time from 30/11, notice issued.
- Ibrahim Hassan: a direction off-site being planned; its notice is due by 03/12 and incomplete.
- Sophie Carter: two days a week at Littleton Green since 22/09, ending on 27/11.
- Finley Rigby: an IAP in September, ended: reintegrated to class.
- Priya Sharma: day-6 provision at Stepping Stones, cancelled when the suspension was withdrawn.
- Olivia Pearce: a referral for internal AP approved on 20/11, its placement still to be planned.
- Freya Cole: Rockets class in the mornings, waiting for the head's approval and starting on the
  school day after the demo is loaded, whenever that is: "starts tomorrow; not yet approved".

Loaded after 03/12/2026, Zara's, Mason's and Amelia's first days have passed with no start recorded
(the SENDCo's "first day passed" to-dos), and Kacey's IAP runs in a space whose risk assessment is
out of date ("provider not cleared").
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import Permission
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from apcase.calendar import CalendarGap, SchoolCalendar
from apcase.demo import DemoContext, office_group
from apcase.models import User
from audits.models import Provider
from audits.selectors import audits_to_consider
from placements.models import AttendanceCode, AttendanceMark, ContactLog, LANotification, Placement
from placements.schedule import calendar_for, expected_sessions
from placements.services import (
    MarkEntry,
    PlacementDetails,
    attendance_marks_record,
    contact_record,
    handover_record,
    handover_send,
    la_notification_acknowledge,
    parent_agreement_record,
    parent_notice_issue,
    placement_create,
    placement_incident_record,
    placement_la_notify,
    placement_length_change,
    placement_transition,
    placement_update,
    suitability_decision_record,
    visit_record,
)
from placements.timetable import SESSION_KEYS
from pupils.demo import Story, demo_upn
from pupils.models import Approval, ParentMeeting, Pupil, Referral
from pupils.services import approval_decide

S = Placement.Status
R = Referral.Recommendation
ALL_WEEK = list(SESSION_KEYS)
MON_TO_WED = [key for key in SESSION_KEYS if key[:3] in ("mon", "tue", "wed")]
THU_FRI = [key for key in SESSION_KEYS if key[:3] in ("thu", "fri")]
TUE_THU = [key for key in SESSION_KEYS if key[:3] in ("tue", "thu")]
MORNINGS = [key for key in SESSION_KEYS if key.endswith("_am")]
OFFICE_PERMISSIONS = ["view_placement", "view_attendancemark", "view_attendancecode"]


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    """A demo moment, never later than now (the chronology refuses future steps)."""
    return min(timezone.make_aware(datetime.combine(day, time(hour, minute))), timezone.now())


def _littleton_day(ctx: DemoContext, **overrides) -> dict:
    """What Littleton Green's parent notice needs, and the plan a SENDCo writes."""
    fields = {
        "census_reason": Placement.CensusReason.OFF_SITE_DIRECTION,
        "reasons": "Persistent disruption of lessons, two suspensions this term and a risk of permanent exclusion. "
        "Support in class (seat move, daily check-in, reward chart) has not been enough.",
        "objectives": "Attend every session; no further suspensions; re-engage with English and maths "
        "(Boxall profile self-regulation scores up by the half-term review).",
        "intervention": "Small-group teaching with a therapeutic key worker; daily regulation sessions.",
        "reintegration_intention": "Back to class full time by Easter, through a graduated return timetable.",
        "timeline": "Half-termly reviews with the centre; decision on the return at the spring review.",
        "first_day_contact": "Ms Jo Whitfield, head of centre",
        "start_time": time(9, 15),
        "sessions_a_day": Placement.SessionsADay.TWO,
        "day_starts": time(9, 15),
        "break_starts": time(12, 0),
        "break_ends": time(13, 0),
        "day_ends": time(15, 0),
        "what_to_bring": "A packed lunch and a coat; wellies on forest school days. No mobile phones.",
        "transport": "A taxi arranged and paid for by the school collects from home at 8:40 and returns by 15:40.",
        "reporting_arrangements": "The centre phones the school office by 9:30 about any absence and e-mails the "
        "SENDCo a weekly summary every Friday.",
        "school_contact": ctx.users["sendco"],
        "cost_unit": Placement.CostUnit.DAY,
        "cost_rate": Decimal("170.00"),
        "funding_source": Placement.FundingSource.SCHOOL,
    }
    return fields | overrides


def _approved_referral(ctx: DemoContext, pupil: Pupil, recommendation: str, raised: date, reason: str) -> Referral:
    """A Cause for Concern raised, reviewed and approved over a week, through the real services."""
    next_day, day_after, decided = (raised + timedelta(days=n) for n in (1, 2, 3))
    story = Story(pupil, ctx).raise_it(_at(raised, 15, 40))
    story.move(Referral.Status.SUBMITTED, _at(raised, 15, 45), "teacher")
    story.move(Referral.Status.UNDER_REVIEW, _at(next_day, 9, 0), "sendco")
    if recommendation == R.OFFSITE_AP:
        story.meet(_at(next_day, 15, 30), ParentMeeting.Agreement.AGREE)
    story.review(recommendation, reason)
    story.move(Referral.Status.AWAITING_APPROVAL, _at(day_after, 9, 0), "sendco")
    story.decide(_at(decided, 12, 0), True, "Agreed.")
    return Referral.objects.get(pk=story.referral.pk)  # as the head's decision left it


class PlacementStory:
    """One placement's life, played through the real services with back-dated steps."""

    placement: Placement  # set by plan(), the first step of every story

    def __init__(self, ctx: DemoContext, pupil: Pupil):
        self.ctx, self.pupil = ctx, pupil

    def plan(
        self,
        provider: Provider,
        when: datetime,
        *,
        referral=None,
        no_referral_reason="",
        planned_end_date: date | None = None,
        school_days: int | None = None,
        **fields,
    ):
        self.placement = placement_create(
            actor=self.ctx.users["sendco"],
            pupil=self.pupil,
            details=PlacementDetails(provider=provider, **fields),
            referral=referral,
            no_referral_reason=no_referral_reason,
            planned_end_date=planned_end_date,
            school_days=school_days,
            occurred_at=when,
        )
        return self

    def move(self, target: str, when: datetime, by: str = "sendco", **fields):
        if target == S.AWAITING_APPROVAL and not self.placement.notice_required:
            self.parents_agree(when)
        if target == S.AWAITING_APPROVAL and self.placement.is_offsite:
            self.judge_suitable(when)
        self.placement = placement_transition(
            placement=self.placement, target=target, actor=self.ctx.users[by], occurred_at=when, **fields
        )
        return self

    def parents_agree(self, when: datetime):
        """The parents agreed at the meeting before the head was asked (not needed for a direction)."""
        parent = self.pupil.contacts.filter(parental_responsibility=True).first()
        parent_agreement_record(
            actor=self.ctx.users["sendco"],
            placement=self.placement,
            response="agreed",
            given_by=f"{parent.name}, {parent.get_relationship_display().lower()}" if parent else "The parents",
            given_on=timezone.localdate(when),
            method="meeting",
        )
        return self

    def judge_suitable(self, when: datetime):
        """The SENDCo's decision, for this pupil, before the head is asked (off-site only)."""
        provider = self.placement.provider
        suitability_decision_record(
            actor=self.ctx.users["sendco"],
            placement=self.placement,
            suitable=True,
            decided_on=timezone.localdate(when),
            reasons=f"{self.pupil.first_name} needs small groups and a fresh start; {provider.name} offers both, "
            "and the audit's concerns do not touch what they need.",
            considered="The pre-placement audit and its further actions, the pupil's plan, the parents' views.",
            audit=audits_to_consider(provider).first(),
        )
        return self

    def approve(self, asked: datetime, decided: datetime):
        self.move(S.AWAITING_APPROVAL, asked)
        approval = Approval.objects.get(kind="placement", object_id=self.placement.pk, status=Approval.Status.PENDING)
        approval_decide(approval=approval, actor=self.ctx.users["head"], approve=True, reasons="", occurred_at=decided)
        self.placement.refresh_from_db()
        return self

    def issue_notice(self, issued_on: date):
        parent_notice_issue(
            actor=self.ctx.users["sendco"], placement=self.placement, method="post", issued_on=issued_on
        )
        self.placement.refresh_from_db()
        return self


def _marks(placement: Placement, recorder: User, until: date, absences: dict) -> None:
    """Marks for every expected session up to `until`: present, except the absences given as
    {(day, session): (code, reason)}; recorded at 16:00 on the day, as the provider's call came in."""
    codes = {code.code: code for code in AttendanceCode.objects.all()}
    rows = []
    assert placement.start_date is not None  # the story has started the placement
    for day, session in expected_sessions(placement, calendar_for(placement), placement.start_date, until):
        code, reason = absences.get((day, session), (placement.present_code, ""))
        rows.append(
            AttendanceMark(
                placement=placement,
                date=day,
                session=session,
                code=codes[code],
                reason=reason,
                recorded_by=recorder,
                recorded_at=_at(day, 16, 0),
            )
        )
    bulk_create_with_history(rows, AttendanceMark, default_user=recorder)


def _jayden_contacts(ctx: DemoContext, pupil: Pupil, placement: Placement) -> None:
    """The weekly call with the centre the school's policy asks for (last school day, whenever the
    demo is loaded, so the placement page shows a recent one), and a call home."""
    common: dict[str, Any] = {"pupil": pupil, "placement": placement}
    calendar = calendar_for(placement)
    last_school_day = calendar.add_school_days(timezone.localdate(), -1)
    contact_record(
        actor=ctx.users["office"],
        party=ContactLog.Party.PARENT,
        with_whom="Donna Clarke (mum)",
        how=ContactLog.How.CALL,
        contacted_on=date(2026, 11, 16),
        agreed="Jayden has a sickness bug; back when 48 hours clear.",
        outcome=ContactLog.Outcome.REASON_GIVEN,
        **common,
    )
    contact_record(
        actor=ctx.users["sendco"],
        party=ContactLog.Party.PROVIDER,
        with_whom="Ms Jo Whitfield, head of centre",
        how=ContactLog.How.CALL,
        contacted_on=last_school_day,
        agreed="A settled week after one refusal on Monday. The centre sends Friday's register return as usual; "
        "next call in a week.",
        follow_up_on=calendar.add_school_days(last_school_day, 5),
        **common,
    )


def _jayden(ctx: DemoContext, pupil: Pupil, littleton: Provider) -> None:
    referral = pupil.referrals.get(status=Referral.Status.APPROVED)
    story = PlacementStory(ctx, pupil).plan(
        littleton,
        _at(date(2026, 9, 29), 14, 0),
        referral=referral,
        site=littleton.sites.get(is_main=True),
        directed_off_site=True,
        pattern=Placement.Pattern.SPLIT,
        timetable=MON_TO_WED,
        start_date=date(2026, 10, 5),
        planned_end_date=date(2026, 12, 16),
        maximum_end_date=date(2027, 3, 26),
        baseline_attendance=Decimal("91.0"),
        baseline_note="Autumn 1 before the placement, from the MIS",
        **_littleton_day(ctx),
    )
    story.approve(_at(date(2026, 9, 29), 14, 30), _at(date(2026, 9, 30), 8, 30)).issue_notice(date(2026, 9, 30))
    placement = story.placement
    # The LA was told, and its officer acknowledged it (docs/oversight.md): /la/ is not empty.
    notified = placement_la_notify(actor=ctx.users["sendco"], placement=placement)
    la_notification_acknowledge(actor=ctx.users["laofficer"], notification=notified, reference="AP/2026/0412")
    LANotification.objects.filter(pk=notified.pk).update(
        created_at=_at(date(2026, 9, 30), 9, 15), acknowledged_at=_at(date(2026, 10, 2), 11)
    )
    handover_record(
        actor=ctx.users["sendco"],
        placement=placement,
        shared_by=ctx.users["sendco"],
        shared_on=date(2026, 10, 1),
        shared_with="Ms Jo Whitfield, head of centre",
        items=["attainment", "characteristics", "behaviour_plan", "safeguarding", "semh"],
        notes="Handover meeting at the centre with mum; the safeguarding file was sent by secure e-mail.",
        # What Jo Whitfield (`provider`) reads on Jayden's page in the portal, and nothing else.
        needs="Reading age about two years behind; finds transitions and unstructured time hard.",
        risks="May leave the room when overwhelmed; has tried to leave the site once at school.",
        risk_management="Agree a time-out space on arrival; an adult follows at a distance; ring mum if he leaves.",
        what_works="Practical tasks first thing, a visual timetable, praise given quietly.",
        medical_notes="Mild asthma: blue inhaler in his bag.",
        emergency_contacts=list(pupil.contacts.for_emergencies()),
        shared_in_portal=True,
    )
    # The handover pack went to the centre's contact through the outbox (Outbox page, placement card).
    handover_send(actor=ctx.users["sendco"], handover=placement.handovers.get())
    placement = story.move(S.ACTIVE, _at(date(2026, 10, 5), 9, 30)).placement
    absences = {
        (date(2026, 10, 14), "am"): ("I", "Ear infection (mum phoned)"),
        (date(2026, 10, 14), "pm"): ("I", "Ear infection (mum phoned)"),
        (date(2026, 11, 4), "pm"): ("N", ""),
        (date(2026, 11, 9), "am"): ("O", "Refused to get into the taxi"),
    }
    _marks(placement, ctx.users["office"], date(2026, 11, 11), absences)
    _jayden_contacts(ctx, pupil, placement)
    # The last week came in as the centre's Friday return, entered by the office on Monday; it takes
    # absence past 10%, so the SENDCo gets the alert. Wednesday afternoon's mark has not come in.
    last_week = [
        MarkEntry(date(2026, 11, 16), "am", "I", "Sickness bug"),
        MarkEntry(date(2026, 11, 16), "pm", "I", "Sickness bug"),
        MarkEntry(date(2026, 11, 17), "am", "B"),
        MarkEntry(date(2026, 11, 17), "pm", "B"),
        MarkEntry(date(2026, 11, 18), "am", "B"),
    ]
    attendance_marks_record(actor=ctx.users["office"], placement=placement, entries=last_week)
    # The centre moved its afternoon finish after the notice: the notice is superseded, and the
    # SENDCo's "amended notice" to-do asks for a new one that says so.
    later_finish = replace(PlacementDetails.of(placement), day_ends=time(14, 30))
    placement = placement_update(actor=ctx.users["sendco"], placement=placement, details=later_finish)
    visit_record(
        actor=ctx.users["sendco"],
        placement=placement,
        staff=[ctx.users["sendco"], ctx.users["teacher"]],
        visited_on=date(2026, 11, 12),
        what_was_seen="Calm and on task in a maths group of four; proud to show his reading record.",
        pupil_voice="“I like it here because nobody shouts. I miss my friends at break.”",
        follow_up="Ask the centre for his reading age; invite him to the class's Christmas performance.",
    )
    placement_incident_record(
        actor=ctx.users["dsl"],
        placement=placement,
        occurred_at=_at(date(2026, 10, 21), 11, 20),
        severity="low",
        description="Swore at a member of staff when asked to put his phone away; calmed within ten minutes.",
        actions_taken="Restorative conversation with his key worker.",
        reported_by="Ms Jo Whitfield, head of centre",
    )
    placement_incident_record(
        actor=ctx.users["sendco"],
        placement=placement,
        occurred_at=_at(date(2026, 11, 17), 13, 40),
        severity="serious",
        description="Threw a chair in the forest school shelter; no one was hurt. Left the site for 20 minutes "
        "and was found by staff at the bus stop.",
        actions_taken="Staff followed at a distance and brought him back; mum collected him early.",
        safeguarding_concern=True,
        reported_by="Ms Jo Whitfield, head of centre",
    )


def _kacey(ctx: DemoContext, pupil: Pupil, iap: Provider) -> None:
    referral = pupil.referrals.get(status=Referral.Status.APPROVED)
    story = PlacementStory(ctx, pupil).plan(
        iap,
        _at(date(2026, 10, 1), 15, 0),
        referral=referral,
        pattern=Placement.Pattern.FULL_TIME,
        timetable=ALL_WEEK,
        start_date=date(2026, 10, 5),
        census_reason=Placement.CensusReason.MENTAL_HEALTH,
        reasons="Unable to manage the classroom since September; the virtual school agrees a short IAP.",
        objectives="Settle into a daily routine; three regulation strategies she can use in class; "
        "back in class for Friday Together Time by week 4.",
        intervention="Full days in the IAP with Mr Ashworth: core learning, regulation and restorative check-ins.",
        reintegration_intention="Back to 5B full time after the IAP, with a graduated return timetable.",
        timeline="Reintegration plan reviewed weekly; six weeks, then back to class.",
        baseline_attendance=Decimal("88.5"),
        baseline_note="Autumn 1, from the MIS",
        school_contact=ctx.users["sendco"],
    )
    story.approve(_at(date(2026, 10, 1), 15, 30), _at(date(2026, 10, 2), 8, 45))
    story.move(S.ACTIVE, _at(date(2026, 10, 5), 9, 0))
    placement_length_change(
        actor=ctx.users["sendco"],
        placement=story.placement,
        school_days=40,
        extension_reason="Kacey is settling but not yet ready for full days in class; two more weeks to build the "
        "graduated return with CAMHS.",
    )
    extension = Approval.objects.get(kind="placement_extension", pupil=pupil, status=Approval.Status.PENDING)
    approval_decide(approval=extension, actor=ctx.users["head"], approve=True, reasons="")
    story.placement.refresh_from_db()
    absences = {(date(2026, 11, 10), half): ("M", "CAMHS appointment") for half in ("am",)}
    _marks(story.placement, ctx.users["office"], date(2026, 11, 20), absences)


def _amelia(ctx: DemoContext, pupil: Pupil, littleton: Provider) -> None:
    referral = _approved_referral(ctx, pupil, R.OFFSITE_AP, date(2026, 11, 2), "Two days a week at forest school.")
    story = PlacementStory(ctx, pupil).plan(
        littleton,
        _at(date(2026, 11, 16), 10, 0),
        referral=referral,
        site=littleton.sites.get(is_main=False),
        pattern=Placement.Pattern.SPLIT,
        timetable=THU_FRI,
        start_date=date(2026, 12, 3),
        planned_end_date=date(2027, 2, 12),
        **_littleton_day(ctx, census_reason=Placement.CensusReason.EXCLUSION_RISK, first_day_contact="Mr Owen Pike"),
    )
    story.move(S.AWAITING_APPROVAL, _at(date(2026, 11, 19), 9, 0))


def _rockets_mornings(
    ctx: DemoContext, pupil: Pupil, rockets: Provider, *, planned: datetime, **plan
) -> PlacementStory:
    """A morning place in the Rockets class from an approved referral, planned by the SENDCo."""
    referral = _approved_referral(ctx, pupil, R.INTERNAL_AP, date(2026, 11, 9), "Rockets class in the mornings.")
    return PlacementStory(ctx, pupil).plan(
        rockets,
        planned,
        referral=referral,
        pattern=Placement.Pattern.SPLIT,
        timetable=MORNINGS,
        school_contact=ctx.users["sendco"],
        **plan,
    )


def _mason(ctx: DemoContext, pupil: Pupil, rockets: Provider) -> None:
    story = _rockets_mornings(
        ctx,
        pupil,
        rockets,
        planned=_at(date(2026, 11, 16), 11, 0),
        start_date=date(2026, 11, 30),
        planned_end_date=date(2027, 2, 12),
        objectives="Phonics and number every morning in Rockets; join 4A every afternoon, building to full days.",
    )
    story.approve(_at(date(2026, 11, 19), 9, 30), _at(date(2026, 11, 20), 12, 30))


def _zara(ctx: DemoContext, pupil: Pupil, littleton: Provider) -> None:
    referral = _approved_referral(ctx, pupil, R.OFFSITE_AP, date(2026, 11, 9), "A full-time direction off-site.")
    story = PlacementStory(ctx, pupil).plan(
        littleton,
        _at(date(2026, 11, 16), 14, 0),
        referral=referral,
        site=littleton.sites.get(is_main=True),
        directed_off_site=True,
        pattern=Placement.Pattern.FULL_TIME,
        timetable=ALL_WEEK,
        start_date=date(2026, 11, 30),
        school_days=30,
        **_littleton_day(ctx),
    )
    story.approve(_at(date(2026, 11, 17), 9, 0), _at(date(2026, 11, 18), 12, 0)).issue_notice(date(2026, 11, 20))
    _zara_unexplained(ctx, story.placement)


def _zara_unexplained(ctx: DemoContext, placement: Placement) -> None:
    """The daily chase's escalated case: present until two school days ago, then absent with no
    reason given (O) on the last two school days and this morning (N, not arrived), so the office
    opens the demo with a call home to make and the SENDCo and DSL with unexplained sessions in a
    row past the school's four; the last school day's call went unanswered."""
    calendar = calendar_for(placement)
    try:
        today = timezone.localdate()
        last = calendar.add_school_days(today, -1)
        first_absent = calendar.add_school_days(today, -2)
    except CalendarGap:
        return
    assert placement.start_date is not None  # the story sets the first day
    if first_absent <= placement.start_date or (placement.end_date and last > placement.end_date):
        return
    absent = {(day, session): ("O", "") for day in (first_absent, last) for session in ("am", "pm")}
    _marks(placement, ctx.users["office"], last, absent)
    if calendar.is_school_day(today):  # the centre rang: not arrived this morning either
        AttendanceMark.objects.create(
            placement=placement,
            date=today,
            session="am",
            code=AttendanceCode.objects.get(code="N"),
            recorded_by=ctx.users["office"],
        )
    contact_record(
        actor=ctx.users["office"],
        pupil=placement.pupil,
        placement=placement,
        party=ContactLog.Party.PARENT,
        with_whom="Akosua Mensah (Mother)",
        how=ContactLog.How.CALL,
        contacted_on=last,
        agreed="Call home about today's absence: no answer.",
        outcome=ContactLog.Outcome.NO_ANSWER,
    )


def _ibrahim(ctx: DemoContext, pupil: Pupil, littleton: Provider) -> None:
    referral = _approved_referral(ctx, pupil, R.OFFSITE_AP, date(2026, 11, 9), "A short direction off-site.")
    fields = _littleton_day(ctx, what_to_bring="", transport="")
    PlacementStory(ctx, pupil).plan(
        littleton,
        _at(date(2026, 11, 20), 15, 0),
        referral=referral,
        site=littleton.sites.get(is_main=True),
        directed_off_site=True,
        pattern=Placement.Pattern.SPLIT,
        timetable=MON_TO_WED,
        start_date=date(2026, 12, 7),
        school_days=15,
        **fields,
    )


def _sophie(ctx: DemoContext, pupil: Pupil, littleton: Provider) -> None:
    referral = _approved_referral(ctx, pupil, R.OFFSITE_AP, date(2026, 9, 8), "Two days a week at the centre.")
    story = PlacementStory(ctx, pupil).plan(
        littleton,
        _at(date(2026, 9, 14), 10, 0),
        referral=referral,
        site=littleton.sites.get(is_main=True),
        pattern=Placement.Pattern.SPLIT,
        timetable=TUE_THU,
        start_date=date(2026, 9, 22),
        planned_end_date=date(2026, 11, 26),
        **_littleton_day(ctx, census_reason=Placement.CensusReason.EXCLUSION_RISK),
    )
    story.approve(_at(date(2026, 9, 15), 9, 0), _at(date(2026, 9, 16), 12, 0))
    notified = placement_la_notify(actor=ctx.users["sendco"], placement=story.placement)  # not acknowledged yet
    LANotification.objects.filter(pk=notified.pk).update(created_at=_at(date(2026, 9, 16), 14))
    story.move(S.ACTIVE, _at(date(2026, 9, 22), 9, 30))
    _marks(story.placement, ctx.users["office"], date(2026, 11, 19), {})
    story.move(S.ENDING, _at(date(2026, 11, 20), 14, 0))


def _finley(ctx: DemoContext, pupil: Pupil, iap: Provider) -> None:
    referral = _approved_referral(ctx, pupil, R.INTERNAL_AP, date(2026, 9, 7), "A four-week IAP.")
    story = PlacementStory(ctx, pupil).plan(
        iap,
        _at(date(2026, 9, 10), 15, 0),
        referral=referral,
        timetable=ALL_WEEK,
        start_date=date(2026, 9, 14),
        school_days=20,
        objectives="Join the Reception class routine for carpet time and lunch; no restraint incidents.",
        school_contact=ctx.users["sendco"],
    )
    story.approve(_at(date(2026, 9, 10), 15, 30), _at(date(2026, 9, 11), 9, 0))
    story.move(S.ACTIVE, _at(date(2026, 9, 14), 9, 0))
    _marks(story.placement, ctx.users["office"], date(2026, 10, 9), {})
    story.move(
        S.ENDED,
        _at(date(2026, 10, 9), 15, 30),
        by="head",
        outcome=Placement.Outcome.REINTEGRATED,
        ended_without_steps_reason="A four-week IAP in our own building: the return was agreed with the class "
        "teacher and parents at the IAP review, with no separate plan or report.",
        actual_end_date=date(2026, 10, 9),
        outcome_notes="Back in Reception full time from 12/10 with a lunchtime key adult.",
    )


def _freya(ctx: DemoContext, pupil: Pupil, rockets: Provider) -> None:
    """Her first day is the next school day after today, so the to-do shows on any day of term."""
    try:
        first_day = SchoolCalendar.for_school(ctx.school).add_school_days(timezone.localdate(), 1)
    except CalendarGap:
        return
    story = _rockets_mornings(
        ctx,
        pupil,
        rockets,
        planned=_at(date(2026, 11, 20), 10, 0),
        start_date=first_day,
        school_days=20,
        objectives="Speech and language work and phonics every morning in Rockets; back to 2W each afternoon.",
    )
    story.move(S.AWAITING_APPROVAL, _at(date(2026, 11, 20), 10, 30))


def _priya(ctx: DemoContext, pupil: Pupil, tuition: Provider) -> None:
    story = PlacementStory(ctx, pupil).plan(
        tuition,
        _at(date(2026, 11, 2), 11, 0),
        no_referral_reason="Provision from the sixth day of a suspension.",
        site=tuition.sites.first(),
        pattern=Placement.Pattern.PART_TIME,
        timetable=MORNINGS,
        start_date=date(2026, 11, 9),
        school_days=5,
        census_reason=Placement.CensusReason.SUSPENSION,
        cost_unit=Placement.CostUnit.SESSION,
        cost_rate=Decimal("55.00"),
        funding_source=Placement.FundingSource.SCHOOL,
    )
    story.move(S.CANCELLED, _at(date(2026, 11, 4), 16, 0), reasons="The suspension was withdrawn on appeal.")


def seed(ctx: DemoContext) -> None:
    school = ctx.school
    pupils = {p.upn: p for p in Pupil.objects.filter(school=school)}
    providers = {p.name: p for p in Provider.objects.filter(school=school)}
    littleton = providers["Littleton Green Alternative Provision"]
    iap = providers["Internal Alternative Provision (IAP)"]
    stories = [
        (1, _jayden, littleton),
        (4, _kacey, iap),
        (2, _amelia, littleton),
        (14, _mason, providers["Rockets class"]),
        (17, _zara, littleton),
        (5, _ibrahim, littleton),
        (19, _sophie, littleton),
        (18, _finley, iap),
        (11, _priya, providers["Stepping Stones Tuition"]),
        (23, _freya, providers["Rockets class"]),
    ]
    for serial, play, provider in stories:
        pupil = pupils[demo_upn("2001", serial)]
        if not pupil.placements.exists():
            play(ctx, pupil, provider)
    # Olivia's referral was approved on Friday: her placement is waiting to be planned.
    olivia = pupils[demo_upn("2001", 6)]
    if not olivia.referrals.exists():
        _approved_referral(ctx, olivia, R.INTERNAL_AP, date(2026, 11, 17), "Four weeks in the IAP, mornings first.")
    # The office keeps the register: it may look placements and marks up in the back office too.
    office_group().permissions.add(
        *Permission.objects.filter(content_type__app_label="placements", codename__in=OFFICE_PERMISSIONS)
    )
