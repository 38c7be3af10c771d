"""The policies' steps cannot be skipped silently (issue 13, B): each step the school's AP policy
or the law asks for is either done or refused with a message that says what to do, and what a
step leaves behind (a letter, a to-do, a chronology entry) is there."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from placements.models import Placement
from placements.services import placement_transition
from pupils.models import CaseEvent
from reviews.services import final_report_save, plan_version_agree

S = Placement.Status
RUNNING_SINCE = date(2026, 11, 16)  # a week before the frozen today
PLAN = {
    "strengths": "Kind to younger children.",
    "needs": "Regulation after lunch.",
    "agreed_targets": "Join Friday Together Time by week 4.",
    "classroom_strategies": "A 'help' card.",
    "return_timetable": [["fri_pm"]],
    "who_supports": "Mr Ashworth daily.",
}
REPORT = {
    "attainment_progress": "Reading age up eight months.",
    "behaviour_evidence": "No suspensions since October.",
    "pupil_views": "Ready to go back.",
    "pupil_views_heard_by": "The headteacher",
    "objectives_on_return": "Attend every session.",
}


def _end(placement, actor, outcome=Placement.Outcome.REINTEGRATED, **fields):
    return placement_transition(
        placement=placement, target=S.ENDED, actor=actor, outcome=outcome, actual_end_date=date(2026, 11, 23), **fields
    )


class TestEndingAsReintegrated:
    def test_it_is_refused_without_an_agreed_plan_and_a_final_report(self, at, sendco):
        placement = at(S.ACTIVE, start_date=RUNNING_SINCE)
        with pytest.raises(ValidationError) as refused:
            _end(placement, sendco)
        assert refused.value.message_dict["outcome"] == [
            "No reintegration plan has been agreed.",
            "No final report on the placement has been prepared.",
            "Complete them first, or the headteacher records why the pupil returns without them.",
        ]
        placement.refresh_from_db()
        assert placement.status == S.ACTIVE

    def test_it_ends_with_both(self, at, sendco):
        placement = at(S.ACTIVE, start_date=RUNNING_SINCE)
        plan_version_agree(actor=sendco, placement=placement, agreed_on=date(2026, 11, 20), **PLAN)
        final_report_save(actor=sendco, placement=placement, prepared_on=date(2026, 11, 20), **REPORT)
        assert _end(placement, sendco).status == S.ENDED

    def test_other_outcomes_need_neither(self, at, sendco):
        assert (
            _end(at(S.ACTIVE, start_date=RUNNING_SINCE), sendco, outcome=Placement.Outcome.MANAGED_MOVE).status
            == S.ENDED
        )

    def test_only_the_headteacher_may_end_it_without_them_with_a_reason(self, at, sendco, head):
        placement = at(S.ACTIVE, start_date=RUNNING_SINCE)
        plan_version_agree(actor=sendco, placement=placement, agreed_on=date(2026, 11, 20), **PLAN)
        reason = "The family moved away; the new school has the plan."
        with pytest.raises(ValidationError) as refused:
            _end(placement, sendco, ended_without_steps_reason=reason)
        assert "Only the headteacher" in refused.value.message_dict["ended_without_steps_reason"][0]
        ended = _end(placement, head, ended_without_steps_reason=reason)
        assert ended.status == S.ENDED and ended.ended_without_steps_reason == reason
        ended_step = CaseEvent.objects.filter(pupil=placement.pupil, summary__contains="ended on").get()
        assert ended_step.summary.endswith(
            f"reintegrated to class; {head} recorded why without the reintegration steps: {reason}"
        )

    def test_the_end_page_takes_the_headteachers_reason(self, at, client_for, head):
        placement = at(S.ACTIVE, start_date=RUNNING_SINCE)
        response = client_for(head).post(
            f"/placements/{placement.public_id}/end/",
            {"outcome": "reintegrated", "actual_end_date": "23/11/2026", "ended_without_steps_reason": "Moved."},
        )
        assert response.status_code == 302
        placement.refresh_from_db()
        assert placement.status == S.ENDED and placement.ended_without_steps_reason == "Moved."
