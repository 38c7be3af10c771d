"""What every stage of the generator shares: the seeded random source, the dates, the bulk insert
that writes history rows too, and the chronology and notifications collected on the way."""

from __future__ import annotations

import hashlib
import random
import uuid
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, TypeVar

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import models
from django.urls import reverse
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from apcase.calendar import SchoolCalendar
from apcase.history import history_stamp
from apcase.models import Notification, Role, School, User
from pupils.approvals import approval_kind
from pupils.models import CaseEvent, Pupil

M = TypeVar("M", bound=models.Model)

if TYPE_CHECKING:
    from bench.generator.shapes import PlacementShape

BATCH = 2000
ONE_DAY = timedelta(days=1)
# Stands in for every stored file the data needs (signed confirmations, issued notices): the
# benchmark never opens them, and rendering ~1,000 real letters would take most of the run.
PLACEHOLDER = b"%PDF-1.4\n% apcase benchmark placeholder: no letter was rendered for this record.\n%%EOF\n"


@dataclass(frozen=True)
class StoredFile:
    name: str
    sha256: str
    size: int


@dataclass
class PupilPlan:
    """What happens to one pupil in the generated data."""

    pupil: Pupil
    placement_status: str = ""  # a Placement.Status, or "" for none
    referral_status: str = ""  # a Referral.Status of a referral with no placement, or ""
    year_long: bool = False  # the school's long-running placement: a year of marks, 200 events
    shape: PlacementShape | None = None  # decided by shapes.shape_placements


@dataclass
class BenchSchool:
    """One generated school and what later stages need to know about it."""

    school: School
    calendar: SchoolCalendar
    staff: dict[str, User] = field(default_factory=dict)  # role -> the one user holding it
    plans: list[PupilPlan] = field(default_factory=list)  # pupils with a referral or a placement
    offsite_cleared: list = field(default_factory=list)  # Providers cleared for placements
    offsite_not_cleared: list = field(default_factory=list)
    internal: list = field(default_factory=list)
    main_site: dict = field(default_factory=dict)  # provider public_id -> its main ProviderSite
    approved_referrals: dict = field(default_factory=dict)  # pupil public_id -> the Referral a placement follows
    school_days: list[date] = field(default_factory=list)  # every one the school's term dates hold


