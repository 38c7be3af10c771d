"""Every write to placements, parent notices, attendance and placement records.

Each service is `<entity>_<action>(*, actor, ...)`, runs in one transaction, checks the actor's
permission, and raises ValidationError with a message a person can act on.
"""

from placements.services.attendance import MarkEntry, RecordedMarks, attendance_marks_record
from placements.services.contacts import contact_record
from placements.services.imports import AttendanceImportRefused, attendance_import
from placements.services.la_notifications import (
    la_notification_acknowledge,
    la_notification_on_sent,
    placement_la_notify,
)
from placements.services.notices import parent_notice_amend, parent_notice_issue
from placements.services.placements import (
    PLACEMENT_APPROVAL,
    PLACEMENT_EXTENSION_APPROVAL,
    PlacementDetails,
    placement_create,
    placement_departure_on_approval_decided,
    placement_extension_on_approval_decided,
    placement_extension_withdraw,
    placement_length_change,
    placement_on_approval_decided,
    placement_transition,
    placement_update,
)
from placements.services.records import (
    handover_acknowledge,
    handover_record,
    handover_send,
    incident_respond,
    parent_agreement_record,
    placement_incident_record,
    suitability_decision_record,
    visit_record,
)

__all__ = [
    "PLACEMENT_APPROVAL",
    "PLACEMENT_EXTENSION_APPROVAL",
    "PlacementDetails",
    "AttendanceImportRefused",
    "MarkEntry",
    "RecordedMarks",
    "attendance_import",
    "attendance_marks_record",
    "contact_record",
    "handover_acknowledge",
    "handover_record",
    "handover_send",
    "incident_respond",
    "parent_agreement_record",
    "la_notification_acknowledge",
    "la_notification_on_sent",
    "parent_notice_amend",
    "parent_notice_issue",
    "placement_create",
    "placement_departure_on_approval_decided",
    "placement_extension_on_approval_decided",
    "placement_extension_withdraw",
    "placement_length_change",
    "placement_incident_record",
    "placement_la_notify",
    "placement_on_approval_decided",
    "placement_transition",
    "placement_update",
    "suitability_decision_record",
    "visit_record",
]
