"""/trust/: a trust lead's view across the trust's schools; /la/: a local authority officer's view of
what its schools sent it (docs/oversight.md)."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header, urlencode
from django.views.decorators.http import require_GET, require_POST

from apcase.access import record_access_log
from apcase.http import AuthedRequest
from apcase.models import LocalAuthority, RecordAccess, Trust
from apcase.pdf import render_pdf
from apcase.views import pdf_response
from audits.models import ProviderOrganisation
from audits.selectors import la_visits_of, organisations_used_in
from audits.services import la_quality_visit_record
from oversight.access import la_of, require_la, require_trust, trust_schools
from oversight.forms import AcknowledgeForm, LAQualityVisitForm
from oversight.la import (
    CME_RUN_SESSIONS,
    EXPIRING_WITHIN,
    la_directory,
    la_figures,
    la_organisation,
    missing_education,
    notifications_received,
)
from oversight.trust import trust_dashboard
from placements.models import LANotification
from placements.services import la_notification_acknowledge
from pupils.views import submit_form
from reports.forms import PeriodForm
from reports.governors import HeadlineTable, headline_table
from reports.periods import YEAR_TO_DATE, report_periods
from reports.suppression import PUBLISHED


def _in_school(name: str, **query) -> str:
    return reverse(name) + (f"?{urlencode(query)}" if query else "")


# The list behind each figure; a figure opens it in its own school (the switch takes `next`).
TRUST_LINKS = {
    "running": ("placements:list", {"group": "running"}),
    "notices": ("placements:list", {"attention": "notice"}),
    "reviews_overdue": ("reviews:list", {"view": "overdue"}),
    "year": ("reports:governors", {}),
}


@require_GET
def trust_page(request: AuthedRequest) -> HttpResponse:
    trust = require_trust(request.user)
    dashboard = trust_dashboard(user=request.user, trust=trust, today=timezone.localdate())
    links = {key: _in_school(name, **query) for key, (name, query) in TRUST_LINKS.items()}
    return render(request, "oversight/trust.html", {"dashboard": dashboard, "links": links})


def _board_report(request: AuthedRequest) -> tuple[Trust, HeadlineTable, PeriodForm]:
    """The governors' report's headline figures per school and for the trust, as published: the
    board's papers leave leaders' hands, so small groups are suppressed (reports/suppression.py)."""
    trust = require_trust(request.user)
    schools = trust_schools(request.user, trust)
    today = timezone.localdate()
    periods = report_periods(schools[0], today) if schools else []
    key = request.GET.get("period") or YEAR_TO_DATE
    form = PeriodForm(initial={"period": key}, periods=periods)
    return trust, headline_table(schools=schools, key=key, today=today, disclosure=PUBLISHED), form


@require_GET
def trust_report(request: AuthedRequest) -> HttpResponse:
    trust, table, form = _board_report(request)
    pdf = reverse("oversight:trust_report_pdf") + (
        f"?{urlencode({'period': key})}" if (key := request.GET.get("period")) else ""
    )
    return render(request, "oversight/trust_report.html", {"trust": trust, "table": table, "form": form, "pdf": pdf})


@require_GET
def trust_report_pdf(request: AuthedRequest) -> HttpResponse:
    """The same report as an A4 PDF for the board's papers (rendered on request: it is small)."""
    trust, table, _form = _board_report(request)
    content = render_pdf("letters/trust_report.html", {"trust": trust, "table": table, "made_at": timezone.now()})
    return pdf_response(content, f"AP report to the trust board – {trust.name} – {timezone.localdate():%Y-%m-%d}.pdf")


@require_GET
def la_page(request: AuthedRequest) -> HttpResponse:
    local_authority = require_la(request.user)
    missing = missing_education(local_authority, today=timezone.localdate())
    context = {
        "local_authority": local_authority,
        "figures": la_figures(local_authority),
        "missing": missing,
        "cme_total": sum(row.placements for row in missing),
        "cme_sessions": CME_RUN_SESSIONS,
        "latest": notifications_received(local_authority)[:10],
        "providers": organisations_used_in(local_authority).count(),
    }
    return render(request, "oversight/la.html", context)


