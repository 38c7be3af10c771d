"""Who manages a provider's portal access (rules; autodiscovered by the core app).

The school's DSL or SENDCo invites, suspends and removes provider staff from the provider's page:
they are the ones who check providers and run placements. Everyone else in the school gets 403,
another school 404 (the provider entry is school-scoped)."""

from __future__ import annotations

import rules

from apcase.permissions import is_dsl, is_sendco

rules.add_perm("provider_portal.manage_staff", is_dsl | is_sendco)
