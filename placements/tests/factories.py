"""Placements straight into the database (for lists and budgets), and their records."""

from __future__ import annotations

from datetime import date, time
from decimal import Decimal

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from apcase.models import User
from apcase.tests.factories import UserFactory
from audits.tests.factories import ProviderFactory, ProviderSiteFactory
from placements.models import AttendanceCode, AttendanceMark, Handover, Incident, Placement, Visit
from placements.timetable import SESSION_KEYS
from pupils.tests.factories import PupilFactory


class PlacementFactory(DjangoModelFactory[Placement]):
    """An off-site full-time placement, planned, without a referral (day-6 provision)."""

    class Meta:
        model = Placement

    pupil = factory.SubFactory(PupilFactory)
    school = factory.SelfAttribute("pupil.school")
    provider = factory.SubFactory(ProviderFactory, school=factory.SelfAttribute("..school"))
    site = factory.SubFactory(ProviderSiteFactory, provider=factory.SelfAttribute("..provider"))
    kind = factory.SelfAttribute("provider.kind")
    no_referral_reason = "Provision from the sixth day of a suspension."
    pattern = Placement.Pattern.FULL_TIME
    timetable = factory.LazyFunction(lambda: list(SESSION_KEYS))
    sessions_per_week = factory.LazyAttribute(lambda p: len(p.timetable))
    start_date = date(2026, 11, 30)
    start_time = time(9, 15)
    planned_end_date = date(2026, 12, 18)
    school_days = 15
    objectives = "Attend every session; no exclusions."
    cost_unit = Placement.CostUnit.DAY
    cost_rate = Decimal("170.00")
    funding_source = Placement.FundingSource.SCHOOL
    created_by = factory.SubFactory(UserFactory)


class AttendanceMarkFactory(DjangoModelFactory[AttendanceMark]):
    class Meta:
        model = AttendanceMark

    class Params:
        register_code = "B"

    placement = factory.SubFactory(PlacementFactory)
    date = date(2026, 11, 23)
    session = "am"
    code = factory.LazyAttribute(lambda mark: AttendanceCode.objects.get(code=mark.register_code))
    recorded_by = factory.SubFactory(UserFactory)


class IncidentFactory(DjangoModelFactory[Incident]):
    class Meta:
        model = Incident

    placement = factory.SubFactory(PlacementFactory)
    occurred_at = factory.LazyFunction(timezone.now)
    description = "Left the classroom and refused to return."
    severity = Incident.Severity.LOW
    reported_by = "Jo Whitfield, head of centre"
    recorded_by = factory.SubFactory(UserFactory)


def _visit_staff(visit: Visit, create: bool, extracted: list[User] | None, **kwargs: object) -> None:
    if create and extracted:
        visit.staff.set(extracted)


class VisitFactory(DjangoModelFactory[Visit]):
    class Meta:
        model = Visit
        skip_postgeneration_save = True

    placement = factory.SubFactory(PlacementFactory)
    visited_on = date(2026, 11, 20)
    what_was_seen = "Calm in the maths session."
    recorded_by = factory.SubFactory(UserFactory)

    staff = factory.PostGeneration(_visit_staff)


class HandoverFactory(DjangoModelFactory[Handover]):
    class Meta:
        model = Handover

    placement = factory.SubFactory(PlacementFactory)
    shared_on = date(2026, 11, 20)
    shared_by = factory.SubFactory(UserFactory)
    shared_with = "Jo Whitfield"
    items = factory.LazyFunction(lambda: ["attainment", "safeguarding"])
    shared_in_portal = True
    recorded_by = factory.SelfAttribute("shared_by")

    @factory.post_generation
    def emergency_contacts(self, create: bool, extracted, **kwargs) -> None:
        if create and extracted:
            self.emergency_contacts.set(extracted)
