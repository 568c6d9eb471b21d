"""Accounts (the CCCD is the username) and role assignments on org units."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, DateTime, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from extensions import db
from models.base import TimestampMixin
from models.org import OrgUnit
from models.text import clean_text, search_key

ROLES = {
    "approver": "Người phê duyệt",
    "hr": "Cán bộ tổ chức",
    "leader": "Lãnh đạo",
    "sysadmin": "Quản trị hệ thống",
}


class User(TimestampMixin, db.Model):
    __tablename__ = "user_account"

    id: Mapped[int] = mapped_column(primary_key=True)
    cccd: Mapped[str] = mapped_column(String(12), unique=True)
    full_name: Mapped[str] = mapped_column(String(100))
    full_name_search: Mapped[str] = mapped_column(String(100), default="", index=True)
    birth_date: Mapped[date | None] = mapped_column(Date)
    sex: Mapped[str | None] = mapped_column(String(3))
    # NULL while the account still uses its default password: that password is derived from the
    # name and CCCD the server already holds, so a stored hash of it would protect nothing
    # (see auth/passwords.py). Only passwords the user chose are hashed, with argon2id.
    password_hash: Mapped[str | None] = mapped_column(String(255))
    must_change_password: Mapped[bool] = mapped_column(default=True)
    default_password_issued_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    password_changed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    failed_attempts: Mapped[int] = mapped_column(default=0)
    locked_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # Part of the login session id: bumping it ends every session of this user.
    session_version: Mapped[int] = mapped_column(default=1)
    active: Mapped[bool] = mapped_column(default=True, index=True)
    last_login_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    roles: Mapped[list[RoleAssignment]] = relationship(
        back_populates="user", cascade="all, delete-orphan", lazy="selectin"
    )

    @validates("full_name")
    def _normalise_name(self, _key: str, value: str) -> str:
        value = clean_text(value) or ""
        self.full_name_search = search_key(value)
        return value

    # Flask-Login protocol, written out so the session id carries the session version.
    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def is_active(self) -> bool:
        return self.active

    @property
    def is_anonymous(self) -> bool:
        return False

    def get_id(self) -> str:
        return f"{self.id}:{self.session_version}"

    def end_all_sessions(self) -> None:
        self.session_version = (self.session_version or 1) + 1

    def role_units(self, role: str) -> list[OrgUnit]:
        return [r.org_unit for r in self.roles if r.role == role]

    def has_role(self, role: str) -> bool:
        return any(r.role == role for r in self.roles)

    def __str__(self) -> str:
        return self.full_name


class RoleAssignment(TimestampMixin, db.Model):
    """One row per (user, role, unit): the role applies to that unit's whole subtree."""

    __tablename__ = "role_assignment"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(20), index=True)
    org_unit_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id"), index=True)

    user: Mapped[User] = relationship(back_populates="roles")
    org_unit: Mapped[OrgUnit] = relationship(lazy="joined")

    __table_args__ = (UniqueConstraint("user_id", "role", "org_unit_id", name="uq_role_assignment"),)
