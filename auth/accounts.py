"""What HR (and sysadmin) may do to accounts and org units, as domain functions.

Pure: no request, no Flask, no commit. Each function checks the actor's right first and raises
`ActionRefused` with a Vietnamese message on any refusal, before changing anything; on success
it mutates, adds the audit row, and leaves the commit to the caller (one transaction per action).

Who may act on whom:
- The actor is an HR officer (scope: the subtrees of their `hr` role units) or a sysadmin
  (everything). Nobody acts on their own account: a slip would lock them out, and granting
  oneself roles is an escalation.
- The target account must be in scope: its profile's unit lies in the actor's subtree.
- The target must hold no more power than the actor: an HR officer of a department cannot lock,
  reset or change the roles of the district's HR officer (who has a profile in that department
  but roles above it) nor of a sysadmin. Resetting someone's password to the default, which is
  computable from their name and CCCD, would otherwise let a lower officer take over that account.
- Roles granted here are approver / hr / leader, on units inside the actor's subtree; never
  sysadmin. Role changes, locks and deactivation end the target's sessions at once
  (SECURITY.md, Sessions), so they take effect on the target's next request.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import cast

from sqlalchemy import ColumnElement, Select, false, func, select, true
from sqlalchemy.orm import Session

from auth.accounts_import import IMPORTABLE_ROLES, AnySession, import_accounts, parse_birth_date, parse_full_name
from auth.audit import record
from auth.login import ADMIN_LOCK_UNTIL, reset_to_default
from auth.permissions import scope_paths, scope_units
from models.audit import mask_cccd
from models.cccd import check_cccd, normalize_cccd
from models.org import (
    MAX_UNIT_NAME_LENGTH,
    UNIT_KINDS,
    OrgTreeError,
    OrgUnit,
    add_unit,
    move_unit,
    rename_unit,
    subtree_ids,
)
from models.profile import Profile
from models.text import clean_text
from models.user import ROLES, RoleAssignment, User

HR_ROLES = frozenset({"hr"})
# The roles HR hands out; the same list the spreadsheet import accepts. Never sysadmin.
GRANTABLE_ROLES: tuple[str, ...] = IMPORTABLE_ROLES
SEXES = ("nam", "nu")
# An HR lock has no end: a date no login will reach (and that still converts to local time).
HR_LOCK_UNTIL = ADMIN_LOCK_UNTIL
MAX_UNIT_CODE_LENGTH = 40


class ActionRefused(Exception):
    """A refused action; `str(exc)` is the Vietnamese message, `field` the form field it concerns.

    `status` tells a web caller how to answer: 403 when the actor may not do this at all (scope,
    own account, a more powerful target), 400 when the input or the account's state is the problem.
    """

    def __init__(self, message: str, *, field: str | None = None, status: int = 400) -> None:
        super().__init__(message)
        self.field = field
        self.status = status


def _forbidden(message: str, *, field: str | None = None) -> ActionRefused:
    return ActionRefused(message, field=field, status=403)


# --- scope ------------------------------------------------------------------------------------------


def _aware(value: datetime | None) -> datetime | None:
    """SQLite returns naive datetimes for timezone-aware columns; they were stored in UTC."""
    if value is not None and value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value


def is_sysadmin(user: User | None) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active and user.has_role("sysadmin"))


def is_account_manager(user: User | None) -> bool:
    """HR of some subtree, or sysadmin: who sees the Tài khoản and Đơn vị pages."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    return user.has_role("sysadmin") or user.has_role("hr")


def managed_units(stmt: Select, user: User) -> Select:
    """Restrict a SELECT over OrgUnit to the units `user` manages (its HR subtrees; all for sysadmin)."""
    if not is_account_manager(user):
        return stmt.where(false())
    return scope_units(stmt, user, HR_ROLES)


def unit_in_scope(user: User, unit: OrgUnit) -> bool:
    if not is_account_manager(user):
        return False
    if user.has_role("sysadmin"):
        return True
    return any(unit.path.startswith(path) for path in scope_paths(user, HR_ROLES))


def scope_roots(user: User) -> list[OrgUnit]:
    """The units an HR officer's subtrees hang from: their `hr` role units."""
    return [r.org_unit for r in user.roles if r.role in HR_ROLES]


