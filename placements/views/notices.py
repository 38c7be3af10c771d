"""The parent notice of a direction off-site: prepare and check it, issue it, and download it."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from apcase.access import get_object_for_user, record_access_log, require_perm
from apcase.views import download_name, pdf_response
from placements.forms import AmendedNoticeForm, NoticeIssueForm
from placements.models import AmendedNotice, ParentNotice
from placements.notice import notice_pdf, notice_recipients
from placements.selectors import notice_state
from placements.services import parent_notice_amend, parent_notice_issue
from placements.views.placements import placement_for
from pupils.views import submit_form


def _not_a_direction(placement) -> None:
    if not placement.notice_required:
        raise Http404("This placement is not a direction off-site, so it has no parent notice.")


def notice_page(request: HttpRequest, public_id) -> HttpResponse:
    """What the notice must state and whether the placement states it, the deadline, the
    recipients, a draft to read, and the form that issues it; once issued, what has changed since
    and the form that issues an amended notice."""
    placement = placement_for(request, public_id, "placements.view_placement_record")
    _not_a_direction(placement)
    record_access_log(request, placement)
    state = notice_state(placement, timezone.localdate())
    if request.method == "POST":
        require_perm(request, "placements.issue_notice", placement)
    if state.issued:
        form = AmendedNoticeForm(request.POST or None)
        issue = lambda: parent_notice_amend(actor=request.user, placement=placement, **form.cleaned_data)  # noqa: E731
    else:
        form = NoticeIssueForm(request.POST or None)
        issue = lambda: parent_notice_issue(actor=request.user, placement=placement, **form.cleaned_data)  # noqa: E731
    if submit_form(request, form, issue) is not None:
        what = "amended notice" if state.issued else "notice"
        messages.success(request, f"The {what} is issued and the copy sent is kept with the placement.")
        return redirect("placements:notice", placement.public_id)
    can_issue = request.user.has_perm("placements.issue_notice", placement)
    context = {
        "placement": placement,
        "pupil": placement.pupil,
        "state": state,
        "form": form,
        "can_issue": can_issue and placement.status == placement.Status.APPROVED,
        "can_amend": can_issue and state.superseded and placement.is_in_force,
    }
    return render(request, "placements/notice.html", context, status=400 if form.errors else 200)


def notice_download(request: HttpRequest, public_id) -> HttpResponse:
    """The stored copy once issued, byte for byte; before that, a watermarked draft."""
    placement = placement_for(request, public_id, "placements.view_placement_record")
    _not_a_direction(placement)
    record_access_log(request, placement, "download")
    issued = ParentNotice.objects.select_related("document").filter(placement=placement).first()
    if issued is not None and not issued.document.file:
        messages.info(request, "The letter as issued was removed at the end of the pupil's retention period.")
        return redirect("placements:notice", public_id=placement.public_id)
    initials = placement.pupil.initials
    if issued is not None:
        return pdf_response(issued.document.read_bytes(), download_name("Parent notice", initials, issued.issued_on))
    recipients = notice_recipients(placement)
    content = notice_pdf(placement, letter_date=timezone.localdate(), recipients=recipients, draft=True)
    return pdf_response(content, download_name("Parent notice", initials, None, draft=True))


def amended_notice_download(request: HttpRequest, public_id) -> HttpResponse:
    """An amended notice as issued, byte for byte."""
    amended = get_object_for_user(
        request,
        AmendedNotice.objects.select_related("document", "placement__pupil"),
        public_id,
        "placements.view_placement_record",
    )
    record_access_log(request, amended.placement, "download")
    if not amended.document.file:
        messages.info(request, "The letter as issued was removed at the end of the pupil's retention period.")
        return redirect("placements:notice", public_id=amended.placement.public_id)
    name = download_name("Amended parent notice", amended.placement.pupil.initials, amended.issued_on)
    return pdf_response(amended.document.read_bytes(), name)
