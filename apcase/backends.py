"""Signing in and loading the signed-in user on each request."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import AnonymousUser
from django.db.models import Count, Model, OuterRef, Subquery
from django.db.models.functions import Coalesce

from apcase.models import Notification, User


class UserWithUnreadCountBackend(ModelBackend):
    """Django's ModelBackend, but the query that loads the user on every request also counts their
    unread notifications, so the bell in the layout costs no query of its own."""

    def get_user(self, user_id):
        unread = (
            Notification.objects.filter(user=OuterRef("pk"), read_at__isnull=True)
            .order_by()
            .values("user")
            .annotate(count=Count("pk"))
            .values("count")
        )
        users = get_user_model()._default_manager.annotate(unread_notification_count=Coalesce(Subquery(unread), 0))
        user = users.filter(pk=user_id).first()
        return user if user is not None and self.user_can_authenticate(user) else None

    def get_all_permissions(self, user_obj: User | AnonymousUser, obj: Model | None = None) -> set[str]:
        # Django's model permissions only open the back office (roles grant everything else, through
        # rules): whoever may not enter it holds none, so a refused role check on a page costs no
        # queries for their groups and permissions.
        if not getattr(user_obj, "is_staff", False):
            return set()
        return super().get_all_permissions(user_obj, obj)
