"""The same-day alerts as urgent to-dos on the dashboards (placements.selectors.attention): the
SENDCo sees every one (the office has the daily chase's call home instead); the DSL those for a
pupil on a child protection plan or looked after. An alert stays until the session has a mark that
is not an absence without a reason."""

from __future__ import annotations

from datetime import timedelta

from django.urls import reverse

from apcase.models import Role
from placements.models import AttendanceMark
from placements.selectors.attention import Attention, AttentionReason, Todo, register_attention_reason
from provider_portal.models import SameDayAlert

# An alert nobody has settled stays on the list for a school week, then the register's own
# "not marked" to-do and the absence figures carry it.
ALERT_WINDOW = timedelta(days=7)


def _open_alerts(attention: Attention, roles, dsl_only: bool) -> list[Todo]:
    alerts = SameDayAlert.objects.filter(
        placement__school_id__in=attention.school_ids(roles), date__gte=attention.today - ALERT_WINDOW
    )
    if dsl_only:
        alerts = alerts.filter(dsl_told=True)
    found = list(alerts.select_related("placement__pupil", "placement__provider").order_by("date", "session", "pk"))
    if not found:
        return []
    marks = {
        (mark.placement_id, mark.date, mark.session): mark
        for mark in AttendanceMark.objects.filter(
            placement_id__in={alert.placement_id for alert in found}, date__gte=attention.today - ALERT_WINDOW
        ).select_related("code")
    }
    todos = []
    for alert in found:
        mark = marks.get((alert.placement_id, alert.date, alert.session))
        if mark is not None and not (mark.code.is_absence and not mark.reason.strip()):
            continue
        session = alert.get_session_display().lower()
        action = (
            f"{alert.get_kind_display()} at {alert.placement.provider.name}, {alert.date:%d/%m} {session}: call home"
        )
        url = reverse("placements:attendance", args=[alert.placement.public_id]) + f"?week={alert.date:%Y-%m-%d}"
        todos.append(Todo(alert.placement, action, url, alert.date, urgent=True))
    return todos


def _same_day(attention: Attention) -> list[Todo]:
    return _open_alerts(attention, [Role.SENDCO, Role.OFFICE], dsl_only=False)


def _same_day_dsl(attention: Attention) -> list[Todo]:
    return _open_alerts(attention, [Role.DSL], dsl_only=True)


def register() -> None:
    # To-dos only (no tile): an alert is about today and is settled by a call home. The office's
    # to-do for it is the daily chase's "call home" (placements.selectors.attention), which covers
    # every placement, with or without the portal.
    staff = frozenset({Role.SENDCO})
    register_attention_reason(
        "same_day",
        AttentionReason(
            "pupils absent from a provider today without a reason, or not marked",
            "Same-day absence",
            _same_day,
            queue=staff,
            urgent=True,
        ),
    )
    dsl = frozenset({Role.DSL})
    register_attention_reason(
        "same_day_dsl",
        AttentionReason(
            "pupils on a child protection plan or looked after, absent from a provider without a reason",
            "Same-day absence",
            _same_day_dsl,
            queue=dsl,
            urgent=True,
        ),
    )
