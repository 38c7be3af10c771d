"""Reads for the Outbox page, a record's service record and the sender's to-do."""

from __future__ import annotations

from django.conf import settings
from django.db.models import Case, Count, IntegerField, QuerySet, Value, When
from django.urls import reverse

from apcase.models import Role, User
from outbox.models import Message

S, C = Message.Status, Message.Channel
VIEWERS = (Role.SENDCO, Role.HEAD, Role.OFFICE, Role.DSL)
RECORDERS = (Role.SENDCO, Role.HEAD, Role.OFFICE)
LIST_COLUMNS = (
    "public_id",
    "school_id",
    "purpose",
    "channel",
    "status",
    "recipient_name",
    "recipient_role",
    "last_error",
    "created_at",
    "pupil__public_id",
    "pupil__legal_first_name",
    "pupil__legal_last_name",
    "pupil__preferred_first_name",
    "pupil__preferred_last_name",
    "created_by__username",
    "created_by__first_name",
    "created_by__last_name",
)


def outbox_for_user(*, user: User, status: str = "") -> QuerySet[Message]:
    """The user's schools' messages: what failed or bounced first, then what waits, newest first.

    Only the columns the list shows: the sort runs over every row of the school, and narrow rows
    keep it in memory and quick (2,000 messages: bench/)."""
    messages = Message.objects.for_user(user, VIEWERS).select_related("pupil", "created_by").only(*LIST_COLUMNS)
    if status:
        messages = messages.filter(status=status)
    return messages.annotate(
        rank=Case(
            When(status__in=Message.NEEDS_ACTION, then=Value(0)),
            When(status__in=(S.QUEUED, S.SENDING), then=Value(1)),
            default=Value(2),
            output_field=IntegerField(),
        )
    ).order_by("rank", "-created_at", "-id")


def outbox_counts(*, user: User) -> dict[str, int]:
    """How many messages each status has (one query), for the page's filter links."""
    rows = Message.objects.for_user(user, VIEWERS).values("status").annotate(n=Count("id")).order_by()
    counts = dict.fromkeys(S.values, 0) | {row["status"]: row["n"] for row in rows}
    return counts


def outbox_post_batch(*, user: User) -> list[Message]:
    """Letters waiting to be posted, oldest first: the batch printed together."""
    return list(
        Message.objects.for_user(user, RECORDERS)
        .filter(status=S.QUEUED, channel=C.POST)
        .select_related("school", "document")
        .order_by("created_at", "id")
    )


def messages_about(*, link: str) -> list[Message]:
    """Every message about one record (a notice, a review): its service record."""
    return list(Message.objects.filter(link=link).order_by("created_at", "id"))


def messages_needing_sender(*, user: User) -> list[Message]:
    """The sender's to-do: their messages that failed or bounced."""
    return list(
        Message.objects.for_user(user, VIEWERS)
        .filter(created_by=user, status__in=Message.NEEDS_ACTION)
        .select_related("pupil")
        .order_by("-created_at")
    )


def outbox_school_figures(*, school) -> dict[str, int]:
    """The office's tiles: messages that failed or bounced, and letters waiting for a person (one query)."""
    from django.db.models import Q

    return Message.objects.filter(school=school).aggregate(
        needs_action=Count("id", filter=Q(status__in=Message.NEEDS_ACTION)),
        waiting=Count("id", filter=Q(status=S.QUEUED) & ~Q(channel=C.EMAIL)),
    )


def outbox_delivery_note() -> str:
    """Where e-mail goes on this installation, when it is not a real mail server."""
    backend = settings.EMAIL_BACKEND.rsplit(".", 2)[-2]
    return {
        "console": "E-mails are printed on the server's console, not sent: no EMAIL_HOST is set.",
        "filebased": f"E-mails are written to files in {getattr(settings, 'EMAIL_FILE_PATH', '')}, not sent.",
        "locmem": "E-mails are kept in memory, not sent (a test run).",
        "dummy": "E-mails are thrown away, not sent.",
    }.get(backend, "")


def message_url_for(*, user: User, message: Message) -> str:
    """The message's page for a user who may open it, else "": a card about a letter (the notice's
    service record, the LA card) names it to everyone who reads the card, but links only for those
    the Outbox page lets in, so nobody follows a link to a 403."""
    if not user.has_perm("outbox.view_outbox", message):
        return ""
    return reverse("outbox:detail", args=[message.public_id])
