"""Two-factor sign-in (ASVS 6.3.3): an authenticator app (TOTP) plus one-time backup codes.

Enrolment happens once per person; every later sign-in asks for a code before any page with
data. Changing the second factor asks for the password again (ASVS 7.5.1) and, once a person has
a device, a session verified with it (or a backup code): a stolen password alone never replaces
the device. A lost device is reset by the head or a superuser, logged and notified
(docs/security.md#two-factor-sign-in).
"""

from __future__ import annotations

import base64

import segno
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django_otp import login as otp_login
from django_otp import user_has_device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

BACKUP_CODE_COUNT = 10


def two_factor_enrolled(user) -> bool:
    return user_has_device(user, confirmed=True)


def may_change_second_factor(request) -> bool:
    """A person with no device yet may set one up; a person with one must have used it this session."""
    return not two_factor_enrolled(request.user) or request.user.is_verified()


def second_factor_change_check(request) -> None:
    if not may_change_second_factor(request):
        raise PermissionDenied("Enter a code from your authenticator app (or a backup code) first.")


def totp_device_pending(*, user) -> TOTPDevice:
    """The unconfirmed authenticator being set up (one at a time; created on first visit)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    return device or TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=False)


def totp_secret(device: TOTPDevice) -> str:
    """The key in the base32 form authenticator apps accept when typed by hand."""
    return base64.b32encode(device.bin_key).decode().rstrip("=")


def totp_qr_data_uri(device: TOTPDevice) -> str:
    # An SVG data: URL: rendered on the server, allowed by the CSP (img-src data:), no JS.
    return segno.make(device.config_url, error="m").svg_data_uri(scale=5, border=2)


@transaction.atomic
def totp_device_confirm(*, request, device: TOTPDevice, token: str) -> list[str] | None:
    """Confirm the authenticator with a code from it; return fresh backup codes, or None if wrong."""
    second_factor_change_check(request)
    if not device.verify_token(token):
        return None
    TOTPDevice.objects.filter(user=device.user, confirmed=True).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    otp_login(request, device)
    return backup_codes_generate(user=device.user)


@transaction.atomic
def backup_codes_generate(*, user) -> list[str]:
    """Replace the user's backup codes; each works once. Shown once, never stored in clear elsewhere."""
    device, _ = StaticDevice.objects.get_or_create(user=user, defaults={"name": "Backup codes"})
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(BACKUP_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def backup_codes_left(*, user) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def two_factor_verify(*, request, token: str) -> bool:
    """Check a code from the authenticator or a backup code, and mark the session verified."""
    token = token.replace(" ", "").strip()
    for model in (TOTPDevice, StaticDevice):
        for device in model.objects.devices_for_user(request.user, confirmed=True):
            with transaction.atomic():  # verify_token throttles repeated failures (1, 2, 4… s)
                if device.verify_token(token):
                    otp_login(request, device)
                    return True
    return False


@transaction.atomic
def two_factor_reset(*, request, user, school=None) -> None:
    """A lost device: remove the person's authenticator and backup codes so their next sign-in sets
    up a new one. Only the head of their school or a superuser does this, and it is logged."""
    from apcase.models import RecordAccess
    from apcase.services import people_change_notify

    if not request.user.has_perm("apcase.reset_sign_in", user):
        raise PermissionDenied("Only the headteacher or an administrator resets someone's two-factor sign-in.")
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    people_change_notify(
        request=request,
        person=user,
        school=school,
        title=f"{user}: two-factor sign-in reset after a lost device (by {request.user})",
        action=RecordAccess.Action.TWO_FACTOR_RESET,
    )
