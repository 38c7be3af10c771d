"""Placements, their extensions, the parent notice of an off-site direction, attendance, and the
records kept during a placement (handover, incidents, visits)."""

from placements.models.attendance import AttendanceCode, AttendanceMark, Session
from placements.models.chase import ChaseNotice
from placements.models.contacts import ContactLog
from placements.models.extensions import PlacementExtension
from placements.models.la_notifications import LANotification
from placements.models.notices import ParentNotice
from placements.models.placements import Placement, PlacementPartQuerySet, PlacementQuerySet
from placements.models.records import Handover, Incident, ParentAgreement, SuitabilityDecision, Visit

__all__ = [
    "AttendanceCode",
    "AttendanceMark",
    "ChaseNotice",
    "ContactLog",
    "Handover",
    "Incident",
    "ParentAgreement",
    "LANotification",
    "ParentNotice",
    "Placement",
    "PlacementExtension",
    "PlacementPartQuerySet",
    "PlacementQuerySet",
    "Session",
    "SuitabilityDecision",
    "Visit",
]
