"""Pupils at a provider, for the registration threshold (audits.threshold): a provider that
educates full-time five or more pupils of compulsory school age, or one who is looked after or has
an EHC plan, must be a registered school. The threshold is about every pupil the provider educates,
so the count is of every school's full-time placements with the same provider organisation (the
one body behind each school's directory entry); only the numbers come back, never a pupil of
another school (docs/oversight.md)."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta

from django.db.models import Q
from django.utils import timezone

from audits.models import Provider
from audits.threshold import registration_threshold_warning
from placements.models import Placement
from pupils.models import SenProvision

PRESCRIBED_DAYS = ((3, 31), (8, 31), (12, 31))  # Education Act 1996 s.8: 31 March, 31 August, 31 December


def _birthday(date_of_birth: date, age: int) -> date:
    try:
        return date_of_birth.replace(year=date_of_birth.year + age)
    except ValueError:  # born on 29 February
        return date(date_of_birth.year + age, 3, 1)


def is_compulsory_school_age(date_of_birth: date, on: date) -> bool:
    """From the prescribed day on or after the fifth birthday to the last Friday of June of the school
    year in which the child turns 16 (Education Act 1996 s.8)."""
    fifth = _birthday(date_of_birth, 5)
    starts = min(
        date(year, month, day)
        for year in (fifth.year, fifth.year + 1)
        for month, day in PRESCRIBED_DAYS
        if date(year, month, day) >= fifth
    )
    sixteenth = _birthday(date_of_birth, 16)
    leaving_year = sixteenth.year if sixteenth.month < 9 else sixteenth.year + 1
    june_30 = date(leaving_year, 6, 30)
    ends = june_30 - timedelta(days=(june_30.weekday() - 4) % 7)
    return starts <= on <= ends


def _counts(placements, on: date) -> tuple[int, int]:
    counted = [p for p in placements if is_compulsory_school_age(p.pupil.date_of_birth, on)]
    lac_or_ehcp = [p for p in counted if p.pupil.looked_after or p.pupil.sen_provision == SenProvision.EHCP]
    return len({p.pupil_id for p in counted}), len({p.pupil_id for p in lac_or_ehcp})


def _taking_places(at: Q):
    # The placements that take a place at a provider, by any school: approved and not yet ended.
    return (
        Placement.objects.in_force()
        .filter(at, kind=Placement.Kind.OFFSITE, pattern=Placement.Pattern.FULL_TIME)
        .select_related("pupil")
    )


def _full_time_offsite(provider: Provider):
    at = Q(provider__organisation_id=provider.organisation_id) if provider.organisation_id else Q(provider=provider)
    return _taking_places(at)


def placement_counts_by_organisation(organisation_ids) -> dict[int, tuple[int, int]]:
    """placement_counts_at for many provider bodies in one query (the LA's directory): counts only."""
    placements = _taking_places(Q(provider__organisation_id__in=organisation_ids)).select_related("provider")
    grouped: dict[int | None, list[Placement]] = defaultdict(list)
    for placement in placements:
        grouped[placement.provider.organisation_id].append(placement)
    today = timezone.localdate()
    return {key: _counts(placements, today) for key, placements in grouped.items() if key is not None}


def placement_counts_at(provider: Provider) -> tuple[int, int]:
    """(full-time pupils of compulsory school age there from every school, of whom looked after or
    with an EHC plan): the counter registered with audits.threshold."""
    return _counts(_full_time_offsite(provider), timezone.localdate())


def placement_threshold_warning(placement: Placement) -> str | None:
    """The registration warning if approving this placement would take its provider over the
    threshold, counting this placement with the others already approved."""
    if not (placement.is_offsite and placement.is_full_time):
        return None
    others = list(_full_time_offsite(placement.provider).exclude(pk=placement.pk))
    on = max(placement.start_date or timezone.localdate(), timezone.localdate())
    full_time, lac_or_ehcp = _counts([*others, placement], on)
    return registration_threshold_warning(
        provider=placement.provider, full_time_pupils=full_time, full_time_lac_or_ehcp=lac_or_ehcp
    )
