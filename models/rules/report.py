"""What the rules found: issues per field, and the verdicts built on them (ticks, Gửi xác nhận)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

from models.section_registry import SECTIONS, table_spec

Level = Literal["missing", "error", "warning"]
MISSING: Level = "missing"
ERROR: Level = "error"
WARNING: Level = "warning"

SECTION_KEYS: tuple[str, ...] = tuple(s.key for s in SECTIONS)
_ROW_FIELD = re.compile(r"^(?P<table>\w+)\[(?P<index>\d+)\](?:\.(?P<column>\w+))?$")


@dataclass(frozen=True)
class Issue:
    """One finding. `field` is a Profile column, a field id (an address as a whole), a table name
    (the table as a whole) or "table[index].column" for a cell of a repeating table."""

    section: str
    field: str
    message: str
    level: Level

    @property
    def table(self) -> str | None:
        match = _ROW_FIELD.match(self.field)
        return match["table"] if match else None

    @property
    def row(self) -> int | None:
        match = _ROW_FIELD.match(self.field)
        return int(match["index"]) if match else None

    @property
    def column(self) -> str:
        """The column (or field) name without any table prefix."""
        match = _ROW_FIELD.match(self.field)
        return (match["column"] or "") if match else self.field

    @property
    def location(self) -> str:
        """Where a row issue sits, for lists away from the field: "Quan hệ gia đình, dòng 2"."""
        table, row = self.table, self.row
        if table is None or row is None:
            return ""
        return f"{table_spec(table)[1].title}, dòng {row + 1}"

    @property
    def text(self) -> str:
        """The message with its row location when it belongs to a table row."""
        return f"{self.location}: {self.message}" if self.location else self.message


@dataclass
class Report:
    issues: list[Issue] = field(default_factory=list)

    def for_section(self, key: str) -> list[Issue]:
        return [i for i in self.issues if i.section == key]

    def for_field(self, name: str) -> list[Issue]:
        """Issues of exactly this field, column or cell ("family_members[0].birth_year")."""
        return [i for i in self.issues if i.field == name]

    def for_table(self, name: str) -> list[Issue]:
        """Issues of a table as a whole and of every cell of it."""
        return [i for i in self.issues if i.field == name or i.field.startswith(f"{name}[")]

    def for_row(self, table: str, index: int) -> list[Issue]:
        prefix = f"{table}[{index}]"
        return [i for i in self.issues if i.field == prefix or i.field.startswith(f"{prefix}.")]

    @property
    def missing(self) -> list[Issue]:
        return [i for i in self.issues if i.level == MISSING]

    @property
    def errors(self) -> list[Issue]:
        return [i for i in self.issues if i.level == ERROR]

    @property
    def warnings(self) -> list[Issue]:
        return [i for i in self.issues if i.level == WARNING]

    def section_complete(self, key: str) -> bool:
        """The section's tick: no missing required value and no error in it (warnings never count)."""
        return not any(i.section == key and i.level != WARNING for i in self.issues)

    @property
    def can_submit(self) -> bool:
        """Gửi xác nhận is allowed: no missing value and no error anywhere."""
        return not any(i.level != WARNING for i in self.issues)

    def missing_by_section(self) -> dict[str, list[Issue]]:
        """Missing values grouped by section, sections in order I–XI; sections with none are left out."""
        grouped: dict[str, list[Issue]] = {}
        for key in SECTION_KEYS:
            found = [i for i in self.issues if i.section == key and i.level == MISSING]
            if found:
                grouped[key] = found
        return grouped


def section_status(report: Report) -> dict[str, bool]:
    """The 11 completeness ticks, keyed by section in order I–XI."""
    return {key: report.section_complete(key) for key in SECTION_KEYS}
