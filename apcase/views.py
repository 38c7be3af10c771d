from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template.defaultfilters import pluralize
from django.urls import reverse
from django.utils.http import content_disposition_header, url_has_allowed_host_and_scheme, urlencode
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from apcase import health, two_factor
from apcase.access import current_school, get_object_for_user, record_access_log, require_perm, roles_by_school
from apcase.exports import EXPORTS, export_filename, export_job_create
from apcase.forms import (
    PasswordConfirmForm,
    PersonRolesForm,
    PreferencesForm,
    SchoolSettingsForm,
    TOTPSetupForm,
    TwoFactorVerifyForm,
)
from apcase.history import history_entries
from apcase.http import AuthedRequest
from apcase.middleware import SESSION_SCHOOL
from apcase.models import ExportJob, Notification, RecordAccess, Role, School
from apcase.selectors import notification_list_for_user, people_list_for_school, person_for_head
from apcase.services import (
    notification_mark_read,
    notifications_mark_all_read,
    person_roles_set,
    school_settings_update,
    user_password_reset_send,
)


@login_not_required
@require_GET
@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    status = {"database": health.database_status(), "broker": health.broker_status()}
    healthy = status["database"] == "ok" and not status["broker"].startswith("error")
    return JsonResponse({"status": "ok" if healthy else "error", **status}, status=200 if healthy else 503)


@require_POST
def school_switch(request: AuthedRequest) -> HttpResponse:
    try:
        school = School.objects.get(public_id=request.POST.get("school", ""))
    except (School.DoesNotExist, ValidationError):
        raise Http404("No such school.") from None
    if school.pk not in roles_by_school(request.user):
        raise Http404("No such school.")
    request.session[SESSION_SCHOOL] = school.pk
    messages.success(request, f"You are now working in {school.name}.")
    # A trust's figure opens the list behind it in that school (docs/oversight.md).
    return redirect(_safe_next(request))


def account(request: AuthedRequest) -> HttpResponse:
    form = PreferencesForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Your details are saved.")
        return redirect("account")
    return render(request, "apcase/account.html", {"form": form})


def notification_list(request: AuthedRequest) -> HttpResponse:
    page = Paginator(notification_list_for_user(user=request.user), 25).get_page(request.GET.get("page"))
    return render(request, "apcase/notifications.html", {"page_obj": page})


@require_POST
def notification_open(request: AuthedRequest, public_id) -> HttpResponse:
    notification = get_object_for_user(request, Notification.objects.all(), public_id)
    notification_mark_read(notification=notification)
    if notification.link and url_has_allowed_host_and_scheme(notification.link, allowed_hosts=None):
        return redirect(notification.link)
    return redirect("notifications")


@require_POST
def notification_read_all(request: AuthedRequest) -> HttpResponse:
    count = notifications_mark_all_read(user=request.user)
    messages.success(request, f"{count} notification{'s' if count != 1 else ''} marked as read.")
    return redirect("notifications")


def history_page(request: AuthedRequest, obj, *, record_label: str, back_url: str) -> HttpResponse:
    """Render any record's change history; the calling view has already checked access."""
    context = {"entries": history_entries(obj), "record_label": record_label, "back_url": back_url}
    return render(request, "apcase/history.html", context)


def _safe_next(request: AuthedRequest) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(candidate, allowed_hosts={request.get_host()}):
        return candidate
    return "/"


def two_factor_status(request: AuthedRequest) -> HttpResponse:
    context = {
        "enrolled": two_factor.two_factor_enrolled(request.user),
        "backup_codes_left": two_factor.backup_codes_left(user=request.user),
    }
    return render(request, "accounts/two_factor_status.html", context)


def _verify_first(request: AuthedRequest) -> HttpResponse:
    """A person with a device changes it only from a session verified with it (or a backup code)."""
    messages.info(request, "Enter a code from your authenticator app (or a backup code) before changing it.")
    return redirect(f"{reverse('two_factor_verify')}?{urlencode({'next': request.get_full_path()})}")


