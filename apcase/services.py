"""Writes to core records. Each service is `<entity>_<action>(*, actor, ...)` and transactional."""

from __future__ import annotations

import hashlib
import mimetypes
import uuid
from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from typing import TypeVar

from django.conf import settings
from django.contrib.auth.forms import PasswordResetForm
from django.contrib.auth.tokens import default_token_generator
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, models, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from simple_history.utils import bulk_create_with_history

from apcase.access import record_access_log
from apcase.emails import absolute_url, email_send
from apcase.history import history_stamp
from apcase.models import (
    AcademicYear,
    Closure,
    Document,
    FormSubmission,
    HalfTerm,
    Membership,
    Notification,
    PublicIdModel,
    RecordAccess,
    Role,
    School,
    User,
)
from apcase.term_dates import ENGLAND_TERM_DATES


def save_tracked(
    obj: models.Model, actor: User | None, *, validate_unique: bool = True, validate_constraints: bool = True
) -> None:
    """Validate, record who, save: every service's write goes through here, so nothing reaches the
    database unchecked and the history names the person. A caller skips a check only where it
    has made it already (for a whole file, or with a clearer message)."""
    obj.full_clean(validate_unique=validate_unique, validate_constraints=validate_constraints)
    history_stamp(obj, user=actor)
    obj.save()


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
    history_stamp(document, user=actor)
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
    pupil=None,
    occurred_at: datetime | None = None,
) -> Notification:
    """An in-app notification, and an e-mail unless the user has asked for a daily digest.

    With a pupil, title has a "{pupil}" slot: e-mails and digests say the initials, the app names
    the pupil as far as the reader may see them (issue 13 D6). occurred_at is when the event
    happened, for a step recorded after it (the demo's back-dated stories)."""
    in_app_title = ""
    if pupil is not None:
        may_see = user.has_perm("pupils.view_pupil", pupil)
        in_app_title = title.format(pupil=pupil.display_name if may_see else pupil.initials)
        title = title.format(pupil=pupil.initials)
    notification = Notification.objects.create(
        user=user,
        school=school,
        kind=kind,
        title=title,
        in_app_title=in_app_title,
        body=body,
        link=link,
        created_at=occurred_at or timezone.now(),
    )
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
        history_stamp(year, user=actor)
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


# --- People and roles (docs/security.md#people-and-roles) -------------------------------------


def heads_of(school: School) -> list[User]:
    return list(
        User.objects.filter(
            memberships__school=school, memberships__role=Role.HEAD, memberships__is_active=True, is_active=True
        ).distinct()
    )


def people_change_notify(*, request, person: User, school: School | None, title: str, action: str) -> None:
    """A change to someone's roles or sign-in: in the access log, and the school's head (unless
    they made it) hears of it, so a change nobody asked for is noticed the same day."""
    record_access_log(request, person, action, school=school)
    if school is None:
        return
    for head in heads_of(school):
        if head.pk != request.user.pk:
            notification_send(
                user=head,
                title=title,
                link=reverse("people_person", args=[person.public_id]),
                kind="people",
                school=school,
            )


def membership_changes_record(*, request, changes: list[tuple[Membership, str]]) -> None:
    for membership, what in changes:
        people_change_notify(
            request=request,
            person=membership.user,
            school=membership.school,
            title=f"{membership.user}: {what} at {membership.school} (by {request.user})",
            action=RecordAccess.Action.ROLE,
        )


def user_password_reset_send(*, request, user: User, school: School | None = None) -> None:
    """E-mail the person a one-time link to choose a new password (the same link and message as the
    sign-in page's "Forgotten your password?"); nobody else ever sees or sets it."""
    base = settings.SITE_URL.rstrip("/")
    context = {
        "email": user.email,
        "domain": base.split("://", 1)[1],
        "protocol": base.split("://", 1)[0],
        "uid": urlsafe_base64_encode(force_bytes(user.pk)),
        "user": user,
        "token": default_token_generator.make_token(user),
    }
    PasswordResetForm().send_mail(
        "registration/password_reset_subject.txt",
        "registration/password_reset_email.html",
        context,
        None,
        user.email,
    )
    people_change_notify(
        request=request,
        person=user,
        school=school,
        title=f"{user}: password reset e-mail sent (by {request.user})",
        action=RecordAccess.Action.PASSWORD_RESET,
    )


