from __future__ import annotations

from datetime import date

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from apcase.models import User
from apcase.tests.factories import SchoolFactory, UserFactory
from pupils.models import CaseEvent, Contact, ParentMeeting, Pupil, Referral
from pupils.upn import upn_check_letter


def make_upn(serial: int, *, temporary: bool = False) -> str:
    """A valid UPN from LA 860; a temporary one ends in a letter."""
    establishment = 2001 + serial // 1000
    tail = f"{serial % 100:02d}A" if temporary else f"{serial % 1000:03d}"
    body = f"860{establishment:04d}26{tail}"
    return upn_check_letter(body) + body


def _key_adults(pupil: Pupil, create: bool, extracted: list[User] | None, **kwargs: object) -> None:
    if create and extracted:
        pupil.key_adults.set(extracted)


class PupilFactory(DjangoModelFactory[Pupil]):
    class Meta:
        model = Pupil
        skip_postgeneration_save = True

    school = factory.SubFactory(SchoolFactory)
    upn = factory.Sequence(make_upn)
    legal_first_name = factory.Faker("first_name", locale="en_GB")
    legal_last_name = factory.Faker("last_name", locale="en_GB")
    date_of_birth = date(2016, 5, 12)
    sex = "F"
    year_group = "5"
    registration_group = "5B"
    admission_date = date(2020, 9, 3)

    key_adults = factory.PostGeneration(_key_adults)


class ContactFactory(DjangoModelFactory[Contact]):
    class Meta:
        model = Contact

    pupil = factory.SubFactory(PupilFactory)
    name = factory.Faker("name", locale="en_GB")
    relationship = Contact.Relationship.MOTHER
    parental_responsibility = True
    phone = "07700 900000"


class CaseEventFactory(DjangoModelFactory[CaseEvent]):
    class Meta:
        model = CaseEvent

    pupil = factory.SubFactory(PupilFactory)
    school = factory.SelfAttribute("pupil.school")
    kind = CaseEvent.Kind.NOTE
    summary = factory.Sequence(lambda n: f"Step {n}")
    occurred_at = factory.LazyFunction(timezone.now)


class ReferralFactory(DjangoModelFactory[Referral]):
    """A draft referral straight into the database; use the services to move it on."""

    class Meta:
        model = Referral

    pupil = factory.SubFactory(PupilFactory)
    school = factory.SelfAttribute("pupil.school")
    raised_by = factory.SubFactory(UserFactory)
    criteria = ["disruptive"]
    reasons = ["semh"]
    concern = "Leaves the classroom several times a day."


class ParentMeetingFactory(DjangoModelFactory[ParentMeeting]):
    class Meta:
        model = ParentMeeting

    referral = factory.SubFactory(ReferralFactory)
    held_at = factory.LazyFunction(timezone.now)
    attendees = "Mum, SENDCo"
    explained = "Why a placement is being considered."
    parents_views = "Supportive."
    agreement = ParentMeeting.Agreement.AGREE
    recorded_by = factory.SelfAttribute("referral.raised_by")
