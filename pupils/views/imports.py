"""Pupil CSV import: upload, preview every row, then confirm (all or nothing) or discard."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from apcase.access import current_school, get_object_for_user, record_access_log, require_perm
from apcase.http import AuthedRequest
from pupils.forms import ImportUploadForm
from pupils.imports import COLUMNS, sample_csv
from pupils.models import ImportBatch
from pupils.services import (
    ImportRefused,
    import_batch_apply,
    import_batch_create,
    import_batch_discard,
    import_batch_plan,
)


def pupil_import(request: AuthedRequest) -> HttpResponse:
    require_perm(request, "pupils.import_pupils")
    school = current_school(request)
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        batch = import_batch_create(actor=request.user, school=school, upload=form.cleaned_data["file"])
        return redirect("pupils:import_preview", public_id=batch.public_id)
    recent = ImportBatch.objects.filter(school=school).select_related("uploaded_by")[:5]
    return render(request, "pupils/import_upload.html", {"form": form, "columns": COLUMNS, "recent": recent})


def pupil_import_template(request: AuthedRequest) -> HttpResponse:
    require_perm(request, "pupils.import_pupils")
    response = HttpResponse(sample_csv(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="apcase-pupils-template.csv"'
    return response


def _batch(request: AuthedRequest, public_id) -> ImportBatch:
    return get_object_for_user(
        request, ImportBatch.objects.select_related("school", "uploaded_by"), public_id, "pupils.import_pupils"
    )


def pupil_import_preview(request: AuthedRequest, public_id) -> HttpResponse:
    batch = _batch(request, public_id)
    record_access_log(request, batch)  # the preview shows the file's pupils
    plan = import_batch_plan(batch)
    return render(request, "pupils/import_preview.html", {"batch": batch, "plan": plan})


@require_POST
def pupil_import_confirm(request: AuthedRequest, public_id) -> HttpResponse:
    batch = _batch(request, public_id)
    try:
        plan = import_batch_apply(actor=request.user, batch=batch)
    except ImportRefused as refused:
        messages.error(request, refused.message)
        return render(request, "pupils/import_preview.html", {"batch": batch, "plan": refused.plan}, status=400)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("pupils:import_preview", public_id=batch.public_id)
    counts = plan.counts
    if plan.changes_nothing:
        messages.info(request, "Nothing changed: every pupil in the file already matches apcase.")
    else:
        messages.success(
            request,
            f"Import applied: {counts['create']} added, {counts['update']} updated, {counts['unchanged']} unchanged.",
        )
    return redirect("pupils:list")


@require_POST
def pupil_import_discard(request: AuthedRequest, public_id) -> HttpResponse:
    batch = _batch(request, public_id)
    import_batch_discard(actor=request.user, batch=batch)
    messages.info(request, "The upload was discarded and its file deleted.")
    return redirect("pupils:import")
