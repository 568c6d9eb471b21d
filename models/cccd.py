"""The 12-digit citizen ID (CCCD): structure checks and what digits 4–6 encode (refdata/cccd.md)."""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from pathlib import Path

REFDATA = Path(__file__).resolve().parent.parent / "refdata"


@cache
def province_codes() -> frozenset[str]:
    with (REFDATA / "provinces_cccd.csv").open(encoding="utf-8") as fh:
        return frozenset(row["code"] for row in csv.DictReader(fh))


@dataclass
class CccdCheck:
    number: str
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    birth_year: int | None = None
    sex: str | None = None  # "nam" / "nu"

    @property
    def ok(self) -> bool:
        return not self.errors


def normalize_cccd(raw: str | None) -> str:
    return "".join(str(raw or "").split())


def decode(number: str) -> tuple[int, str]:
    """Birth year and sex from digits 4–6 of a structurally valid number."""
    century_digit = int(number[3])
    year = 1900 + 100 * (century_digit // 2) + int(number[4:6])
    return year, "nam" if century_digit % 2 == 0 else "nu"


def check_cccd(raw: str | None, birth_date: date | None = None, sex: str | None = None) -> CccdCheck:
    """Errors block saving an account; warnings (mismatch with birth year/sex) never block."""
    number = normalize_cccd(raw)
    result = CccdCheck(number=number)
    if len(number) != 12 or not (number.isascii() and number.isdigit()):
        result.errors.append("Số CCCD phải gồm đúng 12 chữ số.")
        return result
    if number[:3] not in province_codes():
        result.errors.append(f"Mã tỉnh {number[:3]} ở 3 chữ số đầu của CCCD không tồn tại.")
        return result
    result.birth_year, result.sex = decode(number)
    if int(number[3]) >= 4:
        result.warnings.append("Chữ số thứ 4 của CCCD cho năm sinh sau 2099.")
    if birth_date is not None and birth_date.year != result.birth_year:
        result.warnings.append(f"CCCD cho năm sinh {result.birth_year}, khác năm sinh đã khai ({birth_date.year}).")
    if sex and sex != result.sex:
        label = "Nam" if result.sex == "nam" else "Nữ"
        result.warnings.append(f"CCCD cho giới tính {label}, khác giới tính đã khai.")
    return result
