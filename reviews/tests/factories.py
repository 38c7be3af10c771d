"""Reviews, targets and the return to class straight into the database (for lists, selectors and
budgets). The services make them in tests of the rules."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import factory
from factory.django import DjangoModelFactory

from apcase.tests.factories import UserFactory
from placements.models import Placement
from placements.tests.factories import PlacementFactory
from reviews.models import CheckIn, Measurement, ReviewMeeting, ReviewParticipant, ReviewRequest, Target


class RunningPlacementFactory(PlacementFactory):
    """An off-site placement running since 03/11/2026, to the end of term."""

    status = Placement.Status.ACTIVE
    start_date = date(2026, 11, 3)
    planned_end_date = date(2026, 12, 18)
    directed_off_site = True


class ReviewMeetingFactory(DjangoModelFactory[ReviewMeeting]):
    class Meta:
        model = ReviewMeeting

    placement = factory.SubFactory(RunningPlacementFactory)
    school = factory.SelfAttribute("placement.school")
    kind = ReviewMeeting.Kind.HALF_TERMLY
    due_on = date(2026, 11, 26)

    class Params:
        held = factory.Trait(
            status=ReviewMeeting.Status.HELD,
            held_on=factory.SelfAttribute("due_on"),
            decision=ReviewMeeting.Decision.CONTINUE,
        )


class ParticipantFactory(DjangoModelFactory[ReviewParticipant]):
    class Meta:
        model = ReviewParticipant

    review = factory.SubFactory(ReviewMeetingFactory)
    role = ReviewParticipant.Role.PARENT
    name = "Donna Clarke"


class TargetFactory(DjangoModelFactory[Target]):
    class Meta:
        model = Target

    placement = factory.SubFactory(RunningPlacementFactory)
    area = Target.Area.NEXT_STEPS_READING
    description = "Reading: decoding"
    baseline = Decimal("2.0")
    target_value = Decimal("4.0")
    unit = "stage"
    created_by = factory.SubFactory(UserFactory)


class MeasurementFactory(DjangoModelFactory[Measurement]):
    class Meta:
        model = Measurement

    target = factory.SubFactory(TargetFactory)
    measured_on = date(2026, 11, 20)
    period = "Autumn 2 2026/27"
    value = Decimal("3.0")
    recorded_by = factory.SubFactory(UserFactory)


class ReviewRequestFactory(DjangoModelFactory[ReviewRequest]):
    class Meta:
        model = ReviewRequest

    placement = factory.SubFactory(RunningPlacementFactory)
    received_on = date(2026, 11, 20)
    requester = ReviewRequest.Requester.PARENT
    requester_name = "Donna Clarke"
    method = ReviewRequest.Method.LETTER
    recorded_by = factory.SubFactory(UserFactory)


class CheckInFactory(DjangoModelFactory[CheckIn]):
    class Meta:
        model = CheckIn

    placement = factory.SubFactory(
        PlacementFactory,
        status=Placement.Status.ENDED,
        start_date=date(2026, 9, 14),
        planned_end_date=date(2026, 10, 9),
        actual_end_date=date(2026, 10, 9),
        outcome=Placement.Outcome.REINTEGRATED,
    )
    weeks_after = 2
    due_on = date(2026, 11, 3)
