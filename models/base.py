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


def pdate_property(column: str) -> property:
    """A read/write PartialDate view over `<column>` and `<column>_precision`, for forms."""
    from models.dates import PartialDate

    def getter(self: object) -> PartialDate | None:
        value = getattr(self, column)
        return PartialDate(value, getattr(self, f"{column}_precision") or "day") if value else None

    def setter(self: object, new: PartialDate | None) -> None:
        setattr(self, column, new.value if new else None)
        setattr(self, f"{column}_precision", new.precision if new else None)

    return property(getter, setter)


class PeriodMixin:
    """A from/to period of partial dates: first day of the period plus its precision (SECTIONS.md, Dates)."""

    from_period = pdate_property("from_date")
    to_period = pdate_property("to_date")

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
