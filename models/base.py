"""Column helpers shared by the models."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import Date, DateTime, String
from sqlalchemy.orm import Mapped, declared_attr, mapped_column


def utcnow() -> datetime:
    return datetime.now(UTC)


class TimestampMixin:
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)


PRECISIONS = ("year", "month", "day")


class PeriodMixin:
    """A from/to period of partial dates: first day of the period plus its precision (SECTIONS.md, Dates)."""

    @declared_attr
    def from_date(cls) -> Mapped[date | None]:  # noqa: N805
        return mapped_column(Date)

    @declared_attr
    def from_date_precision(cls) -> Mapped[str | None]:  # noqa: N805
        return mapped_column(String(5))

    @declared_attr
    def to_date(cls) -> Mapped[date | None]:  # noqa: N805
        return mapped_column(Date)

    @declared_attr
    def to_date_precision(cls) -> Mapped[str | None]:  # noqa: N805
        return mapped_column(String(5))
