"""Demo: the office may look at reminders in the back office, to see any that failed to send."""

from __future__ import annotations

from django.contrib.auth.models import Permission

from apcase.demo import DemoContext, office_group


def seed(ctx: DemoContext) -> None:
    office_group().permissions.add(
        *Permission.objects.filter(content_type__app_label="reminders", codename__in=["view_reminder"])
    )