@transaction.atomic
def person_roles_set(*, request, person: User, school: School, roles: set[str]) -> list[tuple[Membership, str]]:
    """The head gives and takes away a colleague's roles in one school. A role taken away stays as
    an inactive row, so its history is kept. Trust-wide rows are an administrator's and untouched."""
    if not request.user.has_perm("apcase.manage_people", school):
        raise PermissionDenied("Only the headteacher changes people's roles.")
    if person.pk == request.user.pk and Role.HEAD not in roles:
        raise ValidationError(
            "You cannot take away your own headteacher role: another headteacher or an administrator can."
        )
    existing = {m.role: m for m in Membership.objects.select_for_update().filter(user=person, school=school)}
    changes = []
    for role in roles:
        membership = existing.get(role)
        if membership is None:
            membership = Membership.objects.create(user=person, school=school, role=role)
        elif membership.is_active or membership.trust_wide:
            continue
        else:
            membership.is_active = True
            membership.save(update_fields=["is_active", "updated_at"])
        changes.append((membership, f"given the role {membership.get_role_display()}"))
    for role, membership in existing.items():
        if role not in roles and membership.is_active and not membership.trust_wide:
            membership.is_active = False
            membership.save(update_fields=["is_active", "updated_at"])
            changes.append((membership, f"no longer {membership.get_role_display()}"))
    membership_changes_record(request=request, changes=changes)
    return changes


FUTURE_DATE = "This date cannot be in the future."


def check_not_future(field: str, day: date | None) -> None:
    """A service's refusal of a day that has not come yet, on the field that gave it; forms check
    the same beside their other fields (apcase.forms.dates_not_in_the_future)."""
    if day and day > timezone.localdate():
        raise ValidationError({field: FUTURE_DATE})


FORM_TOKEN_DAYS = 1  # long enough for any repeat of one press; no page is kept open that long
Made = TypeVar("Made", bound=PublicIdModel)


class AlreadySubmitted(Exception):
    """The token was claimed by an earlier submit; `earlier` is what it made (None if it is gone)."""

    def __init__(self, earlier: models.Model | None) -> None:
        super().__init__("This form was sent already.")
        self.earlier = earlier


def form_submission_made(*, actor: User, token: uuid.UUID) -> models.Model | None:
    """What the form sent with this token made, if it has been sent already."""
    claim = FormSubmission.objects.filter(token=token, user=actor).select_related("content_type").first()
    if claim is None or claim.content_type is None:
        return None
    model = claim.content_type.model_class()
    return model._default_manager.filter(public_id=claim.object_id).first() if model else None


@transaction.atomic
def form_submission_claim(*, actor: User, token: uuid.UUID, make: Callable[[], Made]) -> Made:
    """Claim the form's token, then make the record, in one transaction. A second submit with the
    same token waits on the unique token until the first commits, then raises AlreadySubmitted
    with the first's record; a first submit that was refused leaves the token unclaimed."""
    FormSubmission.objects.filter(created_at__lt=timezone.now() - timedelta(days=FORM_TOKEN_DAYS)).delete()
    try:
        with transaction.atomic():
            claim = FormSubmission.objects.create(token=token, user=actor)
    except IntegrityError:
        raise AlreadySubmitted(form_submission_made(actor=actor, token=token)) from None
    made = make()
    claim.content_type = ContentType.objects.get_for_model(made)
    claim.object_id = made.public_id
    claim.save(update_fields=["content_type", "object_id"])
    return made


@transaction.atomic
def school_settings_update(
    *,
    actor: User,
    school: School,
    attendance_cutoff: time,
    chase_escalation_sessions: int,
    provider_contact_school_days: int,
    full_names_in_emails: bool,
) -> School:
    """The head's (or the office's) own settings for the school; the history keeps each change."""
    if not actor.has_perm("apcase.change_school_settings", school):
        raise PermissionDenied("Only the headteacher or the school office changes the school's settings.")
    school.attendance_cutoff = attendance_cutoff
    school.chase_escalation_sessions = chase_escalation_sessions
    school.provider_contact_school_days = provider_contact_school_days
    school.full_names_in_emails = full_names_in_emails
    save_tracked(school, actor)
    return school
