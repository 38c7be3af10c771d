"""The write side, timed last because it changes the data: the reminder dispatcher over all due
work, and a 5,000-row pupil CSV import as the school office does it (upload, preview, confirm)."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from time import perf_counter

from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import HttpResponse
from django.test.utils import override_settings
from django.urls import reverse

from apcase.models import School, User
from bench.generator.people import establishment_number, school_urn, upn_for
from bench.timing import counting_queries, fetch, signed_in
from pupils.imports import COLUMNS
from pupils.models import ImportBatch, Pupil
from reminders.services import reminders_dispatch

IMPORT_ROWS = 5000


def time_dispatcher() -> list[dict]:
    """The first run sends everything due (a day's reminders and more, nothing having been sent);
    the second is the steady state of every beat tick, with nothing new to send."""
    runs = []
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
        mail.outbox = []
        for label in ("first run: all due work", "repeat run: nothing new"):
            with counting_queries() as queries:
                started = perf_counter()
                counts = reminders_dispatch(enqueue=False)
                elapsed = perf_counter() - started
            runs.append({"run": label, "seconds": round(elapsed, 2), "queries": queries.value, **counts})
        runs[0]["emails"] = len(mail.outbox)
    return runs


def time_import() -> list[dict]:
    school = School.objects.get(urn=school_urn(1))
    client = signed_in(User.objects.get(username="office01"))
    before = Pupil.objects.filter(school=school).count()
    steps = []

    def step(name: str, request: Callable[[], HttpResponse]) -> None:
        with counting_queries() as queries:
            started = perf_counter()
            request()
            elapsed = perf_counter() - started
        steps.append({"step": name, "seconds": round(elapsed, 2), "queries": queries.value})

    upload = SimpleUploadedFile("pupils.csv", import_csv(school, IMPORT_ROWS), content_type="text/csv")
    step("upload", lambda: fetch(client, reverse("pupils:import"), method="post", expect=302, file=upload))
    batch = ImportBatch.objects.latest("uploaded_at")
    preview = reverse("pupils:import_preview", args=[batch.public_id])
    step(f"preview ({IMPORT_ROWS:,} rows)", lambda: fetch(client, preview))
    confirm = reverse("pupils:import_confirm", args=[batch.public_id])
    step("confirm (all rows in one transaction)", lambda: fetch(client, confirm, method="post", expect=302))
    batch.refresh_from_db()
    added = Pupil.objects.filter(school=school).count() - before
    if batch.status != ImportBatch.Status.APPLIED or added != batch.created_count:
        raise RuntimeError(f"The import did not apply: {batch.get_status_display()}, {added} pupils added")
    steps[-1] |= {"created": batch.created_count, "updated": batch.updated_count, "unchanged": batch.unchanged_count}
    return steps


def import_csv(school: School, rows: int) -> bytes:
    """An MIS export for the school: its pupils on roll as they are (one in ten moved to another
    registration group) and new pupils, each with a parent, to make up `rows`."""
    existing = list(Pupil.objects.filter(school=school).on_roll().order_by("pk"))
    lines = [_as_exported(pupil, moved=index % 10 == 0) for index, pupil in enumerate(existing)]
    first_serial = Pupil.objects.filter(school=school).count()  # the generator numbered them from 0
    lines += [_newcomer(school, serial) for serial in range(first_serial, first_serial + rows - len(existing))]
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([column.header for column in COLUMNS])
    writer.writerows([[values.get(column.key, "") for column in COLUMNS] for values in lines])
    return out.getvalue().encode()


def _yes_no(flag: bool) -> str:
    return "Y" if flag else "N"


def _as_exported(pupil: Pupil, *, moved: bool) -> dict[str, str]:
    values = {
        name: getattr(pupil, name)
        for name in (
            "upn", "legal_last_name", "legal_first_name", "preferred_last_name", "preferred_first_name", "sex",
            "year_group", "sen_provision", "primary_need",
        )
    }  # fmt: skip
    values |= {name: _yes_no(getattr(pupil, name)) for name in ("pupil_premium", "fsm", "looked_after", "eal")}
    return values | {
        "date_of_birth": f"{pupil.date_of_birth:%d/%m/%Y}",
        "admission_date": f"{pupil.admission_date:%d/%m/%Y}",
        "ehcp": _yes_no(pupil.has_ehcp),
        "registration_group": f"{pupil.year_group}Z" if moved else pupil.registration_group,
    }


def _newcomer(school: School, serial: int) -> dict[str, str]:
    return {
        "upn": upn_for(establishment_number(school), serial, school.la_code),
        "legal_last_name": "Newcomb",
        "legal_first_name": f"Pupil{serial}",
        "date_of_birth": "14/02/2016",
        "sex": "F",
        "year_group": "5",
        "registration_group": "5N",
        "sen_provision": "N",
        "admission_date": "03/09/2025",
        "name": f"Parent {serial}",
        "relationship": "Mother",
        "parental_responsibility": "Y",
        "address": "1 Mill Road, Hatton",
        "postcode": "ST9 1AB",
        "phone": "07700 900123",
    }
