"""Demo pupils (all fictional), their contacts, and Cause for Concern referrals at every status,
with the chronology spread over the autumn term 2026. Idempotent: pupils are keyed by UPN and a
pupil's scripted referral is played only if the pupil has none yet."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta

from django.contrib.auth.models import Permission
from django.utils import timezone

from apcase.demo import DemoContext, office_group
from apcase.models import School
from pupils.models import Approval, Contact, ParentMeeting, Pupil, Referral
from pupils.services import (
    ParentMeetingDetails,
    ReferralDetails,
    approval_decide,
    parent_meeting_record,
    referral_create,
    referral_review_save,
    referral_transition,
)
from pupils.upn import upn_check_letter

S = Referral.Status
R = Referral.Recommendation
OFFICE_PUPIL_MODELS = ["pupil", "contact", "historicalpupil", "historicalcontact"]


def demo_upn(school_number: str, serial: int, issued: str = "20") -> str:
    """A valid UPN for LA 860 (Staffordshire) and the school's DfE establishment number."""
    body = f"860{school_number}{issued}{serial:03d}"
    return upn_check_letter(body) + body


@dataclass(frozen=True)
class DemoPupil:
    serial: int
    first: str
    last: str
    sex: str
    born: date
    year: str
    klass: str
    sen: str = "N"
    need: str = ""
    pathway: str = "none"
    flags: str = ""  # any of P(upil premium) F(SM) L(ooked after) E(AL)
    preferred: str = ""
    contacts: tuple[tuple[str, str, str], ...] = ()  # name, relationship, phone


