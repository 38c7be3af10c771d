"""The placement records kept about a pupil, for subject access and the end of retention."""

from __future__ import annotations

from pupils.records import REMOVED, PupilRecordType, register_pupil_records, removed_if_present

PLACEMENT_FREE_TEXT = [
    "reasons",
    "objectives",
    "intervention",
    "reintegration_intention",
    "timeline",
    "what_to_bring",
    "transport",
    "reporting_arrangements",
    "baseline_note",
    "outcome_notes",
    "cancellation_reason",
    "first_day_contact",
]


def register_placements_record_types() -> None:
    from apcase.models import Document
    from placements.models import (
        AttendanceMark,
        ContactLog,
        Handover,
        Incident,
        ParentNotice,
        Placement,
        PlacementExtension,
        SuitabilityDecision,
        Visit,
    )

    register_pupil_records(
        PupilRecordType(
            "Placements",
            Placement,
            "pupil",
            erase=dict.fromkeys(PLACEMENT_FREE_TEXT, "")
            | {"no_referral_reason": removed_if_present("no_referral_reason")},
        )
    )
    # The dates and extra cost stay for the school's figures; the reason (which a check requires) goes.
    register_pupil_records(
        PupilRecordType(
            "Placement extensions",
            PlacementExtension,
            "placement__pupil",
            erase={"reason": removed_if_present("reason")},
        )
    )
    register_pupil_records(
        PupilRecordType(
            "Parent notices",
            ParentNotice,
            "placement__pupil",
            erase={"recipients": [], "stated": {}, "late_reason": removed_if_present("late_reason")},
        )
    )
    # The notice exactly as issued names the pupil and the parents: kept for the retention period
    # (and given in a subject access export), then the file goes and the row says so.
    register_pupil_records(
        PupilRecordType(
            "Issued letters",
            Document,
            "parent_notices__placement__pupil",
            erase={"file": "", "title": REMOVED},
            file_fields=("file",),
        )
    )
    register_pupil_records(
        PupilRecordType("Attendance marks", AttendanceMark, "placement__pupil", erase={"reason": ""})
    )
    register_pupil_records(
        PupilRecordType("Handovers", Handover, "placement__pupil", erase={"notes": "", "shared_with": ""})
    )
    register_pupil_records(
        PupilRecordType(
            "Incidents",
            Incident,
            "placement__pupil",
            erase={"description": "", "actions_taken": "", "response": "", "reported_by": ""},
        )
    )
    register_pupil_records(
        PupilRecordType(
            "Visits", Visit, "placement__pupil", erase={"what_was_seen": "", "pupil_voice": "", "follow_up": ""}
        )
    )
    register_pupil_records(
        PupilRecordType("Contact log", ContactLog, "pupil", erase={"with_whom": "", "agreed": REMOVED})
    )
    # Whether the provision suited the pupil: the answer and its date stay; the reasons, which describe
    # the pupil's needs, go.
    register_pupil_records(
        PupilRecordType(
            "Suitability decisions",
            SuitabilityDecision,
            "placement__pupil",
            erase={"reasons": REMOVED, "considered": REMOVED},
        )
    )
