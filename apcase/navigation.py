"""The main menu: each role sees its own sections. Entries whose pages do not exist yet are skipped."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse

from apcase.models import Role

LEADERS = {Role.SENDCO, Role.HEAD}
# Not a school role: a leader's role held across a whole trust (docs/oversight.md).
TRUST_LEAD = "trust_lead"
# Not a school role either: an officer of a local authority, outside every school.
LA_OFFICER = "la_officer"
STAFF = {Role.SENDCO, Role.HEAD, Role.DSL, Role.TEACHER, Role.OFFICE}


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    roles: frozenset[str]


NAV = [
    NavItem("Home", "home", frozenset(Role.values)),
    NavItem("Approvals", "approvals:inbox", frozenset({Role.HEAD})),
    NavItem("Pupils", "pupils:list", frozenset(LEADERS | {Role.DSL, Role.OFFICE, Role.TEACHER})),
    NavItem("Referrals", "referrals:list", frozenset(LEADERS | {Role.DSL, Role.TEACHER})),
    NavItem("Placements", "placements:list", frozenset(LEADERS | {Role.DSL, Role.OFFICE, Role.TEACHER})),
    NavItem("Call home", "placements:chase", frozenset(LEADERS | {Role.DSL, Role.OFFICE})),
    NavItem("Reviews", "reviews:list", frozenset(LEADERS)),
    NavItem("Providers", "providers:list", frozenset(LEADERS | {Role.DSL})),
    NavItem("Outbox", "outbox:list", frozenset(LEADERS | {Role.OFFICE, Role.DSL})),
    NavItem("Reports", "reports:index", frozenset(LEADERS | {Role.GOVERNOR, Role.OFFICE})),
    NavItem("School settings", "school_settings", frozenset({Role.HEAD, Role.OFFICE})),
    NavItem("Trust", "oversight:trust", frozenset({TRUST_LEAD})),
    NavItem("Local authority", "oversight:la", frozenset({LA_OFFICER})),
    NavItem("Notifications received", "oversight:la_notifications", frozenset({LA_OFFICER})),
    NavItem("Provider directory", "oversight:la_providers", frozenset({LA_OFFICER})),
]


def nav_for(roles: set[str], path: str) -> list[dict]:
    entries: list[tuple[str, str]] = []
    for item in NAV:
        if not roles & item.roles:
            continue
        try:
            entries.append((item.label, reverse(item.url_name)))
        except NoReverseMatch:
            continue
    # One entry is the current page: the longest address the path starts with, so /la/providers/
    # marks the directory and not also "Local authority" at /la/ ("/" only for itself).
    current = max(
        (url for _, url in entries if path == url or (url != "/" and path.startswith(url))), key=len, default=None
    )
    return [{"label": label, "url": url, "active": url == current} for label, url in entries]
