from __future__ import annotations

import factory
from factory.django import DjangoModelFactory

from apcase.models import LocalAuthority, Membership, Role, School, User
from apcase.services import calendar_seed_england


def _seed_calendar(school: School, create: bool, extracted: object, **kwargs: object) -> None:
    # Every test school has England's 2025/26 and 2026/27 term dates unless told otherwise.
    if create and extracted is not False:
        calendar_seed_england(school=school)


class LocalAuthorityFactory(DjangoModelFactory[LocalAuthority]):
    class Meta:
        model = LocalAuthority
        django_get_or_create = ["code"]

    name = "Staffordshire County Council"
    code = "860"
    ap_contact = "AP Commissioning Team"
    ap_address = "County Hall\nStafford ST99 2ZZ"
    ap_email = "ap@la.example"


class SchoolFactory(DjangoModelFactory[School]):
    class Meta:
        model = School
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"School {n}")
    urn = factory.Sequence(lambda n: f"{140000 + n:06d}")
    la_code = "860"
    la_name = "Staffordshire"
    address = "1 High Street\nNorthbridge"
    postcode = "ST99 1AA"
    phone = "01234 567890"
    email = "office@school.example"
    headteacher_name = "Mrs A Head"
    letter_signoff = "Mrs A Head\nHeadteacher"
    la_send_contact = "SEND Team"
    la_send_address = "County Hall\nStafford ST99 2ZZ"
    la_send_email = "send@la.example"
    local_authority = factory.SubFactory(LocalAuthorityFactory)
    calendar = factory.PostGeneration(_seed_calendar)


class UserFactory(DjangoModelFactory[User]):
    class Meta:
        model = User
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name", locale="en_GB")
    last_name = factory.Faker("last_name", locale="en_GB")
    email = factory.LazyAttribute(lambda u: f"{u.username}@school.example")
    password = factory.django.Password("correct-horse-battery")


class MembershipFactory(DjangoModelFactory[Membership]):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    school = factory.SubFactory(SchoolFactory)
    role = Role.SENDCO
