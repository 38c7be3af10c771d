"""Reviews of the started placements and the return to class, as the reviews services leave them.

Each running or ended placement has the routine reviews the term calendar gives it
(reviews.schedule.routine_reviews: half-termly and termly, weekly for an IAP, a final review before
the planned last day). Those due before today were held, with the decision, the attendance as it
stood and who came (a few due in the last three weeks still wait: overdue); those after today are
to hold, the next fortnight's arranged; those after an early end were cancelled. Where a review
found progress not satisfactory, formal reviews follow (some placements three in a row, so the
headteacher may end them); every serious incident has its review; a few parents ask in writing for
a review of a direction off-site. Each placement has two targets (Next Steps reading or number, and
another) with a reading at every review held, so each half-term has its stage. A return to class
has its reintegration plan (one or two versions), the final report and the check-ins 2, 6 and 12
school weeks on; an IAP has its plan from the first day.
"""

from __future__ import annotations

import copy
from bisect import bisect_right
from collections import defaultdict
from datetime import date, datetime, timedelta
from decimal import Decimal
from itertools import accumulate

from django.utils import timezone

from apcase.models import Role, User
from bench import texts
from bench.generator.attendance import PlannedMark
from bench.generator.base import BenchSchool, Build
from bench.generator.shapes import STARTED, PlacementShape
from placements.models import AttendanceCode, Incident, Placement
from placements.selectors.attendance import RECENT_DAYS, AttendanceSummary, Figures
from placements.timetable import SESSION_KEYS
from pupils.models import CaseEvent, Contact
from reviews.invitations import CLASS_TEACHER, HEAD, INVITED, LA, PARENTS, PROVIDER, PUPIL
from reviews.models import (
    CheckIn,
    FinalReport,
    Measurement,
    PlanVersion,
    ReintegrationPlan,
    ReviewAction,
    ReviewMeeting,
    ReviewParticipant,
    ReviewRequest,
    Target,
)
from reviews.schedule import (
    INCIDENT_REVIEW_SCHOOL_DAYS,
    REQUESTED_REVIEW_SCHOOL_DAYS,
    check_in_dates,
    period_label,
    routine_reviews,
    school_day_offset,
)
from reviews.selectors.meetings import DIRECTION_REVIEW_KINDS, TEN_WEEKS, attendance_figures
from reviews.wording import and_list, count_of, lower_first

S, K, D, A = Placement.Status, ReviewMeeting.Kind, ReviewMeeting.Decision, Target.Area
E = CaseEvent.Kind
RUNNING = Placement.RUNNING
P = ReviewParticipant.Role
M = AttendanceCode.Meaning

OVERDUE_WINDOW = timedelta(days=21)  # a review due this recently may still be waiting to be held
ARRANGED_AHEAD = timedelta(days=14)  # reviews due this soon mostly have their meeting arranged
FORMAL_SHARE = 0.12  # placements where a review found progress not satisfactory
FORMAL_GAP_SCHOOL_DAYS = 10  # between formal reviews
REQUEST_SHARE = 0.2  # running directions off-site with a written request for a review
# (area, description, unit, higher is better) of the second target; the first is always Next Steps.
OTHER_TARGETS = {
    (A.ATTENDANCE, "Attend every session", "%", True): 3,
    (A.BEHAVIOUR, "Incidents recorded by the provider", "a week", False): 2,
    (A.BOXALL, "Self-regulation (developmental strand)", "score", True): 2,
    (A.PERSONAL, "Uses a calm-down strategy without prompting", "1 to 5", True): 1,
}
FRAMEWORK = {A.NEXT_STEPS_READING: "Reading: decoding and fluency", A.NEXT_STEPS_NUMBER: "Number: place value"}
WHERE_NOW = {
    CheckIn.WhereNow.PART_TIME: 3,
    CheckIn.WhereNow.BACK_IN_AP: 2,
    CheckIn.WhereNow.MOVED_SCHOOL: 1,
    CheckIn.WhereNow.EXCLUDED: 1,
}