OAKFIELD = [
    DemoPupil(1, "Jayden", "Clarke", "M", date(2016, 10, 3), "5", "5B", "K", "SEMH", flags="PF",
              contacts=(("Donna Clarke", "mother", "07700 900101"),)),
    DemoPupil(2, "Amelia", "Novak", "F", date(2017, 11, 21), "4", "4A", "K", "SLCN", flags="E",
              contacts=(("Katarzyna Novak", "mother", "07700 900102"), ("Piotr Novak", "father", "07700 900103"))),
    DemoPupil(3, "Reuben", "Ashworth", "M", date(2015, 12, 2), "6", "6H", "E", "ASD", flags="P",
              contacts=(("Claire Ashworth", "mother", "07700 900104"),)),
    DemoPupil(4, "Kacey", "Doyle", "F", date(2016, 6, 14), "5", "5B", "K", "SEMH", flags="PFL",
              contacts=(("Mandy Rowe", "foster_carer", "07700 900105"),)),
    DemoPupil(5, "Ibrahim", "Hassan", "M", date(2017, 2, 9), "5", "5B", flags="E",
              contacts=(("Amina Hassan", "mother", "07700 900106"),)),
    DemoPupil(6, "Olivia", "Pearce", "F", date(2018, 3, 30), "3", "3S", "K", "SpLD",
              contacts=(("Gemma Pearce", "mother", "07700 900107"),)),
    DemoPupil(7, "Tyler", "Booth", "M", date(2016, 1, 19), "6", "6H", "K", "SEMH", "requested", "PF",
              contacts=(("Lee Booth", "father", "07700 900108"), ("Stacey Booth", "mother", "07700 900109"))),
    DemoPupil(8, "Maisie", "Wright", "F", date(2016, 8, 27), "5", "5B", "K", "MLD", flags="F",
              contacts=(("Joanne Wright", "mother", "07700 900110"),)),
    DemoPupil(9, "Charles", "Fenwick", "M", date(2019, 5, 5), "2", "2W", "K", "SEMH", "assessing", "P",
              preferred="Charlie", contacts=(("Nina Fenwick", "mother", "07700 900111"),)),
    DemoPupil(10, "Leo", "Marsden", "M", date(2017, 7, 11), "4", "4A", "K", "SEMH", flags="PF",
              contacts=(("Kerry Marsden", "mother", "07700 900112"),)),
    DemoPupil(11, "Priya", "Sharma", "F", date(2016, 4, 2), "5", "5B", flags="E",
              contacts=(("Anil Sharma", "father", "07700 900113"),)),
    DemoPupil(12, "Harvey", "Lomax", "M", date(2015, 9, 22), "6", "6H", "E", "SEMH", flags="PF",
              contacts=(("Dawn Lomax", "grandparent", "07700 900114"),)),
    DemoPupil(13, "Ella", "Brennan", "F", date(2018, 1, 8), "3", "3S",
              contacts=(("Siobhan Brennan", "mother", "07700 900115"),)),
    DemoPupil(14, "Mason", "Kaur-Bell", "M", date(2017, 10, 16), "4", "4A", "K", "NSA", flags="P",
              contacts=(("Harpreet Kaur-Bell", "mother", "07700 900116"),)),
    DemoPupil(15, "Ruby", "Thornton", "F", date(2019, 12, 1), "1", "1R", "K", "SLCN", "drafting",
              contacts=(("Laura Thornton", "mother", "07700 900117"),)),
    DemoPupil(16, "Alfie", "Duggan", "M", date(2016, 3, 3), "5", "5B", "K", "SEMH", flags="PF",
              contacts=(("Shaun Duggan", "father", "07700 900118"),)),
    DemoPupil(17, "Zara", "Mensah", "F", date(2015, 11, 12), "6", "6H", flags="E",
              contacts=(("Akosua Mensah", "mother", "07700 900119"),)),
    DemoPupil(18, "Finley", "Rigby", "M", date(2020, 6, 20), "R", "RO", "K", "SEMH", "requested", "P",
              contacts=(("Becky Rigby", "mother", "07700 900120"),)),
    DemoPupil(19, "Sophie", "Carter", "F", date(2017, 5, 25), "4", "4A",
              contacts=(("Helen Carter", "mother", "07700 900121"),)),
    DemoPupil(20, "Kai", "Osei", "M", date(2016, 12, 12), "5", "5B", "K", "SpLD", flags="P",
              contacts=(("Grace Osei", "mother", "07700 900122"),)),
    DemoPupil(21, "Lily-Mae", "Hughes", "F", date(2018, 8, 4), "3", "3S", "K", "SEMH", flags="PFL",
              contacts=(("Carl Evans", "foster_carer", "07700 900123"),)),
    DemoPupil(22, "Oscar", "Whitfield", "M", date(2015, 10, 30), "6", "6H", "K", "ASD", "assessing",
              contacts=(("Rachel Whitfield", "mother", "07700 900124"),)),
    DemoPupil(23, "Freya", "Cole", "F", date(2019, 2, 14), "2", "2W",
              contacts=(("Tom Cole", "father", "07700 900125"),)),
    DemoPupil(24, "Dylan", "Price", "M", date(2016, 9, 5), "5", "5B", "K", "SEMH", flags="F", preferred="Dyl",
              contacts=(("Kelly Price", "mother", "07700 900126"),)),
]  # fmt: skip

RIVERSIDE = [
    DemoPupil(1, "Noah", "Bennett", "M", date(2016, 5, 7), "5", "Kingfisher", "K", "SEMH", flags="PF",
              contacts=(("Emma Bennett", "mother", "07700 900201"),)),
    DemoPupil(2, "Isla", "Grant", "F", date(2017, 9, 19), "4", "Heron",
              contacts=(("Mark Grant", "father", "07700 900202"),)),
    DemoPupil(3, "Ethan", "Moss", "M", date(2015, 11, 2), "6", "Otter", "E", "SEMH", flags="P",
              contacts=(("Julie Moss", "mother", "07700 900203"),)),
]  # fmt: skip


