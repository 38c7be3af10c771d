"""Six inputs that gave a server error now get a clear message and lose nothing (issue 14, finding 6)."""

from __future__ import annotations

import csv

import pytest
from django.urls import reverse

from audits.models import ProviderSite
from audits.tests.factories import ProviderSiteFactory
from placements.imports import plan_attendance_import
from placements.tests.factories import PlacementFactory
from pupils.imports import plan_import
from pupils.models import ImportBatch, Pupil
from pupils.tests.test_imports import GOOD, HEADER
from pupils.tests.test_views import SAMPLE, upload


def test_removing_a_site_a_placement_uses_is_explained(client_for, dsl, school):
    site = PlacementFactory(pupil__school=school).site
    assert site is not None
    ProviderSite.objects.filter(pk=site.pk).update(is_main=False)
    ProviderSiteFactory(provider=site.provider, name="Second", is_main=True)
    response = client_for(dsl).post(reverse("providers:site_delete", args=[site.public_id]), follow=True)
    assert response.status_code == 200
    assert "where placements were or are held" in response.content.decode()
    assert ProviderSite.objects.filter(pk=site.pk).exists()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"UPN,Surname\x81\x8d\n", "not a text CSV file"),
        (HEADER.replace("\n", "\r").encode() + GOOD.replace("\n", "\r").encode(), None),
        (HEADER.encode() + b"Q860200119101,Abbott," + b'"' + b"x" * 140_000 + b'"\n', "longer than 131,072 characters"),
    ],
    ids=["undecodable bytes", "CR-only line endings", "a cell over 131,072 characters"],
)
def test_the_pupil_import_preview_explains_a_file_it_cannot_read(client_for, office, school, content, message):
    client = client_for(office)
    response = client.get(upload(client, content).url)
    assert response.status_code == 200
    plan = plan_import(school=school, content=content)
    if message:
        assert message in " ".join(plan.file_errors) and message in response.content.decode()
    else:
        assert not plan.has_errors and [row.name for row in plan.rows] == ["Grace Abbott"]


def test_the_attendance_import_explains_a_file_it_cannot_read(school):
    assert "not a text CSV file" in plan_attendance_import(school=school, content=b"\xff\xfe\x81").file_errors[0]
    long_cell = b'upn,date,session,code\n"' + b"x" * (csv.field_size_limit() + 1) + b'",,,\n'
    assert "longer than" in plan_attendance_import(school=school, content=long_cell).file_errors[0]


@pytest.mark.parametrize("first", ["pupils:import_discard", "pupils:import_confirm"])
def test_the_preview_after_a_discard_or_confirm_in_another_tab_says_the_upload_is_closed(
    client_for, office, first, django_capture_on_commit_callbacks
):
    client = client_for(office)
    preview_url = upload(client, SAMPLE.read_bytes()).url
    batch = ImportBatch.objects.get()
    stale = ImportBatch.objects.get(pk=batch.pk)  # what the preview had loaded a moment before
    with django_capture_on_commit_callbacks(execute=True):  # the file is deleted once the close commits
        client.post(reverse(first, args=[batch.public_id]))
    from pupils.services import import_batch_plan

    assert import_batch_plan(stale) is None
    assert "This upload is closed" in client.get(preview_url).content.decode()


def test_a_discard_racing_a_confirm_leaves_the_import_applied(client_for, office):
    from pupils.services import import_batch_discard

    client = client_for(office)
    upload(client, SAMPLE.read_bytes())
    stale = ImportBatch.objects.get()  # the discard's copy, loaded before the confirm committed
    client.post(reverse("pupils:import_confirm", args=[stale.public_id]))
    import_batch_discard(actor=office, batch=stale)
    assert ImportBatch.objects.get().status == ImportBatch.Status.APPLIED
    assert Pupil.objects.count() == 6


def test_the_back_office_history_of_a_person(admin_client, teacher):
    response = admin_client.get(reverse("admin:apcase_user_history", args=[teacher.pk]))
    assert response.status_code == 200
