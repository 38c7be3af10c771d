"""CSV export of the placement list: the same selector and filters as the page."""

from __future__ import annotations

from apcase.exports import ExportKind, register_export
from placements.forms import PlacementFilterForm
from placements.selectors import placement_list_for_user


def placement_rows(user, school, params):
    filters = PlacementFilterForm(params, school=school)
    placements = placement_list_for_user(user=user, school=school, **filters.selector_arguments())
    headers = [
        "Pupil",
        "UPN",
        "Provider",
        "Kind",
        "Directed off-site",
        "Pattern",
        "Sessions per week",
        "First day",
        "Planned last day",
        "Actual last day",
        "Status",
        "Outcome",
        "Estimated cost (£)",
    ]
    rows = (
        [
            p.pupil.display_name,
            p.pupil.upn,
            p.provider.name,
            p.get_kind_display(),
            "Y" if p.directed_off_site else "N",
            p.get_pattern_display(),
            p.sessions_per_week or "",
            p.start_date.strftime("%d/%m/%Y") if p.start_date else "",
            p.planned_end_date.strftime("%d/%m/%Y") if p.planned_end_date else "",
            p.actual_end_date.strftime("%d/%m/%Y") if p.actual_end_date else "",
            p.get_status_display(),
            p.get_outcome_display(),
            p.estimated_cost or "",
        ]
        for p in placements.iterator(chunk_size=500)
    )
    return placements.count(), headers, rows


def register_placements_exports() -> None:
    register_export(ExportKind("placements", "Placements", "placements.list_placements", rows=placement_rows))
