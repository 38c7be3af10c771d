"""The headteacher's approvals inbox: what is waiting (oldest first, with its facts) and what
was decided recently; approve or decline with reasons on the same screen."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from apcase.access import get_object_for_user, require_perm
from apcase.http import AuthedRequest
from pupils.approvals import approval_kind
from pupils.forms import DecisionForm
from pupils.models import Approval
from pupils.selectors import approvals_pending_for_user, approvals_recently_decided_for_user
from pupils.services import approval_decide
from pupils.views import submit_form


def approval_inbox(request: AuthedRequest, failed: tuple[Approval, DecisionForm] | None = None) -> HttpResponse:
    require_perm(request, "pupils.decide_approval")
    items = approvals_pending_for_user(user=request.user)
    forms = {item.approval.pk: DecisionForm(prefix=str(item.approval.public_id), check=item.check) for item in items}
    if failed is not None:
        approval, form = failed
        if approval.pk in forms:
            forms[approval.pk] = form
        else:  # decided by someone else meanwhile: say so at the top
            for message in form.non_field_errors():
                messages.error(request, str(message))
    context = {
        "items": [(item, forms[item.approval.pk]) for item in items],
        "recent": approvals_recently_decided_for_user(user=request.user),
    }
    return render(request, "pupils/approval_inbox.html", context, status=400 if failed else 200)


@require_POST
def approval_decide_view(request: AuthedRequest, public_id) -> HttpResponse:
    approval = get_object_for_user(request, Approval.objects.all(), public_id, "pupils.decide_approval")
    check = approval_kind(approval.kind).check_for(approval.subject, timezone.localdate())
    form = DecisionForm(request.POST, prefix=str(approval.public_id), check=check)

    def decide() -> Approval:
        approve = form.cleaned_data["decision"] == "approve"
        return approval_decide(
            approval=approval,
            actor=request.user,
            approve=approve,
            reasons=form.cleaned_data["reasons"],
            answers=form.answers,
        )

    decided = submit_form(request, form, decide)
    if decided is None:
        return approval_inbox(request, failed=(approval, form))
    messages.success(request, f"{decided.get_status_display()}: {decided.summary}.")
    return redirect("approvals:inbox")
