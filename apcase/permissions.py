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


# --- People and roles (docs/security.md#people-and-roles) -------------------------------------

# What the school office may give: roles that see the school's records without deciding about a
# child. A leader's role (LEADER_ROLES) and trust-wide reach are the head's or a superuser's.
OFFICE_GRANTABLE_ROLES = frozenset({Role.TEACHER, Role.OFFICE, Role.GOVERNOR})


def roles_grantable_by(user, school_id: int | None) -> frozenset[str]:
    """The roles `user` may give or take away in one school."""
    if user.is_superuser or has_role(user, school_id, Role.HEAD):
        return frozenset(Role.values)
    if has_role(user, school_id, Role.OFFICE):
        return OFFICE_GRANTABLE_ROLES
    return frozenset()


def membership_manageable_by(user, membership) -> bool:
    """May `user` change or remove this membership row as it stands?"""
    if user.is_superuser:
        return True
    return not membership.trust_wide and membership.role in roles_grantable_by(user, membership.school_id)


def person_manageable_by(user, person) -> bool:
    """May `user` change this person's details (name, e-mail) in the back office? Only if every
    role the person holds is one the user could have given: changing a leader's e-mail would let
    whoever did it take over the leader's account through a password reset."""
    if user.is_superuser:
        return True
    if person.is_superuser:
        return False
    return all(membership_manageable_by(user, membership) for membership in person.memberships.all())


@rules.predicate
def is_head_of_persons_school(user, person) -> bool:
    """The head of a school the person works in (or a superuser) looks after their sign-in."""
    if user.is_superuser:
        return True
    if person is None or person.is_superuser:
        return False
    return any(has_role(user, school_id, Role.HEAD) for school_id in person_school_ids(person))


def person_school_ids(person) -> set[int]:
    return {membership.school_id for membership in person.memberships.all()}


rules.add_perm("apcase.manage_people", school_role(Role.HEAD))
# The school's own settings (the chase's cut-off and escalation, names in e-mails): the head, and
# the office, which keeps them in the back office too.
rules.add_perm("apcase.change_school_settings", school_role(Role.HEAD, Role.OFFICE))
rules.add_perm("apcase.reset_sign_in", is_head_of_persons_school)
