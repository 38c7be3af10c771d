"""The return to class: the reintegration plan and its versions, agreeing a version, the final
report (and its PDF), and the check-ins after the return."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from apcase.access import record_access_log
from apcase.http import AuthedRequest
from apcase.views import download_name, pdf_response
from pupils.views import submit_form
from reviews import selectors
from reviews.documents import final_report_pdf
from reviews.forms import CheckInForm, FinalReportForm, PlanVersionForm
from reviews.models import FinalReport, PlanVersion
from reviews.services import check_in_record, final_report_save, plan_version_agree
from reviews.views.common import placement_for, placement_form_page


def _plan_url(placement) -> str:
    return reverse("reintegration:plan", kwargs={"public_id": placement.public_id})


def plan_page(request: AuthedRequest, public_id) -> HttpResponse:
    placement = placement_for(request, public_id, "reviews.view_reintegration_plan")
    record_access_log(request, placement)
    user = request.user
    context = {
        "placement": placement,
        "state": selectors.reintegration_state(placement),
        "can_change": user.has_perm("reviews.change_reintegration_plan", placement),
        "reads_report": user.has_perm("reviews.view_final_report", placement),
        "writes_report": user.has_perm("reviews.change_final_report", placement),
        "records_check_ins": user.has_perm("reviews.record_check_in", placement),
    }
    return render(request, "reviews/plan.html", context)


def plan_version_page(request: AuthedRequest, public_id, number: int) -> HttpResponse:
    placement = placement_for(request, public_id, "reviews.view_reintegration_plan")
    record_access_log(request, placement)
    versions = PlanVersion.objects.select_related("agreed_by", "review").filter(plan__placement=placement)
    version = versions.filter(number=number).first()
    if version is None:
        raise Http404("No such version of the plan.")
    return render(request, "reviews/plan_version.html", {"placement": placement, "version": version})


def plan_agree(request: AuthedRequest, public_id) -> HttpResponse:
    placement = placement_for(request, public_id, "reviews.change_reintegration_plan")
    current = selectors.reintegration_state(placement).current
    form = PlanVersionForm(request.POST or None, placement=placement, current=current)
    version = submit_form(
        request, form, lambda: plan_version_agree(actor=request.user, placement=placement, **form.cleaned_data)
    )
    if version is not None:
        messages.success(request, f"Version {version.number} of the plan is agreed.")
        return redirect(_plan_url(placement))
    title = "Change the reintegration plan" if current else "Agree the reintegration plan"
    submit = f"Agree version {current.number + 1 if current else 1}"
    return placement_form_page(request, placement, form, title=title, submit=submit, cancel_url=_plan_url(placement))


def final_report_edit(request: AuthedRequest, public_id) -> HttpResponse:
    placement = placement_for(request, public_id, "reviews.change_final_report")
    report = FinalReport.objects.filter(placement=placement).first()
    form = FinalReportForm(request.POST or None, instance=report)
    if submit_form(
        request, form, lambda: final_report_save(actor=request.user, placement=placement, **form.cleaned_data)
    ):
        messages.success(request, "The final report is saved.")
        return redirect(_plan_url(placement))
    title = "The final report before the return"
    return placement_form_page(
        request, placement, form, title=title, submit="Save the report", cancel_url=_plan_url(placement)
    )


def final_report_download(request: AuthedRequest, public_id) -> HttpResponse:
    placement = placement_for(request, public_id, "reviews.view_final_report")
    report = FinalReport.objects.filter(placement=placement).select_related("prepared_by").first()
    if report is None:
        raise Http404("There is no final report yet.")
    record_access_log(request, placement, "download")
    filename = download_name("Final report", placement.pupil.initials, report.prepared_on)
    return pdf_response(final_report_pdf(placement, report), filename)


def check_in_page(request: AuthedRequest, public_id, weeks: int) -> HttpResponse:
    placement = placement_for(request, public_id, "reviews.record_check_in")
    check_in = placement.check_ins.filter(weeks_after=weeks).first()
    if check_in is None:
        raise Http404("No such check-in for this placement.")
    form = CheckInForm(request.POST or None, instance=check_in)
    if submit_form(request, form, lambda: check_in_record(actor=request.user, check_in=check_in, **form.cleaned_data)):
        messages.success(request, "The check-in is recorded.")
        return redirect(_plan_url(placement))
    title = f"The {weeks}-week check-in after the return (due {check_in.due_on:%d/%m/%Y})"
    return placement_form_page(
        request, placement, form, title=title, submit="Record the check-in", cancel_url=_plan_url(placement)
    )
