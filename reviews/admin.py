"""Back office: reviews, requests, targets and the return to class change only through their services
(which write the chronology), so they are read-only here."""

from django.contrib import admin

from apcase.admin import ReadOnlyAdmin
from reviews.models import CheckIn, ReintegrationPlan, ReviewMeeting, ReviewRequest, Target


@admin.register(ReviewMeeting)
class ReviewMeetingAdmin(ReadOnlyAdmin):
    list_display = ["placement", "kind", "due_on", "status", "held_on", "school"]
    list_filter = ["status", "kind"]
    list_select_related = ["placement__pupil", "placement__provider", "school"]
    date_hierarchy = "due_on"


@admin.register(ReviewRequest)
class ReviewRequestAdmin(ReadOnlyAdmin):
    school_path = "placement__school"
    list_display = ["placement", "received_on", "requester", "notified_on"]
    list_select_related = ["placement__pupil", "placement__provider"]


@admin.register(Target)
class TargetAdmin(ReadOnlyAdmin):
    school_path = "placement__school"
    list_display = ["placement", "area", "description", "baseline", "target_value", "unit"]
    list_filter = ["area"]
    list_select_related = ["placement__pupil", "placement__provider"]


@admin.register(ReintegrationPlan)
class ReintegrationPlanAdmin(ReadOnlyAdmin):
    school_path = "placement__school"
    list_display = ["placement", "created_by", "created_at"]
    list_select_related = ["placement__pupil", "placement__provider", "created_by"]


@admin.register(CheckIn)
class CheckInAdmin(ReadOnlyAdmin):
    school_path = "placement__school"
    list_display = ["placement", "weeks_after", "due_on", "held_on", "still_in_class"]
    list_select_related = ["placement__pupil", "placement__provider"]
