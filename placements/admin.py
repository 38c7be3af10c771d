"""Back office: the attendance codes are kept here (a change of code set needs no release);
placements and their records change only through their services, which write the chronology,
so they are read-only here."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from apcase.admin import ReadOnlyAdmin
from placements.models import AttendanceCode, AttendanceMark, Incident, ParentNotice, Placement, PlacementExtension


@admin.register(AttendanceCode)
class AttendanceCodeAdmin(SimpleHistoryAdmin):
    list_display = ["code", "description", "meaning", "allowed_for_school_placements", "needs_reason", "is_active"]
    list_editable = ["is_active"]
    list_filter = ["meaning", "is_active"]
    ordering = ["order", "code"]


@admin.register(Placement)
class PlacementAdmin(ReadOnlyAdmin):
    list_display = ["pupil", "provider", "kind", "status", "start_date", "planned_end_date", "school"]
    list_filter = ["status", "kind", "pattern"]
    list_select_related = ["pupil", "provider", "school"]
    search_fields = ["pupil__legal_last_name", "pupil__upn", "provider__name"]


@admin.register(PlacementExtension)
class PlacementExtensionAdmin(ReadOnlyAdmin):
    school_path = "placement__school"
    list_display = ["placement", "requested_end_date", "extra_school_days", "extra_cost", "status", "requested_at"]
    list_filter = ["status"]
    list_select_related = ["placement__pupil", "placement__provider"]


@admin.register(ParentNotice)
class ParentNoticeAdmin(ReadOnlyAdmin):
    school_path = "placement__school"
    list_display = ["placement", "issued_on", "method", "is_late"]
    list_select_related = ["placement__pupil", "placement__provider"]
    exclude = ["document"]


@admin.register(AttendanceMark)
class AttendanceMarkAdmin(ReadOnlyAdmin):
    school_path = "placement__school"
    list_display = ["placement", "date", "session", "code", "recorded_by", "recorded_at"]
    list_select_related = ["placement__pupil", "placement__provider", "code", "recorded_by"]
    date_hierarchy = "date"


@admin.register(Incident)
class IncidentAdmin(ReadOnlyAdmin):
    school_path = "placement__school"
    list_display = ["placement", "occurred_at", "severity", "safeguarding_concern", "responded_at"]
    list_filter = ["severity", "safeguarding_concern"]
    list_select_related = ["placement__pupil", "placement__provider"]