def account_scope_clause(user: User | None) -> ColumnElement[bool]:
    """The WHERE clause over User of the accounts `user` manages: profile's unit in its HR subtrees.

    An account without a profile (an operator's) is visible to sysadmin only.
    """
    if user is None or not is_account_manager(user):
        return false()
    if user.has_role("sysadmin"):
        return true()
    paths = scope_paths(user, HR_ROLES)
    return User.id.in_(select(Profile.owner_id).where(Profile.org_unit_id.in_(subtree_ids(*paths))))


def _require_manager(actor: User) -> None:
    if not is_account_manager(actor):
        raise _forbidden("Bạn không có quyền quản lý tài khoản và đơn vị.")


def _require_target(session: AnySession, actor: User, target: User) -> None:
    """The checks every action on an existing account shares (see the module docstring)."""
    _require_manager(actor)
    if target.id == actor.id:
        raise _forbidden("Không thể tự thao tác trên tài khoản của chính mình.")
    in_scope = session.scalar(select(User.id).where(User.id == target.id, account_scope_clause(actor)))
    if in_scope is None:
        raise _forbidden("Tài khoản này không thuộc phạm vi quản lý của bạn.")
    if actor.has_role("sysadmin"):
        return
    if any(r.role == "sysadmin" or not unit_in_scope(actor, r.org_unit) for r in target.roles):
        raise _forbidden(
            "Người này có vai trò ở đơn vị ngoài phạm vi quản lý của bạn: "
            "chỉ cán bộ tổ chức cấp trên mới thao tác được trên tài khoản này."
        )


def _require_unit(actor: User, unit: OrgUnit, *, field: str | None = None) -> None:
    if not unit_in_scope(actor, unit):
        raise _forbidden(f"Đơn vị «{unit.name}» không thuộc phạm vi quản lý của bạn.", field=field)


def _audit(actor: User, action: str, target: User, **details: object) -> None:
    record(
        action, actor=actor, object_type="user", object_id=target.id, details={"cccd": mask_cccd(target.cccd)} | details
    )


# --- account state ----------------------------------------------------------------------------------


def account_state(user: User, *, now: datetime) -> str:
    """One of inactive / locked / default_password / own_password, in that order of precedence."""
    if not user.active:
        return "inactive"
    locked_until = _aware(user.locked_until)
    if locked_until is not None and locked_until > now:
        return "locked"
    return "default_password" if user.password_hash is None else "own_password"


def is_hr_lock(user: User) -> bool:
    """A lock put by HR (no end) rather than the temporary one after failed logins."""
    locked_until = _aware(user.locked_until)
    return locked_until is not None and locked_until >= HR_LOCK_UNTIL


# --- creating an account ----------------------------------------------------------------------------


def create_account(
    session: AnySession,
    actor: User,
    *,
    cccd: str,
    full_name: str,
    birth_date: date,
    sex: str,
    unit: OrgUnit,
    now: datetime,
) -> User:
    """One account on the default password with its empty draft profile, as the spreadsheet import makes it.

    The fields are checked here one by one so each message lands next to its field; the creation
    itself goes through `import_accounts` with this one row, so a single account and a bulk import
    get exactly the same user, profile and managing agency (the nearest cơ quan above the unit).
    A CCCD/birth year or sex mismatch refuses, as in the import: an account made from a mistyped
    row is worse than a row to fix.
    """
    _require_manager(actor)
    _require_unit(actor, unit, field="unit_id")
    if not unit.active:
        raise ActionRefused(f"Đơn vị «{unit.name}» đã ngừng hoạt động.", field="unit_id")
    name, name_error = parse_full_name(full_name)
    if name_error or name is None:
        raise ActionRefused(name_error or "Thiếu họ và tên.", field="full_name")
    checked_date, date_error = parse_birth_date(birth_date, today=now.date())
    if date_error or checked_date is None:
        raise ActionRefused(date_error or "Thiếu ngày sinh.", field="birth_date")
    if sex not in SEXES:
        raise ActionRefused("Chọn giới tính.", field="sex")
    number = normalize_cccd(cccd)
    check = check_cccd(number, checked_date, sex)
    if check.errors or check.warnings:
        raise ActionRefused(" ".join(check.errors + check.warnings), field="cccd")
    if session.scalar(select(User.id).where(User.cccd == number)) is not None:
        raise ActionRefused("Số CCCD này đã có tài khoản.", field="cccd")
    if session.scalar(select(Profile.id).where(Profile.id_number == number).limit(1)) is not None:
        raise ActionRefused("Số CCCD này đã được ghi trong hồ sơ của người khác.", field="cccd")

    row = {"row": 1, "cccd": number, "full_name": name, "birth_date": checked_date, "sex": sex, "unit_code": unit.code}
    report = import_accounts(session, [row], now=now, allowed_unit_ids={unit.id})
    if report.created != 1:  # a concurrent creation of the same CCCD, or a rule only the import knows
        reason = report.rejected[0].reason if report.rejected else "Số CCCD này đã có tài khoản."
        raise ActionRefused(reason, field="cccd")
    user = session.scalar(select(User).where(User.cccd == number))
    assert user is not None  # just inserted in this transaction
    _audit(actor, "account_create", user, unit=unit.code)
    return user