class Rows:
    """Everything the stage writes, in the order it is inserted (later rows point at earlier ones)."""

    def __init__(self) -> None:
        self.reviews: list[ReviewMeeting] = []
        self.participants: list[ReviewParticipant] = []
        self.actions: list[ReviewAction] = []
        self.targets: list[Target] = []
        self.measurements: list[Measurement] = []
        self.requests: list[ReviewRequest] = []
        self.plans: list[ReintegrationPlan] = []
        self.versions: list[PlanVersion] = []
        self.reports: list[FinalReport] = []
        self.check_ins: list[CheckIn] = []

    def write(self, build: Build) -> None:
        for model, objs in (
            (ReviewMeeting, self.reviews),
            (ReviewParticipant, self.participants),
            (ReviewAction, self.actions),
            (Target, self.targets),
            (Measurement, self.measurements),
            (ReviewRequest, self.requests),
            (ReintegrationPlan, self.plans),
            (PlanVersion, self.versions),
            (FinalReport, self.reports),
            (CheckIn, self.check_ins),
        ):
            build.insert(model, objs)


def create_reviews(
    build: Build, made: list[tuple[BenchSchool, Placement, PlacementShape]], marks: dict[int, list[PlannedMark]]
) -> None:
    """`marks` are each school's planned attendance marks (not yet written): the attendance a held
    review kept, and the readings of attendance targets, come from them."""
    started = [(bs, placement, shape) for bs, placement, shape in made if placement.status in STARTED]
    meanings = dict(AttendanceCode.objects.values_list("code", "meaning"))
    by_placement: dict[int, list[tuple[date, str]]] = defaultdict(list)
    for planned in marks.values():
        for mark in planned:
            by_placement[mark.placement.pk].append((mark.date, meanings[mark.code]))
    parents = _parents([placement.pupil_id for _bs, placement, _shape in started])
    serious = defaultdict(list)
    for incident in Incident.objects.filter(
        placement_id__in=[placement.pk for _bs, placement, _shape in started], severity=Incident.Severity.SERIOUS
    ).order_by("pk"):
        serious[incident.placement_id].append(incident)
    rows = Rows()
    for bs, placement, _shape in started:
        case = Case(build, bs, placement, rows, by_placement.get(placement.pk, []), parents.get(placement.pupil_id, []))
        case.play(serious.get(placement.pk, []))
    rows.write(build)


def _parents(pupil_ids: list[int]) -> dict[int, list[str]]:
    """The names of each pupil's contacts with parental responsibility a school may contact."""
    names: dict[int, list[str]] = defaultdict(list)
    contacts = Contact.objects.filter(pupil_id__in=pupil_ids, parental_responsibility=True, do_not_contact=False)
    for pupil_id, name in contacts.order_by("pupil_id", "priority", "pk").values_list("pupil_id", "name"):
        names[pupil_id].append(name)
    return names