# How each contact is greeted in letters ("Dear Ms Clarke"); those left out show the greeting by
# full name the school uses when it holds no title.
CONTACT_TITLES = {
    "Donna Clarke": "Ms", "Katarzyna Novak": "Mrs", "Piotr Novak": "Mr", "Claire Ashworth": "Dr", "Mandy Rowe": "Mrs",
    "Amina Hassan": "Mrs", "Gemma Pearce": "Miss", "Lee Booth": "Mr", "Stacey Booth": "Mrs", "Joanne Wright": "Ms",
    "Nina Fenwick": "Ms", "Kerry Marsden": "Mx", "Dawn Lomax": "Mrs", "Siobhan Brennan": "Ms",
    "Harpreet Kaur-Bell": "Mrs", "Laura Thornton": "Miss", "Shaun Duggan": "Mr", "Akosua Mensah": "Mrs",
    "Becky Rigby": "Miss", "Helen Carter": "Mrs", "Grace Osei": "Ms", "Carl Evans": "Mr", "Rachel Whitfield": "Mrs",
    "Tom Cole": "Mr", "Emma Bennett": "Mrs", "Mark Grant": "Mr", "Julie Moss": "Ms",
}  # fmt: skip


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    """A demo moment, never later than now (the chronology refuses future steps)."""
    planned = timezone.make_aware(datetime(day.year, day.month, day.day, hour, minute))
    return min(planned, timezone.now() - timedelta(minutes=1))


def _seed_pupils(school: School, school_number: str, pupils: list[DemoPupil], ctx: DemoContext) -> dict[int, Pupil]:
    seeded = {}
    for spec in pupils:
        pupil, _ = Pupil.objects.get_or_create(
            upn=demo_upn(school_number, spec.serial),
            defaults={
                "school": school,
                "legal_first_name": spec.first,
                "legal_last_name": spec.last,
                "preferred_first_name": spec.preferred if spec.preferred != spec.first else "",
                "date_of_birth": spec.born,
                "sex": spec.sex,
                "year_group": spec.year,
                "registration_group": spec.klass,
                "class_teacher": ctx.users["teacher"] if school == ctx.school and spec.klass == "5B" else None,
                "sen_provision": spec.sen,
                "primary_need": spec.need,
                "ehcp_pathway": spec.pathway,
                "pupil_premium": "P" in spec.flags,
                "fsm": "F" in spec.flags,
                "looked_after": "L" in spec.flags,
                "eal": "E" in spec.flags,
                "admission_date": date(spec.born.year + 4, 9, 3),
            },
        )
        for priority, (name, relationship, phone) in enumerate(spec.contacts, start=1):
            Contact.objects.get_or_create(
                pupil=pupil,
                name=name,
                defaults={
                    "title": CONTACT_TITLES.get(name, ""),
                    "relationship": relationship,
                    "parental_responsibility": relationship in ("mother", "father"),
                    "phone": phone,
                    "email": f"{name.split()[0].lower()}.{spec.last.lower()}@example.com",
                    "address": f"{10 + spec.serial} Orchard Way\nNorthbridge",
                    "postcode": f"ST99 {spec.serial}AB",
                    "priority": priority,
                },
            )
        seeded[spec.serial] = pupil
    return seeded


