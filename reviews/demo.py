"""Demo reviews, targets and returns to class for the demo placements at Oakfield (all fictional),
told through the real services around today 23/11/2026. The placements demo has already started
and ended the placements, so each has its routine reviews from the term calendar; a story below
holds them. Idempotent: a placement's story is played only if none of its reviews is held yet.

- Jayden Clarke (Littleton Green since 05/10): Next Steps, attendance, Boxall and behaviour
  targets measured at his reviews. The half-termly review on 19/10 found progress not
  satisfactory; three formal reviews since (22/10, 06/11, 20/11) found the same, so the school may
  end the placement. The review after the serious incident of 17/11 is due on 24/11, and his
  mother's written request of 23/11 is answered "no duty": a formal review was held on 20/11.
- Kacey Doyle (IAP since 05/10, extended to eight weeks): the reintegration plan agreed at entry
  and changed at the weekly review of 19/10; weekly reviews held to 10/11, the one due 17/11 is
  overdue.
- Sophie Carter (Littleton Green, ending on 26/11): her half-termly and final reviews held.
- Finley Rigby (IAP in September, back in Reception since 12/10): his reviews held, the final
  report, and the 2-week check-in after the return recorded.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.utils import timezone

from apcase.demo import DemoContext
from placements.models import Placement
from pupils.demo import demo_upn
from pupils.models import Pupil
from reviews.invitations import default_invitees
from reviews.models import ReviewMeeting, Target
from reviews.services import (
    TargetDetails,
    check_in_record,
    final_report_save,
    plan_version_agree,
    review_action_add,
    review_arrange,
    review_close,
    review_record,
    review_request_answer,
    review_request_record,
    review_schedule,
    target_set,
)

K, D, A = ReviewMeeting.Kind, ReviewMeeting.Decision, Target.Area


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    """A demo moment, never later than now (the chronology refuses future steps)."""
    return min(timezone.make_aware(datetime.combine(day, time(hour, minute))), timezone.now())


class ReviewStory:
    """The reviews of one placement, played through the real services."""

    def __init__(self, ctx: DemoContext, placement: Placement):
        self.ctx, self.placement, self.sendco = ctx, placement, ctx.users["sendco"]
        self.targets: dict[str, Target] = {}
        assert placement.start_date is not None  # the demo's reviewed placements have started
        self.start_date = placement.start_date

    def target(self, key: str, area: str, description: str, baseline, aim, unit: str, **fields) -> ReviewStory:
        self.targets[key] = target_set(
            actor=self.sendco,
            placement=self.placement,
            occurred_at=_at(self.start_date, 15, 0),
            details=TargetDetails(
                area=area,
                description=description,
                baseline=Decimal(str(baseline)),
                target_value=Decimal(str(aim)),
                unit=unit,
                **fields,
            ),
        )
        return self

    def due(self, kind: str, on: date) -> ReviewMeeting:
        return self.placement.reviews.get(kind=kind, due_on=on)

    def arrange(self, kind: str, on: date, decided: date) -> ReviewMeeting:
        return review_arrange(
            actor=self.sendco, placement=self.placement, kind=kind, due_on=on, occurred_at=_at(decided, 16)
        )

    def hold(
        self, review: ReviewMeeting, at: datetime, readings: dict, absent=(), actions=(), **record
    ) -> ReviewMeeting:
        """Arrange the meeting with its default invitees, record it (all came but `absent`), add the
        actions agreed and close it."""
        invitees = default_invitees(review)
        review_schedule(
            actor=self.sendco,
            review=review,
            meeting_at=at,
            place=record.pop("place", self.placement.provider.name),
            staff=invitees.staff,
            others=invitees.outside_school(self.placement.pupil.display_name),
            occurred_at=at - timedelta(days=2),  # arranged a couple of days before
        )
        attended = [p for p in review.participants.all() if p.display_name not in absent]
        values = {self.targets[key]: (Decimal(str(value)), "") for key, value in readings.items()}
        review_record(actor=self.sendco, review=review, attended=attended, readings=values, **record)
        for action in actions:
            review_action_add(actor=self.sendco, review=review, **action)
        return review_close(actor=self.sendco, review=review, held_on=timezone.localdate(at))


def _jayden(ctx: DemoContext, placement: Placement) -> None:
    story = ReviewStory(ctx, placement)
    story.target("reading", A.NEXT_STEPS_READING, "Reading: decoding", 3, 5, "stage")
    story.target("number", A.NEXT_STEPS_NUMBER, "Number", 4, 6, "stage")
    story.target("attendance", A.ATTENDANCE, "Attend every session", "91.0", 95, "%")
    story.target("boxall", A.BOXALL, "Self-regulation (developmental strand)", 6, 12, "score")
    story.target("behaviour", A.BEHAVIOUR, "Incidents recorded by the centre", 5, 1, "a week", higher_is_better=False)
    story.hold(
        story.due(K.HALF_TERMLY, date(2026, 10, 19)),
        _at(date(2026, 10, 19), 14, 0),
        {"reading": 3, "number": 4, "attendance": "92.3", "boxall": 7, "behaviour": 3},
        pupil_voice="Likes the small maths group; finds the taxi journey long.",
        provider_report="Settling, but leaves the room when asked to write; two refusals to get into the taxi.",
        decision=D.CHANGE,
        decision_notes="Progress is not satisfactory yet: a formal review with the headteacher and Jayden's mother.",
    )
    formal = story.arrange(K.FORMAL, date(2026, 10, 22), decided=date(2026, 10, 19))
    story.hold(
        formal,
        _at(date(2026, 10, 22), 15, 30),
        {"attendance": "91.7", "behaviour": 4},
        pupil_voice="“I don't like writing. I like the forest school.”",
        parents_views="Mum wants the placement to continue and asks for a daily report.",
        provider_report="Writing refusals most days; calm in practical sessions.",
        satisfactory_progress=False,
        decision=D.CHANGE,
        decision_notes="Writing through practical tasks; a daily home-school book.",
        next_review_on=date(2026, 11, 6),
        actions=[
            {
                "description": "Start a daily home-school book",
                "due_on": date(2026, 11, 4),
                "owner_name": "Ms Jo Whitfield (Littleton Green)",
            }
        ],
    )
    story.hold(
        story.placement.reviews.get(kind=K.FORMAL, due_on=date(2026, 11, 6)),
        _at(date(2026, 11, 6), 15, 30),
        {"attendance": "88.0", "behaviour": 4},
        absent=("Donna Clarke",),
        pupil_voice="Did not want to talk about school.",
        parents_views="Mum sent apologies; by phone she said mornings are hard at home.",
        provider_report="Attendance falling: two absences and one refusal this fortnight.",
        satisfactory_progress=False,
        decision=D.CONTINUE,
        decision_notes="The office calls home on the first morning of any absence.",
        next_review_on=date(2026, 11, 20),
        actions=[
            {
                "description": "Call home on the first morning of any absence",
                "due_on": date(2026, 11, 9),
                "owner": ctx.users["office"],
            }
        ],
    )
    story.hold(
        story.placement.reviews.get(kind=K.FORMAL, due_on=date(2026, 11, 20)),
        _at(date(2026, 11, 20), 15, 30),
        {"reading": 4, "number": 5, "attendance": "86.7", "boxall": 8, "behaviour": 3},
        pupil_voice="“I want to go back to my class at Christmas.”",
        parents_views="Mum is worried after the incident on 17/11 and will put her concerns in writing.",
        provider_report="A serious incident on 17/11. Reading and number up a stage; attendance still falling.",
        satisfactory_progress=False,
        decision=D.CONTINUE,
        decision_notes="Third formal review without improvement: the headteacher will decide on ending the "
        "placement after the review of the incident.",
        next_review_on=date(2026, 12, 9),
    )
    request = review_request_record(
        actor=story.sendco,
        placement=story.placement,
        received_on=date(2026, 11, 23),
        requester="parent",
        requester_name="Donna Clarke",
        method="email",
        request_text="Asks for a review of the placement after the incident on 17/11.",
    )
    review_request_answer(
        actor=ctx.users["head"],
        request=request,
        decision="continue_until",
        decision_until=date(2026, 12, 16),
        decision_notes="A formal review was held on 20/11; the review of the incident is on 24/11 and she is invited.",
        notified_on=date(2026, 11, 23),
        notified_method="email",
        notified_to="Donna Clarke (mother)",
    )


PLAN: dict[str, Any] = {
    "strengths": "Kind to younger children; loves drawing and building; reads with expression when calm.",
    "needs": "Regulation after lunch and in busy spaces; help to start written tasks.",
    "agreed_targets": "Use a calm-down strategy without prompting; join 5B for Friday Together Time by week 4.",
    "classroom_strategies": "Seat near the door; a visual timetable; a 'help' card; movement breaks after lunch.",
    "who_supports": "Mr Ashworth (IAP lead) daily; Mr Bright (class teacher) for the sessions in class; "
    "Mrs Rowe (foster carer) at home.",
}
MON, TUE, WED, THU, FRI = ("mon", "tue", "wed", "thu", "fri")


def _sessions(*days, half="am") -> list[str]:
    return [f"{day}_{half}" for day in days]


def _kacey(ctx: DemoContext, placement: Placement) -> None:
    story = ReviewStory(ctx, placement)
    story.target("strategy", A.PERSONAL, "Uses a calm-down strategy without prompting", 1, 4, "1 to 5")
    story.target("boxall", A.BOXALL, "Organisation of experience", 20, 30, "score")
    plan_version_agree(
        actor=story.sendco,
        placement=placement,
        agreed_on=date(2026, 10, 5),
        return_timetable=[
            _sessions(FRI, half="pm"),
            _sessions(THU, FRI, half="pm"),
            _sessions(MON, TUE, WED, THU, FRI),
        ],
        **PLAN,
    )
    weekly = [
        (date(2026, 10, 12), 1, 21),
        (date(2026, 10, 19), 2, 22),
        (date(2026, 11, 3), 2, 24),
        (date(2026, 11, 10), 3, 26),
    ]
    for due, strategy, boxall in weekly:
        review = story.hold(
            story.due(K.IAP_WEEKLY, due),
            _at(due, 15, 15),
            {"strategy": strategy, "boxall": boxall},
            place="The IAP room",
            pupil_voice="Likes the morning check-in; wants to be back with her friends.",
            decision=D.CONTINUE if due != date(2026, 10, 19) else D.CHANGE,
        )
        if due == date(2026, 10, 19):
            plan_version_agree(
                actor=story.sendco,
                placement=placement,
                agreed_on=due,
                review=review,
                change_summary="Settled quickly: two afternoons in class from week 1, mornings added in week 3.",
                return_timetable=[
                    _sessions(THU, FRI, half="pm"),
                    _sessions(TUE, THU, FRI, half="pm"),
                    _sessions(MON, TUE, WED, THU, FRI),
                    [*_sessions(MON, TUE, WED, THU, FRI), *_sessions(MON, TUE, WED, THU, FRI, half="pm")],
                ],
                **PLAN,
            )


def _sophie(ctx: DemoContext, placement: Placement) -> None:
    story = ReviewStory(ctx, placement)
    story.hold(
        story.due(K.HALF_TERMLY, date(2026, 10, 19)),
        _at(date(2026, 10, 19), 11, 0),
        {},
        provider_report="Attends both days, confident in the forest school; ready to plan the return.",
        decision=D.CONTINUE,
    )
    story.hold(
        story.due(K.FINAL, date(2026, 11, 19)),
        _at(date(2026, 11, 19), 15, 30),
        {},
        pupil_voice="“I'm ready to go back to 4A every day.”",
        provider_report="Targets met; full attendance this half-term.",
        decision=D.END,
        decision_notes="Back to 4A full time from 30/11.",
    )


def _finley(ctx: DemoContext, placement: Placement) -> None:
    story = ReviewStory(ctx, placement)
    story.target("reading", A.NEXT_STEPS_READING, "Reading: decoding", 1, 2, "stage")
    story.target("number", A.NEXT_STEPS_NUMBER, "Number", 1, 2, "stage")
    plan_version_agree(
        actor=story.sendco,
        placement=placement,
        agreed_on=date(2026, 9, 14),
        strengths="Loves stories and the sand tray; follows a visual routine.",
        needs="Transitions between activities; sharing adults' attention.",
        agreed_targets="Join carpet time and lunch in Reception; no restraint incidents.",
        classroom_strategies="Now-and-next board; a named adult at lunch; warning before each change.",
        who_supports="Mrs Patel (Reception TA) at lunch; the SENDCo weekly.",
        return_timetable=[_sessions(MON, TUE, WED, THU, FRI)],
    )
    story.hold(
        story.due(K.IAP_WEEKLY, date(2026, 9, 21)),
        _at(date(2026, 9, 21), 15, 15),
        {"reading": 1, "number": 1},
        decision=D.CONTINUE,
        place="The IAP room",
    )
    story.hold(
        story.due(K.FINAL, date(2026, 10, 2)),
        _at(date(2026, 10, 2), 15, 15),
        {"reading": 2, "number": 2},
        place="The IAP room",
        pupil_voice="“I like my class. I want to sit by the window.”",
        decision=D.END,
        decision_notes="Back in Reception full time from 12/10 with a lunchtime key adult.",
    )
    final_report_save(
        actor=ctx.users["head"],
        placement=placement,
        prepared_on=date(2026, 10, 7),
        attainment_progress="Next Steps reading and number both up a stage (1 to 2) in four weeks.",
        behaviour_evidence="No restraint incidents since week 2; joins carpet time for 15 minutes with a visual timer.",
        pupil_views="Finley says he likes his class and wants to sit by the window.",
        pupil_views_heard_by="Mrs Helen Marsh, headteacher",
        objectives_on_return="Stay for the whole of carpet time; eat lunch in the hall with his key adult.",
    )
    check_in_record(
        actor=story.sendco,
        check_in=placement.check_ins.get(weeks_after=2),
        held_on=date(2026, 11, 3),
        still_in_class=True,
        notes="Settled; one wobble at lunch, handled by his key adult.",
    )


def seed(ctx: DemoContext) -> None:
    pupils = {pupil.upn: pupil for pupil in Pupil.objects.filter(school=ctx.school)}
    stories = [(1, _jayden), (4, _kacey), (19, _sophie), (18, _finley)]
    for serial, play in stories:
        placement = pupils[demo_upn("2001", serial)].placements.select_related("school", "pupil", "provider").first()
        if placement is not None and not placement.reviews.filter(status=ReviewMeeting.Status.HELD).exists():
            play(ctx, placement)
