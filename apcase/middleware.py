from __future__ import annotations

import time

from django.conf import settings
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import Resolver404, resolve, reverse
from django.utils.http import urlencode

SESSION_SIGNED_IN_AT = "apcase_signed_in_at"
SESSION_TOUCHED_AT = "apcase_touched_at"
# The idle limit slides with activity; re-saving the session once a minute is precise enough and
# spares every other request three queries.
TOUCH_EVERY_SECONDS = 60
SESSION_SCHOOL = "apcase_school_id"


def stamp_sign_in(sender, request, user, **kwargs):
    """user_logged_in receiver: the absolute session limit counts from the moment of sign-in."""
    request.session[SESSION_SIGNED_IN_AT] = time.time()


class SessionLifetimeMiddleware:
    """Sign out a session older than SESSION_MAX_HOURS however active it is (ASVS 7.3.2).

    The idle limit is the session's age, renewed by re-saving it at most once a minute.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = time.time()
            signed_in_at = request.session.setdefault(SESSION_SIGNED_IN_AT, now)
            if now - signed_in_at > settings.SESSION_MAX_HOURS * 3600:
                logout(request)
                return redirect(reverse("login") + "?expired=1")
            if now - request.session.get(SESSION_TOUCHED_AT, 0) > TOUCH_EVERY_SECONDS:
                request.session[SESSION_TOUCHED_AT] = now  # saved with a fresh idle expiry
        return self.get_response(request)


class CurrentSchoolMiddleware:
    """request.school: the school the user is working in (chosen from the ones they belong to)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.school = None
        if request.user.is_authenticated:
            from apcase.selectors import school_current

            request.school = school_current(user=request.user, wanted_id=request.session.get(SESSION_SCHOOL))
        return self.get_response(request)


class NoStoreMiddleware:
    """Pages for signed-in users carry pupil data: no browser or proxy may keep a copy (ASVS 14.3.2)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.user.is_authenticated or request.path.startswith("/accounts/"):
            response["Cache-Control"] = "no-store, private"
            response["Pragma"] = "no-cache"
        return response


class OTPRequiredMiddleware:
    """With OTP_REQUIRED on, a signed-in user reaches nothing but the two-factor pages (and sign
    out) until they have entered a code this session (ASVS 6.3.3). The back office included.
    Setting up a device is open only to someone who has none: otherwise a password alone would
    replace the owner's device."""

    ALLOWED = {"two_factor_verify", "logout", "healthz", "login"}

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if settings.OTP_REQUIRED and request.user.is_authenticated and not request.user.is_verified():
            match = resolve_or_none(request.path_info)
            if match is None or match.view_name not in self.ALLOWED:
                from apcase.two_factor import two_factor_enrolled

                target = "two_factor_verify" if two_factor_enrolled(request.user) else "two_factor_setup"
                if match is not None and match.view_name == target:
                    return self.get_response(request)
                return redirect(f"{reverse(target)}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)


def resolve_or_none(path: str):
    try:
        return resolve(path)
    except Resolver404:
        return None


class SharedCalendarsMiddleware:
    """Each school's term calendar loads at most once per request (see apcase.calendar)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from apcase.calendar import calendars_shared

        with calendars_shared():
            return self.get_response(request)