# --- actions on an existing account -----------------------------------------------------------------


def reset_password(session: AnySession, actor: User, target: User, *, now: datetime) -> None:
    """Back to the default password: the person must change it at next login; their sessions end."""
    _require_target(session, actor, target)
    reset_to_default(target, now=now)
    _audit(actor, "account_reset_password", target)


def lock(session: AnySession, actor: User, target: User) -> None:
    """Lock until HR unlocks; the target's sessions end at once (the lock alone would only stop logins)."""
    _require_target(session, actor, target)
    if is_hr_lock(target):
        raise ActionRefused("Tài khoản đã bị khóa.")
    target.locked_until = HR_LOCK_UNTIL
    target.failed_attempts = 0
    target.end_all_sessions()
    _audit(actor, "account_lock", target)


def unlock(session: AnySession, actor: User, target: User, *, now: datetime) -> None:
    """Lift an HR lock or the temporary lock after failed logins, and forget the failed attempts."""
    _require_target(session, actor, target)
    locked_until = _aware(target.locked_until)
    if (locked_until is None or locked_until <= now) and not target.failed_attempts:
        raise ActionRefused("Tài khoản không bị khóa.")
    target.locked_until = None
    target.failed_attempts = 0
    _audit(actor, "account_unlock", target)


def deactivate(session: AnySession, actor: User, target: User) -> None:
    """Someone who left: no login any more and every session ends now; the profile stays."""
    _require_target(session, actor, target)
    if not target.active:
        raise ActionRefused("Tài khoản đã ngừng hoạt động.")
    target.active = False
    target.end_all_sessions()
    _audit(actor, "account_deactivate", target)


def reactivate(session: AnySession, actor: User, target: User) -> None:
    _require_target(session, actor, target)
    if target.active:
        raise ActionRefused("Tài khoản đang hoạt động.")
    target.active = True
    target.failed_attempts = 0
    if not is_hr_lock(target):
        target.locked_until = None  # a temporary lock from attempts made while inactive
    _audit(actor, "account_reactivate", target)


def assign_role(session: AnySession, actor: User, target: User, role: str, unit: OrgUnit) -> RoleAssignment:
    """Give `role` on `unit` (and so on its subtree); the target's sessions end so it applies at once."""
    if role == "sysadmin":
        raise _forbidden("Không thể cấp vai trò Quản trị hệ thống tại đây.", field="role")
    if role not in GRANTABLE_ROLES:
        raise ActionRefused("Chọn vai trò: người phê duyệt, cán bộ tổ chức hoặc lãnh đạo.", field="role")
    _require_target(session, actor, target)
    _require_unit(actor, unit, field="unit_id")
    if any(r.role == role and r.org_unit_id == unit.id for r in target.roles):
        raise ActionRefused(f"Người này đã có vai trò {ROLES[role]} tại «{unit.name}».", field="role")
    assignment = RoleAssignment(role=role, org_unit=unit)
    target.roles.append(assignment)
    target.end_all_sessions()
    _audit(actor, "role_assign", target, role=role, unit=unit.code)
    return assignment


def revoke_role(session: AnySession, actor: User, assignment: RoleAssignment) -> None:
    target = assignment.user
    if assignment.role == "sysadmin":
        raise _forbidden("Không thể thu hồi vai trò Quản trị hệ thống tại đây.")
    _require_target(session, actor, target)
    _require_unit(actor, assignment.org_unit)
    role, code = assignment.role, assignment.org_unit.code
    target.roles.remove(assignment)  # delete-orphan: the row goes at flush
    target.end_all_sessions()
    _audit(actor, "role_revoke", target, role=role, unit=code)


