"""A placement's targets and progress: the page with the table of stages and the charts, setting and
changing targets, and recording a measurement."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from apcase.access import get_object_for_user, record_access_log
from apcase.http import AuthedRequest
from pupils.views import submit_form, submit_once
from reviews import selectors
from reviews.charts import stages_chart, target_chart
from reviews.forms import MeasurementForm, TargetForm
from reviews.models import ProviderProgressNote, Target
from reviews.services import (
    TargetDetails,
    measurement_record,
    provider_progress_accept,
    provider_progress_return,
    target_set,
    target_update,
)
from reviews.views.common import placement_for, placement_form_page


def _page_url(placement) -> str:
    return reverse("progress:page", kwargs={"public_id": placement.public_id})


def _target(placement, target_id) -> Target:
    target = placement.targets.filter(public_id=target_id).first()
    if target is None:
        raise Http404("No such target for this placement.")
    return target


def progress_page(request: AuthedRequest, public_id) -> HttpResponse:
    placement = placement_for(request, public_id, "reviews.view_progress")
    record_access_log(request, placement)
    progress = selectors.placement_targets(placement)
    table = selectors.progress_table(progress)
    context = {
        "placement": placement,
        "table": table,
        "stages_chart": stages_chart(table),
        "targets": [(item, target_chart(item)) for item in progress],
        "can_change": request.user.has_perm("reviews.change_targets", placement),
        "from_provider": selectors.provider_progress_waiting(placement),
    }
    return render(request, "reviews/progress.html", context)


@require_POST
def provider_progress_decide(request: AuthedRequest, public_id, decision: str) -> HttpResponse:
    """Accept the provider's note or reading into the record, or return it with a comment."""
    notes = ProviderProgressNote.objects.select_related("target__placement__school", "target__placement__pupil")
    sent = get_object_for_user(request, notes, public_id, "reviews.change_targets")
    placement = sent.target.placement
    try:
        if decision == "accept":
            provider_progress_accept(actor=request.user, sent=sent)
            messages.success(request, "Accepted into the record.")
        elif decision == "return":
            provider_progress_return(actor=request.user, sent=sent, comment=request.POST.get("school_comment", ""))
            messages.success(request, f"Returned to {sent.provider_name} with your comment.")
        else:
            raise Http404("No such decision.")
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect(_page_url(placement))


def target_new(request: AuthedRequest, public_id) -> HttpResponse:
    placement = placement_for(request, public_id, "reviews.change_targets")
    form = TargetForm(request.POST or None)
    if submit_once(
        request,
        form,
        lambda: target_set(actor=request.user, placement=placement, details=TargetDetails.from_data(form.cleaned_data)),
    ):
        messages.success(request, "The target is set.")
        return redirect(_page_url(placement))
    return placement_form_page(
        request, placement, form, title="Set a target", submit="Set the target", cancel_url=_page_url(placement)
    )


def target_edit(request: AuthedRequest, public_id, target_id) -> HttpResponse:
    placement = placement_for(request, public_id, "reviews.change_targets")
    target = _target(placement, target_id)
    form = TargetForm(request.POST or None, instance=target)
    if submit_form(
        request,
        form,
        lambda: target_update(actor=request.user, target=target, details=TargetDetails.from_data(form.cleaned_data)),
    ):
        messages.success(request, "The target is saved.")
        return redirect(_page_url(placement))
    return placement_form_page(
        request, placement, form, title="Change the target", submit="Save the target", cancel_url=_page_url(placement)
    )


def measurement_new(request: AuthedRequest, public_id, target_id) -> HttpResponse:
    placement = placement_for(request, public_id, "reviews.change_targets")
    target = _target(placement, target_id)
    form = MeasurementForm(request.POST or None)
    if submit_form(request, form, lambda: measurement_record(actor=request.user, target=target, **form.cleaned_data)):
        messages.success(request, "The measurement is recorded.")
        return redirect(_page_url(placement))
    title = f"Record a measurement: {target.description}"
    return placement_form_page(
        request, placement, form, title=title, submit="Record it", cancel_url=_page_url(placement)
    )