def two_factor_setup(request: AuthedRequest) -> HttpResponse:
    if not two_factor.may_change_second_factor(request):
        return _verify_first(request)
    device = two_factor.totp_device_pending(user=request.user)
    form = TOTPSetupForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        codes = two_factor.totp_device_confirm(request=request, device=device, token=form.cleaned_data["token"])
        if codes is not None:
            return render(request, "accounts/backup_codes.html", {"codes": codes, "next": _safe_next(request)})
        form.add_error("token", "That code did not match. Check the time on your phone and try the newest code.")
    context = {
        "form": form,
        "qr": two_factor.totp_qr_data_uri(device),
        "secret": two_factor.totp_secret(device),
        "next": _safe_next(request),
    }
    return render(request, "accounts/two_factor_setup.html", context)


def two_factor_verify(request: AuthedRequest) -> HttpResponse:
    if not two_factor.two_factor_enrolled(request.user):
        return redirect("two_factor_setup")
    form = TwoFactorVerifyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if two_factor.two_factor_verify(request=request, token=form.cleaned_data["token"]):
            return redirect(_safe_next(request))
        form.add_error("token", "That code did not work. Codes change every 30 seconds; each backup code works once.")
    return render(request, "accounts/two_factor_verify.html", {"form": form, "next": _safe_next(request)})


@require_POST
def two_factor_backup_codes(request: AuthedRequest) -> HttpResponse:
    if not two_factor.may_change_second_factor(request):
        return _verify_first(request)
    form = PasswordConfirmForm(request.POST, user=request.user)
    if not form.is_valid():
        return render(request, "accounts/two_factor_status.html", {"enrolled": True, "password_form": form}, status=400)
    codes = two_factor.backup_codes_generate(user=request.user)
    return render(request, "accounts/backup_codes.html", {"codes": codes, "next": reverse("two_factor_status")})


# --- Exports ---------------------------------------------------------------------------------------


@require_POST
def export_start(request: AuthedRequest, kind: str) -> HttpResponse:
    export = EXPORTS.get(kind)
    if export is None:
        raise Http404("No such export.")
    school = current_school(request)
    require_perm(request, export.perm, school)
    job = export_job_create(user=request.user, school=school, kind=kind, params=request.GET.dict())
    return redirect("export_status", public_id=job.public_id)


def export_status(request: AuthedRequest, public_id) -> HttpResponse:
    job = get_object_for_user(request, ExportJob.objects.all(), public_id)
    template = "apcase/partials/export_progress.html" if request.htmx else "apcase/export_status.html"
    return render(request, template, {"job": job, "label": EXPORTS[job.kind].label})


def export_download(request: AuthedRequest, public_id) -> HttpResponse:
    job = get_object_for_user(request, ExportJob.objects.filter(status=ExportJob.Status.DONE), public_id)
    record_access_log(request, job, RecordAccess.Action.DOWNLOAD)
    response = HttpResponse(job.document.read_bytes(), content_type=job.document.content_type)
    response["Content-Disposition"] = f'attachment; filename="{export_filename(job, job.document)}"'
    return response


# --- People and roles (the head's; docs/security.md#people-and-roles) -------------------------------


def school_settings(request: AuthedRequest) -> HttpResponse:
    """The school's own settings: the morning cut-off and the chase's escalation, the provider
    contact interval, and whether e-mails name pupils in full."""
    school = current_school(request)
    require_perm(request, "apcase.change_school_settings", school)
    form = SchoolSettingsForm(request.POST or None, instance=school)
    if request.method == "POST" and form.is_valid():
        school_settings_update(actor=request.user, school=school, **form.cleaned_data)
        messages.success(request, "The school's settings are saved.")
        return redirect("school_settings")
    context = {"form": form, "school": school}
    return render(request, "apcase/school_settings.html", context, status=400 if form.errors else 200)


def people_list(request: AuthedRequest) -> HttpResponse:
    school = current_school(request)
    require_perm(request, "apcase.manage_people", school)
    page = Paginator(people_list_for_school(school=school), 50).get_page(request.GET.get("page"))
    return render(request, "apcase/people.html", {"page_obj": page, "school": school})


