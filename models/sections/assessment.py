"""VII. Kết quả đánh giá, phân loại: one row per year (35.1)."""

from __future__ import annotations

from sqlalchemy import JSON, String
from sqlalchemy.orm import Mapped, mapped_column

from extensions import db
from models.sections._child import ProfileChild


class AnnualResult(ProfileChild, db.Model):
    __tablename__ = "annual_results"

    year: Mapped[int | None] = mapped_column()
    professional_rating: Mapped[str | None] = mapped_column(String(40))
    emulation_title: Mapped[str | None] = mapped_column(String(40))
    awards: Mapped[list[str]] = mapped_column(JSON, default=list)
    award_details: Mapped[str | None] = mapped_column(String(255))
