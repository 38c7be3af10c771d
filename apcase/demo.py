"""Demo schools and people (all fictional). Each app's demo.py adds its records on top of this."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib.auth.models import Group, Permission

from apcase.access import forget_roles
from apcase.models import LocalAuthority, LocalAuthorityOfficer, Membership, Role, School, Trust, User
from apcase.services import calendar_seed_england

DEMO_USERS = [
    # username, first, last, job title, role
    ("sendco", "Sam", "Okafor", "SENDCo and AP lead", Role.SENDCO),
    ("head", "Helen", "Marsh", "Headteacher", Role.HEAD),
    ("dsl", "Dev", "Sharma", "Designated Safeguarding Lead", Role.DSL),
    ("teacher", "Tom", "Bright", "Year 5 class teacher", Role.TEACHER),
    ("office", "Olive", "Grant", "School business manager", Role.OFFICE),
    ("governor", "Grace", "Adeyemi", "Governor for SEND", Role.GOVERNOR),
]

OFFICE_GROUP = "School office"
# Back-office models the school office keeps up to date (apps add theirs in their demo step).
OFFICE_MODELS = ["school", "membership", "user", "academicyear", "halfterm", "closure"]


@dataclass
class DemoContext:
    password: str
    school: School = field(init=False)  # both set by this module's seed(), the first step
    other_school: School = field(init=False)
    users: dict[str, User] = field(default_factory=dict)


def _school(urn: str, **fields) -> School:
    school, _ = School.objects.update_or_create(urn=urn, defaults=fields)
    calendar_seed_england(school=school)
    return school


def _user(ctx: DemoContext, username: str, first: str, last: str, job_title: str, **extra) -> User:
    user, _ = User.objects.update_or_create(
        username=username,
        defaults={
            "first_name": first,
            "last_name": last,
            "job_title": job_title,
            "email": f"{username}@oakfield.example",
            **extra,
        },
    )
    user.set_password(ctx.password)
    user.save()
    ctx.users[username] = user
    return user


def office_group() -> Group:
    group, _ = Group.objects.get_or_create(name=OFFICE_GROUP)
    group.permissions.add(
        *Permission.objects.filter(content_type__app_label="apcase", content_type__model__in=OFFICE_MODELS)
    )
    return group


def seed(ctx: DemoContext) -> None:
    trust, _ = Trust.objects.get_or_create(name="Northbridge Learning Trust (demo)")
    # The demo's addresses and UPNs are in Staffordshire (LA 860); the team and addresses are made up.
    local_authority, _ = LocalAuthority.objects.update_or_create(
        code="860",
        defaults={
            "name": "Staffordshire County Council (demo)",
            "ap_contact": "Alternative Provision Commissioning Team",
            "ap_address": "Staffordshire County Council\nAP Commissioning\nTipping Street\nStafford ST99 2ZZ",
            "ap_email": "ap.notifications@staffordshire.example",
        },
    )
    ctx.school = _school(
        "149901",
        name="Oakfield Primary School",
        la_code="860",
        la_name="Staffordshire",
        local_authority=local_authority,
        trust=trust,
        address="12 Meadow Lane\nNorthbridge\nStaffordshire",
        postcode="ST99 1AA",
        phone="01234 567890",
        email="office@oakfield.example",
        headteacher_name="Mrs Helen Marsh",
        letter_signoff="Mrs Helen Marsh\nHeadteacher",
        la_send_contact="SEND Assessment and Planning Team",
        la_send_address="Staffordshire County Council\nSEND Team\nTipping Street\nStafford ST99 2ZZ",
        la_send_email="send.team@staffordshire.example",
        annual_ap_budget="48000.00",
    )
    ctx.other_school = _school(
        "149902",
        name="Riverside Primary Academy",
        la_code="860",
        la_name="Staffordshire",
        local_authority=local_authority,
        trust=trust,
        address="1 Wharf Road\nNorthbridge\nStaffordshire",
        postcode="ST99 3BB",
        phone="01234 765432",
        email="office@riverside.example",
        headteacher_name="Mr Paul Reid",
        letter_signoff="Mr Paul Reid\nHeadteacher",
        annual_ap_budget="30000.00",
    )
    group = office_group()
    for username, first, last, job_title, role in DEMO_USERS:
        user = _user(ctx, username, first, last, job_title, is_staff=role == Role.OFFICE)
        Membership.objects.get_or_create(user=user, school=ctx.school, role=role)
        if role == Role.OFFICE:
            user.groups.add(group)
    # Small primaries often have the head as DSL too; the demo head holds only Headteacher so each
    # login shows one role's view clearly.
    riverside = _user(ctx, "riverside", "Rita", "Lowe", "SENDCo, Riverside")
    Membership.objects.get_or_create(user=riverside, school=ctx.other_school, role=Role.SENDCO)
    trustlead = _user(ctx, "trustlead", "Tariq", "Hussain", "Trust inclusion lead")
    Membership.objects.update_or_create(
        user=trustlead, school=ctx.school, role=Role.SENDCO, defaults={"trust_wide": True}
    )
    # The LA's AP commissioning officer: in no school; /la/ shows what the schools sent the LA.
    laofficer = _user(ctx, "laofficer", "Laura", "Okoye", "AP commissioning officer, Staffordshire (demo)")
    LocalAuthorityOfficer.objects.update_or_create(user=laofficer, defaults={"local_authority": local_authority})
    _user(ctx, "admin", "Ada", "Admin", "System administrator", is_staff=True, is_superuser=True)
    for user in ctx.users.values():
        forget_roles(user)
