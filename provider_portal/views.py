"""Pages of the provider portal (/provider/), and the school's page for a provider's portal access.

Provider pages fetch through provider_portal.access (404 outside the person's provider); school
pages through get_object_for_user on the school's own directory entry (404 other schools, 403
roles other than the DSL and SENDCo)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from apcase.access import client_ip, get_object_for_user, record_access_log
from apcase.http import AuthedRequest
from audits.models import Provider, ProviderAccessEvent, ProviderStaff
from audits.services import KCSIE_STATEMENT, KCSIE_STATEMENT_VERSION, safeguarding_confirmation_sign
from placements.selectors.attendance import attendance_summary
from placements.services import handover_acknowledge
from placements.services.records import HANDOVER_ACKNOWLEDGEMENT, HANDOVER_ACKNOWLEDGEMENT_VERSION
from provider_portal import services
from provider_portal.access import (
    portal_handover_for,
    portal_placement_for,
    portal_review_for,
    require_provider_staff,
)
from provider_portal.forms import (
    AcceptForm,
    InviteForm,
    KcsieSignForm,
    ProgressForm,
    ProviderIncidentForm,
    ReviewReportForm,
    SignatureForm,
    register_cells,
    register_entries,
)
from provider_portal.selectors import (
    portal_directory_entries,
    portal_directory_entry,
    portal_handovers,
    portal_organisations,
    portal_progress_sent,
    portal_pupils,
    portal_reviews_to_report,
    portal_targets,
    provider_access_log,
    provider_codes,
    provider_register,
    provider_staff_list,
)
from pupils.views import submit_form
from reviews.services import provider_progress_submit, provider_review_report_submit

# --- Provider staff's pages -----------------------------------------------------------------------


def register(request: AuthedRequest) -> HttpResponse:
    """Today's register: every pupil expected at the provider, AM and PM, each school apart."""
    require_provider_staff(request)
    today = timezone.localdate()
    registers = provider_register(user=request.user, day=today)
    problems: dict[str, str] = {}
    if request.method == "POST":
        try:
            saved = services.provider_register_record(
                actor=request.user, day=today, entries=register_entries(registers, request.POST)
            )
        except ValidationError as error:
            problems = {key: " ".join(texts) for key, texts in error.message_dict.items()}
        else:
            messages.success(request, f"{saved} mark{'s' if saved != 1 else ''} saved. Thank you.")
            return redirect("provider_portal:register")
    context = {
        "registers": [
            (register.school, [(row, register_cells(row, request.POST, problems)) for row in register.rows])
            for register in registers
        ],
        "today": today,
        "codes": provider_codes(),
        "problems": problems,
        "organisations": portal_organisations(request.user),
        "placed": portal_pupils(user=request.user).exists(),
    }
    return render(request, "provider_portal/register.html", context, status=400 if problems else 200)


def pupils(request: AuthedRequest) -> HttpResponse:
    require_provider_staff(request)
    placements = list(portal_pupils(user=request.user))
    return render(request, "provider_portal/pupils.html", {"placements": placements})


def placement(request: AuthedRequest, public_id) -> HttpResponse:
    """What the school shared for this pupil: the handover, the timetable, the objectives."""
    placement = portal_placement_for(request, public_id)
    record_access_log(request, placement)
    context = {
        "placement": placement,
        "pupil": placement.pupil,
        "handovers": portal_handovers(placement),
        "targets": portal_targets(placement),
        "reviews": portal_reviews_to_report(placement),
        "summary": attendance_summary(placement),
    }
    return render(request, "provider_portal/placement.html", context)


def incident_new(request: AuthedRequest, public_id) -> HttpResponse:
    placement = portal_placement_for(request, public_id)
    form = ProviderIncidentForm(request.POST or None)
    incident = submit_form(
        request,
        form,
        lambda: services.provider_incident_report(actor=request.user, placement=placement, **form.service_fields()),
    )
    if incident is not None:
        told = "The school's DSL has been told. " if incident.safeguarding_concern else ""
        messages.success(request, f"The incident is recorded. {told}Thank you.")
        return redirect("provider_portal:placement", public_id=placement.public_id)
    return render(request, "provider_portal/incident_form.html", {"placement": placement, "form": form})


def progress(request: AuthedRequest, public_id) -> HttpResponse:
    """Notes and readings against the placement's targets, for the school to accept or return."""
    placement = portal_placement_for(request, public_id)
    form = ProgressForm(request.POST or None, placement=placement, initial={"measured_on": timezone.localdate()})
    sent = submit_form(request, form, lambda: provider_progress_submit(actor=request.user, **form.cleaned_data))
    if sent is not None:
        messages.success(request, "Sent to the school to accept into the record.")
        return redirect("provider_portal:progress", public_id=placement.public_id)
    context = {"placement": placement, "form": form, "sent": portal_progress_sent(placement)}
    return render(request, "provider_portal/progress.html", context)


def _signature(request: AuthedRequest, form) -> dict:
    """What every signature in the portal keeps: the typed name, the position, the address."""
    return {
        "typed_name": form.cleaned_data["typed_name"],
        "position": form.cleaned_data["position"],
        "ip": client_ip(request),
    }


def signing(request: AuthedRequest) -> HttpResponse:
    """The KCSIE confirmation for each school placing pupils here, with when it was last signed."""
    require_provider_staff(request)
    return render(request, "provider_portal/signing.html", {"entries": portal_directory_entries(request.user)})


