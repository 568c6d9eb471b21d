"""III. Quan hệ gia đình (36.1 / 36.2)."""

from __future__ import annotations

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from extensions import db
from models.sections._child import ProfileChild

FAMILY_SIDES = {"ban_than": "Về bản thân", "ben_vo_chong": "Bên vợ (hoặc chồng)"}


class FamilyMember(ProfileChild, db.Model):
    __tablename__ = "family_members"

    relation: Mapped[str | None] = mapped_column(String(40))
    # Copied from the relation's list entry, never typed: it routes the row to 36.1 or 36.2.
    side: Mapped[str | None] = mapped_column(String(12))
    full_name: Mapped[str | None] = mapped_column(String(100))
    birth_year: Mapped[int | None] = mapped_column()
    is_deceased: Mapped[bool] = mapped_column(default=False)
    death_year: Mapped[int | None] = mapped_column()
    hometown: Mapped[str | None] = mapped_column(String(255))
    occupation: Mapped[str | None] = mapped_column(String(255))
    workplace: Mapped[str | None] = mapped_column(String(255))
    residence: Mapped[str | None] = mapped_column(String(255))
    lives_abroad: Mapped[bool] = mapped_column(default=False)
    political_orgs: Mapped[str | None] = mapped_column(String(255))
    past_record: Mapped[str | None] = mapped_column(String(255))
