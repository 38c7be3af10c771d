"""The records this app keeps about a pupil, for subject access and the end of retention
(pupils.records). Anonymising keeps dates, kinds, figures and decisions for the school's statistics
and erases what identifies the child or the family: free text and the names of people outside the
school."""

from __future__ import annotations

from pupils.records import REMOVED, PupilRecordType, register_pupil_records, removed_if_present

REVIEW_FREE_TEXT = ["pupil_voice", "parents_views", "provider_report", "decision_notes"]
PLAN_FREE_TEXT = ["strengths", "needs", "agreed_targets", "classroom_strategies", "who_supports", "change_summary"]
REPORT_FREE_TEXT = [
    "attainment_progress",
    "behaviour_evidence",
    "pupil_views",
    "pupil_views_heard_by",
    "objectives_on_return",
]


def register_reviews_record_types() -> None:
    from reviews.models import (
        CheckIn,
        FinalReport,
        Measurement,
        PlanVersion,
        ReintegrationPlan,
        ReviewAction,
        ReviewMeeting,
        ReviewParticipant,
        ReviewRequest,
        Target,
    )

    for record_type in [
        PupilRecordType(
            "Review meetings",
            ReviewMeeting,
            "placement__pupil",
            erase=dict.fromkeys(REVIEW_FREE_TEXT, "")
            | {"cancellation_reason": removed_if_present("cancellation_reason")},
        ),
        # Parents, carers and provider staff by name: who was invited goes altogether.
        PupilRecordType("Review invitees", ReviewParticipant, "review__placement__pupil", delete=True),
        PupilRecordType(
            "Review actions",
            ReviewAction,
            "review__placement__pupil",
            erase={"description": REMOVED, "owner_name": REMOVED},  # an action keeps an owner (its constraint)
        ),
        PupilRecordType(
            "Requests for a review",
            ReviewRequest,
            "placement__pupil",
            erase={"requester_name": REMOVED, "request_text": "", "decision_notes": "", "notified_to": ""},
        ),
        PupilRecordType("Targets", Target, "placement__pupil", erase={"description": REMOVED}),
        PupilRecordType("Measurements", Measurement, "target__placement__pupil", erase={"note": ""}),
        PupilRecordType("Reintegration plans", ReintegrationPlan, "placement__pupil"),
        PupilRecordType(
            "Reintegration plan versions",
            PlanVersion,
            "plan__placement__pupil",
            erase=dict.fromkeys(PLAN_FREE_TEXT, ""),
        ),
        PupilRecordType("Final reports", FinalReport, "placement__pupil", erase=dict.fromkeys(REPORT_FREE_TEXT, "")),
        PupilRecordType("Check-ins after the return", CheckIn, "placement__pupil", erase={"notes": ""}),
    ]:
        register_pupil_records(record_type)
