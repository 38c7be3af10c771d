"""Schools with England's term dates, one member of staff per role in each, and each school's
pupils with their parent and carer contacts."""

from __future__ import annotations

from datetime import date, timedelta

from django.contrib.auth.hashers import make_password

from apcase.calendar import SchoolCalendar
from apcase.models import Membership, Role, School, User
from apcase.services import calendar_seed_england
from bench import texts
from bench.generator.base import BenchSchool, Build, PupilPlan, allocate
from placements.models import Placement
from pupils.models import Contact, EhcpPathway, PrimaryNeed, Pupil, Referral, SenProvision, Sex
from pupils.upn import upn_check_letter

# Every school is in one local authority: its officer's view (/la/) is measured across all of them.
LA = ("860", "Staffordshire")
PRIMARY_YEARS = ("R", "1", "2", "3", "4", "5", "6")
SECONDARY_YEARS = ("7", "8", "9", "10", "11")
JOB_TITLES = {
    Role.SENDCO: "SENDCo and AP lead",
    Role.HEAD: "Headteacher",
    Role.DSL: "Designated Safeguarding Lead",
    Role.TEACHER: "Class teacher",
    Role.OFFICE: "School business manager",
    Role.GOVERNOR: "Governor for SEND",
}
# Shares of a school's pupils: with a placement (~2,000 in 10,000), with only a referral, and former
# pupils. The mixes below say how those placements and referrals spread over the statuses.
PLACEMENT_SHARE, REFERRAL_SHARE, LEAVER_SHARE = 0.2, 0.1, 0.06
P, R = Placement.Status, Referral.Status
PLACEMENT_MIX: dict[str, int] = {
    P.ENDED: 40,
    P.ACTIVE: 30,
    P.CANCELLED: 7,
    P.PLANNED: 6,
    P.ENDING: 5,
    P.AWAITING_APPROVAL: 5,
    P.APPROVED: 4,
    P.NOTICE_ISSUED: 3,
}
REFERRAL_MIX: dict[str, int] = {
    R.DECLINED: 8,
    R.SUBMITTED: 6,
    R.UNDER_REVIEW: 6,
    R.DRAFT: 5,
    R.AWAITING_APPROVAL: 5,
    R.WITHDRAWN: 5,
    R.APPROVED: 4,  # approved, its placement still to be planned
}
MIN_PUPILS_PER_SCHOOL = len(PLACEMENT_MIX) + len(REFERRAL_MIX) + 2
PLACEMENT, REFERRAL, LEAVER = "placement", "referral", "leaver"  # a pupil's part in the data


def upn_for(establishment: int, serial: int, la_code: str) -> str:
    """A valid UPN: check letter, LA code, the school's DfE number, then a serial unique in the school."""
    body = f"{la_code}{establishment:04d}{serial // 1000:02d}{serial % 1000:03d}"
    return upn_check_letter(body) + body


def school_urn(number: int) -> str:
    """The URN of the number-th generated school (1 is the one the benchmark signs in to)."""
    return f"{150000 + number:06d}"


def establishment_number(school: School) -> int:
    return 2000 + int(school.urn) % 1000


def create_schools(build: Build, count: int, password: str | None) -> None:
    schools = []
    for number in range(1, count + 1):
        la_code, la_name = LA
        place = texts.PLACES[(number - 1) % len(texts.PLACES)]
        primary = number % 2 == 1
        head = f"{build.rng.choice(('Mrs', 'Mr', 'Ms', 'Dr'))} {build.rng.choice(texts.LAST_NAMES)}"
        school = School(
            public_id=build.uuid(),
            name=f"{place} {'Primary School' if primary else 'Academy'}",
            urn=school_urn(number),
            la_code=la_code,
            la_name=la_name,
            address=f"{number} {build.rng.choice(texts.STREETS)}\n{place}",
            postcode=f"ST{number % 90 + 1} {number % 9 + 1}AB",
            phone=f"01234 {500000 + number}",
            email=f"office{number}@school.bench.example",
            headteacher_name=head,
            letter_signoff=f"{head}\nHeadteacher",
            la_send_contact="SEND Assessment and Planning Team",
            la_send_address=f"{la_name} Council\nSEND Team\nCounty Buildings",
            la_send_email=f"send@{la_code}.la.bench.example",
            # A few schools keep AP records six years after a pupil leaves, so reviews fall due.
            retention_years=6 if number % 5 == 0 else 25,
            annual_ap_budget=30000 + 2000 * (number % 10),
        )
        schools.append(build.stamped(school, build.at(build.today - timedelta(days=400), 8), None))
    build.insert(School, schools)
    for school in schools:
        calendar_seed_england(school=school)
        calendar = SchoolCalendar.for_school(school)
        assert calendar.first_day is not None and calendar.last_day is not None  # the term dates just seeded
        first = calendar.school_day_on_or_after(calendar.first_day)
        build.schools.append(
            BenchSchool(school=school, calendar=calendar, school_days=calendar.school_days(first, calendar.last_day))
        )
    _create_staff(build, make_password(password))


