"""IX. Đặc điểm lịch sử bản thân: old-regime work (34.2) and foreign organisations (34.3)."""

from __future__ import annotations

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from extensions import db
from models.base import PeriodMixin
from models.sections._child import ProfileChild


class OldRegimeWork(ProfileChild, PeriodMixin, db.Model):
    __tablename__ = "old_regime_work"

    description: Mapped[str | None] = mapped_column(String(500))


class ForeignOrganization(ProfileChild, PeriodMixin, db.Model):
    __tablename__ = "foreign_organizations"

    description: Mapped[str | None] = mapped_column(String(500))
