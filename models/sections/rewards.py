"""VI. Khen thưởng, kỷ luật: state honours (22) and discipline (35.2)."""

from __future__ import annotations

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from extensions import db
from models.base import PeriodMixin
from models.sections._child import ProfileChild

DISCIPLINE_SCOPES = {"dang": "Đảng", "chinh_quyen": "Chính quyền", "doan_the": "Đoàn thể"}


class StateTitle(ProfileChild, db.Model):
    __tablename__ = "state_titles"

    title: Mapped[str | None] = mapped_column(String(40))
    year: Mapped[int | None] = mapped_column()
    decision: Mapped[str | None] = mapped_column(String(255))


class Discipline(ProfileChild, PeriodMixin, db.Model):
    __tablename__ = "disciplines"

    scope: Mapped[str | None] = mapped_column(String(12))
    form: Mapped[str | None] = mapped_column(String(40))
    violation: Mapped[str | None] = mapped_column(String(255))
    decided_by: Mapped[str | None] = mapped_column(String(255))
    decision: Mapped[str | None] = mapped_column(String(255))
