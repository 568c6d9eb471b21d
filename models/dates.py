"""Dates as people type and read them (SECTIONS.md, Dates), shared by the rules and the form fields.

Full dates are dd/mm/yyyy; partial dates (`pdate`) are yyyy, mm/yyyy or dd/mm/yyyy, stored as the
first day of the period plus a precision ("year", "month", "day"). Input accepts '/', '.' or '-'
and a day or month without its leading zero; a two-digit year is refused, because "15" could be
1915 or 2015. Partial dates compare at the coarser precision: "2015" ≤ "03/2015" holds.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import NamedTuple
from zoneinfo import ZoneInfo

PRECISIONS = ("year", "month", "day")
_ORDER = {p: i for i, p in enumerate(PRECISIONS)}
_SEP = re.compile(r"\s*[/.\-]\s*")
VN_TZ = ZoneInfo("Asia/Ho_Chi_Minh")

FORMAT_HINT = "Nhập năm (2015), tháng/năm (09/2015) hoặc ngày/tháng/năm (01/09/2015)."


class DateFormatError(ValueError):
    """The text is not a date; the message is Vietnamese and shown next to the field."""


class PartialDate(NamedTuple):
    """A partial date as stored: the first day of the period and its precision."""

    value: date
    precision: str  # "year" | "month" | "day"

    def __str__(self) -> str:
        return format_pdate(self.value, self.precision)


def today_vn() -> date:
    """Today in Viet Nam: "not in the future" is judged on the employee's calendar, not the server's."""
    return datetime.now(VN_TZ).date()


def _year(part: str) -> int:
    if not (part.isascii() and part.isdigit() and len(part) == 4) or part == "0000":
        raise DateFormatError("Năm phải có đủ 4 chữ số (ví dụ 2015).")
    return int(part)


def _number(part: str, what: str, upper: int) -> int:
    if not (part.isascii() and part.isdigit() and 1 <= len(part) <= 2) or not 1 <= int(part) <= upper:
        raise DateFormatError(f"{what} phải từ 1 đến {upper}.")
    return int(part)


def _split(text: str) -> list[str]:
    text = (text or "").strip()
    if not text:
        raise DateFormatError("Chưa nhập ngày tháng.")
    return _SEP.split(text)


def _full(day_part: str, month_part: str, year_part: str) -> date:
    day, month, year = _number(day_part, "Ngày", 31), _number(month_part, "Tháng", 12), _year(year_part)
    try:
        return date(year, month, day)
    except ValueError as exc:
        raise DateFormatError(f"Ngày {day:02d}/{month:02d}/{year} không tồn tại.") from exc


def parse_date(text: str) -> date:
    """A full date dd/mm/yyyy; ValueError with a Vietnamese message otherwise."""
    parts = _split(text)
    if len(parts) != 3:
        raise DateFormatError("Ngày phải có dạng ngày/tháng/năm, ví dụ 04/04/2000.")
    return _full(*parts)


def parse_pdate(text: str) -> PartialDate:
    """(first day of the period, precision) from yyyy, mm/yyyy or dd/mm/yyyy."""
    parts = _split(text)
    if len(parts) == 1:
        if parts[0].isdigit() and len(parts[0]) != 4:
            raise DateFormatError("Năm phải có đủ 4 chữ số (ví dụ 2015).")
        if not parts[0].isdigit():
            raise DateFormatError(FORMAT_HINT)
        return PartialDate(date(_year(parts[0]), 1, 1), "year")
    if len(parts) == 2:
        month = _number(parts[0], "Tháng", 12)
        return PartialDate(date(_year(parts[1]), month, 1), "month")
    if len(parts) == 3:
        return PartialDate(_full(*parts), "day")
    raise DateFormatError(FORMAT_HINT)


def parse_year(text: str) -> int:
    """A four-digit year."""
    return _year((text or "").strip())


def format_date(value: date | None) -> str:
    """dd/mm/yyyy, always two-digit day and month ("04/04/2000"); "" for no date."""
    return f"{value.day:02d}/{value.month:02d}/{value.year:04d}" if value else ""


def format_pdate(value: date | None, precision: str | None) -> str:
    """ "2015", "09/2015" or "01/09/2015" by precision (a missing precision means a full date)."""
    if value is None:
        return ""
    if precision == "year":
        return f"{value.year:04d}"
    if precision == "month":
        return f"{value.month:02d}/{value.year:04d}"
    return format_date(value)


def coarser(a_precision: str | None, b_precision: str | None) -> str:
    return PRECISIONS[min(_ORDER.get(a_precision or "day", 2), _ORDER.get(b_precision or "day", 2))]


def _key(value: date, precision: str) -> tuple[int, ...]:
    return (value.year, value.month, value.day)[: _ORDER[precision] + 1]


def pdate_cmp(a: date, a_precision: str | None, b: date, b_precision: str | None) -> int:
    """-1, 0 or 1 comparing a and b at the coarser of their precisions (0 = same period there)."""
    precision = coarser(a_precision, b_precision)
    ka, kb = _key(a, precision), _key(b, precision)
    return (ka > kb) - (ka < kb)


def pdate_le(a: date, a_precision: str | None, b: date, b_precision: str | None) -> bool:
    """a ≤ b at the coarser precision: "2015" ≤ "03/2015" and "03/2015" ≤ "2015" both hold."""
    return pdate_cmp(a, a_precision, b, b_precision) <= 0


def pdate_lt(a: date, a_precision: str | None, b: date, b_precision: str | None) -> bool:
    """a < b for certain: strictly earlier even at the coarser precision."""
    return pdate_cmp(a, a_precision, b, b_precision) < 0


def add_years(value: date, years: int) -> date:
    """The same day `years` later; 29/02 falls on 28/02 in a common year."""
    try:
        return value.replace(year=value.year + years)
    except ValueError:
        return value.replace(year=value.year + years, day=28)


def age_on(birth: date, day: date) -> int:
    """Full years of age on `day`."""
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))
