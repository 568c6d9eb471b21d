"""Reference lists held in memory: loaded once (three queries), then every lookup is a dict access.

The rules engine runs each time a profile page renders and must not query the database, and a
form needs the same lists for its choices; both take a `RefLookup` built once per request (or
cached longer: it holds plain values, never ORM objects that a commit could expire).
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from models.refdata import REFDATA_DIR, SIMPLE_LISTS, Rank, RefItem, SalaryStep

# Codes that exist but are not offered unless asked: ethnic group 55 "Người nước ngoài" is not
# one of the 54 groups and is shown only when HR enables it (SECTIONS.md, I).
# Ranks live in their own table (several validity periods per code) but a field names them as the
# list "ranks" like any other coded field.
RANKS = "ranks"
HIDDEN_CODES: dict[str, frozenset[str]] = {"ethnic_groups": frozenset({"55"})}


@dataclass(frozen=True)
class RefEntry:
    """One reference item as plain values (mirrors models.refdata.RefItem)."""

    list_name: str
    code: str
    name: str
    kind: str = ""
    rank: int | None = None
    status: str | None = None
    extra: Mapping[str, Any] = field(default_factory=dict)
    sort_order: int = 0
    active: bool = True


@dataclass(frozen=True)
class RankEntry:
    """One validity period of a ngạch / chức danh nghề nghiệp (mirrors models.refdata.Rank)."""

    code: str
    name: str
    salary_group: str
    steps: int
    valid_from: date | None = None
    valid_to: date | None = None
    status: str | None = None
    active: bool = True

    def is_valid_on(self, day: date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (self.valid_to is None or day <= self.valid_to)


class RefLookup:
    """Read-only index over reference items, ranks and the salary coefficient table.

    An empty `kind` matches any kind: lists such as positions or family relations subdivide their
    codes by kind, but a field naming only the list accepts all of them.
    """

    def __init__(
        self,
        items: Iterable[RefEntry] = (),
        ranks: Iterable[RankEntry] = (),
        salary_steps: Iterable[tuple[str, int, Decimal]] = (),
    ) -> None:
        self._items: dict[tuple[str, str, str], RefEntry] = {}
        self._by_code: dict[tuple[str, str], list[RefEntry]] = {}
        self._lists: dict[str, list[RefEntry]] = {}
        for item in sorted(items, key=lambda i: (i.list_name, i.sort_order, i.kind, i.code)):
            self._items[(item.list_name, item.kind, item.code)] = item
            self._by_code.setdefault((item.list_name, item.code), []).append(item)
            self._lists.setdefault(item.list_name, []).append(item)
        self._ranks: dict[str, list[RankEntry]] = {}
        for rank in sorted(ranks, key=lambda r: (r.code, r.valid_from or date.min)):
            self._ranks.setdefault(rank.code, []).append(rank)
        self._coefficients: dict[tuple[str, int], Decimal] = {}
        self._steps: dict[str, int] = {}
        for group, step, coefficient in salary_steps:
            self._coefficients[(group, int(step))] = Decimal(coefficient)
            self._steps[group] = max(self._steps.get(group, 0), int(step))

    # -- building -------------------------------------------------------------------------------

    @classmethod
    def load(cls, session: Session) -> RefLookup:
        """Every reference row, active or not (old profiles keep deactivated codes), in 3 queries."""
        items = [
            RefEntry(
                list_name=r.list_name,
                code=r.code,
                name=r.name,
                kind=r.kind or "",
                rank=r.rank,
                status=r.status,
                extra=dict(r.extra or {}),
                sort_order=r.sort_order,
                active=bool(r.active),
            )
            for r in session.execute(
                select(
                    RefItem.list_name,
                    RefItem.code,
                    RefItem.name,
                    RefItem.kind,
                    RefItem.rank,
                    RefItem.status,
                    RefItem.extra,
                    RefItem.sort_order,
                    RefItem.active,
                )
            )
        ]
        ranks = [
            RankEntry(
                code=r.code,
                name=r.name,
                salary_group=r.salary_group,
                steps=r.steps,
                valid_from=r.valid_from,
                valid_to=r.valid_to,
                status=r.status,
                active=bool(r.active),
            )
            for r in session.execute(
                select(
                    Rank.code,
                    Rank.name,
                    Rank.salary_group,
                    Rank.steps,
                    Rank.valid_from,
                    Rank.valid_to,
                    Rank.status,
                    Rank.active,
                )
            )
        ]
        steps = [
            (r.salary_group, r.step, r.coefficient)
            for r in session.execute(select(SalaryStep.salary_group, SalaryStep.step, SalaryStep.coefficient))
        ]
        return cls(items, ranks, steps)

    @classmethod
    def from_rows(
        cls,
        items: Iterable[Mapping[str, Any]] = (),
        ranks: Iterable[Mapping[str, Any]] = (),
        salary_steps: Iterable[tuple[str, int, Decimal | str]] = (),
    ) -> RefLookup:
        """A lookup from plain dicts (keys as RefEntry / RankEntry fields), for tests without a database."""
        return cls(
            [RefEntry(**row) for row in items],
            [RankEntry(**row) for row in ranks],
            [(group, int(step), Decimal(str(coefficient))) for group, step, coefficient in salary_steps],
        )

    @classmethod
    def from_refdata(cls, directory: Path = REFDATA_DIR) -> RefLookup:
        """The same content as `load` after `load_reference_data`, read from the CSV files.

        For tests and scripts that need real lists without a database.
        """

        def read(name: str) -> list[dict[str, str]]:
            with (directory / name).open(encoding="utf-8", newline="") as fh:
                return list(csv.DictReader(fh))

        items: list[RefEntry] = []
        for list_name, spec in SIMPLE_LISTS.items():
            named = {"code", "name", spec.kind_column, spec.rank_column}
            for order, row in enumerate(read(spec.file)):
                rank = row.get(spec.rank_column or "") if spec.rank_column else None
                items.append(
                    RefEntry(
                        list_name=list_name,
                        code=row["code"],
                        name=row["name"],
                        kind=row.get(spec.kind_column, "") if spec.kind_column else "",
                        rank=int(rank) if rank else None,
                        status=row.get(spec.status_column) if spec.status_column else None,
                        extra={k: v for k, v in row.items() if k not in named and v != ""},
                        sort_order=order,
                    )
                )
        ranks = [
            RankEntry(
                code=row["code"],
                name=row["name"],
                salary_group=row["group"],
                steps=int(row["steps"]),
                valid_from=date.fromisoformat(row["valid_from"]) if row["valid_from"] else None,
                valid_to=date.fromisoformat(row["valid_to"]) if row["valid_to"] else None,
                status=row["status"] or None,
            )
            for row in read("ranks.csv")
        ]
        steps = [(row["group"], int(row["step"]), Decimal(row["coefficient"])) for row in read("salary_groups.csv")]
        return cls(items, ranks, steps)

    # -- simple lists ---------------------------------------------------------------------------

    def item(self, list_name: str, code: str | None, kind: str | None = "") -> RefEntry | None:
        """The entry for `code`; with an empty kind, the first entry of any kind (active first)."""
        if not code:
            return None
        if list_name == RANKS:
            rank = self.rank(code)
            return RefEntry(RANKS, rank.code, rank.name, status=rank.status, active=rank.active) if rank else None
        if kind:
            return self._items.get((list_name, kind, code))
        exact = self._items.get((list_name, "", code))
        if exact is not None:
            return exact
        entries = self._by_code.get((list_name, code))
        if not entries:
            return None
        return next((e for e in entries if e.active), entries[0])

    def name(self, list_name: str, code: str | None, kind: str | None = "") -> str | None:
        entry = self.item(list_name, code, kind)
        return entry.name if entry else None

    def exists(self, list_name: str, code: str | None, kind: str | None = None, *, active_only: bool = True) -> bool:
        """Whether `code` is in the list (of that kind; None or "" = any kind); deactivated codes count
        only with `active_only=False`."""
        if not code:
            return False
        if list_name == RANKS:
            return any(r.active or not active_only for r in self._ranks.get(code, []))
        if kind:
            entries = [e for e in (self._items.get((list_name, kind, code)),) if e is not None]
        else:
            entries = self._by_code.get((list_name, code), [])
        return any(e.active or not active_only for e in entries)

    def choices(
        self, list_name: str, kind: str | None = "", include_legacy: bool = False, include_hidden: bool = False
    ) -> list[tuple[str, str]]:
        """(code, name) of the active items to offer, in list order. `legacy` items are kept for old
        records and hidden codes (ethnic group 55) for HR, so both are left out unless asked."""
        if list_name == RANKS:
            return self.rank_choices(date.today(), include_legacy=include_legacy)
        hidden = () if include_hidden else HIDDEN_CODES.get(list_name, ())
        return [
            (e.code, e.name)
            for e in self._lists.get(list_name, [])
            if e.active
            and (not kind or e.kind == kind)
            and (include_legacy or e.status != "legacy")
            and e.code not in hidden
        ]

    def entries(self, list_name: str, kind: str | None = "") -> list[RefEntry]:
        """Every entry of a list (active or not), in list order."""
        return [e for e in self._lists.get(list_name, []) if not kind or e.kind == kind]

    # -- ranks and salary ---------------------------------------------------------------------------

    def rank(self, code: str | None, on: date | None = None) -> RankEntry | None:
        """The row of `code` valid on `on`; without a date, the current row (open-ended, else the
        latest), so codes no longer in force are still found for old salary rows."""
        rows = self._ranks.get(code or "")
        if not rows:
            return None
        if on is not None:
            return next((r for r in reversed(rows) if r.is_valid_on(on)), None)
        open_rows = [r for r in rows if r.valid_to is None]
        if open_rows:
            return open_rows[-1]
        return max(rows, key=lambda r: r.valid_to or date.min)

    def rank_choices(self, on: date, include_legacy: bool = False) -> list[tuple[str, str]]:
        """(code, name) of the ranks valid on `on`, by name: new values use only ranks in force."""
        found: dict[str, str] = {}
        for code in self._ranks:
            rank = self.rank(code, on)
            if rank is not None and rank.active and (include_legacy or rank.status != "legacy"):
                found[code] = rank.name
        return sorted(found.items(), key=lambda item: (item[1], item[0]))

    def rank_periods(self, code: str | None) -> list[RankEntry]:
        return list(self._ranks.get(code or "", []))

    def coefficient(self, group: str | None, step: int | None) -> Decimal | None:
        if group is None or step is None:
            return None
        return self._coefficients.get((group, step))

    def steps(self, group: str | None) -> int | None:
        """Number of steps of a salary group (its last step)."""
        return self._steps.get(group or "")
