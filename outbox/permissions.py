"""Who sees the outbox and records how letters went (rules; autodiscovered by the core app).

The office sends and posts the school's letters, so it has the Outbox page alongside the SENDCo
and the headteacher, who issue most of them. The DSL reads it (what reached a family, and when);
teachers and governors do not see it.
"""

import rules

from apcase.permissions import is_dsl, is_leader, is_office

rules.add_perm("outbox.view_outbox", is_leader | is_office | is_dsl)
rules.add_perm("outbox.record_message", is_leader | is_office)