def sign_kcsie(request: AuthedRequest, public_id) -> HttpResponse:
    require_provider_staff(request)
    entry = portal_directory_entry(request.user, public_id)
    form = KcsieSignForm(request.POST or None, initial={"typed_name": request.user.get_full_name()})
    signed = submit_form(
        request,
        form,
        lambda: safeguarding_confirmation_sign(
            actor=request.user, provider=entry, checks=set(form.cleaned_data["checks"]), **_signature(request, form)
        ),
    )
    if signed is not None:
        messages.success(request, f"Signed. {entry.school.name} has the signed copy.")
        return redirect("provider_portal:signing")
    statement = KCSIE_STATEMENT.format(provider=entry.name, school=entry.school.name)
    context = {"entry": entry, "form": form, "statement": statement, "version": KCSIE_STATEMENT_VERSION}
    return render(request, "provider_portal/sign_kcsie.html", context)


def acknowledge_handover(request: AuthedRequest, public_id) -> HttpResponse:
    handover = portal_handover_for(request, public_id)
    placement = handover.placement
    form = SignatureForm(request.POST or None, initial={"typed_name": request.user.get_full_name()})
    signed = submit_form(
        request,
        form,
        lambda: handover_acknowledge(actor=request.user, handover=handover, **_signature(request, form)),
    )
    if signed is not None:
        messages.success(request, f"Acknowledged. {placement.school.name} has the signed copy.")
        return redirect("provider_portal:placement", public_id=placement.public_id)
    statement = HANDOVER_ACKNOWLEDGEMENT.format(
        provider=placement.provider.name, school=placement.school.name, shared_on=f"{handover.shared_on:%d/%m/%Y}"
    )
    context = {"handover": handover, "form": form, "statement": statement, "version": HANDOVER_ACKNOWLEDGEMENT_VERSION}
    return render(request, "provider_portal/acknowledge_handover.html", context)


def review_report(request: AuthedRequest, public_id) -> HttpResponse:
    """The provider's report for a review still to be held: written here, uploaded, or both."""
    review = portal_review_for(request, public_id)
    form = ReviewReportForm(request.POST or None, request.FILES or None)
    sent = submit_form(
        request,
        form,
        lambda: provider_review_report_submit(
            actor=request.user,
            review=review,
            report=form.cleaned_data["report"],
            upload=form.cleaned_data.get("file") or None,
        ),
    )
    if sent is not None:
        messages.success(request, "Your report is with the school, on the review's page. Thank you.")
        return redirect("provider_portal:placement", public_id=review.placement.public_id)
    return render(request, "provider_portal/review_report.html", {"review": review, "form": form})


@login_not_required
def accept(request: HttpRequest, token: str) -> HttpResponse:
    """The invitation link: set a password (then sign in, and add a second factor where required)."""
    staff = services.provider_staff_for_token(token)
    form = AcceptForm(request.POST or None)
    accepted = submit_form(
        request,
        form,
        lambda: services.provider_staff_accept(token=token, ip=client_ip(request), **form.cleaned_data),
    )
    if accepted is not None:
        messages.success(request, "Your password is set. Sign in with your e-mail address and it.")
        return redirect("login")
    context = {"staff": staff, "form": form}
    return render(request, "provider_portal/accept.html", context, status=200 if staff else 404)


# --- The school's page for a provider's portal access ---------------------------------------------


def _school_provider(request: AuthedRequest, public_id) -> Provider:
    providers = Provider.objects.select_related("organisation", "school")
    provider = get_object_for_user(request, providers, public_id, "provider_portal.manage_staff")
    if provider.organisation_id is None:
        raise Http404("Internal provision has no portal.")
    return provider


def staff_page(request: AuthedRequest, public_id) -> HttpResponse:
    provider = _school_provider(request, public_id)
    form = InviteForm(request.POST or None)
    invited = submit_form(
        request,
        form,
        lambda: services.provider_staff_invite(
            actor=request.user, provider=provider, ip=client_ip(request), **form.cleaned_data
        ),
    )
    if invited is not None:
        messages.success(request, f"Invitation sent to {invited[0].user.email}. The link works once, for 72 hours.")
        return redirect("portal_access:staff", public_id=provider.public_id)
    context = {
        "provider": provider,
        "form": form,
        "staff": provider_staff_list(provider),
        "log": list(provider_access_log(provider)),
        "kinds": ProviderAccessEvent.Kind,
    }
    return render(request, "provider_portal/staff.html", context, status=400 if form.errors else 200)


STAFF_ACTIONS = {
    "suspend": (services.provider_staff_suspend, "Access suspended."),
    "reinstate": (services.provider_staff_reinstate, "Access restored."),
    "remove": (services.provider_staff_remove, "Access removed."),
}


@require_POST
def staff_action(request: AuthedRequest, public_id, staff_id, action: str) -> HttpResponse:
    provider = _school_provider(request, public_id)
    if action not in STAFF_ACTIONS:
        raise Http404("No such action.")
    staff_rows = ProviderStaff.objects.filter(organisation_id=provider.organisation_id).select_related("user")
    try:
        staff = staff_rows.get(public_id=staff_id)
    except (ProviderStaff.DoesNotExist, ValidationError):
        raise Http404("No such person at this provider.") from None
    service, done = STAFF_ACTIONS[action]
    try:
        service(actor=request.user, provider=provider, staff=staff, ip=client_ip(request))
        messages.success(request, done)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("portal_access:staff", public_id=provider.public_id)