class Build:
    """The state of one run: everything here is a function of the seed and today's date."""

    def __init__(self, *, seed: int, today: date):
        self.rng = random.Random(seed)
        self.today = today
        self.schools: list[BenchSchool] = []
        self.events: list[CaseEvent] = []
        self.notifications: list[Notification] = []
        self.inserted: Counter[str] = Counter()
        self._placeholder: StoredFile | None = None

    # --- randomness -------------------------------------------------------------------------------

    def uuid(self) -> uuid.UUID:
        """A public_id drawn from the seeded source, so a re-run with the same seed gives the same URLs."""
        return uuid.UUID(int=self.rng.getrandbits(128), version=4)

    def chance(self, probability: float) -> bool:
        return self.rng.random() < probability

    def pick(self, weights: dict):
        return self.rng.choices(list(weights), weights=list(weights.values()))[0]

    # --- dates --------------------------------------------------------------------------------------

    def at(self, day: date, hour: int = 9, minute: int | None = None) -> datetime:
        """A moment on a day, during working hours, in the school's time zone."""
        minute = self.rng.randrange(60) if minute is None else minute
        return timezone.make_aware(datetime.combine(day, time(hour, minute)))

    def last_school_day(self, bs: BenchSchool) -> date:
        """The last school day before today: every generated step happened by then."""
        return bs.calendar.school_day_on_or_before(self.today - ONE_DAY)

    def school_day_between(self, bs: BenchSchool, first: date, last: date) -> date:
        days = bs.school_days[bisect_left(bs.school_days, first) : bisect_right(bs.school_days, last)]
        return self.rng.choice(days) if days else first

    @staticmethod
    def weekday_on_or_before(day: date) -> date:
        """Office work happens on weekdays: a Saturday or Sunday moves back to the Friday."""
        return day - timedelta(days=max(0, day.weekday() - 4))

    # --- writing ------------------------------------------------------------------------------------

    def placeholder(self) -> StoredFile:
        """The one stored file every generated file field points at (written once per run)."""
        if self._placeholder is None:
            name = default_storage.save("bench/placeholder.pdf", ContentFile(PLACEHOLDER))
            self._placeholder = StoredFile(name, hashlib.sha256(PLACEHOLDER).hexdigest(), len(PLACEHOLDER))
        return self._placeholder

    def insert(self, model: type[models.Model], objs: list, *, history: bool = True) -> list:
        """Bulk insert in batches; with history, one "+" history row per object, dated and attributed
        from the object's _history_date and _history_user as the app's own save would be."""
        if not objs:
            return objs
        if history:
            objs = bulk_create_with_history(objs, model, batch_size=BATCH)
        else:
            objs = model._default_manager.bulk_create(objs, batch_size=BATCH)
        self.inserted[str(model._meta.verbose_name_plural)] += len(objs)
        return objs

    @staticmethod
    def stamped(obj: M, when: datetime, by: User | None) -> M:
        """Set the record's own timestamps and its history's date and user to when it happened."""
        for name in ("created_at", "updated_at"):
            if hasattr(obj, name):
                setattr(obj, name, when)
        history_stamp(obj, user=by, date=when)
        return obj

    def event(self, pupil: Pupil, kind: str, summary: str, actor: User | None, when: datetime, link: str = "") -> None:
        """A step in the pupil's chronology, written down (recorded_at) a few minutes after it happened."""
        event = CaseEvent(
            pupil=pupil,
            school_id=pupil.school_id,
            kind=kind,
            summary=summary[:200],
            occurred_at=when,
            recorded_at=when + timedelta(minutes=self.rng.randrange(2, 30)),
            actor=actor,
            link=link,
        )
        history_stamp(event, user=actor, date=event.recorded_at)
        self.events.append(event)

    def approval_requested(self, bs: BenchSchool, pupil: Pupil, kind: str, summary: str, when: datetime, link: str):
        """What asking for the head's approval of `kind` leaves behind: the step in the chronology (by
        the SENDCo, who asks) and the notification approval_request sends the headteacher."""
        self.event(pupil, CaseEvent.Kind.APPROVAL_REQUESTED, summary, bs.staff[Role.SENDCO], when, link)
        title = f"Approval needed for {pupil.initials}: {approval_kind(kind).label}"
        self.notify(bs.staff[Role.HEAD], title, reverse("approvals:inbox"), "approval_requested", when, bs.school)

    def notify(self, user: User, title: str, link: str, kind: str, when: datetime, school: School) -> None:
        """An in-app notification as the services send them; those older than a fortnight have been read."""
        read_at = when + timedelta(hours=self.rng.randrange(1, 48)) if when.date() < self.today - 14 * ONE_DAY else None
        self.notifications.append(
            Notification(
                public_id=self.uuid(),
                user=user,
                school=school,
                kind=kind,
                title=title,
                link=link,
                created_at=when,
                read_at=read_at,
            )
        )


def allocate(weights: dict[str, int], total: int) -> list[str]:
    """`total` labels in proportion to the weights, every label at least once (largest remainders)."""
    if total < len(weights):
        raise ValueError(f"{total} is too few to give each of {len(weights)} kinds one.")
    whole = sum(weights.values())
    spare = total - len(weights)
    shares = {label: spare * weight / whole for label, weight in weights.items()}
    counts = {label: 1 + int(share) for label, share in shares.items()}
    by_remainder = sorted(weights, key=lambda label: shares[label] - int(shares[label]), reverse=True)
    for label in by_remainder[: total - sum(counts.values())]:
        counts[label] += 1
    return [label for label, count in counts.items() for _ in range(count)]


@contextmanager
def dates_as_given(models_: Iterable[type[models.Model]]) -> Iterator[None]:
    """bulk_create fills auto_now and auto_now_add fields with the moment of the insert, so every
    record would look written today and every chronology step "back-dated". While this is open those
    fields keep the value the generator set on each object (the stages set them all)."""
    fields = [
        f
        for model in models_
        for f in model._meta.concrete_fields
        if isinstance(f, models.DateField | models.TimeField) and (f.auto_now or f.auto_now_add)
    ]
    saved = [(f, f.auto_now, f.auto_now_add) for f in fields]
    for f in fields:
        f.auto_now = f.auto_now_add = False
    try:
        yield
    finally:
        for f, auto_now, auto_now_add in saved:
            f.auto_now, f.auto_now_add = auto_now, auto_now_add