def people_person(request: AuthedRequest, public_id) -> HttpResponse:
    person = person_for_head(request=request, public_id=public_id)
    held = [m.role for m in person.roles_here if m.is_active and not m.trust_wide]
    form = PersonRolesForm(request.POST or None, initial={"roles": held})
    if request.method == "POST" and form.is_valid():
        try:
            changes = person_roles_set(
                request=request, person=person, school=current_school(request), roles=set(form.cleaned_data["roles"])
            )
        except ValidationError as error:
            form.add_error("roles", error)
        else:
            messages.success(request, f"{person}'s roles are saved ({len(changes)} change{pluralize(len(changes))}).")
            return redirect("people_person", public_id=person.public_id)
    context = {"person": person, "form": form, "trust_wide": [m for m in person.roles_here if m.trust_wide]}
    return render(request, "apcase/person.html", context)


@require_POST
def people_password_reset(request: AuthedRequest, public_id) -> HttpResponse:
    person = person_for_head(request=request, public_id=public_id)
    if not person.email:
        messages.error(request, f"{person} has no e-mail address: ask the school office to add one first.")
    else:
        user_password_reset_send(request=request, user=person, school=request.school)
        messages.success(request, f"A password reset link is on its way to {person.email}.")
    return redirect("people_person", public_id=person.public_id)


@require_POST
def people_two_factor_reset(request: AuthedRequest, public_id) -> HttpResponse:
    person = person_for_head(request=request, public_id=public_id)
    two_factor.two_factor_reset(request=request, user=person, school=request.school)
    messages.success(request, f"{person} will set up a new authenticator app at their next sign-in.")
    return redirect("people_person", public_id=person.public_id)


def download_name(what: str, initials: str, day, *, draft: bool = False) -> str:
    """A pupil's letter named for what it is, whose (initials only: a file name travels) and its
    date: "Parent notice – JC – 2026-11-20.pdf" (ISO dates sort in a folder)."""
    dated = f" – {day:%Y-%m-%d}" if day else ""
    return f"{what} – {initials}{dated}{' – DRAFT' if draft else ''}.pdf"


def pdf_response(content: bytes, filename: str) -> HttpResponse:
    """A PDF to download under a name that says what it is: Content-Disposition carries an ASCII
    fallback and the UTF-8 name (RFC 5987 filename*), so "–" and accents survive."""
    response = HttpResponse(content, content_type="application/pdf")
    disposition = content_disposition_header(as_attachment=True, filename=filename)
    assert disposition is not None  # None only for an inline, unnamed file
    response["Content-Disposition"] = disposition
    response["X-Content-Type-Options"] = "nosniff"
    return response


# What to do about a refused page, by the role the user holds (issue 13 D3): the advice names
# someone who can help, never the user themselves.
ACCESS_ADVICE = {
    Role.HEAD: "This belongs to another role, such as the DSL or the office, or to the trust. You give roles at "
    "your school on the People page; the trust gives trust-wide ones.",
    Role.SENDCO: "Some steps are the headteacher's alone, such as approving a placement. Ask the headteacher.",
    Role.DSL: "Placement plans and decisions are the SENDCo's and the headteacher's. Ask the SENDCo.",
    Role.OFFICE: "The office keeps the register and pupils' details; referrals and placement plans are for the "
    "SENDCo and the headteacher. Ask the SENDCo.",
    Role.TEACHER: "Teachers see the referrals they raised and the placements of pupils they teach. Ask the SENDCo "
    "if you need to know more about a pupil.",
    Role.GOVERNOR: "Governors see the governors' report, not pupils' records. Ask the headteacher if a meeting "
    "needs more.",
}
NO_ROLE_ADVICE = "You have no role at this school yet. Ask the headteacher to give you one."


def access_advice(roles) -> str:
    """The advice for the user's widest role at the school (the first in ACCESS_ADVICE they hold)."""
    return next((advice for role, advice in ACCESS_ADVICE.items() if role in roles), NO_ROLE_ADVICE)


def permission_denied(request: HttpRequest, exception=None) -> HttpResponse:
    """The 403 page, with advice that fits the user's role at the school they are in."""
    school = getattr(request, "school", None)
    roles = (
        roles_by_school(request.user).get(school.pk, frozenset()) if school and request.user.is_authenticated else ()
    )
    # The reason the code gave, said once ("Your role does not allow this." twice read badly).
    refusal = str(exception or "") or "Your role does not allow this page or action."
    context = {"refusal": refusal, "advice": access_advice(roles)}
    return render(request, "403.html", context, status=403)
