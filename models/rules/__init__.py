"""The profile rules of SECTIONS.md, sections I–XI, as a pure function of a profile.

`check_profile` reads the profile and its loaded child rows, and a preloaded `RefLookup`; it never
touches the database or the request, so a page can show every tick and message at render time.
Callers load the child tables up front (see `CHILD_TABLES`) so reading them issues no query.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from models.dates import (
    format_date,
    format_pdate,
    parse_date,
    parse_pdate,
    parse_year,
    pdate_le,
    pdate_lt,
    today_vn,
)
from models.refs import RefLookup
from models.rules import (
    assessment,
    basic,
    economy,
    education,
    employment,
    family,
    other,
    party,
    personal_history,
    rewards,
    salary,
)
from models.rules.checker import Checker
from models.rules.report import ERROR, MISSING, WARNING, Issue, Report, section_status
from models.section_registry import SECTIONS

# Section key -> the rules the registry alone cannot express.
SECTION_RULES: dict[str, Callable[[Checker], None]] = {
    "basic": basic.check,
    "salary": salary.check,
    "family": family.check,
    "education": education.check,
    "employment": employment.check,
    "rewards_discipline": rewards.check,
    "assessment": assessment.check,
    "party_union": party.check,
    "personal_history": personal_history.check,
    "economy": economy.check,
    "other": other.check,
}

# Profile relationships the rules read: eager-load them (selectinload) before calling check_profile.
CHILD_TABLES: tuple[str, ...] = tuple(t.name for s in SECTIONS for t in s.tables)


def _positions() -> dict[str, dict[str, tuple[int, int]]]:
    """Screen place of every field, address part, table and column, per section."""
    order: dict[str, dict[str, tuple[int, int]]] = {}
    for section in SECTIONS:
        places: dict[str, tuple[int, int]] = {}
        for pos, spec in enumerate(section.fields):
            for name in (spec.name, *spec.columns):
                places.setdefault(name, (pos, -1))
        for t_pos, table in enumerate(section.tables, start=len(section.fields)):
            places[table.name] = (t_pos, -1)
            for c_pos, col in enumerate(table.columns):
                places[f"{table.name}.{col.name}"] = (t_pos, c_pos)
        order[section.key] = places
    return order


_POSITIONS = _positions()
_UNKNOWN = (999, -1)


def _sort_key(issue: Issue) -> tuple[int, int, int]:
    """Fields first in form order, then each table row by row, columns in order."""
    places = _POSITIONS.get(issue.section, {})
    table, row = issue.table, issue.row
    if table is not None and row is not None:
        t_pos, c_pos = places.get(f"{table}.{issue.column}", (places.get(table, _UNKNOWN)[0], 999))
        return (t_pos, row, c_pos)
    pos, _ = places.get(issue.field, _UNKNOWN)
    return (pos, -1, -1)


def check_profile(profile: Any, refs: RefLookup, today: date | None = None) -> Report:
    """Every missing value, error and warning of the profile, in section order I–XI and, within a
    section, in screen order (fields, then table rows).

    `today` is the day "not in the future" is judged against (default: today in Viet Nam).
    """
    checker = Checker(profile, refs, today or today_vn())
    for section in SECTIONS:
        first = len(checker.issues)
        checker.check_section(section)
        SECTION_RULES[section.key](checker)
        checker.issues[first:] = sorted(checker.issues[first:], key=_sort_key)
    return Report(checker.issues)


__all__ = [
    "CHILD_TABLES",
    "ERROR",
    "MISSING",
    "WARNING",
    "Issue",
    "RefLookup",
    "Report",
    "check_profile",
    "format_date",
    "format_pdate",
    "parse_date",
    "parse_pdate",
    "parse_year",
    "pdate_le",
    "pdate_lt",
    "section_status",
    "today_vn",
]