def _create_staff(build: Build, password_hash: str) -> None:
    """One user per role per school, e.g. sendco01, head01 … governor20 (the benchmark signs in as
    school 1's). The password is hashed once: hashing it per user would take most of a minute."""
    users, memberships = [], []
    for number, bs in enumerate(build.schools, start=1):
        for role in Role:
            user = User(
                public_id=build.uuid(),
                username=f"{role.value}{number:02d}",
                first_name=build.rng.choice(texts.FIRST_NAMES),
                last_name=build.rng.choice(texts.LAST_NAMES),
                email=f"{role.value}{number:02d}@bench.example",
                job_title=JOB_TITLES[role],
                is_staff=role == Role.OFFICE,
                password=password_hash,
            )
            bs.staff[role] = user
            users.append(user)
    build.insert(User, users, history=False)
    joined = build.at(build.today - timedelta(days=400), 8)
    for bs in build.schools:
        for held, user in bs.staff.items():
            membership = Membership(user=user, school=bs.school, role=held)
            memberships.append(build.stamped(membership, joined, None))
    build.insert(Membership, memberships)


# --- Pupils -----------------------------------------------------------------------------------------


def create_pupils(build: Build, pupils_per_school: int) -> None:
    for bs in build.schools:
        parts = _parts(build, pupils_per_school)
        pupils = [_pupil(build, bs, serial, part) for serial, part in enumerate(parts)]
        build.insert(Pupil, pupils)
        build.insert(
            Contact, [contact for pupil in pupils for contact in _contacts(build, pupil, bs.staff[Role.OFFICE])]
        )
        for pupil, (kind, status) in zip(pupils, parts, strict=True):
            if kind == PLACEMENT:
                bs.plans.append(PupilPlan(pupil, placement_status=status))
            elif kind == REFERRAL:
                bs.plans.append(PupilPlan(pupil, referral_status=status))
        first_active = next(plan for plan in bs.plans if plan.placement_status == P.ACTIVE)
        first_active.year_long = True


def _parts(build: Build, pupils_per_school: int) -> list[tuple[str, str]]:
    """Each pupil's part in the data, shuffled: (PLACEMENT or REFERRAL, its status), (LEAVER, "")
    or ("", "") for a pupil with no case."""
    placements = max(len(PLACEMENT_MIX), round(pupils_per_school * PLACEMENT_SHARE))
    referrals = max(len(REFERRAL_MIX), round(pupils_per_school * REFERRAL_SHARE))
    leavers = max(1, round(pupils_per_school * LEAVER_SHARE))
    parts = [(PLACEMENT, status) for status in allocate(PLACEMENT_MIX, placements)]
    parts += [(REFERRAL, status) for status in allocate(REFERRAL_MIX, referrals)]
    parts += [(LEAVER, "")] * leavers
    parts += [("", "")] * (pupils_per_school - len(parts))
    build.rng.shuffle(parts)
    return parts


