"""Confirmed versions: each confirmation freezes the profile as plain data (the official version)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, DateTime, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from extensions import db
from models.base import utcnow


class ProfileVersion(db.Model):
    """The snapshot of a confirmed profile; the newest one is what prints and syncs."""

    __tablename__ = "profile_version"

    id: Mapped[int] = mapped_column(primary_key=True)
    profile_id: Mapped[int] = mapped_column(ForeignKey("profile.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column()
    confirmed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    confirmed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    data: Mapped[dict] = mapped_column(JSON)
    digest: Mapped[str] = mapped_column(String(64))

    __table_args__ = (UniqueConstraint("profile_id", "number", name="uq_profile_version_profile_number"),)
