"""Provider directory and record, safeguarding confirmations, and the AP audit.

Every view: access helper (404 outside the school, 403 for the wrong role) → form → service →
redirect. Audit questions save one at a time with htmx and work as plain forms without it.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST
from django_htmx.http import HttpResponseClientRedirect

from apcase.access import current_school, get_object_for_user, record_access_log, require_perm
from apcase.http import AuthedRequest
from apcase.uploads import private_file_response
from apcase.views import history_page, pdf_response
from audits import selectors, services
from audits.documents import audit_report_pdf, safeguarding_letter_pdf
from audits.forms import (
    AuditAnswerForm,
    AuditDecisionForm,
    AuditVisitForm,
    ProviderCreateForm,
    ProviderFilterForm,
    ProviderForm,
    ProviderSiteForm,
    RegistrationCheckForm,
    SafeguardingConfirmationForm,
)
from audits.models import Audit, AuditAnswer, FurtherAction, Provider, ProviderSite, SafeguardingConfirmation
from audits.threshold import provider_threshold_warning


def _provider(request: AuthedRequest, public_id, perm: str = "audits.view_provider") -> Provider:
    providers = Provider.objects.select_related("school", "registration_checked_by")
    return get_object_for_user(request, providers, public_id, perm)


def _audit(request: AuthedRequest, public_id, perm: str = "audits.view_audit") -> Audit:
    return get_object_for_user(request, selectors.audits_for_user(request.user), public_id, perm)


def _show_errors(request: AuthedRequest, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


def _form_errors(form, error: ValidationError) -> None:
    """Put a service's ValidationError on the form: on its field when the form has it."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


# --- Directory and provider record --------------------------------------------------------------


def provider_list(request: AuthedRequest) -> HttpResponse:
    school = current_school(request)
    require_perm(request, "audits.view_provider", school)
    filters = ProviderFilterForm(request.GET)
    rows = selectors.provider_list_with_clearance(request.user, school=school, **filters.selector_arguments())
    context = {
        "page_obj": Paginator(rows, settings.PAGINATE_BY).get_page(request.GET.get("page")),
        "filters": filters,
        "summary": selectors.directory_summary(user=request.user, school=school),
    }
    return render(request, "audits/provider_list.html", context)


def provider_create(request: AuthedRequest) -> HttpResponse:
    school = current_school(request)
    require_perm(request, "audits.add_provider", school)
    form = ProviderCreateForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            provider = services.provider_create(
                actor=request.user, school=school, details=form.details(), main_site=form.main_site()
            )
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, f"{provider.name} is in the directory. Next: check its registration.")
            return redirect("providers:detail", provider.public_id)
    return render(request, "audits/provider_form.html", {"form": form, "provider": None})


LA_VISITS_FOR_SCHOOLS = (
    "What the local authority found when it visited for its AP directory. Read it beside the school's own checks: "
    "it does not clear the provider for placements."
)


def provider_detail(request: AuthedRequest, public_id) -> HttpResponse:
    provider = _provider(request, public_id)
    record_access_log(request, provider)
    context = {
        "provider": provider,
        "clearance": selectors.provider_clearance(provider),
        "threshold_warning": provider_threshold_warning(provider),
        "sites": selectors.provider_sites(provider),
        "confirmations": selectors.provider_confirmations(provider),
        "audits": selectors.provider_audits(provider),
        "open_actions": selectors.provider_open_actions(provider),
        "shared_checks": selectors.trust_checks(provider, on=timezone.localdate()),
        "la_visits": list(selectors.la_visits_of([provider.organisation_id])) if provider.organisation_id else [],
        "la_visits_intro": LA_VISITS_FOR_SCHOOLS,
        "registration_form": RegistrationCheckForm(),
    }
    return render(request, "audits/provider_detail.html", context)


def provider_edit(request: AuthedRequest, public_id) -> HttpResponse:
    provider = _provider(request, public_id, "audits.change_provider")
    form = ProviderForm(request.POST or None, request.FILES or None, instance=provider)
    if request.method == "POST" and form.is_valid():
        try:
            services.provider_update(actor=request.user, provider=provider, details=form.details())
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, "The provider's details are saved.")
            return redirect("providers:detail", provider.public_id)
    return render(request, "audits/provider_form.html", {"form": form, "provider": provider})


def provider_history(request: AuthedRequest, public_id) -> HttpResponse:
    provider = _provider(request, public_id)
    back_url = reverse("providers:detail", args=[provider.public_id])
    return history_page(request, provider, record_label=provider.name, back_url=back_url)


