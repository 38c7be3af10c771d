"""Who may see and do what with providers, safeguarding confirmations and AP audits.

Decisions (docs/domain-rules.md#roles):
- The DSL, the headteacher and the SENDCo / AP lead see the provider directory, provider records
  and audits, and keep provider details up to date: the SENDCo plans placements and visits
  providers, so may also start and fill in an audit.
- Only the DSL or the headteacher checks registration, requests and records the KCSIE
  safeguarding confirmation, and signs off an audit ("the DSL, Assistant Headteacher or
  Headteacher has checked that the provision is registered"; the letter is signed by the "Head
  Teacher or DSL").
- Teachers and governors see no provider or audit (403). Governors see AP use only as aggregates
  in reports.
- The school office does not use these pages either: they hold safeguarding judgements that are
  the DSL's business. The office may look up a provider's contact details, sites and commissioning
  dates read-only in the back office (model permissions given in audits/demo.py).

Every check is made against an object (a record, or the school a new record goes into), so
Django's model permissions for the back office never open these pages.
"""

from __future__ import annotations

import rules

from apcase.models import Role
from apcase.permissions import school_role

# Selectors scope lists with the same roles the rules below check one object against.
PROVIDER_ROLES = (Role.DSL, Role.HEAD, Role.SENDCO)
SIGNATORY_ROLES = (Role.DSL, Role.HEAD)

can_see_providers = school_role(*PROVIDER_ROLES)
is_safeguarding_signatory = school_role(*SIGNATORY_ROLES)

rules.add_perm("audits.view_provider", can_see_providers)
rules.add_perm("audits.add_provider", can_see_providers)
rules.add_perm("audits.change_provider", can_see_providers)
rules.add_perm("audits.check_provider_registration", is_safeguarding_signatory)

rules.add_perm("audits.view_safeguardingconfirmation", can_see_providers)
rules.add_perm("audits.add_safeguardingconfirmation", is_safeguarding_signatory)

rules.add_perm("audits.view_audit", can_see_providers)
rules.add_perm("audits.add_audit", can_see_providers)
rules.add_perm("audits.change_audit", can_see_providers)
rules.add_perm("audits.sign_off_audit", is_safeguarding_signatory)

rules.add_perm("audits.change_furtheraction", can_see_providers)
