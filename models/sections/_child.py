"""Shared shape of a repeating-table row: it belongs to one profile and keeps its place."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey
from sqlalchemy.orm import Mapped, declared_attr, mapped_column, relationship

if TYPE_CHECKING:
    from models.profile import Profile


class ProfileChild:
    id: Mapped[int] = mapped_column(primary_key=True)
    sort_order: Mapped[int] = mapped_column(default=0)

    @declared_attr
    def profile_id(cls) -> Mapped[int]:  # noqa: N805
        return mapped_column(ForeignKey("profile.id", ondelete="CASCADE"), index=True)

    @declared_attr
    def profile(cls) -> Mapped[Profile]:  # noqa: N805
        return relationship("Profile", back_populates=cls.__tablename__)  # type: ignore[attr-defined]
