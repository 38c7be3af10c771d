"""The request a signed-in page receives, as the type checker should see it (docs/typing.md)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.http import HttpRequest

if TYPE_CHECKING:
    from django_htmx.middleware import HtmxDetails

    from apcase.models import School, User


class AuthedRequest(HttpRequest):
    """Annotation for views: LoginRequiredMiddleware lets only a signed-in User reach them,
    CurrentSchoolMiddleware adds the school they work in, and django-htmx adds `htmx`."""

    user: User
    school: School | None
    htmx: HtmxDetails
