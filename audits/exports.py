"""CSV export of the provider directory, with each provider's clearance and its reasons."""

from __future__ import annotations

from apcase.exports import ExportKind, register_export
from audits.forms import ProviderFilterForm
from audits.selectors import provider_list_with_clearance


def provider_rows(user, school, params):
    filters = ProviderFilterForm(params)
    rows = provider_list_with_clearance(user, school=school, **filters.selector_arguments())
    headers = [
        "Provider",
        "Kind",
        "Registration",
        "URN",
        "UKPRN",
        "Setting type",
        "Contact",
        "Phone",
        "E-mail",
        "Cost per session (£)",
        "Cost per day (£)",
        "Cleared for placements",
        "What is missing",
    ]
    lines = (
        [
            row.provider.name,
            row.provider.get_kind_display(),
            row.provider.registration_summary,
            row.provider.urn,
            row.provider.ukprn,
            row.provider.setting_type,
            row.provider.contact_name,
            row.provider.phone,
            row.provider.email,
            row.provider.cost_per_session or "",
            row.provider.cost_per_day or "",
            "Yes" if row.clearance.cleared else "No",
            " ".join(row.clearance.missing),
        ]
        for row in rows
    )
    return len(rows), headers, lines


def register_audits_exports() -> None:
    register_export(ExportKind("providers", "Provider directory", "audits.view_provider", rows=provider_rows))
