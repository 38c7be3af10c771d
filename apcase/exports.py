"""CSV exports of any list a user can see, and long reports, made as background jobs.

Each app registers its exports: the same selector and filters as its list page, so an export
never shows more than the page would. A job runs in Celery when there is a broker (with
progress the page polls) and in the request otherwise (the demo). Every download is logged.
"""

from __future__ import annotations

import csv
import io
import logging
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from apcase.models import Document, ExportJob, School, User
from apcase.services import document_store

logger = logging.getLogger(__name__)
PROGRESS_EVERY = 200  # rows between progress saves: often enough to watch, rarely enough to be cheap


# --- The one CSV writer (docs/security.md#exports) ---------------------------------------------

# A spreadsheet runs a cell starting with one of these as a formula (CSV injection): a pupil named
# "=HYPERLINK(...)" would become a link that leaks the sheet. OWASP's advice: start such a cell
# with a single quote, which spreadsheets show as text. A plain number ("-2", "-12.50") is not a
# formula and stays a number, so costs and differences still add up.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
PLAIN_NUMBER = re.compile(r"^[+-]?\d+(\.\d+)?$")


def csv_cell(value) -> str | int | float:
    if value is None:
        return ""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return value
    text = str(value)
    if text.startswith(FORMULA_STARTS) and not PLAIN_NUMBER.match(text):
        return "'" + text
    return text


class SafeCSVWriter:
    """csv.writer with every cell passed through csv_cell(). Every export writes through this."""

    def __init__(self, stream):
        self._writer = csv.writer(stream)

    def writerow(self, row: Iterable) -> None:
        self._writer.writerow([csv_cell(value) for value in row])

    def writerows(self, rows: Iterable[Iterable]) -> None:
        for row in rows:
            self.writerow(row)


@dataclass(frozen=True)
class ExportResult:
    title: str
    content: bytes
    content_type: str = "text/csv"
    extension: str = "csv"


@dataclass(frozen=True)
class ExportKind:
    kind: str
    label: str
    perm: str  # rules permission checked against the school
    # (user, school, params) -> (total rows, headers, rows); for CSV lists
    rows: Callable[[User, School, dict], tuple[int, list[str], Iterable[list]]] | None = None
    # (job, report_progress) -> ExportResult; for documents such as the governors' report
    build: Callable[[ExportJob, Callable[[int, int], None]], ExportResult] | None = None


EXPORTS: dict[str, ExportKind] = {}


def register_export(export: ExportKind) -> None:
    EXPORTS[export.kind] = export


@transaction.atomic
def export_job_create(*, user: User, school: School, kind: str, params: dict) -> ExportJob:
    job = ExportJob.objects.create(user=user, school=school, kind=kind, params=params)
    from apcase.tasks import run_export

    run_export.delay_on_commit(job.pk)
    return job


def _progress(job: ExportJob) -> Callable[[int, int], None]:
    def report(done: int, total: int) -> None:
        ExportJob.objects.filter(pk=job.pk).update(done_rows=done, total_rows=total)

    return report


def _csv_result(export: ExportKind, job: ExportJob, report: Callable[[int, int], None]) -> ExportResult:
    assert export.rows is not None, f"export {export.kind} has neither rows nor build"
    total, headers, rows = export.rows(job.user, job.school, job.params)
    buffer = io.StringIO()
    writer = SafeCSVWriter(buffer)
    writer.writerow(headers)
    report(0, total)
    for done, row in enumerate(rows, start=1):
        writer.writerow(row)
        if done % PROGRESS_EVERY == 0:
            report(done, total)
    report(total, total)
    stamp = timezone.localtime().strftime("%Y-%m-%d %H.%M")
    return ExportResult(f"{export.label} {stamp}", buffer.getvalue().encode("utf-8-sig"))


def export_job_run(*, job_id: int) -> ExportJob:
    """Make the export (idempotent: a finished job is left alone)."""
    claimed = ExportJob.objects.filter(pk=job_id, status=ExportJob.Status.QUEUED).update(
        status=ExportJob.Status.RUNNING
    )
    job = ExportJob.objects.select_related("user", "school").get(pk=job_id)
    if not claimed:
        return job
    export = EXPORTS[job.kind]
    try:
        report = _progress(job)
        result = export.build(job, report) if export.build else _csv_result(export, job, report)
        document = document_store(
            school=job.school,
            kind=f"export-{job.kind}",
            title=result.title,
            content=result.content,
            actor=job.user,
            content_type=result.content_type,
        )
    except Exception as exc:  # a failed export must say so on its page, not spin for ever
        logger.exception("Export %s failed", job.pk)
        ExportJob.objects.filter(pk=job.pk).update(
            status=ExportJob.Status.FAILED, error=f"{type(exc).__name__}: {exc}"[:300], finished_at=timezone.now()
        )
    else:
        ExportJob.objects.filter(pk=job.pk).update(
            status=ExportJob.Status.DONE, document=document, finished_at=timezone.now()
        )
    job.refresh_from_db()
    return job


def export_filename(job: ExportJob, document: Document) -> str:
    extension = "pdf" if document.content_type == "application/pdf" else "csv"
    return f"{job.kind}-{timezone.localtime(job.created_at):%Y-%m-%d-%H%M}.{extension}"
