"""VIII. Đảng, Đoàn: Party concurrent positions (27) and organisation activity (not printed)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Date, String
from sqlalchemy.orm import Mapped, mapped_column

from extensions import db
from models.base import PeriodMixin
from models.sections._child import ProfileChild


class PartyConcurrentPosition(ProfileChild, db.Model):
    __tablename__ = "party_concurrent_positions"

    position: Mapped[str | None] = mapped_column(String(40))
    title: Mapped[str | None] = mapped_column(String(255))
    appointed_on: Mapped[date | None] = mapped_column(Date)


class OrgActivity(ProfileChild, PeriodMixin, db.Model):
    __tablename__ = "org_activities"

    org: Mapped[str | None] = mapped_column(String(40))
    unit: Mapped[str | None] = mapped_column(String(255))
    role: Mapped[str | None] = mapped_column(String(255))
