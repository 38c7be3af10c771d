"""Writes to core records. Each service is `<entity>_<action>(*, actor, ...)` and transactional."""

from __future__ import annotations

import hashlib
import mimetypes

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from apcase.emails import absolute_url, email_send
from apcase.models import AcademicYear, Closure, Document, HalfTerm, Notification, School, User
from apcase.term_dates import ENGLAND_TERM_DATES


@transaction.atomic
def document_store(
    *,
    school: School,
    kind: str,
    title: str,
    content: bytes,
    actor: User | None,
    content_type: str = "application/pdf",
) -> Document:
    """Keep the exact bytes of an issued letter or report, with their hash."""
    document = Document(
        school=school,
        kind=kind,
        title=title,
        sha256=hashlib.sha256(content).hexdigest(),
        size=len(content),
        content_type=content_type,
        created_by=actor,
    )
    document._history_user = actor
    extension = mimetypes.guess_extension(content_type) or ".bin"
    document.file.save(f"{kind}{extension}", ContentFile(content), save=False)
    document.save()
    return document


def notification_send(
    *,
    user: User,
    title: str,
    link: str = "",
    body: str = "",
    kind: str = "message",
    school: School | None = None,
    email: bool = True,
) -> Notification:
    """An in-app notification, and an e-mail unless the user has asked for a daily digest."""
    notification = Notification.objects.create(user=user, school=school, kind=kind, title=title, body=body, link=link)
    if email and user.email and user.reminder_delivery == User.ReminderDelivery.IMMEDIATE:
        transaction.on_commit(
            lambda: email_send(
                to=[user.email],
                template="notification",
                context={"user": user, "notification": notification, "url": absolute_url(link)},
            )
        )
    return notification


def notification_mark_read(*, notification: Notification) -> None:
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])


def notifications_mark_all_read(*, user: User) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).update(read_at=timezone.now())


@transaction.atomic
def calendar_seed_england(
    *, school: School, labels: list[str] | None = None, actor: User | None = None
) -> list[AcademicYear]:
    """Give a school England's usual term dates (idempotent: existing years are left alone)."""
    existing_years = set(AcademicYear.objects.filter(school=school).values_list("label", flat=True))
    existing_closures = set(Closure.objects.filter(school=school).values_list("date", flat=True))
    created, half_terms, closures = [], [], []
    for label, spec in ENGLAND_TERM_DATES.items():
        if label in existing_years or (labels is not None and label not in labels):
            continue
        year = AcademicYear(school=school, label=label, start_date=spec["start"], end_date=spec["end"])
        year._history_user = actor
        year.save()
        created.append(year)
        half_terms += [
            HalfTerm(academic_year=year, term=term, half=half, start_date=start, end_date=end)
            for term, half, start, end in spec["half_terms"]
        ]
        closures += [
            Closure(school=school, date=day, kind=kind, reason=reason)
            for day, kind, reason in spec["closures"]
            if day not in existing_closures
        ]
    bulk_create_with_history(half_terms, HalfTerm, default_user=actor)
    bulk_create_with_history(closures, Closure, default_user=actor)
    school.__dict__.pop("_calendar", None)
    return created


DIGEST_HOUR = 16  # local time: after the school day, so the day's items are in one e-mail


def notification_digests_send(*, now=None) -> int:
    """Send each daily-digest user one e-mail a day listing their unread notifications."""
    now = timezone.localtime(now)
    if now.hour < DIGEST_HOUR:
        return 0
    today = now.date()
    candidates = (
        User.objects.filter(is_active=True, reminder_delivery=User.ReminderDelivery.DAILY)
        .exclude(email="")
        .exclude(digest_sent_on=today)
        .filter(notifications__read_at__isnull=True)
        .distinct()
    )
    sent = 0
    for user in candidates:
        with transaction.atomic():
            claimed = User.objects.filter(pk=user.pk).exclude(digest_sent_on=today).update(digest_sent_on=today)
            if not claimed:
                continue  # another worker took this user
            unread = list(Notification.objects.filter(user=user, read_at__isnull=True).order_by("-created_at")[:50])
            email_send(
                to=[user.email],
                template="digest",
                context={"user": user, "notifications": unread, "url": absolute_url("/notifications/")},
            )
            sent += 1
    return sent
