from __future__ import annotations

import uuid

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from apcase.models import Notification, Role
from apcase.tests.factories import MembershipFactory, UserFactory


def test_home_greets_the_user_and_lists_their_schools(client_for, sendco, school, other_school):
    response = client_for(sendco).get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert school.name in html
    assert other_school.name not in html
    assert 'lang="en-GB"' in html
    assert 'href="#main-content"' in html  # skip link


def test_home_explains_what_to_do_without_a_school(client_for, db):
    response = client_for(UserFactory()).get("/")
    assert "You are not a member of any school yet" in response.content.decode()


def test_the_menu_shows_each_role_only_its_sections(client_for, governor, teacher):
    governor_html = client_for(governor).get("/").content.decode()
    assert ">Home<" in governor_html
    assert ">Providers<" not in governor_html


def test_pages_for_signed_in_users_are_never_cached(client_for, sendco):
    response = client_for(sendco).get("/")
    assert "no-store" in response["Cache-Control"]
    assert response["X-Frame-Options"] == "DENY"
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert "script-src 'self'" in response["Content-Security-Policy"]


def test_pages_have_no_inline_script_or_style(client_for, sendco):
    html = client_for(sendco).get("/").content.decode()
    assert "<script>" not in html and "<style" not in html and " style=" not in html
    assert '"allowEval":false' in html


def test_a_malformed_uuid_is_a_404_not_a_500(client_for, sendco):
    response = client_for(sendco).post("/notifications/not-a-uuid/open/")
    assert response.status_code == 404


def test_healthz_reports_database_and_broker_without_login(client, db):
    response = Client().get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["database"] == "ok"
    assert body["status"] == "ok"
    assert "broker" in body


def test_healthz_reports_a_broker_that_is_down(client, db, settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["broker"].startswith("error")


def test_an_unexpected_error_shows_the_500_page_without_a_traceback(client_for, sendco, monkeypatch, settings):
    settings.DEBUG = False

    def broken(**kwargs):
        raise RuntimeError("secret internal detail")

    monkeypatch.setattr("dashboards.views.dashboard_for", broken)
    client = client_for(sendco)
    client.raise_request_exception = False
    response = client.get("/")
    assert response.status_code == 500
    html = response.content.decode()
    assert "Something went wrong" in html
    assert "secret internal detail" not in html and "Traceback" not in html


class TestNotifications:
    def test_it_lists_the_users_own_notifications(self, client_for, sendco, head):
        Notification.objects.create(user=sendco, title="Mine")
        Notification.objects.create(user=head, title="Not mine")
        html = client_for(sendco).get(reverse("notifications")).content.decode()
        assert "Mine" in html and "Not mine" not in html

    def test_opening_marks_it_read_and_follows_its_link(self, client_for, sendco):
        note = Notification.objects.create(user=sendco, title="Go", link="/account/")
        response = client_for(sendco).post(reverse("notification_open", args=[note.public_id]))
        assert response.status_code == 302 and response["Location"] == "/account/"
        note.refresh_from_db()
        assert note.read_at is not None

    def test_it_never_follows_a_link_off_the_site(self, client_for, sendco):
        note = Notification.objects.create(user=sendco, title="Phish", link="https://evil.example/")
        response = client_for(sendco).post(reverse("notification_open", args=[note.public_id]))
        assert response["Location"] == reverse("notifications")

    def test_mark_all_read(self, client_for, sendco):
        Notification.objects.create(user=sendco, title="A")
        Notification.objects.create(user=sendco, title="B")
        client_for(sendco).post(reverse("notifications_read_all"))
        assert not Notification.objects.filter(user=sendco, read_at__isnull=True).exists()

    def test_the_unread_count_shows_in_the_menu(self, client_for, sendco):
        Notification.objects.create(user=sendco, title="A")
        html = client_for(sendco).get("/").content.decode()
        assert '1<span class="visually-hidden"> unread</span>' in html

    def test_the_count_comes_with_the_user_and_costs_no_query_of_its_own(self, client_for, sendco):
        for title in ("A", "B", "C"):
            Notification.objects.create(user=sendco, title=title)
        Notification.objects.create(user=sendco, title="Read", read_at=timezone.now())
        Notification.objects.create(user=UserFactory(), title="Someone else's")
        client = client_for(sendco)
        with CaptureQueriesContext(connection) as queries:
            html = client.get(reverse("account")).content.decode()
        assert '3<span class="visually-hidden"> unread</span>' in html
        notification_queries = [q["sql"] for q in queries if "apcase_notification" in q["sql"]]
        assert len(notification_queries) == 1 and "apcase_user" in notification_queries[0]


class TestSchoolSwitch:
    def test_a_trust_lead_can_switch_between_their_schools(self, client_for, sendco, school, other_school):
        MembershipFactory(user=sendco, school=other_school, role=Role.SENDCO)
        client = client_for(sendco)
        client.post(reverse("school_switch"), {"school": other_school.public_id})
        assert other_school.name in client.get("/").content.decode().split("Switch school")[0]

    def test_switching_to_a_school_you_do_not_belong_to_is_a_404(self, client_for, sendco, other_school):
        response = client_for(sendco).post(reverse("school_switch"), {"school": other_school.public_id})
        assert response.status_code == 404

    def test_switching_with_rubbish_is_a_404(self, client_for, sendco):
        assert client_for(sendco).post(reverse("school_switch"), {"school": "rubbish"}).status_code == 404
        assert client_for(sendco).post(reverse("school_switch"), {"school": str(uuid.uuid4())}).status_code == 404


class TestAccount:
    def test_it_saves_the_reminder_preference(self, client_for, sendco):
        response = client_for(sendco).post(
            reverse("account"),
            {"first_name": "Sam", "last_name": "O", "job_title": "SENDCo", "reminder_delivery": "daily"},
        )
        assert response.status_code == 302
        sendco.refresh_from_db()
        assert sendco.reminder_delivery == "daily"

    def test_password_change_asks_for_the_old_password(self, client_for, sendco):
        response = client_for(sendco).post(
            reverse("password_change"),
            {
                "old_password": "wrong",
                "new_password1": "a-long-new-passphrase",
                "new_password2": "a-long-new-passphrase",
            },
        )
        assert response.status_code == 200
        assert "error-summary" in response.content.decode()


@pytest.mark.parametrize("path", ["/accounts/login/", "/healthz"])
def test_public_pages_open_without_signing_in(client, db, path):
    assert Client().get(path).status_code == 200
