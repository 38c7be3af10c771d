"""Every page needs sign-in except the few that must not (sign-in itself, password reset, /healthz)."""

from __future__ import annotations

import itertools
import uuid

import pytest
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse

PUBLIC = {
    "login",
    "logout",
    "password_reset",
    "password_reset_done",
    "password_reset_confirm",
    "password_reset_complete",
    "healthz",
    "provider_portal:accept",  # the invitation's one-time link: the person has no password yet
}
SAMPLE_VALUES = [str(uuid.uuid4()), "1", "apcase", "MQ", "set-password"]


def _named_patterns(resolver=None, namespace=""):
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            child_ns = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _named_patterns(entry, child_ns)
        elif isinstance(entry, URLPattern) and entry.name:
            yield namespace + entry.name, entry


def _sample_url(name: str, pattern: URLPattern) -> str | None:
    regex = pattern.pattern.regex
    params = list(getattr(pattern.pattern, "converters", {}) or regex.groupindex)
    positional = regex.groups - len(regex.groupindex) if not params else 0
    for values in itertools.product(SAMPLE_VALUES, repeat=len(params) or positional):
        try:
            if params:
                return reverse(name, kwargs=dict(zip(params, values, strict=True)))
            return reverse(name, args=values)
        except NoReverseMatch:
            continue
    return None


PATTERNS = sorted(dict(_named_patterns()).items())


def test_the_walk_finds_the_projects_pages():
    names = {name for name, _ in PATTERNS}
    assert {"home", "notifications", "admin:index", "login"} <= names


@pytest.mark.parametrize(("name", "pattern"), PATTERNS, ids=[name for name, _ in PATTERNS])
@pytest.mark.django_db
def test_an_anonymous_visitor_is_sent_to_sign_in(client, name, pattern):
    url = _sample_url(name, pattern)
    assert url is not None, f"could not build a sample URL for {name}"
    if name in PUBLIC:
        return
    for method in ("get", "post"):
        response = getattr(client, method)(url, follow=True)
        final = response.redirect_chain[-1][0] if response.redirect_chain else url
        assert final.startswith(reverse("login")), f"{method.upper()} {url} ended at {final}"
        assert response.status_code == 200
