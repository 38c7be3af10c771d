"""Privacy duties for one pupil: who has opened the record, subject access, end of retention."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from apcase.access import current_school, get_object_for_user, record_access_log, require_perm, school_ids_for
from apcase.http import AuthedRequest
from apcase.models import RecordAccess, Role
from pupils.models import Pupil, RetentionLog
from pupils.retention import pupil_anonymise, pupils_due_for_retention_review, retention_ends_on
from pupils.selectors import record_access_for_pupil
from pupils.subject_access import subject_access_export


def pupil_access_log(request: AuthedRequest, public_id) -> HttpResponse:
    pupil = get_object_for_user(request, Pupil.objects, public_id, "pupils.view_access_log")
    page = Paginator(record_access_for_pupil(pupil=pupil), 50).get_page(request.GET.get("page"))
    return render(request, "pupils/access_log.html", {"pupil": pupil, "page_obj": page})


def pupil_subject_access(request: AuthedRequest, public_id) -> HttpResponse:
    pupil = get_object_for_user(
        request, Pupil.objects.select_related("school"), public_id, "pupils.export_subject_access"
    )
    content = subject_access_export(pupil=pupil, actor=request.user)
    record_access_log(request, pupil, RecordAccess.Action.EXPORT)
    response = HttpResponse(content, content_type="application/zip")
    filename = f"subject-access-{pupil.upn}-{timezone.localdate():%Y-%m-%d}.zip"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def retention_review(request: AuthedRequest) -> HttpResponse:
    require_perm(request, "pupils.review_retention", current_school(request))
    school_ids = school_ids_for(request.user, [Role.HEAD, Role.OFFICE])
    due = [
        (pupil, retention_ends_on(pupil))
        for pupil in pupils_due_for_retention_review(school_ids=school_ids, today=timezone.localdate())
    ]
    done = RetentionLog.objects.filter(school_id__in=school_ids).select_related("anonymised_by")[:50]
    warning = (
        "This cannot be undone. Names, identifiers, contacts, free text, uploaded evidence and earlier versions are "
        "removed for good."
    )
    return render(request, "pupils/retention.html", {"due": due, "done": done, "warning": warning})


@require_POST
def pupil_anonymise_view(request: AuthedRequest, public_id) -> HttpResponse:
    pupil = get_object_for_user(request, Pupil.objects.select_related("school"), public_id, "pupils.anonymise_pupil")
    try:
        log = pupil_anonymise(pupil=pupil, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        rows = sum(entry["rows"] for entry in log.summary.values())
        messages.success(request, f"The pupil's records are anonymised ({rows} records changed or removed).")
    return redirect("pupils:retention")