@require_GET
def la_notifications(request: AuthedRequest) -> HttpResponse:
    local_authority = require_la(request.user)
    page = Paginator(notifications_received(local_authority), settings.PAGINATE_BY).get_page(request.GET.get("page"))
    return render(request, "oversight/la_notifications.html", {"local_authority": local_authority, "page_obj": page})


def _received(request: AuthedRequest, public_id) -> LANotification:
    """A notification sent to the officer's LA; for anyone else it does not exist (404), as another
    school's record does not."""
    local_authority = la_of(request.user)
    try:
        if local_authority is None:
            raise LANotification.DoesNotExist
        return notifications_received(local_authority).get(public_id=public_id)
    except LANotification.DoesNotExist:
        raise Http404("No such notification was sent to your authority.") from None


@require_GET
def la_notification_letter(request: AuthedRequest, public_id) -> HttpResponse:
    notification = _received(request, public_id)
    record_access_log(request, notification, RecordAccess.Action.DOWNLOAD)
    response = HttpResponse(notification.document.read_bytes(), content_type="application/pdf")
    name = f"la-notification-{notification.created_at:%Y%m%d}-{notification.placement.school.urn}.pdf"
    disposition = content_disposition_header(as_attachment=True, filename=name)
    assert disposition is not None  # None only for an inline, unnamed file
    response["Content-Disposition"] = disposition
    return response


@require_POST
def la_notification_acknowledge_page(request: AuthedRequest, public_id) -> HttpResponse:
    notification = _received(request, public_id)
    form = AcknowledgeForm(request.POST)
    done = submit_form(
        request,
        form,
        lambda: la_notification_acknowledge(actor=request.user, notification=notification, **form.cleaned_data),
    )
    if done is not None:
        messages.success(request, "Acknowledged: the school sees it on the placement.")
    for error in form.non_field_errors() + form.errors.get("reference", []):
        messages.error(request, str(error))
    return redirect("oversight:la_notifications")


@require_GET
def la_providers(request: AuthedRequest) -> HttpResponse:
    """The providers the authority's schools use, with every school's clearance of each."""
    local_authority = require_la(request.user)
    directory = la_directory(local_authority, today=timezone.localdate())
    context = {"local_authority": local_authority, "directory": directory, "expiring_days": EXPIRING_WITHIN.days}
    return render(request, "oversight/la_providers.html", context)


def _organisation(request: AuthedRequest, public_id) -> tuple[LocalAuthority, ProviderOrganisation]:
    """A provider the officer's schools list; for anyone else it does not exist (404)."""
    local_authority = la_of(request.user)
    try:
        if local_authority is None:
            raise ProviderOrganisation.DoesNotExist
        return local_authority, la_organisation(local_authority, public_id)
    except ProviderOrganisation.DoesNotExist:
        raise Http404("No school of your authority uses this provider.") from None


@require_GET
def la_provider(request: AuthedRequest, public_id) -> HttpResponse:
    local_authority, organisation = _organisation(request, public_id)
    [entry] = la_directory(local_authority, today=timezone.localdate(), organisation=organisation)
    context = {
        "local_authority": local_authority,
        "entry": entry,
        "expiring_days": EXPIRING_WITHIN.days,
        "la_visits": list(la_visits_of([organisation.pk])),
        "la_visits_intro": "Every authority's visits of this provider, yours and others', newest first.",
    }
    return render(request, "oversight/la_provider.html", context)


def la_visit_new(request: AuthedRequest, public_id) -> HttpResponse:
    organisation = _organisation(request, public_id)[1]
    form = LAQualityVisitForm(request.POST or None)
    visit = submit_form(
        request,
        form,
        lambda: la_quality_visit_record(actor=request.user, organisation=organisation, **form.cleaned_data),
    )
    if visit is not None:
        messages.success(request, "The visit is recorded: schools that use the provider see it on its page.")
        return redirect("oversight:la_provider", organisation.public_id)
    return render(request, "oversight/la_visit_form.html", {"form": form, "organisation": organisation})