def _pupil(build: Build, bs: BenchSchool, serial: int, part: tuple[str, str]) -> Pupil:
    rng, school = build.rng, bs.school
    primary = school.name.endswith("Primary School")
    years = PRIMARY_YEARS if primary else SECONDARY_YEARS
    year = rng.choice(years)
    age_in_september = 4 + (0 if year == "R" else int(year))
    autumn = build.today.year if build.today.month >= 9 else build.today.year - 1  # this school year's
    # A former pupil is described as they were in their last year here.
    left = rng.randrange(2019, autumn) if part[0] == LEAVER else None
    this_year = left - 1 if left else autumn
    born = date(this_year - age_in_september - 1, 9, 1) + timedelta(days=rng.randrange(365))
    years_here = age_in_september - (4 if primary else 11)
    joined_year = this_year - rng.randrange(years_here + 1)
    has_case = part[0] in (PLACEMENT, REFERRAL)
    sen = build.pick({"N": 40, "K": 45, "E": 15} if has_case else {"N": 85, "K": 12, "E": 3})
    sex = rng.choice((Sex.FEMALE, Sex.MALE))
    names = texts.GIRLS_NAMES if sex == Sex.FEMALE else texts.BOYS_NAMES
    first, last = rng.choice(names), rng.choice(texts.LAST_NAMES)
    klass = f"{year}{rng.choice('ABC')}"
    pupil = Pupil(
        public_id=build.uuid(),
        school=school,
        upn=upn_for(establishment_number(school), serial, school.la_code),
        legal_first_name=first,
        legal_last_name=last,
        preferred_first_name=rng.choice(names) if build.chance(0.08) else "",
        date_of_birth=born,
        sex=sex,
        year_group=year,
        registration_group=klass,
        # The teacher persona teaches one class; most staff never sign in to apcase.
        class_teacher=bs.staff[Role.TEACHER] if klass == ("5B" if primary else "9B") else None,
        sen_provision=sen,
        primary_need=rng.choice((PrimaryNeed.SEMH, PrimaryNeed.SEMH, PrimaryNeed.ASD, PrimaryNeed.SLCN))
        if sen != SenProvision.NONE
        else "",
        ehcp_pathway=EhcpPathway.REQUESTED if sen == SenProvision.SUPPORT and build.chance(0.1) else EhcpPathway.NONE,
        pupil_premium=build.chance(0.45 if has_case else 0.25),
        fsm=build.chance(0.4 if has_case else 0.22),
        looked_after=build.chance(0.06 if has_case else 0.01),
        eal=build.chance(0.15),
        admission_date=date(joined_year, 9, 3),
        leaving_date=date(left, 7, 20) if left else None,
    )
    return build.stamped(pupil, build.at(date(joined_year, 9, 3), 10), bs.staff[Role.OFFICE])


def _contacts(build: Build, pupil: Pupil, office: User) -> list[Contact]:
    rng = build.rng
    carers = [("foster_carer", rng.choice(texts.LAST_NAMES))] if pupil.looked_after else []
    carers += [(rng.choice(("mother", "mother", "father", "parent")), pupil.legal_last_name)]
    if build.chance(0.4):
        carers.append((rng.choice(("father", "step_parent", "grandparent")), pupil.legal_last_name))
    contacts = []
    for priority, (relationship, surname) in enumerate(carers, start=1):
        names = {"mother": texts.GIRLS_NAMES, "father": texts.BOYS_NAMES}.get(relationship, texts.FIRST_NAMES)
        name = f"{rng.choice(names)} {surname}"
        barred = priority > 1 and build.chance(0.03)
        contact = Contact(
            public_id=build.uuid(),
            pupil=pupil,
            name=name,
            relationship=relationship,
            parental_responsibility=relationship != "grandparent",
            address=f"{rng.randrange(1, 200)} {rng.choice(texts.STREETS)}\n{rng.choice(texts.PLACES)}",
            postcode=f"ST{rng.randrange(1, 99)} {rng.randrange(1, 9)}{rng.choice('ABDEFGH')}{rng.choice('JLNPQRT')}",
            phone=f"07700 900{rng.randrange(1000):03d}",
            email=f"{name.split()[0].lower()}.{surname.lower().replace(chr(39), '')}@family.bench.example",
            do_not_contact=barred,
            do_not_contact_reason="Court order: no contact with the family." if barred else "",
            priority=priority,
        )
        contacts.append(build.stamped(contact, pupil.created_at, office))
    return contacts
