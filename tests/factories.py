"""Factories for test data: small functions with sensible defaults, each flushing what it makes."""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime

from auth.login import set_password
from extensions import db
from models.org import OrgUnit, add_unit
from models.profile import Profile
from models.user import RoleAssignment, User

_counter = itertools.count(1)


def make_unit(
    name: str = "", *, parent: OrgUnit | None = None, code: str | None = None, kind: str = "co_quan"
) -> OrgUnit:
    n = next(_counter)
    return add_unit(db.session, code=code or f"U{n:05d}", name=name or f"Đơn vị {n}", kind=kind, parent=parent)


def make_cccd(birth_year: int = 1985, sex: str = "nu", province: str = "001") -> str:
    century_digit = (birth_year // 100 - 19) * 2 + (1 if sex == "nu" else 0)
    return f"{province}{century_digit}{birth_year % 100:02d}{next(_counter):06d}"


def make_user(
    full_name: str = "Nguyễn Thị Hoa",
    *,
    unit: OrgUnit | None = None,
    cccd: str | None = None,
    birth_date: date = date(1985, 3, 1),
    sex: str = "nu",
    password: str | None = None,
    roles: list[tuple[str, OrgUnit]] | None = None,
    with_profile: bool = True,
) -> User:
    """A user on the default password unless `password` is given (then already changed)."""
    from flask import current_app

    unit = unit or make_unit()
    user = User(
        cccd=cccd or make_cccd(birth_date.year, sex),
        full_name=full_name,
        birth_date=birth_date,
        sex=sex,
        default_password_issued_at=datetime.now(UTC),
    )
    db.session.add(user)
    if password is not None:
        set_password(user, current_app.extensions["hasher"], password, now=datetime.now(UTC))
    for role, role_unit in roles or []:
        user.roles.append(RoleAssignment(role=role, org_unit=role_unit))
    if with_profile:
        db.session.add(
            Profile(
                owner=user,
                org_unit=unit,
                full_name=full_name,
                birth_date=birth_date,
                sex=sex,
                id_number=user.cccd,
            )
        )
    db.session.flush()
    return user
