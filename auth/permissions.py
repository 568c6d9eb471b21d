"""THE access policy. Every view asks here; nothing else decides who sees or does what.

Deny by default: a user sees their own profile, plus the profiles of the subtrees where they
hold a role that grants reading; sysadmin sees everything.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, Select, false, or_, true

from models.org import OrgUnit, subtree_ids
from models.profile import Profile
from models.user import User

# Roles whose holders may read the profiles of their units' subtrees.
READ_ROLES = frozenset({"approver", "hr", "leader"})


def scope_paths(user: User, roles: frozenset[str] | set[str]) -> list[str]:
    """Materialised paths of the units where `user` holds one of `roles`."""
    return [r.org_unit.path for r in user.roles if r.role in roles]


def profile_scope_clause(
    user: User | None, roles: frozenset[str] = READ_ROLES, *, include_own: bool = True
) -> ColumnElement[bool]:
    """The WHERE clause of the profiles `user` may see: the role subtrees, plus their own profile
    unless `include_own` is off (a leader syncs the units they lead, not their own record)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return false()
    if user.has_role("sysadmin"):
        return true()
    conditions = [Profile.owner_id == user.id] if include_own else []
    paths = scope_paths(user, roles)
    if paths:
        conditions.append(Profile.org_unit_id.in_(subtree_ids(*paths)))
    return or_(*conditions) if conditions else false()


def scope_profiles(stmt: Select, user: User | None, roles: frozenset[str] = READ_ROLES) -> Select:
    """Restrict a SELECT over Profile to what `user` may see."""
    return stmt.where(profile_scope_clause(user, roles))


def scope_units(stmt: Select, user: User, roles: frozenset[str]) -> Select:
    """Restrict a SELECT over OrgUnit to the subtrees where `user` holds one of `roles`."""
    if user.has_role("sysadmin"):
        return stmt
    paths = scope_paths(user, roles)
    if not paths:
        return stmt.where(false())
    return stmt.where(OrgUnit.id.in_(subtree_ids(*paths)))


# Actions on a profile and who may take them (the workflow decides the state part).
EMPLOYEE_EDITABLE = frozenset({"draft"})


def in_role_scope(user: User, profile: Profile, roles: frozenset[str] | set[str]) -> bool:
    """True when `profile`'s unit lies in a subtree where `user` holds one of `roles`."""
    unit_path = profile.org_unit.path if profile.org_unit else None
    if unit_path is None:
        return False
    return any(r.role in roles and unit_path.startswith(r.org_unit.path) for r in user.roles)


def is_approver_of(user: User, profile: Profile) -> bool:
    """The role half of confirm/reject: an approver of the subtree (or sysadmin), never the owner.
    The state half (only while pending) is the workflow's."""
    if profile.owner_id == user.id:
        return False
    return user.has_role("sysadmin") or in_role_scope(user, profile, {"approver"})


def can(user: User | None, action: str, profile: Profile) -> bool:
    """THE per-object rule. Unknown actions are denied.

    - view: the owner, anyone with a reading role on the profile's unit subtree, sysadmin.
    - edit: the owner while the profile is a draft; HR of the subtree (on the employee's behalf) too.
    - submit: the owner. reopen ("Sửa" on a rejected or confirmed profile): the owner, or HR of the
      subtree updating the record on the employee's behalf.
    - confirm / reject: an approver of the subtree, never on their own profile, only while pending.
    - download_attachment / upload_attachment: as view / edit.
    """
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    is_owner = profile.owner_id == user.id
    is_admin = user.has_role("sysadmin")
    if action in ("view", "download_attachment", "print"):
        return is_owner or is_admin or in_role_scope(user, profile, READ_ROLES)
    if action in ("edit", "upload_attachment", "delete_attachment"):
        if profile.status not in EMPLOYEE_EDITABLE:
            return False
        return is_owner or is_admin or in_role_scope(user, profile, {"hr"})
    if action == "submit":
        return is_owner and profile.status == "draft"
    if action == "reopen":
        if profile.status not in ("rejected", "confirmed"):
            return False
        return is_owner or in_role_scope(user, profile, {"hr"})
    if action in ("confirm", "reject"):
        return profile.status == "pending" and is_approver_of(user, profile)
    if action in ("edit_hr_fields", "manage_contracts"):
        return is_admin or in_role_scope(user, profile, {"hr"})
    if action == "edit_assessment":
        return not is_owner and (is_admin or in_role_scope(user, profile, {"hr", "approver"}))
    return False
