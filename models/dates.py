"""Dates as people type and read them: dd/mm/yyyy, and partial dates yyyy / mm/yyyy / dd/mm/yyyy.

Input accepts '/', '.' or '-' as separators and a day or month without its leading zero; a
two-digit year is refused. A partial date is stored as the first day of its period plus its
precision ("year", "month", "day"); comparisons use the coarser precision.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

_SEP = re.compile(r"\s*[/.\-]\s*")


class DateFormatError(ValueError):
    """The text is not a date; the message is Vietnamese and shown next to the field."""


def _parts(text: str) -> list[str]:
    return _SEP.split(text.strip())


def _year(part: str) -> int:
    if not (part.isdigit() and len(part) == 4):
        raise DateFormatError("Năm phải có đủ 4 chữ số (ví dụ 2015).")
    return int(part)


def _number(part: str, what: str) -> int:
    if not (part.isdigit() and 1 <= len(part) <= 2):
        raise DateFormatError(f"{what} không hợp lệ.")
    return int(part)


def parse_date(text: str) -> date:
    """A full date dd/mm/yyyy."""
    parts = _parts(text)
    if len(parts) != 3:
        raise DateFormatError("Ngày phải có dạng ngày/tháng/năm, ví dụ 04/04/2000.")
    day, month, year = _number(parts[0], "Ngày"), _number(parts[1], "Tháng"), _year(parts[2])
    try:
        return date(year, month, day)
    except ValueError as exc:
        raise DateFormatError("Ngày không tồn tại (kiểm tra ngày và tháng).") from exc


@dataclass(frozen=True)
class PartialDate:
    value: date
    precision: str  # "year" | "month" | "day"

    def __str__(self) -> str:
        return format_pdate(self.value, self.precision)


def parse_pdate(text: str) -> PartialDate:
    """yyyy, mm/yyyy or dd/mm/yyyy."""
    parts = _parts(text)
    if len(parts) == 1:
        return PartialDate(date(_year(parts[0]), 1, 1), "year")
    if len(parts) == 2:
        month = _number(parts[0], "Tháng")
        if not 1 <= month <= 12:
            raise DateFormatError("Tháng phải từ 1 đến 12.")
        return PartialDate(date(_year(parts[1]), month, 1), "month")
    if len(parts) == 3:
        return PartialDate(parse_date(text), "day")
    raise DateFormatError("Nhập năm (2015), tháng/năm (09/2015) hoặc ngày/tháng/năm (01/09/2015).")


def format_date(value: date | None) -> str:
    return value.strftime("%d/%m/%Y") if value else ""


def format_pdate(value: date | None, precision: str | None) -> str:
    if value is None:
        return ""
    if precision == "year":
        return f"{value.year:04d}"
    if precision == "month":
        return value.strftime("%m/%Y")
    return value.strftime("%d/%m/%Y")


_ORDER = {"year": 0, "month": 1, "day": 2}


def _truncate(value: date, precision: str) -> tuple[int, ...]:
    return (value.year, value.month, value.day)[: _ORDER[precision] + 1]


def pdate_le(a: date, a_precision: str | None, b: date, b_precision: str | None) -> bool:
    """a ≤ b compared at the coarser of the two precisions: "2015" ≤ "03/2015" holds."""
    coarser = min(_ORDER[a_precision or "day"], _ORDER[b_precision or "day"])
    precision = next(k for k, v in _ORDER.items() if v == coarser)
    return _truncate(a, precision) <= _truncate(b, precision)
