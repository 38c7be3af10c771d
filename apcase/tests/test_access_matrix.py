from __future__ import annotations

import importlib

import pytest
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from apcase.access import forget_roles
from apcase.tests.access import PERSONAS, Case, World

APPS = [
    "apcase",
    "pupils",
    "outbox",
    "audits",
    "placements",
    "reviews",
    "provider_portal",
    "dashboards",
    "reports",
    "reminders",
    "oversight",
]


def _declared_cases() -> dict[str, Case]:
    cases: dict[str, Case] = {}
    for app in APPS:
        try:
            module = importlib.import_module(f"{app}.tests.access_cases")
        except ModuleNotFoundError:
            continue
        duplicated = cases.keys() & module.CASES.keys()
        assert not duplicated, f"Access cases declared twice: {duplicated}"
        cases.update(module.CASES)
    return cases


def _object_url_names(resolver=None, namespace="") -> set[str]:
    """Every named URL of ours whose route takes a UUID (the admin has its own checks)."""
    names = set()
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            if entry.app_name == "admin":
                continue
            child_ns = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            names |= _object_url_names(entry, child_ns)
        elif isinstance(entry, URLPattern) and entry.name:
            converters = getattr(entry.pattern, "converters", {})
            if any(type(c).__name__ == "UUIDConverter" for c in converters.values()):
                names.add(namespace + entry.name)
    return names


CASES = _declared_cases()


def test_every_object_url_declares_who_may_open_it():
    missing = _object_url_names() - CASES.keys()
    assert not missing, f"Add these URLs to an access_cases.py CASES matrix: {sorted(missing)}"
    stale = CASES.keys() - _object_url_names()
    assert not stale, f"Access cases for URLs that no longer exist: {sorted(stale)}"


def test_the_outsider_never_reaches_another_schools_object():
    wrong = {name for name, case in CASES.items() if case.expect["outsider"] != 404}
    assert not wrong, f"The outsider must get 404 for: {sorted(wrong)}"


@pytest.mark.parametrize("url_name", sorted(CASES))
def test_each_persona_gets_the_declared_status(url_name, request, client, school, other_school):
    """The object is built once per URL; each persona's request runs inside a savepoint that is rolled
    back, so a persona whose POST succeeds leaves nothing behind for the next one."""
    users = {name: request.getfixturevalue(name) for name in PERSONAS}
    world = World(school=school, other_school=other_school, users=users)
    case = CASES[url_name]
    url = reverse(url_name, kwargs=case.make(world))
    wrong = []
    for persona_name, user in users.items():
        with transaction.atomic():
            forget_roles(user)
            client.force_login(user)
            data = case.data(world) if callable(case.data) else (case.data or {})
            status = getattr(client, case.method)(url, data).status_code
            transaction.set_rollback(True)
        client.logout()
        if status != case.expect[persona_name]:
            wrong.append(
                f"{persona_name} {case.method.upper()} {url_name}: got {status}, declared {case.expect[persona_name]}"
            )
    assert not wrong, "\n".join(wrong)


GET_CASES = sorted(name for name, case in CASES.items() if case.method == "get")


@pytest.mark.parametrize("url_name", GET_CASES)
def test_a_persona_refused_a_page_is_refused_when_posting_to_it(url_name, request, client, school, other_school):
    """Wrong roles inside their own school (and the outsider) sending a POST by hand: the same
    403/404 as the page, never a form that goes on to validate (or a 405 where the page takes no POST)."""
    users = {name: request.getfixturevalue(name) for name in PERSONAS}
    world = World(school=school, other_school=other_school, users=users)
    case = CASES[url_name]
    url = reverse(url_name, kwargs=case.make(world))
    wrong = []
    for persona_name in PERSONAS:
        refused = case.expect[persona_name]
        if refused not in (403, 404):
            continue
        user = users[persona_name]
        forget_roles(user)
        client.force_login(user)
        status = client.post(url, {}).status_code
        if status not in (refused, 405):
            wrong.append(f"{persona_name}: got {status}, the page gives {refused}")
    assert not wrong, f"POST {url_name}: {wrong}"