@dataclass
class Story:
    """One referral's life, played through the real services with back-dated steps."""

    pupil: Pupil
    ctx: DemoContext
    referral: Referral = field(init=False)  # raise_it() comes first in every story

    def raise_it(self, when: datetime, by: str = "teacher", **fields) -> Story:
        defaults = ReferralDetails(
            criteria=["disruptive", "exclusion_risk"],
            reasons=["semh", "exclusion_risk"],
            concern="Daily incidents of leaving the classroom and shouting at adults; work refusal in most "
            "lessons since September. Two lunchtime incidents involving other pupils this half-term.",
            strategies_tried="Seat move, daily check-in with the TA, visual timetable, reward chart, "
            "two meetings with mum.",
            tried_for_weeks=6,
            evidence="Behaviour log (CPOMS) shows 23 incidents since 3 September.",
            parents_informed=True,
            parents_informed_notes="Spoke to mum at pick-up.",
        )
        self.referral = referral_create(
            actor=self.ctx.users[by], pupil=self.pupil, occurred_at=when, details=replace(defaults, **fields)
        )
        return self

    def move(self, target: str, when: datetime, by: str, reasons: str = "") -> Story:
        self.referral = referral_transition(
            referral=self.referral, target=target, actor=self.ctx.users[by], occurred_at=when, reasons=reasons
        )
        return self

    def review(self, recommendation: str, reasons: str, avenues=("in_class", "send_hub")) -> Story:
        self.referral = referral_review_save(
            actor=self.ctx.users["sendco"],
            referral=self.referral,
            background="Attendance 91% this term. On the SEN register for SEMH since Year 3; Boxall profile shows "
            "low scores for self-regulation. Class teacher and TA report escalation after lunch.",
            staff_consulted="Class teacher, TA, DSL, lunchtime supervisor.",
            avenues_considered=list(avenues),
            avenues_notes="In-class support tried for six weeks with limited effect.",
            recommendation=recommendation,
            recommendation_reasons=reasons,
        )
        return self

    def meet(self, when: datetime, agreement: str, alternative_to_exclusion: bool = False) -> Story:
        parent_meeting_record(
            actor=self.ctx.users["sendco"],
            referral=self.referral,
            details=ParentMeetingDetails(
                held_at=when,
                attendees="Parent\nSENDCo (Sam Okafor)\nClass teacher",
                explained="Why a short placement away from the classroom is being considered, what a day there "
                "looks like, how attendance is recorded and how the return to class will be planned.",
                alternative_to_exclusion=alternative_to_exclusion,
                made_clear_to_parents=alternative_to_exclusion,
                parents_views="Worried about transport but wants a fresh start; asked for weekly updates.",
                agreement=agreement,
            ),
        )
        return self

    def decide(self, when: datetime, approve: bool, reasons: str = "") -> Story:
        approval = Approval.objects.get(object_id=self.referral.pk, kind="refer_to_ap", status="pending")
        approval_decide(
            approval=approval, actor=self.ctx.users["head"], approve=approve, reasons=reasons, occurred_at=when
        )
        return self


