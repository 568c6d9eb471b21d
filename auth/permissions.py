"""THE access policy. Every view asks here; nothing else decides who sees or does what.

Deny by default: a user sees their own profile, plus the profiles of the subtrees where they
hold a role that grants reading; sysadmin sees everything.
"""

from __future__ import annotations

from sqlalchemy import Select, false, or_

from models.org import OrgUnit, subtree_ids
from models.profile import Profile
from models.user import User

# Roles whose holders may read the profiles of their units' subtrees.
READ_ROLES = frozenset({"approver", "hr", "leader"})


def scope_paths(user: User, roles: frozenset[str] | set[str]) -> list[str]:
    """Materialised paths of the units where `user` holds one of `roles`."""
    return [r.org_unit.path for r in user.roles if r.role in roles]


def scope_profiles(stmt: Select, user: User | None, roles: frozenset[str] = READ_ROLES) -> Select:
    """Restrict a SELECT over Profile to what `user` may see (own profile + role subtrees)."""
    if user is None or not user.is_active:
        return stmt.where(false())
    if user.has_role("sysadmin"):
        return stmt
    conditions = [Profile.owner_id == user.id]
    paths = scope_paths(user, roles)
    if paths:
        conditions.append(Profile.org_unit_id.in_(subtree_ids(*paths)))
    return stmt.where(or_(*conditions))


def scope_units(stmt: Select, user: User, roles: frozenset[str]) -> Select:
    """Restrict a SELECT over OrgUnit to the subtrees where `user` holds one of `roles`."""
    if user.has_role("sysadmin"):
        return stmt
    paths = scope_paths(user, roles)
    if not paths:
        return stmt.where(false())
    return stmt.where(OrgUnit.id.in_(subtree_ids(*paths)))
