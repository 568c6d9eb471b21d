"""Append-only records: the profile's update history and the security audit log."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, DateTime, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from extensions import db
from models.base import utcnow


class ProfileHistory(db.Model):
    """Lịch sử cập nhật: one row per save, submission, confirmation or rejection."""

    __tablename__ = "profile_history"

    id: Mapped[int] = mapped_column(primary_key=True)
    profile_id: Mapped[int] = mapped_column(ForeignKey("profile.id", ondelete="CASCADE"))
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    action: Mapped[str] = mapped_column(String(20))
    from_status: Mapped[str | None] = mapped_column(String(12))
    to_status: Mapped[str | None] = mapped_column(String(12))
    note: Mapped[str | None] = mapped_column(Text)
    # {"fields": {name: [old, new]}, "rows": {table: {"added": [...], "removed": [...], "changed": [...]}}}
    changes: Mapped[dict] = mapped_column(JSON, default=dict)

    __table_args__ = (Index("ix_profile_history_profile_at", "profile_id", "at"),)


class AuditLog(db.Model):
    """Who did what, when and from where; sensitive values are masked before they get here."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"), index=True)
    ip: Mapped[str | None] = mapped_column(String(45))
    action: Mapped[str] = mapped_column(String(40), index=True)
    object_type: Mapped[str | None] = mapped_column(String(40))
    object_id: Mapped[str | None] = mapped_column(String(40))
    details: Mapped[dict] = mapped_column(JSON, default=dict)


def mask_cccd(cccd: str | None) -> str:
    """Show only the last four digits of a citizen ID in logs and lists."""
    if not cccd:
        return ""
    return "*" * max(len(cccd) - 4, 0) + cccd[-4:]
