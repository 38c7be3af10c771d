"""The parent notice of a direction off-site (prepare and check it, issue it, download it) and the
notification of a placement to the local authority."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from apcase.access import record_access_log, require_perm
from apcase.http import AuthedRequest
from apcase.views import download_name, pdf_response
from placements.forms import NoticeAmendForm, NoticeIssueForm
from placements.models import ParentNotice
from placements.notice import notice_pdf, notice_recipients
from placements.selectors import notice_state
from placements.services import parent_notice_amend, parent_notice_issue, placement_la_notify
from placements.views.placements import placement_for
from pupils.views import submit_form


def _not_a_direction(placement) -> None:
    if not placement.notice_required:
        raise Http404("This placement is not a direction off-site, so it has no parent notice.")


def notice_page(request: AuthedRequest, public_id) -> HttpResponse:
    """What the notice must state and whether the placement states it, the deadline, the
    recipients, a draft to read, and the form that issues it."""
    placement = placement_for(request, public_id, "placements.view_placement_record")
    _not_a_direction(placement)
    record_access_log(request, placement)
    form = NoticeIssueForm(request.POST or None, placement=placement)
    if request.method == "POST":
        require_perm(request, "placements.issue_notice", placement)
    issued = submit_form(
        request, form, lambda: parent_notice_issue(actor=request.user, placement=placement, **form.cleaned_data)
    )
    if issued is not None:
        messages.success(request, "The notice is issued and the copy sent is kept with the placement.")
        return redirect("placements:notice", placement.public_id)
    return _notice_page(request, placement, form, NoticeAmendForm())


def _notice_page(request: AuthedRequest, placement, form, amend_form) -> HttpResponse:
    can_issue = request.user.has_perm("placements.issue_notice", placement)
    context = {
        "placement": placement,
        "pupil": placement.pupil,
        "state": notice_state(placement, timezone.localdate()),
        "form": form,
        "amend_form": amend_form,
        "can_issue": can_issue and placement.status == placement.Status.APPROVED,
        "can_amend": can_issue,
    }
    status = 400 if form.errors or amend_form.errors else 200
    return render(request, "placements/notice.html", context, status=status)


@require_POST
def notice_amend(request: AuthedRequest, public_id) -> HttpResponse:
    """Send each recipient what has changed since the notice, through the outbox."""
    placement = placement_for(request, public_id, "placements.issue_notice")
    _not_a_direction(placement)
    form = NoticeAmendForm(request.POST)
    sent = submit_form(
        request, form, lambda: parent_notice_amend(actor=request.user, placement=placement, **form.cleaned_data)
    )
    if sent is not None:
        messages.success(
            request, f"The amended notice is on its way to {len(sent)} recipient{'s' if len(sent) != 1 else ''}."
        )
        return redirect("placements:notice", placement.public_id)
    return _notice_page(request, placement, NoticeIssueForm(placement=placement), form)


def notice_download(request: AuthedRequest, public_id) -> HttpResponse:
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


@require_POST
def la_notify(request: AuthedRequest, public_id) -> HttpResponse:
    """Notify the LA: the letter is stored and the LA receives it (docs/oversight.md)."""
    placement = placement_for(request, public_id, "placements.notify_la")
    try:
        notification = placement_la_notify(actor=request.user, placement=placement)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(
            request, f"{notification.local_authority.name} is notified; the letter is kept with the placement."
        )
    return redirect(placement)
