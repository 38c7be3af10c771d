"""Pages of the pupils app: pupils and contacts, the CSV import, referrals, and approvals.

Each view is thin: access helper, form, service, redirect.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError


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
