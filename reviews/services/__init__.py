"""Every write of the reviews app. Each service is `<entity>_<action>(*, actor, ...)`, runs in one
transaction, checks the actor's permission and raises ValidationError with a message a person can
act on."""

from reviews.services.invitations import review_invitations_send
from reviews.services.meetings import (
    provider_review_report_submit,
    review_action_add,
    review_action_complete,
    review_arrange,
    review_cancel,
    review_close,
    review_create,
    review_record,
    review_schedule,
)
from reviews.services.reintegration import check_in_record, final_report_save, plan_version_agree
from reviews.services.requests import review_request_answer, review_request_record
from reviews.services.schedule import check_ins_schedule, review_for_incident, review_schedule_sync
from reviews.services.targets import (
    TargetDetails,
    measurement_record,
    provider_progress_accept,
    provider_progress_return,
    provider_progress_submit,
    target_set,
    target_update,
)

__all__ = [
    "TargetDetails",
    "check_in_record",
    "check_ins_schedule",
    "final_report_save",
    "measurement_record",
    "plan_version_agree",
    "provider_progress_accept",
    "provider_progress_return",
    "provider_progress_submit",
    "provider_review_report_submit",
    "review_action_add",
    "review_action_complete",
    "review_arrange",
    "review_cancel",
    "review_close",
    "review_create",
    "review_for_incident",
    "review_invitations_send",
    "review_record",
    "review_request_answer",
    "review_request_record",
    "review_schedule",
    "review_schedule_sync",
    "target_set",
    "target_update",
]
