"""The chronology written last: every step the other stages collected, plus the notes a SENDCo
adds over a long placement, so each school's year-long placement pupil has exactly 200 steps
(the profile page the benchmark times); then the notifications those steps sent."""

from __future__ import annotations

from collections import Counter

from apcase.models import Notification, Role
from bench import texts
from bench.generator.base import Build
from pupils.models import CaseEvent

LONG_CHRONOLOGY = 200


def write_chronology(build: Build) -> None:
    counts = Counter(event.pupil.public_id for event in build.events)
    for bs in build.schools:
        plan = next(plan for plan in bs.plans if plan.year_long)
        sendco, pupil = bs.staff[Role.SENDCO], plan.pupil
        assert plan.shape is not None and plan.shape.start is not None  # the year-long placement
        for _ in range(LONG_CHRONOLOGY - counts[pupil.public_id]):
            day = build.school_day_between(bs, plan.shape.start, build.last_school_day(bs))
            note = build.rng.choice(texts.NOTES)
            build.event(pupil, CaseEvent.Kind.NOTE, note, sendco, build.at(day, build.rng.randrange(9, 17)))
    # In time order, as the services would have written them.
    build.insert(CaseEvent, sorted(build.events, key=lambda event: event.recorded_at))
    build.insert(Notification, sorted(build.notifications, key=lambda n: n.created_at), history=False)
