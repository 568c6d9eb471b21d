"""V. Tuyển dụng, quá trình công tác: concurrent positions (25) and work history (33)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Date, String
from sqlalchemy.orm import Mapped, mapped_column

from extensions import db
from models.base import PeriodMixin
from models.sections._child import ProfileChild


class ConcurrentPosition(ProfileChild, db.Model):
    __tablename__ = "concurrent_positions"

    position: Mapped[str | None] = mapped_column(String(40))
    title: Mapped[str | None] = mapped_column(String(255))
    appointed_on: Mapped[date | None] = mapped_column(Date)


class WorkHistory(ProfileChild, PeriodMixin, db.Model):
    __tablename__ = "work_history"

    unit: Mapped[str | None] = mapped_column(String(255))
    title: Mapped[str | None] = mapped_column(String(255))
