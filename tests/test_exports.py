"""CSV exports of lists: the same scope and filters as the page, progress, logged downloads."""

from __future__ import annotations

import csv
import io

from django.urls import reverse

from apcase.exports import export_job_run
from apcase.models import ExportJob, RecordAccess
from pupils.tests.factories import PupilFactory


def start(client, kind, query=""):
    return client.post(reverse("export_start", args=[kind]) + query)


def csv_rows(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_a_pupil_export_holds_the_filtered_list_and_nothing_else(
    client_for, sendco, school, other_school, django_capture_on_commit_callbacks
):
    PupilFactory(school=school, legal_last_name="Ashworth", year_group="5")
    PupilFactory(school=school, legal_last_name="Bramley", year_group="3")
    PupilFactory(school=other_school, legal_last_name="Outsider", year_group="5")
    client = client_for(sendco)
    with django_capture_on_commit_callbacks(execute=True):
        response = start(client, "pupils", "?year=5")
    job = ExportJob.objects.get()
    assert response["Location"] == reverse("export_status", args=[job.public_id])
    assert job.status == ExportJob.Status.DONE and job.total_rows == 1
    download = client.get(reverse("export_download", args=[job.public_id]))
    assert download["Content-Type"] == "text/csv"
    assert "attachment" in download["Content-Disposition"]
    rows = csv_rows(download)
    assert rows[0][:3] == ["UPN", "Legal surname", "Legal forename"]
    assert [row[1] for row in rows[1:]] == ["Ashworth"]
    assert RecordAccess.objects.filter(object_id=job.public_id, action="download").count() == 1


def test_the_status_page_shows_progress_and_then_the_download(client_for, sendco, school):
    job = ExportJob.objects.create(user=sendco, school=school, kind="pupils")
    client = client_for(sendco)
    page = client.get(reverse("export_status", args=[job.public_id])).content.decode()
    assert 'hx-trigger="every 1s"' in page and "<progress" in page
    export_job_run(job_id=job.pk)
    page = client.get(reverse("export_status", args=[job.public_id]), HTTP_HX_REQUEST="true").content.decode()
    assert "Download" in page and "hx-trigger" not in page


def test_running_a_job_twice_makes_one_file(sendco, school):
    job = ExportJob.objects.create(user=sendco, school=school, kind="pupils")
    export_job_run(job_id=job.pk)
    first = ExportJob.objects.get(pk=job.pk).document_id
    export_job_run(job_id=job.pk)
    assert ExportJob.objects.get(pk=job.pk).document_id == first


def test_a_failed_export_says_so(sendco, school, monkeypatch):
    def broken(user, school, params):
        raise RuntimeError("database went away")

    from apcase.exports import EXPORTS, ExportKind

    monkeypatch.setitem(EXPORTS, "broken", ExportKind("broken", "Broken", "pupils.list_pupils", rows=broken))
    job = ExportJob.objects.create(user=sendco, school=school, kind="broken")
    job = export_job_run(job_id=job.pk)
    assert job.status == ExportJob.Status.FAILED and "database went away" in job.error


def test_roles_that_cannot_see_the_list_cannot_export_it(client_for, governor, office):
    assert start(client_for(governor), "pupils").status_code == 403
    assert start(client_for(office), "referrals").status_code == 403
    assert start(client_for(office), "nonsense").status_code == 404


def test_someone_elses_export_is_not_found(client_for, sendco, head, school):
    job = ExportJob.objects.create(user=sendco, school=school, kind="pupils")
    export_job_run(job_id=job.pk)
    client = client_for(head)
    assert client.get(reverse("export_status", args=[job.public_id])).status_code == 404
    assert client.get(reverse("export_download", args=[job.public_id])).status_code == 404
