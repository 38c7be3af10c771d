"""The main menu: one entry marked as the current page, the most specific one."""

from __future__ import annotations

from apcase.models import Role
from apcase.navigation import LA_OFFICER, nav_for


def _active(path: str, role: str = LA_OFFICER) -> list[str]:
    return [item["label"] for item in nav_for({role}, path) if item["active"]]


def test_the_la_officer_reaches_the_provider_directory_from_the_menu():
    labels = [item["label"] for item in nav_for({LA_OFFICER}, "/la/")]
    assert labels == ["Local authority", "Notifications received", "Provider directory"]


def test_a_page_under_another_entry_s_address_marks_only_its_own_entry():
    assert _active("/la/") == ["Local authority"]
    assert _active("/la/notifications/") == ["Notifications received"]
    assert _active("/la/providers/0b7c6c54-8f5e-4c1e-9a39-3e6f0e3f0d11/visits/new/") == ["Provider directory"]
    assert _active("/placements/chase/", Role.OFFICE) == ["Call home"]
    assert _active("/placements/", Role.OFFICE) == ["Placements"]
