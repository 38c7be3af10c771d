"""Who may see and do what with placements, parent notices, attendance and placement records
(rules; autodiscovered by the core app).

Tenancy comes first: another school's placement is a 404 before any rule here is asked. Inside the
school these rules decide between 200 and 403, and placements.selectors filters lists the same way.

- The SENDCo / AP lead and the headteacher run placements: create, edit, send for approval, issue
  the parent notice, record attendance, handover, incidents and visits, end them. The headteacher
  approves in the approvals inbox (pupils.decide_approval), never on the placement page. They
  commission placements, so they notify the local authority of them.
- The DSL reads every placement in full (safeguarding: where each pupil is, the notice, the
  incidents) and records incidents the provider reports, but does not run placements.
- A teacher sees only the placements of pupils they are class teacher or key adult for, as a
  read-only summary: where and when the pupil is away, the plan and how attendance is going, so
  they can plan the return. Costs, the parents' notice, incidents, visits, handover and history
  stay with those who run and safeguard the placement.
- The school office keeps the register: it sees the list of placements (who is off-site, where)
  and records attendance from providers' returns, but does not open the placement record itself.
- Governors never see a placement (aggregates only, in reports).
- Provider staff (the provider portal) hold no school role: they reach placements only through
  Placement.objects.for_provider_staff(), and record attendance and incidents for those.
"""

from __future__ import annotations

import rules

from apcase.permissions import is_dsl, is_leader, is_office, is_teacher
from audits.staff import provider_organisation_ids
from placements.models import Placement
from pupils.permissions import teaches_pupil


@rules.predicate
def teaches_placement_pupil(user, placement) -> bool:
    return placement is not None and teaches_pupil(user, placement.pupil)


@rules.predicate
def works_at_placement_provider(user, placement) -> bool:
    """Provider staff (the portal, docs/portal.md) record attendance and incidents for the pupils
    placed with their organisation while the placement is in force; they hold no school role."""
    return (
        placement is not None
        and placement.status in Placement.IN_FORCE
        and placement.provider.organisation_id in provider_organisation_ids(user)
    )


rules.add_perm("placements.list_placements", is_leader | is_dsl | is_office | is_teacher)  # teachers: their own
rules.add_perm("placements.view_placement", is_leader | is_dsl | (is_teacher & teaches_placement_pupil))
rules.add_perm("placements.view_placement_record", is_leader | is_dsl)  # costs, notice, records, history
rules.add_perm("placements.add_placement", is_leader)
rules.add_perm("placements.change_placement", is_leader)
rules.add_perm("placements.issue_notice", is_leader)
# Whether the provision suits the pupil: those who run the placement, and the DSL who audits providers.
rules.add_perm("placements.decide_suitability", is_leader | is_dsl)
rules.add_perm("placements.notify_la", is_leader)  # the people who commission it tell the LA
rules.add_perm("placements.view_attendance", is_leader | is_dsl | is_office)
# The contact log: those who talk to providers and families about a placement, and the office,
# which makes the daily calls home.
rules.add_perm("placements.record_contact", is_leader | is_dsl | is_office)
# The daily chase: the office calls home; the people who run and safeguard placements watch it, and
# send what a long run of absence calls for (the LA's attendance return, the Virtual School).
rules.add_perm("placements.chase_attendance", is_leader | is_dsl | is_office)
rules.add_perm("placements.send_chase_notice", is_leader | is_dsl)
rules.add_perm("placements.record_attendance", is_leader | is_office | works_at_placement_provider)
rules.add_perm("placements.record_incident", is_leader | is_dsl | works_at_placement_provider)
rules.add_perm("placements.respond_to_incident", is_leader)
rules.add_perm("placements.record_visit", is_leader)
rules.add_perm("placements.record_handover", is_leader)
# The handover pack goes to the provider from those who run the placement and the DSL, who owns
# what it says about safeguarding.
rules.add_perm("placements.send_handover", is_leader | is_dsl)
