"""II. Thông tin lương, phụ cấp: 30.1–30.3 against the salary table, salary history (37.1), allowances (37.2)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from models.dates import format_date, pdate_cmp
from models.refs import RankEntry
from models.rules.checker import Checker, fmt_num, is_blank, row_path

# "CC/VC" of SECTIONS.md, II: the staff types paid on a rank, so 30.1 is required.
RANKED_STAFF_TYPES = frozenset({"cong_chuc", "vien_chuc", "cong_chuc_cap_xa"})
# Nghị định 204/2004/NĐ-CP: the salary table applies from this date; older rows are free.
SALARY_TABLE_FROM = date(2004, 10, 1)
POSITION_ALLOWANCE_MAX = Decimal("1.30")
SENIORITY_MIN = 5


def _dec(value: Any) -> Decimal | None:
    if value is None:
        return None
    return value if isinstance(value, Decimal) else Decimal(str(value))


def _rank_for_today(c: Checker, code: str) -> RankEntry | None:
    """The rank row 30.1 is checked against: the one in force at `salary_since`, else today's,
    else the latest (a code no longer in force still has a group)."""
    p = c.profile
    on = p.salary_since if isinstance(p.salary_since, date) else c.today
    return c.refs.rank(code, on) or c.refs.rank(code, c.today) or c.refs.rank(code)


def _check_step_and_coefficient(
    c: Checker, rank: RankEntry, step: int | None, coefficient: Any, step_path: str, coefficient_path: str
) -> bool:
    """Step within the group's steps and coefficient equal to the table; True when the step is valid."""
    steps = c.refs.steps(rank.salary_group) or rank.steps
    if step is None or c.has_issue(step_path):
        return False
    if not 1 <= step <= steps:
        c.error(step_path, f"Bậc lương phải từ 1 đến {steps} (nhóm {rank.salary_group} của mã {rank.code}).")
        return False
    expected = c.refs.coefficient(rank.salary_group, step)
    value = _dec(coefficient)
    if expected is not None and value is not None and not c.has_issue(coefficient_path) and value != expected:
        c.error(
            coefficient_path,
            f"Hệ số lương của bậc {step} nhóm {rank.salary_group} là {fmt_num(expected)}, không phải {fmt_num(value)}.",
        )
    return True


def check(c: Checker) -> None:
    p = c.profile
    _check_current_salary(c)
    _check_job_salary(c)

    if isinstance(p.rank_appointed_on, date) and isinstance(p.first_recruited_on, date):
        if p.rank_appointed_on < p.first_recruited_on and not c.has_issue("rank_appointed_on"):
            c.warning(
                "rank_appointed_on", "Ngày bổ nhiệm ngạch/chức danh nghề nghiệp trước Ngày được tuyển dụng lần đầu."
            )

    allowance = _dec(p.position_allowance)
    if allowance is not None and not 0 < allowance <= POSITION_ALLOWANCE_MAX:
        c.error("position_allowance", "Phụ cấp chức vụ (hệ số) phải lớn hơn 0 và không quá 1,30.")
    c.in_range("concurrent_allowance_percent", "Phụ cấp kiêm nhiệm (%)", p.concurrent_allowance_percent, 1, 100)

    _check_salary_history(c)
    _check_allowances(c)


def _check_current_salary(c: Checker) -> None:
    p = c.profile
    if p.staff_type in RANKED_STAFF_TYPES:
        c.require("rank_code", "Ngạch/Chức danh nghề nghiệp", p.rank_code)
    c.in_range("salary_percent", "Phần trăm hưởng (%)", p.salary_percent, 1, 100)
    if not is_blank(p.rank_code):
        c.require("salary_step", "Bậc lương", p.salary_step)
        c.require("salary_coefficient", "Hệ số lương", p.salary_coefficient)
        c.require("salary_since", "Ngày hưởng", p.salary_since)

    rank = _rank_for_today(c, p.rank_code) if p.rank_code and not c.has_issue("rank_code") else None
    step_ok = False
    if rank is not None:
        if c.refs.rank(rank.code, c.today) is None:
            c.warning("rank_code", f"Mã ngạch/chức danh nghề nghiệp {rank.code} không còn hiệu lực; kiểm tra lại.")
        step_ok = _check_step_and_coefficient(
            c, rank, p.salary_step, p.salary_coefficient, "salary_step", "salary_coefficient"
        )

    percent = p.seniority_allowance_percent
    if percent is not None:
        c.require("seniority_allowance_since", "Ngày hưởng PCTNVK", p.seniority_allowance_since)
        if c.in_range("seniority_allowance_percent", "Phụ cấp thâm niên vượt khung (%)", percent, SENIORITY_MIN, None):
            if rank is not None and step_ok:
                last = c.refs.steps(rank.salary_group) or rank.steps
                if p.salary_step != last:
                    c.error(
                        "seniority_allowance_percent",
                        f"Phụ cấp thâm niên vượt khung chỉ có ở bậc cuối của nhóm {rank.salary_group} (bậc {last}).",
                    )
    _since_not_before(c, "seniority_allowance_since", "Ngày hưởng PCTNVK", "salary_since", "Ngày hưởng lương")


