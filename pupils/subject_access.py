"""A subject access request for one pupil: one ZIP the school reviews before release.

It holds a PDF summary and, for every kind of record about the pupil, a CSV of the records and
a CSV of their change history (history tables hold copies of personal data too).
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Sequence
from pathlib import Path

from django.db import models
from django.utils import timezone
from django.utils.text import slugify
from simple_history.utils import get_history_model_for_model

from apcase.exports import SafeCSVWriter
from apcase.pdf import render_pdf
from pupils.records import PupilRecordType, records_about
from pupils.selectors import pupil_chronology

HISTORY_COLUMNS = ["history_date", "history_user", "history_type", "history_change_reason"]


def _columns(model: type[models.Model]) -> list[models.Field]:
    return [f for f in model._meta.concrete_fields if f.name not in {"id"}]


# Related records printed by name; any other link by its reference (and its own CSV has the rest).
NAMED_RELATIONS = {"apcase.user", "apcase.school"}


def _is_named(field: models.Field) -> bool:
    related = field.related_model
    return field.is_relation and isinstance(related, type) and related._meta.label_lower in NAMED_RELATIONS


def _cell(obj, field: models.Field) -> str:
    if _is_named(field):
        related = getattr(obj, field.name)
        return "" if related is None else str(related)
    if field.is_relation:
        return str(getattr(obj, field.attname) or "")
    value = getattr(obj, field.attname)
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if value is None:
        return ""
    if hasattr(value, "astimezone"):
        return timezone.localtime(value).strftime("%d/%m/%Y %H:%M")
    if hasattr(value, "strftime"):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, bool):
        return "Yes" if value else "No"
    return str(value)


def _csv(rows, columns: list[models.Field], extra_headers: Sequence[str] = (), extra=lambda obj: []) -> str:
    buffer = io.StringIO()
    writer = SafeCSVWriter(buffer)
    writer.writerow([*extra_headers, *(str(f.verbose_name) for f in columns)])
    for obj in rows:
        writer.writerow([*extra(obj), *(_cell(obj, f) for f in columns)])
    return buffer.getvalue()


def _related_names(model) -> list[str]:
    return [f.name for f in _columns(model) if _is_named(f) and f.many_to_one]


def _records_csv(record_type: PupilRecordType, queryset) -> str:
    columns = _columns(record_type.model)
    return _csv(queryset.select_related(*_related_names(record_type.model)), columns)


def _history_csv(record_type: PupilRecordType, queryset) -> str:
    history_model = get_history_model_for_model(record_type.model)
    columns = [f for f in _columns(record_type.model) if not f.is_relation or f.many_to_one]
    rows = (
        history_model.objects.filter(**{f"{record_type.model._meta.pk.attname}__in": queryset.values("pk")})
        .select_related("history_user", *_related_names(record_type.model))
        .order_by("history_date")
    )
    headers = ["Changed at", "Changed by", "Change"]
    kinds = {"+": "Created", "~": "Changed", "-": "Deleted"}

    def extra(row):
        return [
            timezone.localtime(row.history_date).strftime("%d/%m/%Y %H:%M"),
            str(row.history_user or "System"),
            kinds.get(row.history_type, row.history_type),
        ]

    return _csv(rows, columns, headers, extra)


def _add_files(archive: zipfile.ZipFile, folder: str, record_type: PupilRecordType, queryset) -> None:
    """The uploaded evidence and the letters as issued, each under its record's public id."""
    for obj in queryset if record_type.file_fields else ():
        for field_name in record_type.file_fields:
            stored = getattr(obj, field_name)
            if stored:
                with stored.open("rb") as handle:
                    archive.writestr(f"{folder}/{obj.public_id}-{Path(stored.name).name}", handle.read())


def subject_access_export(*, pupil, actor) -> bytes:
    """The ZIP for one pupil (the caller logs the export in the record-access log)."""
    counts = []
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for record_type, queryset in records_about(pupil):
            name = slugify(record_type.label)
            counts.append((record_type.label, queryset.count()))
            archive.writestr(f"records/{name}.csv", _records_csv(record_type, queryset))
            if record_type.has_history:
                archive.writestr(f"history/{name}-history.csv", _history_csv(record_type, queryset))
            _add_files(archive, f"files/{name}", record_type, queryset)
        summary = render_pdf(
            "letters/subject_access_summary.html",
            {
                "school": pupil.school,
                "pupil": pupil,
                "counts": counts,
                "events": pupil_chronology(pupil=pupil),
                "prepared_by": actor,
                "prepared_at": timezone.localtime(),
            },
        )
        archive.writestr("summary.pdf", summary)
        archive.writestr(
            "README.txt",
            "Subject access request: everything apcase holds about one pupil.\n"
            "Review it before release: redact third parties' personal data where the law requires.\n"
            "records/ holds the records as they are now; history/ every earlier version of them;\n"
            "files/ the uploaded evidence and the letters as they were issued.\n",
        )
    return buffer.getvalue()