def _play_stories(ctx: DemoContext, pupils: dict[int, Pupil]) -> None:
    d = date
    A = ParentMeeting.Agreement

    def story(serial: int) -> Story | None:
        return None if pupils[serial].referrals.exists() else Story(pupils[serial], ctx)

    if s := story(1):  # off-site AP, as an alternative to permanent exclusion: approved
        s.raise_it(_at(d(2026, 9, 15), 15, 40)).move(S.SUBMITTED, _at(d(2026, 9, 15), 15, 45), "teacher")
        s.move(S.UNDER_REVIEW, _at(d(2026, 9, 17), 9, 5), "sendco")
        s.review(R.OFFSITE_AP, "Fixed-term suspension on 10/09; risk of permanent exclusion. Needs a small, "
                 "therapeutic setting for two terms with a planned return.")  # fmt: skip
        s.meet(_at(d(2026, 9, 24), 15, 30), A.AGREE, alternative_to_exclusion=True)
        s.move(S.AWAITING_APPROVAL, _at(d(2026, 9, 25), 8, 50), "sendco")
        s.decide(_at(d(2026, 9, 29), 12, 15), True, "Agreed: a placement is the right step before exclusion.")
    if s := story(4):  # internal AP (6 weeks in the nurture room), looked-after: approved, safeguarding flag
        s.raise_it(_at(d(2026, 9, 22), 16, 0), criteria=["disengagement", "needs_barrier"], reasons=["semh", "respite"],
                   safeguarding_concern=True)  # fmt: skip
        s.move(S.SUBMITTED, _at(d(2026, 9, 22), 16, 5), "teacher").move(
            S.UNDER_REVIEW, _at(d(2026, 9, 23), 8, 40), "sendco"
        )
        s.review(R.INTERNAL_AP, "Six weeks in the Rockets room with afternoons in class; virtual school agrees.")
        s.move(S.AWAITING_APPROVAL, _at(d(2026, 9, 30), 9, 0), "sendco")
        s.decide(_at(d(2026, 10, 1), 13, 0), True)
    if s := story(7):  # managed move with parental consent: approved
        s.raise_it(_at(d(2026, 10, 5), 15, 50)).move(S.SUBMITTED, _at(d(2026, 10, 5), 15, 55), "teacher")
        s.move(S.UNDER_REVIEW, _at(d(2026, 10, 7), 9, 0), "sendco")
        s.review(R.MANAGED_MOVE, "A fresh start at a partner school through the SEND hub, with parents' consent.",
                 avenues=("send_hub", "managed_move", "in_class"))  # fmt: skip
        s.meet(_at(d(2026, 10, 13), 16, 0), A.AGREE)
        s.move(S.AWAITING_APPROVAL, _at(d(2026, 10, 14), 8, 45), "sendco")
        s.decide(_at(d(2026, 10, 16), 12, 30), True, "Agreed with the hub; review at the end of the trial.")
    if s := story(10):  # no AP: approved
        s.raise_it(_at(d(2026, 9, 29), 15, 35), criteria=["disengagement"], reasons=["semh"])
        s.move(S.SUBMITTED, _at(d(2026, 9, 29), 15, 40), "teacher").move(
            S.UNDER_REVIEW, _at(d(2026, 10, 1), 9, 0), "sendco"
        )
        s.review(R.NO_AP, "Needs met in class with a daily key-adult check-in and SEMH group; review at Christmas.")
        s.move(S.AWAITING_APPROVAL, _at(d(2026, 10, 6), 9, 0), "sendco")
        s.decide(_at(d(2026, 10, 7), 12, 0), True)
    if s := story(12):  # off-site AP: declined by the head
        s.raise_it(_at(d(2026, 10, 8), 16, 10)).move(S.SUBMITTED, _at(d(2026, 10, 8), 16, 15), "teacher")
        s.move(S.UNDER_REVIEW, _at(d(2026, 10, 12), 9, 10), "sendco")
        s.review(R.OFFSITE_AP, "EHCP review due in November; off-site AP to bridge until then.")
        s.meet(_at(d(2026, 10, 15), 15, 45), A.NOT_REQUIRED)
        s.move(S.AWAITING_APPROVAL, _at(d(2026, 10, 16), 9, 0), "sendco")
        s.decide(_at(d(2026, 10, 21), 12, 40), False, "Wait for the EHCP annual review on 12/11 and ask the LA "
                 "for the provision named in the plan first.")  # fmt: skip
    if s := story(13):  # withdrawn by the teacher
        s.raise_it(_at(d(2026, 10, 6), 15, 30), criteria=["disengagement"], reasons=["non_attendance"])
        s.move(S.SUBMITTED, _at(d(2026, 10, 6), 15, 35), "teacher")
        s.move(S.WITHDRAWN, _at(d(2026, 10, 9), 12, 5), "teacher", "Resolved after a seat change and daily check-ins.")
    if s := story(3):  # awaiting approval: off-site AP, the oldest in the inbox
        s.raise_it(_at(d(2026, 11, 3), 15, 45), reasons=["semh", "exclusion_risk", "suspensions"],
                   suspensions_this_year=2)  # fmt: skip
        s.move(S.SUBMITTED, _at(d(2026, 11, 3), 15, 50), "teacher").move(
            S.UNDER_REVIEW, _at(d(2026, 11, 4), 9, 0), "sendco"
        )
        s.review(R.OFFSITE_AP, "Two suspensions this term; Littleton Green can offer three days a week with "
                 "two days in school.")  # fmt: skip
        s.meet(_at(d(2026, 11, 9), 15, 30), A.AGREE, alternative_to_exclusion=True)
        s.move(S.AWAITING_APPROVAL, _at(d(2026, 11, 10), 8, 55), "sendco")
    if s := story(16):  # awaiting approval: internal AP
        s.raise_it(_at(d(2026, 11, 10), 15, 40), safeguarding_concern=True)
        s.move(S.SUBMITTED, _at(d(2026, 11, 10), 15, 45), "teacher").move(
            S.UNDER_REVIEW, _at(d(2026, 11, 11), 9, 0), "sendco"
        )
        s.review(R.INTERNAL_AP, "Four weeks in the Rockets room, mornings; reintegration plan reviewed weekly.")
        s.move(S.AWAITING_APPROVAL, _at(d(2026, 11, 17), 9, 0), "sendco")
    if s := story(22):  # awaiting approval: managed move
        s.raise_it(_at(d(2026, 11, 12), 15, 35), by="sendco", criteria=["needs_barrier"], reasons=["ehc_assessment"])
        s.move(S.SUBMITTED, _at(d(2026, 11, 12), 15, 40), "sendco").move(
            S.UNDER_REVIEW, _at(d(2026, 11, 13), 9, 0), "sendco"
        )
        s.review(R.MANAGED_MOVE, "Hub place at a school with an ASD base while the EHC needs assessment runs.",
                 avenues=("send_hub", "managed_move"))  # fmt: skip
        s.meet(_at(d(2026, 11, 18), 16, 0), A.AGREE)
        s.move(S.AWAITING_APPROVAL, _at(d(2026, 11, 20), 9, 15), "sendco")
    if s := story(24):  # under review
        s.raise_it(_at(d(2026, 11, 11), 15, 50)).move(S.SUBMITTED, _at(d(2026, 11, 11), 15, 55), "teacher")
        s.move(S.UNDER_REVIEW, _at(d(2026, 11, 12), 9, 0), "sendco")
    if s := story(9):  # under review, meeting held
        s.raise_it(_at(d(2026, 11, 16), 15, 30), criteria=["needs_barrier", "disruptive"], reasons=["ehc_assessment"])
        s.move(S.SUBMITTED, _at(d(2026, 11, 16), 15, 35), "teacher").move(
            S.UNDER_REVIEW, _at(d(2026, 11, 18), 9, 0), "sendco"
        )
        s.meet(_at(d(2026, 11, 20), 15, 15), A.AGREE)
    if s := story(8):  # submitted, waiting for the SENDCo
        s.raise_it(_at(d(2026, 11, 19), 15, 45), criteria=["disengagement"], reasons=["non_attendance", "curriculum"])
        s.move(S.SUBMITTED, _at(d(2026, 11, 19), 15, 50), "teacher")
    if s := story(21):  # submitted, looked-after, safeguarding flag
        s.raise_it(
            _at(d(2026, 11, 20), 12, 30), criteria=["needs_barrier"], reasons=["semh"], safeguarding_concern=True
        )
        s.move(S.SUBMITTED, _at(d(2026, 11, 20), 12, 35), "teacher")
    if s := story(20):  # a draft the teacher is still writing
        s.raise_it(_at(d(2026, 11, 23), 8, 20), criteria=["disruptive"], reasons=[], parents_informed=False,
                   parents_informed_notes="Meeting booked for Thursday.")  # fmt: skip


def seed(ctx: DemoContext) -> None:
    oakfield = _seed_pupils(ctx.school, "2001", OAKFIELD, ctx)
    oakfield[1].key_adults.set([ctx.users["sendco"]])
    oakfield[4].key_adults.set([ctx.users["dsl"]])
    oakfield[10].key_adults.set([ctx.users["teacher"]])
    oakfield[21].key_adults.set([ctx.users["dsl"]])
    riverside = _seed_pupils(ctx.other_school, "2002", RIVERSIDE, ctx)
    _play_stories(ctx, oakfield)
    if not riverside[1].referrals.exists():
        story = Story(riverside[1], ctx)
        story.raise_it(_at(date(2026, 11, 16), 15, 30), by="riverside")
        story.move(S.SUBMITTED, _at(date(2026, 11, 16), 15, 35), "riverside")
    office_group_add_pupil_permissions()


def office_group_add_pupil_permissions() -> None:
    """The school office keeps pupils and contacts in the back office too."""
    office_group().permissions.add(
        *Permission.objects.filter(content_type__app_label="pupils", content_type__model__in=OFFICE_PUPIL_MODELS)
    )