@require_POST
def provider_check_registration(request: AuthedRequest, public_id) -> HttpResponse:
    provider = _provider(request, public_id, "audits.check_provider_registration")
    form = RegistrationCheckForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(list(form.errors["checked_on"]))
        services.provider_registration_check(
            actor=request.user, provider=provider, checked_on=form.cleaned_data["checked_on"]
        )
    except ValidationError as error:
        _show_errors(request, error)
    else:
        messages.success(request, "Registration check recorded.")
    return redirect("providers:detail", provider.public_id)


@require_POST
def provider_rely_on_check(request: AuthedRequest, public_id) -> HttpResponse:
    """Rely on another school of the trust's check of the same provider (docs/oversight.md)."""
    provider = _provider(request, public_id, "audits.add_safeguardingconfirmation")
    try:
        services.check_rely(actor=request.user, provider=provider, check_id=request.POST.get("check", ""))
    except ValidationError as error:
        _show_errors(request, error)
    else:
        messages.success(request, "Recorded: the school relies on that check for its clearance of this provider.")
    return redirect("providers:detail", provider.public_id)


def provider_agreement(request: AuthedRequest, public_id) -> FileResponse:
    provider = _provider(request, public_id)
    if not provider.agreement_document:
        raise Http404("No commissioning agreement is stored for this provider.")
    record_access_log(request, provider, "download")
    return private_file_response(provider.agreement_document, f"Commissioning agreement - {provider.name}")


def _site(request: AuthedRequest, public_id) -> ProviderSite:
    sites = ProviderSite.objects.select_related("provider__school")
    return get_object_for_user(request, sites, public_id, "audits.change_provider")


def site_create(request: AuthedRequest, public_id) -> HttpResponse:
    provider = _provider(request, public_id, "audits.change_provider")
    form = ProviderSiteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        details = services.ProviderSiteDetails.from_data(form.cleaned_data)
        services.provider_site_create(actor=request.user, provider=provider, details=details)
        messages.success(request, "Site added.")
        return redirect("providers:detail", provider.public_id)
    return render(request, "audits/site_form.html", {"form": form, "provider": provider, "site": None})


def site_edit(request: AuthedRequest, public_id) -> HttpResponse:
    site = _site(request, public_id)
    form = ProviderSiteForm(request.POST or None, instance=site)
    if request.method == "POST" and form.is_valid():
        try:
            details = services.ProviderSiteDetails.from_data(form.cleaned_data)
            services.provider_site_update(actor=request.user, site=site, details=details)
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, "Site saved.")
            return redirect("providers:detail", site.provider.public_id)
    return render(request, "audits/site_form.html", {"form": form, "provider": site.provider, "site": site})


@require_POST
def site_delete(request: AuthedRequest, public_id) -> HttpResponse:
    site = _site(request, public_id)
    try:
        services.provider_site_delete(actor=request.user, site=site)
    except ValidationError as error:
        _show_errors(request, error)
    else:
        messages.success(request, f"{site.name} removed.")
    return redirect("providers:detail", site.provider.public_id)


# --- Safeguarding confirmations -----------------------------------------------------------------


def safeguarding_letter(request: AuthedRequest, public_id) -> HttpResponse:
    provider = _provider(request, public_id, "audits.add_safeguardingconfirmation")
    if provider.is_internal:
        raise Http404("An internal provision's staff are on the school's own single central record.")
    content = safeguarding_letter_pdf(provider=provider, signatory=request.user)
    record_access_log(request, provider, "download")
    return pdf_response(content, f"Safeguarding confirmation request - {provider.name}.pdf")


@require_POST
def safeguarding_request_send(request: AuthedRequest, public_id) -> HttpResponse:
    """The same letter by e-mail through the outbox, to the provider's contact."""
    provider = _provider(request, public_id, "audits.add_safeguardingconfirmation")
    try:
        services.safeguarding_request_send(actor=request.user, provider=provider)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"The request is in the outbox, on its way to {provider.email}.")
    return redirect("providers:detail", public_id=provider.public_id)


def confirmation_create(request: AuthedRequest, public_id) -> HttpResponse:
    provider = _provider(request, public_id, "audits.add_safeguardingconfirmation")
    form = SafeguardingConfirmationForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            confirmation = services.safeguarding_confirmation_record(
                actor=request.user,
                provider=provider,
                confirmed_by_name=data["confirmed_by_name"],
                confirmed_by_position=data["confirmed_by_position"],
                signed_on=data["signed_on"],
                checks=set(data["checks"]),
                signed_copy=data["signed_copy"],
            )
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, f"Confirmation recorded. It expires on {confirmation.expires_on:%d/%m/%Y}.")
            return redirect("providers:detail", provider.public_id)
    return render(request, "audits/confirmation_form.html", {"form": form, "provider": provider})


