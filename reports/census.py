"""School census, school-arranged alternative provision module: one row per off-site placement
attended in the collection period, and a list of what the office must fix before submitting.

Rules from the DfE data items (docs/domain-rules.md#census): off-site placements only; the placement
URN where the provider has one, else its UKPRN, else its type of setting (never more than one);
entry and leaving dates; the primary reason for the placement; full or part time; sessions a week.
The exact field names and reason codes must be checked against the current census business and
technical specification; the CSV headers below say what each column holds.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Q

from apcase.exports import SafeCSVWriter
from apcase.models import School
from placements.models import Placement

HEADERS = [
    "UPN",
    "Surname",
    "Forename",
    "Date of birth",
    "AP placement URN",
    "AP placement UKPRN",
    "AP placement type of setting",
    "Entry date",
    "Leaving date",
    "Primary reason for placement",
    "Attendance pattern",
    "Sessions per week",
]


@dataclass
class CensusRow:
    placement: Placement
    values: list[str]
    leaving_date: date | None
    problems: list[str] = field(default_factory=list)


def _placement_identity(provider) -> tuple[str, str, str, list[str]]:
    """(URN, UKPRN, type of setting) with exactly one filled, and any problem."""
    if provider.urn:
        return provider.urn, "", "", []
    if provider.ukprn:
        return "", provider.ukprn, "", []
    if provider.setting_type:
        return "", "", provider.setting_type, []
    return "", "", "", [f"{provider.name} has no URN, UKPRN or type of setting: add one on the provider's record."]


def census_rows(*, school: School, start: date, end: date) -> list[CensusRow]:
    placements = (
        Placement.objects.started()
        .filter(school=school, kind=Placement.Kind.OFFSITE, start_date__lte=end)
        .filter(Q(actual_end_date__isnull=True) | Q(actual_end_date__gte=start))
        .select_related("pupil", "provider")
        .order_by("pupil__legal_last_name", "pupil__legal_first_name", "start_date")
    )
    rows = []
    for placement in placements:
        pupil = placement.pupil
        urn, ukprn, setting, problems = _placement_identity(placement.provider)
        if not placement.census_reason:
            problems.append("No primary reason for placement: choose one on the placement.")
        part_time = placement.pattern != Placement.Pattern.FULL_TIME
        if part_time and not placement.sessions_per_week:
            problems.append("Part-time placement with no sessions per week: fill in the timetable.")
        left = placement.actual_end_date if placement.actual_end_date and placement.actual_end_date <= end else None
        rows.append(
            CensusRow(
                placement,
                [
                    pupil.upn,
                    pupil.legal_last_name,
                    pupil.legal_first_name,
                    pupil.date_of_birth.isoformat(),
                    urn,
                    ukprn,
                    setting,
                    placement.start_date.isoformat(),
                    left.isoformat() if left else "",
                    placement.census_reason,
                    "PT" if part_time else "FT",
                    str(placement.sessions_per_week or ""),
                ],
                left,
                [f"{pupil.display_name}: {problem}" for problem in problems],
            )
        )
    return rows


def census_csv(rows: list[CensusRow]) -> bytes:
    buffer = io.StringIO()
    writer = SafeCSVWriter(buffer)
    writer.writerow(HEADERS)
    writer.writerows(row.values for row in rows)
    return buffer.getvalue().encode("utf-8-sig")
