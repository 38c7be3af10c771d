"""The declared access matrix: for every URL that names an object, what each persona gets.

Each app lists its cases in <app>/tests/access_cases.py as CASES = {url_name: Case(...)}.
apcase/tests/test_access_matrix.py fails if any object URL has no case, so no view can be added
without saying who may open it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

# Every persona the matrices try, declared here once. To add one (provider staff, an LA officer):
# add its name here and a pytest fixture of the same name in the root conftest.py. If it is from
# outside school A, add it to OUTSIDERS too: expect() then gives it 404 everywhere unless a case
# says otherwise, so a new outsider starts with no access rather than the school's.
# Beyond school A's own staff: the outsider (a SENDCo of school B); provider staff (the provider
# portal, docs/portal.md), who reach nothing of a school, and another provider's staff, who reach
# nothing of the first provider's pupils either; school A's trust lead (a SENDCo trust-wide,
# reaching school A through the trust); the lead of school B's trust; and an officer of school A's
# local authority (in no school).
PERSONAS = (
    "sendco", "head", "dsl", "teacher", "office", "governor", "outsider", "provider_staff",
    "other_provider_staff", "trustlead", "other_trust_lead", "laofficer",
)  # fmt: skip
OUTSIDERS = frozenset({"outsider", "provider_staff", "other_provider_staff", "other_trust_lead", "laofficer"})


@dataclass
class World:
    """What a case builds on: school A, its personas (plus the outsider from school B)."""

    school: object
    other_school: object
    users: dict = field(default_factory=dict)


@dataclass
class Case:
    make: Callable[[World], dict]  # creates the object(s) in school A, returns the URL kwargs
    expect: dict[str, int]
    method: str = "get"
    data: dict | Callable[[World], dict] | None = None


def expect(default: int, **overrides: int) -> dict[str, int]:
    """Status per persona: `default` for everyone in school A, every outsider 404; the trust lead
    as school A's SENDCo (their role there), unless a case says otherwise."""
    statuses = dict.fromkeys(PERSONAS, default)
    statuses.update(dict.fromkeys(OUTSIDERS, 404))
    statuses.pop("trustlead")
    statuses.update(overrides)
    statuses.setdefault("trustlead", statuses["sendco"])
    return statuses