# --- org units ----------------------------------------------------------------------------------------


def _unit_audit(actor: User, action: str, unit: OrgUnit, **details: object) -> None:
    record(action, actor=actor, object_type="org_unit", object_id=unit.id, details={"code": unit.code} | details)


def clean_unit_code(raw: str | None) -> str:
    """Letters, digits, '.', '_' and '-', as codes travel through spreadsheets and URLs."""
    code = (raw or "").strip()
    if not code:
        raise ActionRefused("Nhập mã đơn vị.", field="code")
    if len(code) > MAX_UNIT_CODE_LENGTH:
        raise ActionRefused(f"Mã đơn vị tối đa {MAX_UNIT_CODE_LENGTH} ký tự.", field="code")
    if not all(ch.isascii() and (ch.isalnum() or ch in "._-") for ch in code):
        raise ActionRefused("Mã đơn vị chỉ gồm chữ không dấu, chữ số và các dấu . _ -", field="code")
    return code


def add_org_unit(
    session: AnySession, actor: User, *, code: str, name: str, kind: str, parent: OrgUnit | None
) -> OrgUnit:
    """A new unit under `parent` (in scope); only a sysadmin may add a unit with no parent (a new root).

    Codes are unique ignoring case: the import finds units by code and forgives the case.
    """
    _require_manager(actor)
    if parent is None:
        if not actor.has_role("sysadmin"):
            raise ActionRefused("Chọn đơn vị cấp trên.", field="parent_id")
    else:
        _require_unit(actor, parent, field="parent_id")
    code = clean_unit_code(code)
    if kind not in UNIT_KINDS:
        raise ActionRefused("Chọn loại đơn vị.", field="kind")
    cleaned = clean_text(name) or ""
    if not cleaned:
        raise ActionRefused("Nhập tên đơn vị.", field="name")
    if len(cleaned) > MAX_UNIT_NAME_LENGTH:
        raise ActionRefused(f"Tên đơn vị tối đa {MAX_UNIT_NAME_LENGTH} ký tự.", field="name")
    if session.scalar(select(OrgUnit.id).where(func.lower(OrgUnit.code) == code.lower())) is not None:
        raise ActionRefused(f"Mã đơn vị «{code}» đã được dùng.", field="code")
    # db.session is a scoped_session: it proxies a Session, which add_unit is typed for.
    unit = add_unit(cast(Session, session), code=code, name=cleaned, kind=kind, parent=parent)
    _unit_audit(actor, "unit_create", unit, name=unit.name, parent=parent.code if parent else None)
    return unit


def rename_org_unit(session: AnySession, actor: User, unit: OrgUnit, name: str) -> None:
    _require_manager(actor)
    _require_unit(actor, unit)
    try:
        old = rename_unit(unit, name)
    except OrgTreeError as exc:
        raise ActionRefused(str(exc), field="name") from exc
    _unit_audit(actor, "unit_rename", unit, old_name=old, new_name=unit.name)


def move_org_unit(session: AnySession, actor: User, unit: OrgUnit, new_parent: OrgUnit) -> None:
    """Move a unit and its subtree under another unit, both inside the actor's scope.

    An HR officer cannot move the root of their own scope: it would carry their whole subtree,
    and with it their own reach, to a place someone above them decides.
    """
    _require_manager(actor)
    _require_unit(actor, unit)
    _require_unit(actor, new_parent, field="parent_id")
    if not actor.has_role("sysadmin") and any(root.id == unit.id for root in scope_roots(actor)):
        raise _forbidden("Không thể chuyển đơn vị gốc trong phạm vi quản lý của bạn.")
    old_parent = unit.parent.code if unit.parent else None
    try:
        old_path, new_path = move_unit(session, unit, new_parent)
    except OrgTreeError as exc:
        raise ActionRefused(str(exc), field="parent_id") from exc
    _unit_audit(
        actor,
        "unit_move",
        unit,
        old_parent=old_parent,
        new_parent=new_parent.code,
        old_path=old_path,
        new_path=new_path,
    )
