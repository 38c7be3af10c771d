"""Recording the parents' agreement (and its letter), the decision that the provision suits the
pupil, a handover, an incident, the course of action on a serious incident, and a visit."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from apcase.access import get_object_for_user, record_access_log, require_perm
from apcase.http import AuthedRequest
from apcase.uploads import private_file_response
from apcase.views import download_name, pdf_response
from placements.agreement import agreement_pdf
from placements.forms import (
    HandoverForm,
    IncidentForm,
    IncidentResponseForm,
    ParentAgreementForm,
    SuitabilityDecisionForm,
    VisitForm,
)
from placements.models import Handover, Incident
from placements.selectors import parents_agreement
from placements.services import (
    handover_record,
    handover_send,
    incident_respond,
    parent_agreement_record,
    placement_incident_record,
    suitability_decision_record,
    visit_record,
)
from placements.views.placements import placement_for, step_page
from pupils.views import submit_form, submit_once


def parent_agreement_new(request: AuthedRequest, public_id) -> HttpResponse:
    placement = placement_for(request, public_id, "placements.change_placement")
    form = ParentAgreementForm(request.POST or None)
    agreement = submit_form(
        request, form, lambda: parent_agreement_record(actor=request.user, placement=placement, **form.cleaned_data)
    )
    if agreement is not None:
        letter = " Print the agreement letter for them to sign." if agreement.agreed else ""
        messages.success(request, f"The parents' answer is recorded.{letter}")
        return redirect(placement)
    return step_page(request, placement, form, title="Record the parents' agreement", submit="Record their answer")


def parent_agreement_letter(request: AuthedRequest, public_id) -> HttpResponse:
    """The agreement letter for the parents to sign, once they have agreed."""
    placement = placement_for(request, public_id, "placements.view_placement_record")
    agreement = parents_agreement(placement)
    if agreement is None or not agreement.agreed:
        raise Http404("The parents have not agreed to this placement.")
    record_access_log(request, placement, "download")
    content = agreement_pdf(placement, agreement=agreement, letter_date=timezone.localdate())
    return pdf_response(content, download_name("Parents' agreement", placement.pupil.initials, agreement.given_on))


def suitability_new(request: AuthedRequest, public_id) -> HttpResponse:
    placement = placement_for(request, public_id, "placements.decide_suitability")
    form = SuitabilityDecisionForm(request.POST or None, placement=placement)
    decision = submit_form(
        request, form, lambda: suitability_decision_record(actor=request.user, placement=placement, **form.cleaned_data)
    )
    if decision is not None:
        messages.success(request, f"Recorded: {placement.provider.name} is {decision.verdict} for this pupil.")
        return redirect(placement)
    return step_page(
        request, placement, form, title="Is this provision suitable for this pupil?", submit="Record the decision"
    )


def handover_new(request: AuthedRequest, public_id) -> HttpResponse:
    placement = placement_for(request, public_id, "placements.record_handover")
    form = HandoverForm(request.POST or None, placement=placement, initial={"shared_by": request.user})
    if submit_form(
        request, form, lambda: handover_record(actor=request.user, placement=placement, **form.cleaned_data)
    ):
        messages.success(request, "The handover is recorded.")
        return redirect(placement)
    return step_page(
        request, placement, form, title="Record the handover to the provider", submit="Record the handover"
    )


def incident_new(request: AuthedRequest, public_id) -> HttpResponse:
    placement = placement_for(request, public_id, "placements.record_incident")
    form = IncidentForm(request.POST or None)
    incident = submit_once(
        request,
        form,
        lambda: placement_incident_record(actor=request.user, placement=placement, **form.service_fields()),
    )
    if incident is not None:
        told = " The DSLs have been told." if incident.safeguarding_concern else ""
        messages.success(request, f"The incident is recorded.{told}")
        return redirect(placement)
    return step_page(
        request, placement, form, title="Record an incident the provider reported", submit="Record the incident"
    )


def handover_acknowledgement(request: AuthedRequest, public_id) -> FileResponse:
    """The provider's signed acknowledgement of a handover (the provider portal)."""
    handovers = Handover.objects.select_related("placement__school")
    handover = get_object_for_user(request, handovers, public_id)
    require_perm(request, "placements.view_placement_record", handover.placement)
    if not handover.acknowledgement:
        raise Http404("The provider has not acknowledged this handover in apcase.")
    record_access_log(request, handover.placement, "download")
    return private_file_response(
        handover.acknowledgement, f"handover-acknowledgement-{handover.shared_on:%Y-%m-%d}.pdf"
    )


@require_POST
def handover_send_view(request: AuthedRequest, public_id) -> HttpResponse:
    """E-mail the handover pack to the provider's contact (the page asked first, in the page)."""
    handover = get_object_for_user(request, Handover.objects.select_related("placement__provider"), public_id)
    require_perm(request, "placements.send_handover", handover.placement)
    try:
        message = handover_send(actor=request.user, handover=handover)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"The handover pack is in the outbox for {message.recipient_name}.")
    return redirect(handover.placement.get_absolute_url() + f"#handover-{handover.public_id}")


def incident_response(request: AuthedRequest, public_id) -> HttpResponse:
    incidents = Incident.objects.select_related("placement__pupil", "placement__provider", "placement__school")
    incident = get_object_for_user(request, incidents, public_id)
    placement = incident.placement
    require_perm(request, "placements.respond_to_incident", placement)
    record_access_log(request, placement)
    form = IncidentResponseForm(request.POST or None)
    if submit_form(request, form, lambda: incident_respond(actor=request.user, incident=incident, **form.cleaned_data)):
        messages.success(request, "The course of action is recorded.")
        return redirect(placement)
    context = {"form": form, "placement": placement, "incident": incident}
    return render(request, "placements/incident_response.html", context)


def visit_new(request: AuthedRequest, public_id) -> HttpResponse:
    placement = placement_for(request, public_id, "placements.record_visit")
    form = VisitForm(request.POST or None, school=placement.school, initial={"staff": [request.user]})
    if submit_once(
        request, form, lambda: visit_record(actor=request.user, placement=placement, **form.service_fields())
    ):
        messages.success(request, "The visit is recorded.")
        return redirect(placement)
    return step_page(request, placement, form, title="Record a visit to the provider", submit="Record the visit")
