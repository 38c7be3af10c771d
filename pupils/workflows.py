"""The declared status moves of referrals and approvals, and the permission each needs."""

from __future__ import annotations

from apcase.workflow import Transition, Workflow
from pupils.models import Approval, Referral

_R = Referral.Status

REFERRAL_WORKFLOW = Workflow(
    [
        Transition(_R.DRAFT, _R.SUBMITTED, "pupils.submit_referral", "Submit to the SENDCo"),
        Transition(_R.SUBMITTED, _R.UNDER_REVIEW, "pupils.review_referral", "Start the review"),
        Transition(_R.UNDER_REVIEW, _R.AWAITING_APPROVAL, "pupils.review_referral", "Ask the headteacher to decide"),
        # Reached only through the headteacher's decision in the approvals inbox.
        Transition(_R.AWAITING_APPROVAL, _R.APPROVED, "pupils.decide_approval", "Approve"),
        Transition(_R.AWAITING_APPROVAL, _R.DECLINED, "pupils.decide_approval", "Decline"),
        *(
            Transition(source, _R.WITHDRAWN, "pupils.withdraw_referral", "Withdraw the referral")
            for source in (_R.DRAFT, _R.SUBMITTED, _R.UNDER_REVIEW)
        ),
    ]
)

_A = Approval.Status

APPROVAL_WORKFLOW = Workflow(
    [
        Transition(_A.PENDING, _A.APPROVED, "pupils.decide_approval", "Approve"),
        Transition(_A.PENDING, _A.DECLINED, "pupils.decide_approval", "Decline"),
        # Withdrawing belongs to the subject's own service (e.g. a placement being cancelled),
        # which has already checked its actor; see approval_withdraw.
        Transition(_A.PENDING, _A.WITHDRAWN, None, "Withdraw the request"),
    ]
)
