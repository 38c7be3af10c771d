"""Applying a provider's attendance return: every row or none."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction

from apcase.models import School, User
from placements.imports import AttendanceImportPlan, plan_attendance_import
from placements.services.attendance import attendance_marks_record


class AttendanceImportRefused(ValidationError):
    """The file has errors, so nothing was recorded; carries the plan that lists them."""

    def __init__(self, plan: AttendanceImportPlan):
        super().__init__(plan.error_lines())
        self.plan = plan


@transaction.atomic
def attendance_import(*, actor: User, school: School, content: bytes) -> AttendanceImportPlan:
    """Record every row of the return, or, if any row is wrong, none of them."""
    plan = plan_attendance_import(school=school, content=content)
    if plan.has_errors:
        raise AttendanceImportRefused(plan)
    for placement, entries in plan.entries_by_placement().items():
        attendance_marks_record(actor=actor, placement=placement, entries=entries)
    return plan
