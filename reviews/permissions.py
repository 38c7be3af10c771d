"""Who may see and do what with reviews, targets and the return to class (rules; autodiscovered by
the core app).

Tenancy comes first: another school's review, request or placement is a 404 before any rule here is
asked. Inside the school these rules decide between 200 and 403, and reviews.selectors filters lists
the same way. Rules about a placement's plan, report and check-ins are asked of the placement.

- The SENDCo / AP lead and the headteacher run reviews (docs/domain-rules.md#roles): they arrange them,
  invite, record and close them, record written requests for a review and the school's answer,
  set targets and record measurements, agree the reintegration plan and write the final report.
- The DSL reads all of it (safeguarding: how each pupil at AP is doing, what was decided and why)
  but runs none of it.
- A teacher who is the pupil's class teacher or a key adult reads the reintegration plan and the
  check-ins, and records check-ins: the return happens in their classroom. Reviews, targets and the
  final report (family views, behaviour evidence) stay with those who run and safeguard the case.
- The school office keeps the register, not the case: no reviews. Governors never see a pupil
  (aggregates only, in the governors' report).
"""

from __future__ import annotations

import rules

from apcase.permissions import is_dsl, is_leader, is_teacher
from placements.permissions import teaches_placement_pupil, works_at_placement_provider


@rules.predicate
def works_at_review_provider(user, review) -> bool:
    """Provider staff send their report for a review of a placement with their provider (the portal)."""
    return review is not None and works_at_placement_provider(user, review.placement)


reads_the_case = is_leader | is_dsl
teaches_the_pupil = is_teacher & teaches_placement_pupil

# Review meetings (asked of a review, or of the placement for a new one)
rules.add_perm("reviews.list_reviews", reads_the_case)
rules.add_perm("reviews.view_review", reads_the_case)
rules.add_perm("reviews.add_review", is_leader)
rules.add_perm("reviews.schedule_review", is_leader)
rules.add_perm("reviews.record_review", is_leader)
rules.add_perm("reviews.close_review", is_leader)
rules.add_perm("reviews.cancel_review", is_leader)
rules.add_perm("reviews.submit_provider_report", works_at_review_provider)
rules.add_perm("reviews.submit_provider_progress", works_at_placement_provider)  # asked of the placement

# Written requests for a review of an off-site direction (reg 4A) and the answer (reg 6)
rules.add_perm("reviews.view_review_request", reads_the_case)
rules.add_perm("reviews.add_review_request", is_leader)
rules.add_perm("reviews.answer_review_request", is_leader)

# Targets and progress
rules.add_perm("reviews.view_progress", reads_the_case)
rules.add_perm("reviews.change_targets", is_leader)

# The return to class
rules.add_perm("reviews.view_reintegration_plan", reads_the_case | teaches_the_pupil)
rules.add_perm("reviews.change_reintegration_plan", is_leader)
rules.add_perm("reviews.view_final_report", reads_the_case)
rules.add_perm("reviews.change_final_report", is_leader)
rules.add_perm("reviews.record_check_in", is_leader | teaches_the_pupil)