def confirmation_signed_copy(request: AuthedRequest, public_id) -> FileResponse:
    confirmations = SafeguardingConfirmation.objects.select_related("provider")
    confirmation = get_object_for_user(request, confirmations, public_id, "audits.view_safeguardingconfirmation")
    record_access_log(request, confirmation, "download")
    name = f"Safeguarding confirmation - {confirmation.provider.name} - {confirmation.signed_on:%Y-%m-%d}"
    return private_file_response(confirmation.signed_copy, name)


# --- Further actions ---------------------------------------------------------------------------


def action_list(request: AuthedRequest) -> HttpResponse:
    school = current_school(request)
    require_perm(request, "audits.view_provider", school)
    actions = selectors.further_actions_open(user=request.user, school=school)
    page = Paginator(actions, settings.PAGINATE_BY).get_page(request.GET.get("page"))
    return render(request, "audits/action_list.html", {"page_obj": page})


@require_POST
def action_done(request: AuthedRequest, public_id) -> HttpResponse:
    actions = FurtherAction.objects.select_related("answer__audit__provider")
    action = get_object_for_user(request, actions, public_id, "audits.change_furtheraction")
    try:
        services.further_action_mark_done(actor=request.user, action=action)
    except ValidationError as error:
        _show_errors(request, error)
    else:
        messages.success(request, "Further action marked as done.")
    next_url = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        return redirect(next_url)
    return redirect("providers:actions")


# --- Audits ------------------------------------------------------------------------------------


def audit_start(request: AuthedRequest, public_id) -> HttpResponse:
    provider = _provider(request, public_id, "audits.add_audit")
    staff = selectors.audit_staff(provider.school)
    initial = {"visit_date": timezone.localdate(), "auditor": str(request.user.public_id)}
    form = AuditVisitForm(request.POST or None, staff=staff, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            audit = services.audit_start(actor=request.user, provider=provider, **form.cleaned_data)
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, "Audit started. Each answer saves as you go.")
            return redirect("audits:detail", audit.public_id)
    return render(request, "audits/audit_start.html", {"form": form, "provider": provider})


# Errors of the actions that land on #decision (saving the decision without htmx, signing off),
# shown there: #decision is thousands of pixels down a long audit (issue 13 D1).
DECISION_ERRORS = "audit_decision_errors"


def _errors_at_decision(request: AuthedRequest, public_id, lead: str, error: ValidationError) -> HttpResponse:
    request.session[DECISION_ERRORS] = {"lead": lead, "messages": error.messages}
    return redirect(reverse("audits:detail", args=[public_id]) + "#decision")


def audit_detail(request: AuthedRequest, public_id) -> HttpResponse:
    audit = _audit(request, public_id)
    record_access_log(request, audit)
    sections = selectors.audit_sections(audit)
    editable = audit.is_draft and request.user.has_perm("audits.change_audit", audit)
    staff = selectors.audit_staff(audit.provider.school) if editable else []

    def form_for(numbered):
        return AuditAnswerForm(answer=numbered.answer, number=numbered.number, staff=staff) if editable else None

    context = {
        "audit": audit,
        "sections": [(section, [(n, form_for(n)) for n in section.answers]) for section in sections],
        "editable": editable,
        "decision_errors": request.session.pop(DECISION_ERRORS, None),
    }
    if editable:
        visit = {
            "visit_date": audit.visit_date,
            "visit_time": audit.visit_time,
            "auditor": str(audit.auditor.public_id),
        }
        context |= {
            "visit_form": AuditVisitForm(staff=staff, initial=visit),
            "decision_form": AuditDecisionForm(audit=audit),
        }
    return render(request, "audits/audit_detail.html", context)


