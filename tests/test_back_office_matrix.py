"""The access matrix of the back office (issue 14, "then go on"): every admin URL — list, filters,
add, change, history, delete, autocomplete — for every persona, on the demo's two schools.

What it holds, per persona (docs/security.md#the-back-office):
- people without the back office (every role but the office) are sent to sign in and then
  refused, whatever the URL or method;
- the office of one school never opens, lists or autocompletes the other school's records;
- nobody, the superuser included, gets a server error from any of them.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from django.contrib import admin
from django.core.management import call_command
from django.urls import NoReverseMatch, reverse

from apcase.access import forget_roles
from apcase.demo import office_group
from apcase.models import Membership, Role, School, User

NOT_STAFF = ["sendco", "head", "dsl", "teacher", "governor", "riverside", "trustlead"]
# The back office lets a person in on is_staff alone, whatever their roles: two of the people
# without it stand for all of them on every URL (the leader with most reach, and a trust lead).
NOT_STAFF_WALKERS = ["head", "trustlead"]
STAFF = ["office", "riverside_office", "admin"]


@pytest.fixture
def demo(db, settings):
    # The back office renders related rows per line on some pages: a low-traffic page, not a
    # list that grows with pupils, so N+1 detection stays off for this walk.
    settings.ZEAL_RAISE = False
    call_command("seed_demo", "--password", "pw-for-the-demo-123")
    riverside = School.objects.get(urn="149902")
    other_office, _ = User.objects.get_or_create(username="riverside_office", defaults={"is_staff": True})
    Membership.objects.get_or_create(user=other_office, school=riverside, role=Role.OFFICE)
    other_office.groups.add(office_group())
    return {user.username: user for user in User.objects.filter(username__in=NOT_STAFF + STAFF)}


def _url(model, action, *args) -> str | None:
    try:
        return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{action}", args=args)
    except NoReverseMatch:
        return None


def _oakfield_object(model, model_admin, superuser_request):
    """A record of Oakfield (school A) alone for each model that belongs to a school, else any
    record. A record several schools share (a provider body both list) is Riverside's too."""
    queryset = model_admin.get_queryset(superuser_request)
    path = getattr(model_admin, "school_path", None)
    if path:
        queryset = queryset.filter(**{path: School.objects.get(urn="149901").pk}).exclude(
            **{path: School.objects.get(urn="149902").pk}
        )
    return queryset.first()


def _urls(superuser) -> Iterator[tuple[str, str | None, object]]:
    """(label, url, the Oakfield record it names or None) for every admin URL of every model."""
    from django.test import RequestFactory

    request = RequestFactory().get("/admin/")
    request.user = superuser
    for model, model_admin in admin.site._registry.items():
        label = model._meta.label
        yield f"{label} list", _url(model, "changelist"), None
        yield f"{label} add", _url(model, "add"), None
        obj = _oakfield_object(model, model_admin, request)
        if obj is not None:
            for action in ("change", "history", "delete"):
                yield f"{label} {action}", _url(model, action, obj.pk), obj


def _filter_links(client, changelist_url: str) -> list[str]:
    page = client.get(changelist_url).content.decode()
    block = page.split('id="changelist-filter"', 1)
    if len(block) < 2:
        return []
    return sorted({changelist_url + href.replace("&amp;", "&") for href in re.findall(r'href="(\?[^"]+)"', block[1])})


def _get(client, user, url):
    forget_roles(user)
    client.force_login(user)
    return client.get(url)


def test_the_back_office_refuses_everyone_without_it(client, demo):
    for name in NOT_STAFF:
        response = _get(client, demo[name], reverse("admin:index"))
        assert response.status_code == 302, name
        assert client.get(response["Location"]).status_code == 403, name


def test_every_back_office_url_for_every_persona(client, demo):
    superuser = demo["admin"]
    urls = [(label, url, obj) for label, url, obj in _urls(superuser) if url]
    for model in admin.site._registry:
        changelist = _url(model, "changelist")
        assert changelist is not None
        forget_roles(superuser)
        client.force_login(superuser)
        urls += [(f"{model._meta.label} filter", link, None) for link in _filter_links(client, changelist)]
    school_scoped = {
        model for model, model_admin in admin.site._registry.items() if getattr(model_admin, "school_path", None)
    }
    problems = []
    for label, url, obj in urls:
        for name in NOT_STAFF_WALKERS:
            response = _get(client, demo[name], url)
            if response.status_code != 302 or not response["Location"].startswith(reverse("admin:login")):
                problems.append(f"{name} GET {label}: {response.status_code}")
        if client.post(url, {"post": "yes"}).status_code != 302:
            problems.append(f"trustlead POST {label}: refused differently")
        for name in STAFF:
            status = _get(client, demo[name], url).status_code
            if status >= 500:
                problems.append(f"{name} GET {label}: {status}")
        if obj is not None and type(obj) in school_scoped:
            status = _get(client, demo["riverside_office"], url).status_code
            if status == 200:
                problems.append(f"riverside_office opened Oakfield's {label}")
    assert not problems, "\n".join(problems)


def test_the_other_schools_office_never_lists_oakfields_records(client, demo):
    """Every list and every filter of it, as Riverside's office: no link to an Oakfield record."""
    superuser, other_office = demo["admin"], demo["riverside_office"]
    from django.test import RequestFactory

    request = RequestFactory().get("/admin/")
    request.user = superuser
    problems = []
    for model, model_admin in admin.site._registry.items():
        obj = _oakfield_object(model, model_admin, request)
        if obj is None or not getattr(model_admin, "school_path", None):
            continue
        changelist = _url(model, "changelist")
        assert changelist is not None
        forget_roles(superuser)
        client.force_login(superuser)
        links = [changelist, *_filter_links(client, changelist)]
        oakfield_change = _url(model, "change", obj.pk)
        for link in links:
            page = _get(client, other_office, link).content.decode()
            if f'href="{oakfield_change}"' in page:
                problems.append(f"{model._meta.label}: {link}")
    assert not problems, problems


AUTOCOMPLETE = [
    ("apcase", "membership", "user"),
    ("pupils", "pupil", "class_teacher"),
    ("pupils", "pupil", "key_adults"),
]


def test_autocomplete_offers_each_office_its_own_school_only(client, demo):
    from pupils.demo import office_group_add_pupil_permissions

    office_group_add_pupil_permissions()
    oakfield = set(User.objects.filter(memberships__school__urn="149901").values_list("pk", flat=True))
    riverside_only = set(
        User.objects.filter(memberships__school__urn="149902")
        .exclude(memberships__school__urn="149901")
        .values_list("pk", flat=True)
    )
    for app_label, model_name, field_name in AUTOCOMPLETE:
        url = reverse("admin:autocomplete") + f"?app_label={app_label}&model_name={model_name}&field_name={field_name}"
        response = _get(client, demo["office"], url)
        assert response.status_code == 200, (field_name, response.content[:300])
        offered = {int(result["id"]) for result in response.json()["results"]}
        assert offered and offered <= oakfield, field_name
        assert not offered & riverside_only, field_name
        assert demo["admin"].pk not in offered  # superusers are nobody's to pick
        for name in NOT_STAFF:
            assert _get(client, demo[name], url).status_code in (302, 403), (name, field_name)
