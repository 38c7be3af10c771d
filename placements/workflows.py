"""The declared status moves of a placement and the permission each needs (placement_transition
applies them and writes the chronology)."""

from __future__ import annotations

from apcase.workflow import Transition, Workflow
from placements.models import Placement

_P = Placement.Status
CHANGE = "placements.change_placement"

PLACEMENT_WORKFLOW = Workflow(
    [
        Transition(_P.PLANNED, _P.AWAITING_APPROVAL, CHANGE, "Ask the headteacher to approve"),
        # Reached only through the headteacher's decision in the approvals inbox.
        Transition(_P.AWAITING_APPROVAL, _P.APPROVED, "pupils.decide_approval", "Approve"),
        # Back to planning: the head declined (inbox), or the SENDCo withdraws the request to
        # change something; placement_transition tells the two apart and checks each.
        Transition(_P.AWAITING_APPROVAL, _P.PLANNED, None, "Withdraw the request to change the plan"),
        # Reached only by issuing the notice on the notice page.
        Transition(_P.APPROVED, _P.NOTICE_ISSUED, "placements.issue_notice", "Issue the parent notice"),
        Transition(_P.APPROVED, _P.ACTIVE, CHANGE, "Record that the placement has started"),
        Transition(_P.NOTICE_ISSUED, _P.ACTIVE, CHANGE, "Record that the placement has started"),
        Transition(_P.ACTIVE, _P.ENDING, CHANGE, "Start planning the ending"),
        Transition(_P.ENDING, _P.ENDED, CHANGE, "Record the end and the outcome"),
        # A placement that breaks down (or a permanent exclusion from the provider) ends at once.
        Transition(_P.ACTIVE, _P.ENDED, CHANGE, "End the placement now"),
        Transition(_P.PLANNED, _P.CANCELLED, CHANGE, "Cancel the placement"),
        Transition(_P.AWAITING_APPROVAL, _P.CANCELLED, CHANGE, "Cancel the placement"),
    ]
)