class Case:
    """One started placement's reviews, targets and return to class."""

    def __init__(
        self,
        build: Build,
        bs: BenchSchool,
        placement: Placement,
        rows: Rows,
        marks: list[tuple[date, str]],
        parents: list[str],
    ):
        self.build, self.bs, self.placement, self.rows, self.parents = build, bs, placement, rows, parents
        self.calendar, self.today = bs.calendar, build.today
        self.sendco, self.head = bs.staff[Role.SENDCO], bs.staff[Role.HEAD]
        self.pupil = placement.pupil
        assert placement.start_date is not None  # a started placement
        self.start = placement.start_date
        self.running = placement.status in RUNNING
        # The last day anything about the placement was held: yesterday's school day, or its last day.
        self.last = build.last_school_day(bs)
        if placement.actual_end_date:
            self.last = min(self.last, placement.actual_end_date)
        self.link = placement.get_absolute_url()
        self.reviews: list[ReviewMeeting] = []
        self.targets: list[Target] = []
        self.values: dict[int, Decimal] = {}  # id(target) -> its latest reading
        marks = sorted(marks)
        self.mark_days = [day for day, _meaning in marks]
        counted = [meaning != M.NOT_COUNTED for _day, meaning in marks]
        attended = [meaning == M.ATTENDING for _day, meaning in marks]
        self.possible_upto = [0, *accumulate(counted)]
        self.attended_upto = [0, *accumulate(attended)]

    # --- the story ------------------------------------------------------------------------------

    def play(self, incidents: list[Incident]) -> None:
        self._targets()
        self._routine()
        self._formal()
        for incident in incidents:
            self._incident(incident)
        if self.running and self.placement.notice_required and self.build.chance(REQUEST_SHARE):
            self._request()
        for review in sorted(self.reviews, key=lambda r: (r.held_on or r.due_on, r.due_on)):
            self._side_rows(review)
        self._return_to_class()

    def _new(self, kind: str, due_on: date, created: datetime, **fields) -> ReviewMeeting:
        review = ReviewMeeting(
            public_id=self.build.uuid(),
            school=self.bs.school,
            placement=self.placement,
            kind=kind,
            due_on=due_on,
            **fields,
        )
        self.build.stamped(review, created, self.sendco)
        self.reviews.append(review)
        self.rows.reviews.append(review)
        return review

    def _routine(self) -> None:
        """The term calendar's reviews, as the schedule set them when the placement started."""
        placement = self.placement
        as_planned = copy.copy(placement)  # the schedule as it stood while the placement ran
        as_planned.actual_end_date = None
        scheduled_at = self.build.at(self.start, 9, 45)
        routine = [
            self._new(kind, due_on, scheduled_at, from_calendar=True)
            for kind, due_on in routine_reviews(as_planned, self.calendar)
        ]
        if not routine:
            return
        kinds = and_list(sorted({lower_first(review.get_kind_display()) for review in routine}))
        first = min(review.due_on for review in routine)
        summary = f"{count_of(routine, 'review')} ({kinds}) from the term calendar, the first due by {first:%d/%m/%Y}"
        self._event(E.REVIEW_SCHEDULED, summary, self.sendco, scheduled_at)
        end = placement.actual_end_date
        after = [review for review in routine if end and review.due_on > end]
        for review in routine:
            if end is not None and review in after:
                review.status = ReviewMeeting.Status.CANCELLED
                review.cancellation_reason = f"No longer due: the placement ended on {end:%d/%m/%Y}"
                review.updated_at = self.build.at(end, 15, 30)
            else:
                self._settle(review, self._routine_decision(review))
        if after and end is not None:
            summary = f"{count_of(after, 'review')} after the last day cancelled"
            self._event(E.REVIEW_SCHEDULED, summary, self.sendco, self.build.at(end, 15, 30))

    def _routine_decision(self, review: ReviewMeeting) -> dict:
        if review.kind == K.FINAL:
            return {"decision": D.END}
        planned_end = self.placement.planned_end_date
        if (
            self.placement.status == S.ACTIVE
            and planned_end
            and review.due_on < planned_end - timedelta(days=28)
            and self.build.chance(0.05)
        ):
            return {"decision": D.EXTEND, "extend_until": planned_end}  # the extension set today's last day
        return {"decision": self.build.pick({D.CONTINUE: 17, D.CHANGE: 3})}

    def _settle(self, review: ReviewMeeting, decided: dict, *, held_by: date | None = None) -> None:
        """Held on about its due date if that has passed (an ended placement's on its last day at the
        latest); a running placement's due in the last three weeks perhaps still waiting (overdue)."""
        due = review.due_on
        if not self.running:
            self._hold(review, held_by or (self._held_on(due) if due <= self.last else self.last), **decided)
        elif due > self.last or (due >= self.today - OVERDUE_WINDOW and self.build.chance(0.15)):
            self._wait(review)
        else:
            self._hold(review, held_by or self._held_on(due), **decided)

    def _wait(self, review: ReviewMeeting) -> None:
        """Still to hold: the meeting arranged for most of the next fortnight's (and half the overdue)."""
        if review.due_on < self.today:
            arranged = self.build.chance(0.5)
        else:
            arranged = review.due_on <= self.today + ARRANGED_AHEAD and self.build.chance(0.6)
        if arranged:
            self._arrange(review, review.due_on)

    def _held_on(self, due: date) -> date:
        shift = self.build.pick({-3: 1, -2: 2, -1: 3, 0: 8, 1: 2, 2: 1})
        day = school_day_offset(self.calendar, due, shift)
        return max(min(day, self.last), self.start)

    def _hold(self, review: ReviewMeeting, held_on: date, *, decision: str, **record) -> None:
        build = self.build
        review.status, review.held_on, review.decision = ReviewMeeting.Status.HELD, held_on, decision
        review.meeting_at = build.at(held_on, build.rng.randrange(10, 16), build.rng.choice((0, 15, 30, 45)))
        review.place = self._place()
        invited = INVITED[review.kind]
        review.pupil_voice = build.rng.choice(texts.PUPIL_VOICES) if PUPIL in invited or build.chance(0.5) else ""
        review.parents_views = build.rng.choice(texts.PARENTS_VIEWS) if PARENTS in invited and self.parents else ""
        review.provider_report = build.rng.choice(texts.PROVIDER_REPORTS)
        review.decision_notes = texts.DECISION_NOTES[decision] if decision != D.CONTINUE or build.chance(0.3) else ""
        review.satisfactory_progress = record.pop("satisfactory_progress", None)
        review.extend_until = record.pop("extend_until", None)
        review.next_review_on = record.pop("next_review_on", None)
        assert not record, record
        review.recorded_by = self.sendco
        review.attendance_snapshot = self._snapshot(held_on)
        review.updated_at = build.at(held_on, 17)

    def _arrange(self, review: ReviewMeeting, day: date) -> None:
        review.meeting_at = self.build.at(day, 14, 0)
        review.place = self._place()
        review.updated_at = self._arranged_at(review)

    def _arranged_at(self, review: ReviewMeeting) -> datetime:
        """A few days before the meeting, and never after yesterday's school day."""
        day = timezone.localdate(review.meeting_at) - timedelta(days=self.build.rng.randrange(3, 8))
        day = min(day, self.build.last_school_day(self.bs))
        return max(self.build.at(self.build.weekday_on_or_before(day), 16), review.created_at)

    def _place(self) -> str:
        if self.placement.is_iap:
            return "The IAP room"
        return self.placement.provider.name if self.build.chance(0.7) else "The SENDCo's office"

    def _formal(self) -> None:
        """A review found progress not satisfactory: formal reviews every fortnight until it is, or
        until three in a row have not found it (docs/domain-rules.md#formal-reviews)."""
        if self.placement.is_iap or not self.build.chance(FORMAL_SHARE):
            return
        held = [
            review
            for review in self.reviews
            if review.kind in (K.HALF_TERMLY, K.TERMLY) and review.status == ReviewMeeting.Status.HELD
        ]
        if not held:
            return
        trigger = self.build.rng.choice(held)
        trigger.decision, trigger.decision_notes = D.CHANGE, texts.DECISION_NOTES[D.CHANGE]
        trigger.extend_until = None
        count = self.build.pick({1: 4, 2: 3, 3: 3})
        decided = self.build.at(_held(trigger), 16)
        due = school_day_offset(self.calendar, _held(trigger), 3)
        for number in range(1, count + 1):
            if due > self.last:  # the next is still to hold (or the placement ended first)
                if self.running:
                    self._wait(self._new(K.FORMAL, due, decided))
                return
            review = self._new(K.FORMAL, due, decided)
            improved = number == count and count < 3 and self.build.chance(0.6)
            following = school_day_offset(self.calendar, due, FORMAL_GAP_SCHOOL_DAYS)
            # After the last one held, another follows unless progress improved (or it was long ago).
            more = number < count or (not improved and self.running and following >= self.today - OVERDUE_WINDOW)
            self._hold(
                review,
                due,
                decision=D.CONTINUE if improved else D.CHANGE,
                satisfactory_progress=improved,
                next_review_on=following if more else None,
            )
            due, decided = following, self.build.at(due, 16)
            if number == count and more:
                self._wait(self._new(K.FORMAL, due, decided))

    def _incident(self, incident: Incident) -> None:
        """After a serious incident the placement is reviewed within a school week
        (docs/domain-rules.md#serious-incident)."""
        day = timezone.localdate(incident.occurred_at)
        due = school_day_offset(self.calendar, day, INCIDENT_REVIEW_SCHOOL_DAYS)
        created = incident.recorded_at
        review = self._new(K.INCIDENT, due, created, incident=incident)
        summary = f"{review.get_kind_display()} due by {due:%d/%m/%Y}"
        self._event(E.REVIEW_SCHEDULED, summary, self.sendco, created, review.get_absolute_url())
        self._settle(review, {"decision": self.build.pick({D.CONTINUE: 2, D.CHANGE: 1})}, held_by=min(due, self.last))

    def _request(self) -> None:
        """A parent's written request for a review of the direction (reg 4A); no duty when a review
        meeting of the direction was held in the ten weeks before it."""
        build, placement = self.build, self.placement
        first = max(self.start, self.last - timedelta(days=42))
        received_on = build.school_day_between(self.bs, first, self.last)
        received_at = build.at(received_on, 11)
        recent = max(
            (
                review
                for review in self.reviews
                if review.status == ReviewMeeting.Status.HELD
                and review.kind in DIRECTION_REVIEW_KINDS
                and received_on - TEN_WEEKS <= _held(review) < received_on
            ),
            key=lambda review: (review.held_on, review.due_on),
            default=None,
        )
        from_la = self.pupil.has_ehcp and (not self.parents or build.chance(0.3))
        if not (from_la or self.parents):
            return
        name = self.bs.school.la_send_contact if from_la else self.parents[0]
        request = ReviewRequest(
            public_id=build.uuid(),
            placement=placement,
            received_on=received_on,
            requester=ReviewRequest.Requester.LOCAL_AUTHORITY if from_la else ReviewRequest.Requester.PARENT,
            requester_name=name,
            method=build.pick({ReviewRequest.Method.EMAIL: 3, ReviewRequest.Method.LETTER: 2}),
            request_text=build.rng.choice(texts.REQUEST_TEXTS),
            recent_review=recent,
            recorded_by=self.sendco,
        )
        heading = f"Written request for a review from {name}"
        if recent is None:
            due = school_day_offset(self.calendar, received_on, REQUESTED_REVIEW_SCHOOL_DAYS)
            request.review = self._new(K.REQUESTED, due, received_at)
            self._settle(request.review, {"decision": D.CONTINUE})
            summary = f"{heading}: a review is due as soon as reasonably practicable, by {due:%d/%m/%Y}"
        else:
            summary = f"{heading}: no duty, as a review meeting was held on {recent.held_on:%d/%m/%Y} (within 10 weeks)"
        self._event(E.REVIEW_SCHEDULED, summary, self.sendco, received_at, request.get_absolute_url())
        decided_on = request.review.held_on if request.review else received_on
        if decided_on is not None:
            self._answer(request, decided_on)
        self.rows.requests.append(build.stamped(request, received_at, self.sendco))

    def _answer(self, request: ReviewRequest, decided_on: date) -> None:
        """The school's decision, told to the person who asked a day or two later (reg 6)."""
        build = self.build
        notified_on = min(school_day_offset(self.calendar, decided_on, build.rng.randrange(0, 3)), self.last)
        until = build.chance(0.3) and self.placement.planned_end_date
        request.decision = ReviewRequest.Decision.CONTINUE_UNTIL if until else ReviewRequest.Decision.CONTINUE
        request.decision_until = self.placement.planned_end_date if until else None
        request.decision_notes = "The provision is meeting the pupil's needs; the family is invited to each review."
        request.notified_on, request.notified_to = notified_on, request.requester_name
        request.notified_method = build.pick({"email": 3, "post": 1})
        told = "by e-mail" if request.notified_method == "email" else "by post"
        summary = f"Outcome of the request for a review told to {request.notified_to} {told}: " + lower_first(
            request.decision_text
        )
        self._event(E.DECISION, summary, self.head, build.at(notified_on, 12, 0), request.get_absolute_url())

    # --- what each review leaves behind ---------------------------------------------------------

    def _side_rows(self, review: ReviewMeeting) -> None:
        """Who was invited (and came), the readings and actions of a held review, and its steps."""
        build, held = self.build, review.status == ReviewMeeting.Status.HELD
        if review.meeting_at is None:
            return
        self.rows.participants += self._invite(review, held=held)
        when = timezone.localtime(review.meeting_at)
        where = f" at {review.place}" if review.place else ""
        summary = f"{review.get_kind_display()} arranged for {when:%A %d/%m/%Y at %H:%M}{where}"
        self._event(E.REVIEW_SCHEDULED, summary, self.sendco, self._arranged_at(review), review.get_absolute_url())
        if not held:
            return
        for target in self.targets:
            self._reading(target, review)
        if build.chance(0.35):
            self.rows.actions += [self._action(review) for _ in range(build.rng.choice((1, 1, 2)))]
        progress = ""
        if review.kind == K.FORMAL:
            progress = ", progress satisfactory" if review.satisfactory_progress else ", progress not satisfactory"
        decision = review.decision_text
        summary = f"{review.get_kind_display()} held{progress}. Decision: {lower_first(decision)}"
        self._event(E.REVIEW_HELD, summary, self.sendco, build.at(_held(review), 12, 0), review.get_absolute_url())

    def _invite(self, review: ReviewMeeting, *, held: bool) -> list[ReviewParticipant]:
        """The default invitees of the kind of review (reviews.invitations), ticked off when held."""
        build, invited = self.build, INVITED[review.kind]
        staff = [self.sendco]
        if HEAD in invited:
            staff.append(self.head)
        teacher = self.bs.staff[Role.TEACHER]
        if CLASS_TEACHER in invited and self.pupil.class_teacher_id == teacher.pk:
            staff.append(teacher)
        others = [(P.PARENT, name) for name in self.parents] if PARENTS in invited else []
        if PUPIL in invited:
            others.append((P.PUPIL, self.pupil.display_name))
        provider = self.placement.provider
        who = provider.contact_name or provider.lead_staff_name
        if PROVIDER in invited and who:
            others.append((P.PROVIDER, f"{who}, {provider.name}"))
        if LA in invited and self.pupil.has_ehcp:
            others.append((P.LOCAL_AUTHORITY, self.bs.school.la_send_contact))
        came = {P.STAFF: 0.95, P.PARENT: 0.85, P.PUPIL: 0.8, P.PROVIDER: 0.95, P.LOCAL_AUTHORITY: 0.5}
        participants = [
            ReviewParticipant(review=review, role=P.STAFF, user=user, attended=user == self.sendco or build.chance(0.9))
            for user in staff
        ] + [
            ReviewParticipant(review=review, role=role, name=name, attended=build.chance(came[role]))
            for role, name in others
        ]
        for participant in participants:
            if not held:
                participant.attended = None
            build.stamped(participant, self._arranged_at(review), self.sendco)
        return participants

    def _action(self, review: ReviewMeeting) -> ReviewAction:
        build, held_on = self.build, _held(review)
        due_on = held_on + timedelta(days=build.rng.randrange(7, 22))
        by_school = build.chance(0.5)
        action = ReviewAction(
            public_id=build.uuid(),
            review=review,
            description=build.rng.choice(texts.REVIEW_ACTIONS),
            owner=self.sendco if by_school else None,
            owner_name="" if by_school else f"{self.placement.provider.contact_name or 'Key worker'}, provider",
            due_on=due_on,
        )
        if due_on < self.today and build.chance(0.8):
            done_on = max(held_on, min(due_on - timedelta(days=build.rng.randrange(0, 5)), self.today))
            action.done_on = min(done_on, self.today - timedelta(days=1))
        return build.stamped(action, build.at(held_on, 17), self.sendco)

    def _snapshot(self, day: date) -> dict:
        """The attendance figures a review held that day kept (as reviews.services.review_close does)."""
        upto = bisect_right(self.mark_days, day)
        since = bisect_right(self.mark_days, day - timedelta(days=RECENT_DAYS))

        def figures(first: int, last: int) -> Figures:
            possible = self.possible_upto[last] - self.possible_upto[first]
            return Figures(possible=possible, attended=self.attended_upto[last] - self.attended_upto[first])

        summary = AttendanceSummary(
            overall=figures(0, upto),
            last_four_weeks=figures(since, upto),
            baseline=self.placement.baseline_attendance,
            baseline_note=self.placement.baseline_note,
        )
        return attendance_figures(summary)

    # --- targets and readings -------------------------------------------------------------------

    def _targets(self) -> None:
        """Two targets set when the placement started: a Next Steps stage, and another."""
        build = self.build
        first = build.rng.choice(list(FRAMEWORK))
        chosen = [(first, FRAMEWORK[first], "stage", True)]
        if build.chance(0.4):
            other = A.NEXT_STEPS_NUMBER if first == A.NEXT_STEPS_READING else A.NEXT_STEPS_READING
            chosen.append((other, FRAMEWORK[other], "stage", True))
        else:
            chosen.append(build.pick(OTHER_TARGETS))
        set_at = build.at(self.start, 15, 0)
        for area, description, unit, higher in chosen:
            baseline, aim = self._baseline(area)
            target = Target(
                public_id=build.uuid(),
                placement=self.placement,
                area=area,
                description=description,
                baseline=baseline,
                target_value=aim,
                unit=unit,
                higher_is_better=higher,
                created_by=self.sendco,
            )
            self.targets.append(build.stamped(target, set_at, self.sendco))
            self.values[id(target)] = baseline
            summary = (
                f"Target set: {target.get_area_display()}, {description}: from {_plain(baseline)} to "
                f"{_plain(aim)} ({unit})"
            )
            self._event(E.NOTE, summary, self.sendco, set_at)
        self.rows.targets += self.targets

    def _baseline(self, area: str) -> tuple[Decimal, Decimal]:
        rng = self.build.rng
        if area in Target.FRAMEWORK_AREAS:
            stage = Decimal(rng.randrange(1, 9))
            return stage, stage + 2
        if area == A.ATTENDANCE:
            assert self.placement.baseline_attendance is not None  # an attendance target needs the figure before
            return self.placement.baseline_attendance.quantize(Decimal("0.1")), Decimal(95)
        if area == A.BEHAVIOUR:
            return Decimal(rng.randrange(3, 8)), Decimal(1)
        if area == A.BOXALL:
            score = Decimal(rng.randrange(4, 12))
            return score, score + 6
        return Decimal(1), Decimal(4)

    def _reading(self, target: Target, review: ReviewMeeting) -> None:
        """The target's reading at a review: stages and scores move on (or not) from the last one;
        attendance is the figure the review kept."""
        rng, last = self.build.rng, self.values[id(target)]
        if target.area == A.ATTENDANCE:
            percentage = review.attendance_snapshot["overall"]["percentage"]
            if percentage is None:
                return
            value = Decimal(percentage)
        elif target.area in Target.FRAMEWORK_AREAS:  # a week is less time than a half-term to move on
            steps = {0: 6, "0.5": 3, 1: 1} if review.kind == K.IAP_WEEKLY else {0: 3, "0.5": 4, 1: 3}
            value = last + Decimal(self.build.pick(steps))
        elif target.area == A.BEHAVIOUR:
            value = max(Decimal(0), last - rng.choice((0, 0, 1, 1, 2)) + rng.choice((0, 0, 0, 1)))
        elif target.area == A.BOXALL:
            value = last + rng.randrange(0, 3)
        else:
            value = min(Decimal(5), last + rng.choice((0, 1)))
        self.values[id(target)] = value
        recorded_at = review.updated_at
        measurement = Measurement(
            target=target,
            measured_on=_held(review),
            period=period_label(self.calendar, _held(review)),
            value=value,
            review=review,
            recorded_by=self.sendco,
            recorded_at=recorded_at,
        )
        self.rows.measurements.append(self.build.stamped(measurement, recorded_at, self.sendco))

    # --- the return to class ----------------------------------------------------------------------

    def _return_to_class(self) -> None:
        placement = self.placement
        returned = placement.status == S.ENDED and placement.outcome == Placement.Outcome.REINTEGRATED
        if returned or placement.status == S.ENDING or (placement.status == S.ACTIVE and placement.is_iap):
            self._plan()
        if returned or (placement.status == S.ENDING and self.build.chance(0.5)):
            self._final_report()
        if returned:
            self._check_ins()

    def _plan(self) -> None:
        """Version 1 agreed at entry (an IAP) or at a review before the end; a change at a later review."""
        build, placement = self.build, self.placement
        held = sorted(
            (review for review in self.reviews if review.status == ReviewMeeting.Status.HELD),
            key=_held,
        )
        if placement.is_iap:
            first_on, first_review = self.calendar.school_day_on_or_after(self.start), None
        else:
            assert placement.end_date is not None  # returning from a placement with a last day
            end = min(placement.end_date, self.last)
            near_end = [review for review in held if _held(review) >= end - timedelta(days=60)]
            if near_end:
                first_review = near_end[0]
                first_on = _held(first_review)
            else:
                first_on = max(self.start, school_day_offset(self.calendar, end, -15))
                first_review = None
        first_on = min(first_on, self.last)
        later = [review for review in held if _held(review) > first_on]
        weeks = build.rng.randrange(2, 5)
        agreed = [(first_on, first_review, "", weeks)]
        if later and build.chance(0.4):
            sooner = build.chance(0.5)  # settled quickly, or a difficult start
            change = texts.PLAN_CHANGES[0 if sooner else 1]
            agreed.append((_held(later[0]), later[0], change, weeks - 1 if sooner else weeks + 1))
        created = build.at(first_on, 16)
        plan = build.stamped(
            ReintegrationPlan(public_id=build.uuid(), placement=placement, created_by=self.sendco), created, self.sendco
        )
        self.rows.plans.append(plan)
        link = f"{self.link}reintegration/"
        for number, (agreed_on, review, change, weeks) in enumerate(agreed, start=1):
            version = PlanVersion(
                plan=plan,
                number=number,
                **texts.PLAN,
                return_timetable=_return_timetable(weeks),
                change_summary=change,
                review=review,
                agreed_on=agreed_on,
                agreed_by=self.sendco,
            )
            self.rows.versions.append(build.stamped(version, build.at(agreed_on, 16), self.sendco))
            summary = (
                "Reintegration plan agreed (version 1)"
                if number == 1
                else f"Reintegration plan changed (version {number}): {change}"
            )
            self._event(E.REINTEGRATION, summary, self.sendco, build.at(agreed_on, 12, 0), link)

    def _final_report(self) -> None:
        build, placement = self.build, self.placement
        assert placement.end_date is not None  # ending, or ended
        prepared_on = school_day_offset(self.calendar, placement.end_date, -build.rng.randrange(2, 6))
        prepared_on = max(self.start, min(prepared_on, self.last))
        report = FinalReport(
            placement=placement,
            **texts.FINAL_REPORT,
            pupil_views_heard_by=f"{self.head}, headteacher",
            prepared_by=self.head,
            prepared_on=prepared_on,
        )
        self.rows.reports.append(build.stamped(report, build.at(prepared_on, 16), self.head))
        summary = f"Final report before the return prepared by {self.head}"
        self._event(E.FINAL_REPORT, summary, self.head, build.at(prepared_on, 12, 0), f"{self.link}reintegration/")

    def _check_ins(self) -> None:
        """Due 2, 6 and 12 school weeks after the return; most of those due are held, on time or a
        day or two late; one in ten of the last three weeks' still waits."""
        build, placement = self.build, self.placement
        assert placement.actual_end_date is not None  # back in class
        ended_at = build.at(placement.actual_end_date, 15)
        due = check_in_dates(placement, self.calendar)
        if not due:
            return
        dates = and_list([f"{day:%d/%m/%Y}" for day in due.values()])
        link = f"{self.link}reintegration/"
        self._event(E.FOLLOW_UP, f"Check-ins after the return to class due on {dates}", self.sendco, ended_at, link)
        yesterday = build.last_school_day(self.bs)
        teacher = self.bs.staff[Role.TEACHER]
        for weeks, due_on in due.items():
            check_in = CheckIn(placement=placement, weeks_after=weeks, due_on=due_on)
            late = due_on >= self.today - OVERDUE_WINDOW and build.chance(0.1)
            if due_on <= yesterday and not late:
                held_on = min(school_day_offset(self.calendar, due_on, build.pick({0: 5, 1: 2, 2: 1})), yesterday)
                by: User = teacher if self.pupil.class_teacher_id == teacher.pk else self.sendco
                in_class = build.chance(0.8)
                check_in.held_on, check_in.still_in_class, check_in.recorded_by = held_on, in_class, by
                check_in.where_now = "" if in_class else build.pick(WHERE_NOW)
                check_in.notes = build.rng.choice(texts.CHECK_IN_NOTES)
                answer = (
                    "still in class" if in_class else f"not in class: {lower_first(check_in.get_where_now_display())}"
                )
                summary = f"{weeks}-week check-in after the return: {answer}"
                self._event(E.FOLLOW_UP, summary, by, build.at(held_on, 12, 0), link)
            self.rows.check_ins.append(build.stamped(check_in, ended_at, self.sendco))

    # --- the chronology -------------------------------------------------------------------------

    def _event(self, kind: str, summary: str, actor: User, when: datetime, link: str = "") -> None:
        self.build.event(self.pupil, kind, summary, actor, when, link or self.link)


def _held(review: ReviewMeeting) -> date:
    """The day a held review met."""
    assert review.held_on is not None
    return review.held_on


def _plain(value: Decimal) -> str:
    """A figure as the chronology words it: 3 rather than 3.0, 3.5 as it is."""
    return f"{value.normalize():f}"


def _return_timetable(weeks: int) -> list[list[str]]:
    """Week by week, more sessions in the home class (afternoons first), full time in the last week."""
    order = [key for key in SESSION_KEYS if key.endswith("_pm")] + [key for key in SESSION_KEYS if key.endswith("_am")]
    timetable = []
    for week in range(1, weeks + 1):
        chosen = set(order[: round(len(order) * week / weeks)])
        timetable.append([key for key in SESSION_KEYS if key in chosen])
    return timetable
