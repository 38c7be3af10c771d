"""Pages of the pupils app: pupils and contacts, the CSV import, referrals, and approvals.

Each view is thin: access helper, form, service, redirect.
"""

from __future__ import annotations

import uuid

from django.core.exceptions import ValidationError

from apcase.services import AlreadySubmitted, form_submission_claim, form_submission_made

ONCE = "once"  # the hidden one-time token's name (templates/partials/form.html)


def submit_form(request, form, call):
    """For a POST whose form is valid, call the service and return its result.

    Returns None for a GET, an invalid form, or a service that refused: its ValidationError is
    put on the form, so the page shows what to fix instead of failing.
    """
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        return call()
    except ValidationError as error:
        if hasattr(error, "error_dict"):
            for field, errors in error.error_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            form.add_error(None, error)
        return None


def _token(value: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(value)
    except ValueError:
        return None


def posted_once_token(request) -> uuid.UUID | None:
    """The one-time token a POST carries (partials/form.html, {% once_token %}); None for a GET, a
    page from before tokens or a client that sends none."""
    return _token(request.POST.get(ONCE, "")) if request.method == "POST" else None


def submit_once(request, form, call):
    """submit_form for a form that makes a record (a referral, a review): the page carries a
    one-time token, so the same form sent twice — a double press, a re-post on reload — returns
    the record the first made, and the view goes on exactly as it did the first time."""
    token = posted_once_token(request)
    form.once_token = token or uuid.uuid4()  # kept across a refusal: nothing was made with it
    if token is None:  # a page from before tokens, or a client that sends none
        return submit_form(request, form, call)
    earlier = form_submission_made(actor=request.user, token=token)
    if earlier is not None:  # before validating: the record it made may now fail the form's own checks
        return earlier
    try:
        return submit_form(request, form, lambda: form_submission_claim(actor=request.user, token=token, make=call))
    except AlreadySubmitted as repeat:
        if repeat.earlier is None:
            form.add_error(None, "This form was sent already and what it made is no longer here. Reload the page.")
        return repeat.earlier
