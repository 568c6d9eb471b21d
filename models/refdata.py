"""Reference lists (danh mục) loaded from the CSV files in refdata/.

Codes are deactivated, never deleted, so old profiles still print: a reload upserts rows and marks
rows missing from the file inactive.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

from sqlalchemy import JSON, Date, Index, Numeric, String, UniqueConstraint, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from extensions import db

REFDATA_DIR = Path(__file__).resolve().parent.parent / "refdata"


class RefItem(db.Model):
    """One row of a simple reference list; `kind` subdivides lists such as education levels."""

    __tablename__ = "ref_item"

    id: Mapped[int] = mapped_column(primary_key=True)
    list_name: Mapped[str] = mapped_column(String(40))
    kind: Mapped[str] = mapped_column(String(40), default="")
    code: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(255))
    rank: Mapped[int | None] = mapped_column()
    status: Mapped[str | None] = mapped_column(String(20))
    extra: Mapped[dict] = mapped_column(JSON, default=dict)
    sort_order: Mapped[int] = mapped_column(default=0)
    active: Mapped[bool] = mapped_column(default=True)

    __table_args__ = (
        UniqueConstraint("list_name", "kind", "code", name="uq_ref_item_list_kind_code"),
        Index("ix_ref_item_list_sort", "list_name", "sort_order"),
    )

    def __str__(self) -> str:
        return self.name


class Rank(db.Model):
    """Ngạch / chức danh nghề nghiệp; one code may have several validity periods."""

    __tablename__ = "ref_rank"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(20), index=True)
    name: Mapped[str] = mapped_column(String(255))
    salary_group: Mapped[str] = mapped_column(String(10))
    first_coefficient: Mapped[Decimal] = mapped_column(Numeric(5, 2))
    step_increment: Mapped[Decimal] = mapped_column(Numeric(5, 2))
    steps: Mapped[int] = mapped_column()
    step_months: Mapped[int] = mapped_column()
    valid_from: Mapped[date | None] = mapped_column(Date)
    valid_to: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str | None] = mapped_column(String(20))
    active: Mapped[bool] = mapped_column(default=True)

    __table_args__ = (UniqueConstraint("code", "valid_from", name="uq_ref_rank_code_valid_from"),)

    def is_valid_on(self, day: date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (self.valid_to is None or day <= self.valid_to)

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class SalaryStep(db.Model):
    """Hệ số lương of each (group, step)."""

    __tablename__ = "ref_salary_step"

    id: Mapped[int] = mapped_column(primary_key=True)
    salary_group: Mapped[str] = mapped_column(String(10))
    step: Mapped[int] = mapped_column()
    coefficient: Mapped[Decimal] = mapped_column(Numeric(5, 2))

    __table_args__ = (UniqueConstraint("salary_group", "step", name="uq_ref_salary_step_group_step"),)


@dataclass(frozen=True)
class ListSpec:
    file: str
    kind_column: str | None = None
    rank_column: str | None = None
    status_column: str | None = None


# list name -> how its CSV maps onto RefItem; every column not named here goes to `extra`.
SIMPLE_LISTS: dict[str, ListSpec] = {
    "allowance_types": ListSpec("allowance_types.csv"),
    "blood_groups": ListSpec("blood_groups.csv"),
    "disciplines": ListSpec("disciplines.csv", kind_column="applies_to", rank_column="severity"),
    "education_levels": ListSpec("education_levels.csv", kind_column="kind", rank_column="rank"),
    "employment_kinds": ListSpec("employment_kinds.csv", status_column="status"),
    "ethnic_groups": ListSpec("ethnic_groups.csv"),
    "evaluation_levels": ListSpec("evaluation_levels.csv", rank_column="rank", status_column="status"),
    "family_backgrounds": ListSpec("family_backgrounds.csv"),
    "family_relations": ListSpec("family_relations.csv", kind_column="side"),
    "languages": ListSpec("languages.csv", kind_column="kind"),
    "military_ranks": ListSpec("military_ranks.csv", kind_column="group"),
    "party_positions": ListSpec("party_positions.csv"),
    "policy_groups": ListSpec("policy_groups.csv"),
    "positions": ListSpec("positions.csv", kind_column="group"),
    "provinces_2025": ListSpec("provinces_2025.csv"),
    "provinces_cccd": ListSpec("provinces_cccd.csv"),
    "religions": ListSpec("religions.csv"),
    "rewards": ListSpec("rewards.csv", kind_column="kind"),
    "sociopolitical_orgs": ListSpec("sociopolitical_orgs.csv", kind_column="kind"),
    "staff_types": ListSpec("staff_types.csv", status_column="status"),
    "state_titles": ListSpec("state_titles.csv"),
}


def _read_csv(name: str) -> list[dict[str, str]]:
    with (REFDATA_DIR / name).open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _opt_date(value: str) -> date | None:
    return date.fromisoformat(value) if value else None


def load_reference_data(session: Session) -> dict[str, int]:
    """Upsert every list from refdata/; idempotent. Returns the number of rows changed per list."""
    changed: dict[str, int] = {}
    for list_name, spec in SIMPLE_LISTS.items():
        existing = {(r.kind, r.code): r for r in session.scalars(select(RefItem).where(RefItem.list_name == list_name))}
        seen: set[tuple[str, str]] = set()
        count = 0
        for order, row in enumerate(_read_csv(spec.file)):
            named = {"code", "name", spec.kind_column, spec.rank_column}
            values = {
                "kind": row.get(spec.kind_column, "") if spec.kind_column else "",
                "name": row["name"],
                "rank": int(row[spec.rank_column]) if spec.rank_column and row[spec.rank_column] else None,
                "status": row.get(spec.status_column) if spec.status_column else None,
                "extra": {k: v for k, v in row.items() if k not in named and v != ""},
                "sort_order": order,
                "active": True,
            }
            key = (values["kind"], row["code"])
            seen.add(key)
            item = existing.get(key)
            if item is None:
                session.add(RefItem(list_name=list_name, code=row["code"], **values))
                count += 1
            elif any(getattr(item, k) != v for k, v in values.items()):
                for k, v in values.items():
                    setattr(item, k, v)
                count += 1
        for key, item in existing.items():
            if key not in seen and item.active:
                item.active = False
                count += 1
        changed[list_name] = count
    changed["ranks"] = _load_ranks(session)
    changed["salary_groups"] = _load_salary_steps(session)
    return changed


def _load_ranks(session: Session) -> int:
    existing = {(r.code, r.valid_from): r for r in session.scalars(select(Rank))}
    count = 0
    for row in _read_csv("ranks.csv"):
        values = {
            "name": row["name"],
            "salary_group": row["group"],
            "first_coefficient": Decimal(row["first_coefficient"]),
            "step_increment": Decimal(row["step"]),
            "steps": int(row["steps"]),
            "step_months": int(row["step_months"]),
            "valid_to": _opt_date(row["valid_to"]),
            "status": row["status"] or None,
            "active": True,
        }
        key = (row["code"], _opt_date(row["valid_from"]))
        rank = existing.get(key)
        if rank is None:
            session.add(Rank(code=key[0], valid_from=key[1], **values))
            count += 1
        elif any(getattr(rank, k) != v for k, v in values.items()):
            for k, v in values.items():
                setattr(rank, k, v)
            count += 1
    return count


def _load_salary_steps(session: Session) -> int:
    existing = {(s.salary_group, s.step): s for s in session.scalars(select(SalaryStep))}
    count = 0
    for row in _read_csv("salary_groups.csv"):
        key = (row["group"], int(row["step"]))
        coefficient = Decimal(row["coefficient"])
        step = existing.get(key)
        if step is None:
            session.add(SalaryStep(salary_group=key[0], step=key[1], coefficient=coefficient))
            count += 1
        elif step.coefficient != coefficient:
            step.coefficient = coefficient
            count += 1
    return count


def ref_name(session: Session, list_name: str, code: str | None, kind: str = "") -> str | None:
    if not code:
        return None
    return session.scalar(
        select(RefItem.name).where(RefItem.list_name == list_name, RefItem.kind == kind, RefItem.code == code)
    )