def _check_job_salary(c: Checker) -> None:
    p = c.profile
    c.in_range("job_salary_step", "Bậc lương (theo vị trí việc làm)", p.job_salary_step, 1, None)
    if p.job_salary_amount is not None:
        c.require("job_salary_since", "Ngày hưởng (lương theo vị trí việc làm)", p.job_salary_since)
    c.in_range("job_salary_percent", "Phần trăm hưởng (%)", p.job_salary_percent, 1, 100)
    if p.job_seniority_percent is not None:
        c.require("job_seniority_since", "Ngày hưởng PCTNVK (theo vị trí việc làm)", p.job_seniority_since)
        c.in_range(
            "job_seniority_percent", "Phụ cấp thâm niên vượt khung (%)", p.job_seniority_percent, SENIORITY_MIN, None
        )
    _since_not_before(
        c, "job_seniority_since", "Ngày hưởng PCTNVK", "job_salary_since", "Ngày hưởng lương theo vị trí việc làm"
    )


def _since_not_before(c: Checker, field: str, label: str, other: str, other_label: str) -> None:
    value, floor = c.get(field), c.get(other)
    if isinstance(value, date) and isinstance(floor, date) and value < floor and not c.has_issue(field):
        c.error(field, f"{label} không được trước {other_label} ({format_date(floor)}).")


def _check_salary_history(c: Checker) -> None:
    p = c.profile
    table = "salary_history"
    rows = list(c.for_rows(table))
    open_rows: list[int] = []
    for i, row in rows:
        if is_blank(row.job_position_code):
            c.require(row_path(table, i, "rank_code"), "Mã ngạch/chức danh", row.rank_code)
        if not is_blank(row.rank_code):
            c.require(row_path(table, i, "salary_step"), "Bậc lương", row.salary_step)
            c.require(row_path(table, i, "salary_coefficient"), "Hệ số lương", row.salary_coefficient)
        if row.from_date is not None and row.to_date is None:
            open_rows.append(i)
        _check_history_coefficient(c, i, row)

    for i in open_rows[1:]:
        c.error(row_path(table, i, "to_date"), "Chỉ một dòng quá trình lương được để trống Đến tháng/năm (đang hưởng).")
    # Compared only once 30.1 itself is sound, so one slip is not reported twice.
    if (
        len(open_rows) == 1
        and p.rank_code
        and not any(c.has_issue(f) for f in ("rank_code", "salary_step", "salary_coefficient"))
    ):
        i = open_rows[0]
        row = rows[i][1]
        current = (p.rank_code or None, p.salary_step, _dec(p.salary_coefficient))
        declared = (row.rank_code or None, row.salary_step, _dec(row.salary_coefficient))
        if current != declared:
            c.warning(
                row_path(table, i, "rank_code"),
                "Dòng đang hưởng khác ngạch, bậc, hệ số lương hiện tại (mục 30.1).",
            )
    _warn_overlaps(c, table, [row for _, row in rows])


def _check_history_coefficient(c: Checker, i: int, row: Any) -> None:
    """From 01/10/2004 the coefficient follows the table of the rank row valid at the row's start."""
    table = "salary_history"
    if row.from_date is None or is_blank(row.rank_code) or c.has_issue(row_path(table, i, "rank_code")):
        return
    if row.from_date < SALARY_TABLE_FROM:
        return
    rank = c.refs.rank(row.rank_code, row.from_date)
    if rank is None:
        return
    _check_step_and_coefficient(
        c,
        rank,
        row.salary_step,
        row.salary_coefficient,
        row_path(table, i, "salary_step"),
        row_path(table, i, "salary_coefficient"),
    )


def _warn_overlaps(c: Checker, table: str, rows: list[Any]) -> None:
    """Two periods overlap when each starts before the other ends, for certain at the coarser
    precision; rows that only touch ("2010–2015", "2015–2020") do not."""
    dated = [(i, r) for i, r in enumerate(rows) if r.from_date is not None]
    warned: set[int] = set()
    for a_pos, (i, a) in enumerate(dated):
        for j, b in dated[a_pos + 1 :]:
            if j in warned or i in warned:
                continue
            if _starts_before_end(a, b) and _starts_before_end(b, a):
                later = j if (b.from_date, j) >= (a.from_date, i) else i
                other = i if later == j else j
                warned.add(later)
                c.warning(row_path(table, later, "from_date"), f"Thời gian trùng với dòng {other + 1}.")


def _starts_before_end(a: Any, b: Any) -> bool:
    """a starts before b ends (an open b never ends)."""
    if b.to_date is None:
        return True
    return pdate_cmp(a.from_date, a.from_date_precision, b.to_date, b.to_date_precision) < 0


def _check_allowances(c: Checker) -> None:
    table = "allowances"
    for i, row in c.for_rows(table):
        c.in_range(row_path(table, i, "percent"), "Phần trăm hưởng", _dec(row.percent), 0, 100)
        c.in_range(row_path(table, i, "coefficient"), "Hệ số", _dec(row.coefficient), 0, None)
        if row.percent is None and row.coefficient is None and row.amount is None:
            basis = row.basis or _type_basis(c, row.allowance_type)
            column = {"he_so": "coefficient", "phan_tram": "percent", "muc_tien": "amount"}.get(basis or "", "percent")
            c.missing(row_path(table, i, column), "Phần trăm hưởng, Hệ số hoặc Giá trị (đồng)")


def _type_basis(c: Checker, allowance_type: str | None) -> str | None:
    entry = c.refs.item("allowance_types", allowance_type)
    return entry.extra.get("basis") if entry else None
