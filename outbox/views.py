"""The Outbox page, one message, and how a letter by post or by hand is recorded as gone."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages as flash
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.forms import Form
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_POST

from apcase.access import get_object_for_user, record_access_log, require_perm
from apcase.http import AuthedRequest
from apcase.uploads import private_file_response
from outbox import forms, letters, services
from outbox.models import Message
from outbox.selectors import outbox_counts, outbox_delivery_note, outbox_for_user, outbox_post_batch

# What a person can record about a message: its form, the service, and the words of the result.
# action: (its form, the service that records it, what the page says when it is done)
RECORDS: dict[str, tuple[type[Form], Callable[..., object], str]] = {
    "posted": (forms.PostedForm, services.message_record_posted, "Recorded as posted."),
    "handed": (forms.HandedForm, services.message_record_handed, "Recorded as handed over."),
    "bounced": (
        forms.BouncedForm,
        services.message_record_bounced,
        "Recorded as bounced; it is at the top of the outbox.",
    ),
    "retry": (forms.RetryForm, services.message_retry, "Queued to be sent again."),
}


def outbox_list(request: AuthedRequest) -> HttpResponse:
    require_perm(request, "outbox.view_outbox")
    status = request.GET.get("status", "")
    status = status if status in Message.Status.values else ""
    counts = outbox_counts(user=request.user)
    page = Paginator(outbox_for_user(user=request.user, status=status), 50).get_page(request.GET.get("page"))
    context = {
        "page_obj": page,
        "status": status,
        "statuses": [(value, label, counts[value]) for value, label in Message.Status.choices],
        "delivery_note": outbox_delivery_note(),
        "post_batch": outbox_post_batch(user=request.user),
    }
    return render(request, "outbox/list.html", context)


def _message_for(request: AuthedRequest, public_id, perm: str = "outbox.view_outbox") -> Message:
    queryset = Message.objects.select_related("pupil", "document", "calendar", "created_by")
    return get_object_for_user(request, queryset, public_id, perm)


def message_detail(request: AuthedRequest, public_id) -> HttpResponse:
    message = _message_for(request, public_id)
    record_access_log(request, message)
    allowed = request.user.has_perm("outbox.record_message", message)
    context = {"message": message, "forms": _forms_for(message) if allowed else {}}
    return render(request, "outbox/detail.html", context)


def _forms_for(message: Message, bound: tuple[str, Form] | None = None) -> dict:
    """The forms this message offers now (a bound one in place of its empty twin after an error)."""
    if message.awaits_person:
        names = ["posted"] if message.channel == Message.Channel.POST else ["handed"]
    elif message.channel == Message.Channel.EMAIL:
        names = ["retry"] if message.needs_action else ["bounced"] if message.has_left else []
    else:
        names = []
    built = {name: RECORDS[name][0](prefix=name) for name in names}
    if bound:
        built[bound[0]] = bound[1]
    return built


@require_POST
def message_record(request: AuthedRequest, public_id, action: str) -> HttpResponse:
    if action not in RECORDS:
        raise Http404("No such action.")
    message = _message_for(request, public_id, "outbox.record_message")
    form_class, service, done = RECORDS[action]
    form = form_class(request.POST, prefix=action)
    if form.is_valid():
        try:
            service(actor=request.user, message=message, **form.cleaned_data)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            flash.success(request, done)
            return redirect("outbox:detail", public_id=message.public_id)
    context = {"message": message, "forms": _forms_for(message, (action, form))}
    return render(request, "outbox/detail.html", context, status=400)


def _add_errors(form, error: ValidationError) -> None:
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, errors in error.message_dict.items():
        form.add_error(field if field in form.fields else None, errors)


def message_document(request: AuthedRequest, public_id) -> FileResponse:
    message = _message_for(request, public_id)
    if message.document is None:
        raise Http404("This message carries no document.")
    record_access_log(request, message, "download")
    return private_file_response(message.document.file, f"{message.purpose}.pdf")


def post_batch_pdf(request: AuthedRequest) -> HttpResponse:
    require_perm(request, "outbox.record_message")
    batch = outbox_post_batch(user=request.user)
    if not batch:
        flash.info(request, "No letters are waiting to be posted.")
        return redirect("outbox:list")
    response = HttpResponse(letters.post_batch_pdf(batch), content_type="application/pdf")
    name = f"letters-to-post-{timezone.localdate():%Y-%m-%d}.pdf"
    disposition = content_disposition_header(as_attachment=True, filename=name)
    assert disposition is not None  # None only for an inline, unnamed file
    response["Content-Disposition"] = disposition
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_POST
def post_batch_posted(request: AuthedRequest) -> HttpResponse:
    """Record the letters printed in the batch as posted today (only those listed in the form)."""
    require_perm(request, "outbox.record_message")
    chosen = set(request.POST.getlist("message"))
    batch = [m for m in outbox_post_batch(user=request.user) if str(m.public_id) in chosen]
    for message in batch:
        services.message_record_posted(actor=request.user, message=message, posted_on=timezone.localdate())
    flash.success(request, f"{len(batch)} letter{'s' if len(batch) != 1 else ''} recorded as posted today.")
    return redirect("outbox:list")
