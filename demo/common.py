"""Helpers shared by the demo modules: partial dates, deterministic choices, reference look-ups.

The demo data must be the same on every run and every database, so nothing here reads the clock
or a random generator: "random-looking" values come from a hash of a stable key (a name).
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from models.refdata import Rank, RefItem, SalaryStep

# The day the demo profiles describe: careers, salary steps and annual results stop here. A fixed
# day (not today) keeps the seed deterministic, and it lies in the past so no date is "in the future".
AS_OF = date(2025, 12, 31)

T = TypeVar("T")


def digest(*parts: str) -> int:
    """A stable pseudo-random number for a key (Python's hash() changes between runs)."""
    return int.from_bytes(hashlib.sha256("|".join(parts).encode()).digest()[:8], "big")


def pick(options: Sequence[T], *key: str) -> T:
    return options[digest(*key) % len(options)]


def add_months(day: date, months: int) -> date:
    """The first day of the month `months` after `day`'s month (salary steps run by month)."""
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def pdate(text: str) -> tuple[date, str]:
    """'2015' / '09/2015' / '01/09/2015' -> first day of the period and its precision (SECTIONS.md, Dates)."""
    parts = [int(p) for p in text.split("/")]
    if len(parts) == 1:
        return date(parts[0], 1, 1), "year"
    if len(parts) == 2:
        return date(parts[1], parts[0], 1), "month"
    return date(parts[2], parts[1], parts[0]), "day"


def period(start: str, end: str | None = None) -> dict[str, Any]:
    """Column values of a from/to row; `end=None` is an open period ("nay")."""
    from_date, from_precision = pdate(start)
    to_date, to_precision = pdate(end) if end else (None, None)
    return {
        "from_date": from_date,
        "from_date_precision": from_precision,
        "to_date": to_date,
        "to_date_precision": to_precision,
    }


def month_text(day: date) -> str:
    return f"{day.month:02d}/{day.year}"


def cccd_number(province: str, birth_date: date, sex: str, serial: int) -> str:
    """A CCCD consistent with birth year and sex (refdata/cccd.md): province, century/sex digit, yy, 6 digits."""
    century_digit = (birth_date.year // 100 - 19) * 2 + (1 if sex == "nu" else 0)
    return f"{province}{century_digit}{birth_date.year % 100:02d}{serial % 1_000_000:06d}"


class Refs:
    """The reference lists the demo needs, read once from the tables load_reference_data just filled.

    Reading the tables (not the CSV files) guarantees that every code the demo writes exists in the
    database it writes to; an unknown code raises KeyError instead of seeding a broken profile.
    """

    def __init__(self, session: Session) -> None:
        self._ranks: dict[str, list[Rank]] = {}
        for rank in session.scalars(select(Rank).order_by(Rank.code, Rank.valid_from)):
            self._ranks.setdefault(rank.code, []).append(rank)
        self._steps = {(s.salary_group, s.step): s.coefficient for s in session.scalars(select(SalaryStep))}
        self._items: dict[tuple[str, str, str], RefItem] = {
            (i.list_name, i.kind, i.code): i for i in session.scalars(select(RefItem).where(RefItem.active))
        }
        self._province_2025: dict[str, str] = {}
        for item in self.items("provinces_2025"):
            for legacy in str(item.extra.get("legacy_cccd_codes", "")).split("|"):
                self._province_2025[legacy] = item.code

    def items(self, list_name: str) -> list[RefItem]:
        return [item for (name, _kind, _code), item in self._items.items() if name == list_name]

    def code(self, list_name: str, code: str, kind: str = "") -> str:
        """The code itself, after checking that the list holds it (so a typo fails the seed, loudly)."""
        if (list_name, kind, code) not in self._items:
            raise KeyError(f"{list_name}/{kind}/{code} is not in the reference data")
        return code

    def relation_side(self, relation: str) -> str:
        """The side (36.1 ban_than / 36.2 ben_vo_chong) that family_relations.csv gives a relation."""
        sides = [kind for (name, kind, code) in self._items if name == "family_relations" and code == relation]
        if len(sides) != 1:
            raise KeyError(f"family relation {relation!r} is not in the reference data")
        return sides[0]

    def province_2025(self, cccd_province: str) -> str:
        """The current (2025) province that absorbed a legacy CCCD province code."""
        return self._province_2025[cccd_province]

    def rank(self, code: str, on: date) -> Rank:
        """The validity period of `code` in force on `on`, else its nearest period (old codes stay usable)."""
        periods = self._ranks[code]
        for rank in periods:
            if rank.is_valid_on(on):
                return rank
        return min(periods, key=lambda r: abs(((r.valid_from or r.valid_to or on) - on).days))

    def coefficient(self, group: str, step: int) -> Decimal:
        return self._steps[(group, step)]
