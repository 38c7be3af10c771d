from __future__ import annotations

import hashlib
from datetime import datetime
from zoneinfo import ZoneInfo

from apcase.models import AcademicYear, Closure, HalfTerm, Notification, User
from apcase.services import (
    calendar_seed_england,
    document_store,
    notification_digests_send,
    notification_send,
)

LONDON = ZoneInfo("Europe/London")


def test_document_store_keeps_the_exact_bytes_and_their_hash(school, sendco):
    content = b"%PDF-1.7 pretend letter"
    document = document_store(school=school, kind="test", title="A letter", content=content, actor=sendco)
    document.refresh_from_db()
    assert document.read_bytes() == content
    assert document.sha256 == hashlib.sha256(content).hexdigest()
    assert document.size == len(content)
    assert document.history.first().history_user == sendco
    assert document.file.name.startswith("documents/") and "letter" not in document.file.name


def test_notification_send_writes_the_in_app_row_and_an_email(
    school, sendco, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        notification_send(user=sendco, title="Referral for J.S. needs review", link="/referrals/x/", school=school)
    assert Notification.objects.filter(user=sendco, title__startswith="Referral").count() == 1
    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.subject == "apcase: Referral for J.S. needs review"
    assert "http://127.0.0.1:8000/referrals/x/" in mail.body
    assert mail.alternatives[0][1] == "text/html"


def test_a_digest_user_gets_no_email_per_notification(sendco, mailoutbox, django_capture_on_commit_callbacks):
    sendco.reminder_delivery = User.ReminderDelivery.DAILY
    sendco.save()
    with django_capture_on_commit_callbacks(execute=True):
        notification_send(user=sendco, title="Something")
    assert mailoutbox == []


def test_the_daily_digest_goes_once_a_day_after_school(sendco, mailoutbox):
    sendco.reminder_delivery = User.ReminderDelivery.DAILY
    sendco.save()
    Notification.objects.create(user=sendco, title="Review due for A.B.")
    Notification.objects.create(user=sendco, title="Notice deadline for C.D.")
    morning = datetime(2026, 1, 6, 9, 0, tzinfo=LONDON)
    afternoon = datetime(2026, 1, 6, 16, 5, tzinfo=LONDON)
    assert notification_digests_send(now=morning) == 0
    assert notification_digests_send(now=afternoon) == 1
    assert notification_digests_send(now=afternoon) == 0  # a second beat tick sends nothing
    assert len(mailoutbox) == 1
    assert "Review due for A.B." in mailoutbox[0].body and "2 things" in mailoutbox[0].subject


def test_calendar_seeding_is_idempotent_and_recorded(school):
    assert AcademicYear.objects.filter(school=school).count() == 2
    assert calendar_seed_england(school=school) == []
    assert HalfTerm.objects.filter(academic_year__school=school).count() == 12
    assert Closure.objects.filter(school=school).count() == 10  # INSET days; bank holidays come from the package
    assert HalfTerm.history.filter(academic_year__school=school).count() == 12


def test_seed_demo_is_idempotent_and_prints_the_logins(demo, capsys):
    from django.core.management import call_command

    counts = demo.counts()
    assert counts == demo.counts_after_first_seed  # the snapshot is the demo seeded twice
    call_command("seed_demo", "--password", "pw-for-the-demo")
    assert demo.counts() == counts
    out = capsys.readouterr().out
    assert "pw-for-the-demo" in out
    for username in ["sendco", "head", "dsl", "teacher", "office", "governor", "admin"]:
        user = User.objects.get(username=username)
        assert user.check_password("pw-for-the-demo")
    assert User.objects.get(username="admin").is_superuser
    assert User.objects.filter(username="sendco").count() == 1


def test_form_tokens_are_kept_a_day(school, sendco):
    import uuid
    from datetime import timedelta

    from django.utils import timezone

    from apcase.models import FormSubmission
    from apcase.services import form_submission_claim

    old = FormSubmission.objects.create(token=uuid.uuid4(), user=sendco)
    FormSubmission.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=1, minutes=1))
    recent = FormSubmission.objects.create(token=uuid.uuid4(), user=sendco)
    form_submission_claim(actor=sendco, token=uuid.uuid4(), make=lambda: school)
    assert set(FormSubmission.objects.values_list("pk", flat=True)) - {recent.pk} != {old.pk}
    assert (
        not FormSubmission.objects.filter(pk=old.pk).exists() and FormSubmission.objects.filter(pk=recent.pk).exists()
    )
