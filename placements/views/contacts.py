"""The contact log: recording a call, meeting, e-mail or text from the pupil or placement page."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render

from apcase.access import get_object_for_user, record_access_log
from apcase.http import AuthedRequest
from placements.forms import ContactLogForm
from placements.models import ContactLog, Placement
from placements.services import contact_record
from placements.views.placements import placement_for
from pupils.models import Pupil
from pupils.views import submit_once


def _contact_page(request: AuthedRequest, pupil: Pupil, placement: Placement | None, initial: dict) -> HttpResponse:
    form = ContactLogForm(request.POST or None, pupil=pupil, placement=placement, initial=initial)
    fixed: dict[str, Any] = {"placement": placement} if placement is not None else {}
    entry = submit_once(
        request, form, lambda: contact_record(actor=request.user, pupil=pupil, **fixed, **form.service_fields())
    )
    if entry is not None:
        messages.success(request, "The contact is recorded.")
        if entry.placement and request.user.has_perm("placements.view_placement", entry.placement):
            return redirect(entry.placement.get_absolute_url() + "#contacts")
        return redirect(pupil)
    record_access_log(request, pupil)
    context = {"form": form, "pupil": pupil, "placement": placement}
    return render(request, "placements/contact_form.html", context, status=400 if form.errors else 200)


def contact_new(request: AuthedRequest, public_id) -> HttpResponse:
    """From the placement page: a contact about this placement, with its provider by default."""
    placement = placement_for(request, public_id, "placements.record_contact")
    who = placement.provider.contact_name or placement.provider.lead_staff_name
    initial = {"party": ContactLog.Party.PROVIDER, "with_whom": who}
    return _contact_page(request, placement.pupil, placement, initial)


def pupil_contact_new(request: AuthedRequest, public_id) -> HttpResponse:
    """From the pupil page: a contact with anyone, about one of their placements or none."""
    pupil = get_object_for_user(request, Pupil.objects.select_related("school"), public_id, "placements.record_contact")
    return _contact_page(request, pupil, None, {"party": ContactLog.Party.PARENT})
