"""Role predicates shared by every app's permissions.py.

A predicate called with an object answers for the object's school; called without one it answers
"does the user hold this role in any school?" (menus, create pages).
"""

from __future__ import annotations

import rules

from apcase.access import has_role, school_id_of, school_ids_for
from apcase.models import Role


def school_role(*roles: str) -> rules.Predicate:
    def check(user, obj=None) -> bool:
        if obj is None:
            return bool(school_ids_for(user, roles))
        return has_role(user, school_id_of(obj), *roles)

    return rules.Predicate(check, name="school_role:" + "|".join(roles))


is_sendco = school_role(Role.SENDCO)
is_head = school_role(Role.HEAD)
is_dsl = school_role(Role.DSL)
is_teacher = school_role(Role.TEACHER)
is_office = school_role(Role.OFFICE)
is_governor = school_role(Role.GOVERNOR)
is_leader = school_role(Role.SENDCO, Role.HEAD)
is_staff_member = school_role(Role.SENDCO, Role.HEAD, Role.DSL, Role.TEACHER, Role.OFFICE)
is_member = school_role(*Role.values)