def audit_answer(request: AuthedRequest, public_id) -> HttpResponse:
    """One question's form: saves on change with htmx (replying with a short status, or the form
    again with its errors), or as a plain POST that returns to the audit."""
    answers = AuditAnswer.objects.select_related("audit__provider__school", "question__section", "action__owner")
    answer = get_object_for_user(request, answers, public_id, "audits.change_audit")
    audit_url = reverse("audits:detail", args=[answer.audit.public_id])
    if not answer.audit.is_draft:
        messages.info(request, "This audit is signed off and can no longer be changed.")
        return HttpResponseClientRedirect(audit_url) if request.htmx else redirect(audit_url)
    numbered = selectors.audit_answer_numbered(answer)
    staff = selectors.audit_staff(answer.audit.provider.school)
    form = AuditAnswerForm(request.POST or None, answer=answer, number=numbered.number, staff=staff)
    context = {
        "audit": answer.audit,
        "numbered": numbered,
        "form": form,
        "question_label": f"Question {numbered.number}",
    }
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.audit_answer_save(
                actor=request.user,
                answer=answer,
                text=data["answer"],
                evidence=data["evidence"],
                concerns=data["concerns"],
                action=form.action(),
            )
        except ValidationError as error:
            if not request.htmx:
                _show_errors(request, error)
                return redirect(audit_url)
            _form_errors(form, error)
        else:
            if not request.htmx:
                return redirect(f"{audit_url}#answer-{answer.public_id}")
            section = answer.question.section
            context |= {"saved_at": timezone.localtime(), "section": section}
            context["answered"], context["total"] = selectors.section_progress(answer.audit, section)
            return render(request, "audits/partials/save_status.html", context)
    if request.htmx:
        response = render(request, "audits/partials/answer_form.html", context)
        # The form replaces itself only when it has something to show (its errors).
        response["HX-Retarget"] = f"#answer-{answer.public_id}"
        response["HX-Reswap"] = "outerHTML"
        return response
    if request.method == "GET":
        record_access_log(request, answer.audit)
    return render(request, "audits/answer_page.html", context)


@require_POST
def audit_visit(request: AuthedRequest, public_id) -> HttpResponse:
    audit = _audit(request, public_id, "audits.change_audit")
    form = AuditVisitForm(request.POST, staff=selectors.audit_staff(audit.provider.school))
    try:
        if not form.is_valid():
            raise ValidationError([f"{form.fields[f].label}: {e}" for f, errs in form.errors.items() for e in errs])
        services.audit_details_update(actor=request.user, audit=audit, **form.cleaned_data)
    except ValidationError as error:
        _show_errors(request, error)
    else:
        messages.success(request, "Visit details saved.")
    return redirect("audits:detail", audit.public_id)


@require_POST
def audit_decision(request: AuthedRequest, public_id) -> HttpResponse:
    """Save the suitability decision (as you go with htmx, or with the button)."""
    audit = _audit(request, public_id, "audits.change_audit")
    form = AuditDecisionForm(request.POST, audit=audit)
    form.is_valid()  # both fields may be left blank until sign-off, which insists on them
    try:
        services.audit_decision_save(
            actor=request.user,
            audit=audit,
            suitable=form.cleaned_data["suitable"],
            reasons=form.cleaned_data["reasons"],
        )
    except ValidationError as error:
        if request.htmx:
            return render(request, "audits/partials/save_status.html", {"errors": error.messages})
        return _errors_at_decision(request, audit.public_id, "The decision was not saved:", error)
    if request.htmx:
        return render(request, "audits/partials/save_status.html", {"saved_at": timezone.localtime()})
    messages.success(request, "Decision saved.")
    return redirect(reverse("audits:detail", args=[audit.public_id]) + "#decision")


@require_POST
def audit_sign_off(request: AuthedRequest, public_id) -> HttpResponse:
    audit = _audit(request, public_id, "audits.sign_off_audit")
    try:
        services.audit_sign_off(actor=request.user, audit=audit)
    except ValidationError as error:
        return _errors_at_decision(request, audit.public_id, "The audit cannot be signed off yet:", error)
    messages.success(request, "Audit signed off. It is now read-only.")
    return redirect("audits:detail", audit.public_id)


@require_POST
def audit_correct(request: AuthedRequest, public_id) -> HttpResponse:
    audit = _audit(request, public_id, "audits.change_audit")
    try:
        correction = services.audit_correct(actor=request.user, audit=audit)
    except ValidationError as error:
        _show_errors(request, error)
        return redirect("audits:detail", audit.public_id)
    messages.success(
        request, f"Version {correction.version} started. Version {audit.version} stands until it is signed off."
    )
    return redirect("audits:detail", correction.public_id)


def audit_report(request: AuthedRequest, public_id) -> HttpResponse:
    audit = _audit(request, public_id)
    content = audit_report_pdf(audit=audit)
    record_access_log(request, audit, "download")
    filename = f"AP audit - {audit.provider.name} - {audit.visit_date:%Y-%m-%d} v{audit.version}.pdf"
    return pdf_response(content, filename)


def audit_history(request: AuthedRequest, public_id) -> HttpResponse:
    audit = _audit(request, public_id)
    back_url = reverse("audits:detail", args=[audit.public_id])
    return history_page(request, audit, record_label=str(audit), back_url=back_url)
