"""Báo cáo số lượng, chất lượng CBCCVC: headcount and its make-up per unit, computed in SQL.

One statement: an inner SELECT gives each profile its category in every dimension (a CASE per
dimension), the outer SELECT counts them per unit with COUNT(CASE …). Every dimension except the
"of whom" columns (women, ethnic minorities, party members) partitions the total, with an explicit
"not declared" column, so each group of columns adds up to the total.

- Qualification (trình độ chuyên môn): Profile.highest_qualification, one column per
  education_levels code of kind chuyen_mon.
- Political theory (lý luận chính trị): the highest level among the profile's Training rows of kind
  ly_luan_chinh_tri, ranked by education_levels.rank (a grouped MAX subquery); levels sharing a
  rank (Cao cấp and Cử nhân) share a column.
- Rank group (ngạch): Rank.salary_group of the profile's rank code (A3.1 and A3.2 → A3, A2.x → A2,
  C1–C3 and NV1–NV5 → C/NV). A code with several validity periods takes the group of the period in
  force on the report date, else of its latest period (01.004 Cán sự was B until 31/07/2021, A0 since).
- Age band on the report date, from the birth date: a birth date on or before today minus N years
  means N full years of age, so the bands are date comparisons the index can serve.

Counting all profiles or only confirmed ones is the caller's choice: confirmed data is the official
one (a confirmed profile cannot be edited until it is reopened, which makes it a draft again).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import ColumnElement, Select, and_, case, func, literal, or_, select
from sqlalchemy.orm import QueryableAttribute

from models.dates import add_years
from models.org import OrgUnit, in_subtree
from models.profile import Profile
from models.refdata import Rank, RefItem
from models.sections.education import Training
from oversight import SessionLike
from oversight.units import tree_order

NONE = "none"  # the category of a profile that does not say (no rank, no birth date…)
KINH = "01"

RANK_GROUPS: tuple[tuple[str, str], ...] = (
    ("A3", "A3"),
    ("A2", "A2"),
    ("A1", "A1"),
    ("A0", "A0"),
    ("B", "B"),
    ("C", "C, nhân viên"),
)
AGE_BANDS: tuple[tuple[str, str, int | None, int | None], ...] = (
    # key, label, lowest age in the band, lowest age of the next band
    ("lt30", "Dưới 30", None, 30),
    ("30_39", "30–39", 30, 40),
    ("40_49", "40–49", 40, 50),
    ("50_59", "50–59", 50, 60),
    ("ge60", "Từ 60", 60, None),
)


@dataclass(frozen=True)
class StatColumn:
    key: str  # "total", "female", "qual:dh", "llct:4", "rank:A1", "age:lt30", "<dimension>:none"…
    label: str
    group: str  # the header above a run of columns; "" for a column that stands alone


@dataclass(frozen=True)
class StatRow:
    unit: OrgUnit
    depth: int
    values: tuple[int, ...]


@dataclass(frozen=True)
class StatisticsReport:
    columns: list[StatColumn]
    rows: list[StatRow]
    totals: tuple[int, ...]
    today: date
    confirmed_only: bool

    def index(self, key: str) -> int:
        return next(i for i, column in enumerate(self.columns) if column.key == key)

    def value(self, unit_id: int, key: str) -> int:
        row = next(r for r in self.rows if r.unit.id == unit_id)
        return row.values[self.index(key)]

    def total(self, key: str) -> int:
        return self.totals[self.index(key)]

    def header_groups(self) -> list[tuple[str, int]]:
        """(group label, number of columns) for each run of columns, for a two-row table header."""
        runs: list[tuple[str, int]] = []
        for column in self.columns:
            if runs and column.group and runs[-1][0] == column.group:
                runs[-1] = (column.group, runs[-1][1] + 1)
            else:
                runs.append((column.group, 1))
        return runs


# --- the per-profile categories ---------------------------------------------------------------------


def political_theory_levels(session: SessionLike) -> list[tuple[int, str]]:
    """(rank, label) of the ly_luan_chinh_tri levels, highest first; names sharing a rank are joined."""
    rows = session.execute(
        select(RefItem.rank, RefItem.name)
        .where(
            RefItem.list_name == "education_levels",
            RefItem.kind == "ly_luan_chinh_tri",
            RefItem.rank.is_not(None),
            RefItem.active.is_(True),
        )
        .order_by(RefItem.rank.desc(), RefItem.sort_order)
    )
    levels: dict[int, list[str]] = {}
    for rank, name in rows:
        if rank is not None:  # filtered in SQL; this narrows the type
            levels.setdefault(rank, []).append(name)
    return [(rank, ", ".join(names)) for rank, names in levels.items()]


def qualification_levels(session: SessionLike) -> list[tuple[str, str]]:
    """(code, name) of the chuyen_mon levels in list order (highest first)."""
    rows = session.execute(
        select(RefItem.code, RefItem.name)
        .where(RefItem.list_name == "education_levels", RefItem.kind == "chuyen_mon", RefItem.active.is_(True))
        .order_by(RefItem.sort_order)
    )
    return [(code, name) for code, name in rows]


def _political_theory_subquery() -> Select:
    """profile_id → highest political theory rank among its Training rows."""
    return (
        select(Training.profile_id.label("profile_id"), func.max(RefItem.rank).label("llct_rank"))
        .join(
            RefItem,
            and_(
                RefItem.list_name == "education_levels",
                RefItem.kind == "ly_luan_chinh_tri",
                RefItem.code == Training.level,
            ),
        )
        .where(Training.kind == "ly_luan_chinh_tri")
        .group_by(Training.profile_id)
    )


def _rank_group_subquery(today: date) -> Select:
    """rank code → salary group of the period in force on `today`, else of the latest period."""
    in_force = and_(
        or_(Rank.valid_from.is_(None), Rank.valid_from <= today),
        or_(Rank.valid_to.is_(None), Rank.valid_to >= today),
    )
    ordered = select(
        Rank.code.label("code"),
        Rank.salary_group.label("salary_group"),
        func.row_number()
        .over(
            partition_by=Rank.code,
            order_by=(case((in_force, 0), else_=1), func.coalesce(Rank.valid_from, date(1900, 1, 1)).desc()),
        )
        .label("n"),
    ).subquery("rank_periods")
    return select(ordered.c.code, ordered.c.salary_group).where(ordered.c.n == 1)


def _rank_bucket(group: ColumnElement[str]) -> ColumnElement[str]:
    return case(
        (group.like("A3%"), "A3"),
        (group.like("A2%"), "A2"),
        (group == "A1", "A1"),
        (group == "A0", "A0"),
        (group == "B", "B"),
        (or_(group.like("C%"), group.like("NV%")), "C"),
        else_=NONE,
    )


def _age_bucket(birth: QueryableAttribute[date | None], today: date) -> ColumnElement[str]:
    """A birth date on or before today − N years means at least N full years of age today."""
    whens: list[tuple[ColumnElement[bool], str]] = [(birth.is_(None), NONE)]
    for key, _label, _low, next_low in AGE_BANDS:
        if next_low is not None:
            whens.append((birth > add_years(today, -next_low), key))
    return case(*whens, else_=AGE_BANDS[-1][0])


def _columns(qualifications: Sequence[tuple[str, str]], llct: Sequence[tuple[int, str]]) -> list[StatColumn]:
    columns = [
        StatColumn("total", "Tổng số", ""),
        StatColumn("female", "Nữ", "Trong đó"),
        StatColumn("minority", "Dân tộc thiểu số", "Trong đó"),
        StatColumn("party", "Đảng viên", "Trong đó"),
    ]
    group = "Trình độ chuyên môn"
    columns += [StatColumn(f"qual:{code}", name, group) for code, name in qualifications]
    columns.append(StatColumn(f"qual:{NONE}", "Chưa khai", group))
    group = "Lý luận chính trị"
    columns += [StatColumn(f"llct:{rank}", name, group) for rank, name in llct]
    columns.append(StatColumn(f"llct:{NONE}", "Chưa có", group))
    group = "Ngạch (nhóm lương)"
    columns += [StatColumn(f"rank:{key}", label, group) for key, label in RANK_GROUPS]
    columns.append(StatColumn(f"rank:{NONE}", "Chưa xếp ngạch", group))
    group = "Độ tuổi"
    columns += [StatColumn(f"age:{key}", label, group) for key, label, _low, _next in AGE_BANDS]
    columns.append(StatColumn(f"age:{NONE}", "Chưa rõ ngày sinh", group))
    return columns


def unit_statistics(
    session: SessionLike,
    scope_ids: Select[int],
    *,
    today: date,
    confirmed_only: bool,
    within: OrgUnit | None = None,
) -> StatisticsReport:
    """The report for every unit of the scope (optionally only `within`'s subtree), in tree order,
    each row counting the unit's own profiles; the totals row is the sum of the rows."""
    qualifications = qualification_levels(session)
    llct_levels = political_theory_levels(session)
    columns = _columns(qualifications, llct_levels)

    unit_filter: list[ColumnElement[bool]] = [OrgUnit.id.in_(scope_ids)]
    if within is not None:
        unit_filter.append(in_subtree(within.path))
    unit_ids = select(OrgUnit.id).where(*unit_filter)

    llct = _political_theory_subquery().subquery("llct")
    ranks = _rank_group_subquery(today).subquery("rank_groups")
    qualification_codes = [code for code, _name in qualifications]
    per_profile = (
        select(
            Profile.org_unit_id.label("unit_id"),
            case((Profile.sex == "nu", 1), else_=0).label("female"),
            case(
                (and_(Profile.ethnicity.is_not(None), Profile.ethnicity != "", Profile.ethnicity != KINH), 1), else_=0
            ).label("minority"),
            case((Profile.is_party_member.is_(True), 1), else_=0).label("party"),
            case(
                (Profile.highest_qualification.in_(qualification_codes), Profile.highest_qualification), else_=NONE
            ).label("qual"),
            func.coalesce(llct.c.llct_rank, -1).label("llct"),
            _rank_bucket(ranks.c.salary_group).label("rank"),
            _age_bucket(Profile.birth_date, today).label("age"),
        )
        .outerjoin(llct, llct.c.profile_id == Profile.id)
        .outerjoin(ranks, ranks.c.code == Profile.rank_code)
        .where(Profile.org_unit_id.in_(unit_ids))
    )
    if confirmed_only:
        per_profile = per_profile.where(Profile.status == "confirmed")
    p = per_profile.subquery("p")

    def count_where(condition: ColumnElement[bool]) -> ColumnElement[int]:
        return func.count(case((condition, 1)))

    known_llct = [rank for rank, _name in llct_levels]
    measures: list[ColumnElement[int]] = []
    for column in columns:
        dimension, _, value = column.key.partition(":")
        if dimension == "total":
            measures.append(func.count())
        elif dimension in ("female", "minority", "party"):
            measures.append(count_where(p.c[dimension] == 1))
        elif dimension == "llct":
            if value == NONE:
                measures.append(count_where(p.c.llct.not_in(known_llct) if known_llct else literal(True)))
            else:
                measures.append(count_where(p.c.llct == int(value)))
        else:
            measures.append(count_where(p.c[dimension] == value))
    counted = {
        row[0]: tuple(int(v) for v in row[1:])
        for row in session.execute(select(p.c.unit_id, *measures).group_by(p.c.unit_id))
    }

    units = session.scalars(select(OrgUnit).where(OrgUnit.id.in_(unit_ids)))
    zero = (0,) * len(columns)
    rows = [
        StatRow(item.unit, item.depth, counted.get(item.unit.id, zero))
        for item in tree_order(u for u in units if u.active or u.id in counted)
    ]
    totals = tuple(sum(row.values[i] for row in rows) for i in range(len(columns)))
    return StatisticsReport(columns=columns, rows=rows, totals=totals, today=today, confirmed_only=confirmed_only)
