"""IV. Trình độ đào tạo: the highest qualification against 32.1, and the columns each training kind uses."""

from __future__ import annotations

from models.rules.checker import Checker, is_blank, row_path
from models.sections.education import TRAINING_KINDS

TABLE = "trainings"
LEVELS = "education_levels"
PROFESSIONAL = "chuyen_mon"
# The chuyen_mon level from which a major is asked and a 32.1 row is allowed: Trung cấp.
INTERMEDIATE_CODE = "tc"
INTERMEDIATE_RANK_FALLBACK = 3

# Columns besides from/to/institution/level/certificate, per kind (SECTIONS.md, IV): the kinds that
# use them, and the kinds that require them.
OPTIONAL_COLUMNS: dict[str, tuple[str, frozenset[str], frozenset[str]]] = {
    "major": ("Chuyên ngành đào tạo", frozenset({"chuyen_mon"}), frozenset({"chuyen_mon"})),
    "study_mode": (
        "Hình thức đào tạo",
        frozenset({"chuyen_mon", "ly_luan_chinh_tri"}),
        frozenset({"chuyen_mon", "ly_luan_chinh_tri"}),
    ),
    "language": ("Tên ngoại ngữ/tiếng dân tộc", frozenset({"ngoai_ngu"}), frozenset({"ngoai_ngu"})),
    "score": ("Điểm số", frozenset({"ngoai_ngu"}), frozenset()),
}
LEVEL_OPTIONAL_KINDS = frozenset({"boi_duong"})


def intermediate_rank(c: Checker) -> int:
    entry = c.refs.item(LEVELS, INTERMEDIATE_CODE, PROFESSIONAL)
    return entry.rank if entry and entry.rank is not None else INTERMEDIATE_RANK_FALLBACK


def _level_rank(c: Checker, code: str | None) -> int | None:
    entry = c.refs.item(LEVELS, code, PROFESSIONAL)
    return entry.rank if entry else None


def check(c: Checker) -> None:
    p = c.profile
    floor = intermediate_rank(c)
    highest = _level_rank(c, p.highest_qualification) if not c.has_issue("highest_qualification") else None
    if highest is not None and highest >= floor:
        c.require("highest_qualification_major", "Chuyên ngành", p.highest_qualification_major)
    if not is_blank(p.academic_title):
        c.require("academic_title_year", "Năm phong học hàm", p.academic_title_year)

    best: int | None = None
    for i, row in c.for_rows(TABLE):
        rank = _check_training(c, i, row, floor)
        # Only a finished course counts as a qualification held.
        if rank is not None and row.to_date is not None and row.to_date <= c.today:
            best = rank if best is None else max(best, rank)
    if highest is not None and best is not None and highest < best:
        c.warning(
            "highest_qualification",
            "Trình độ chuyên môn cao nhất thấp hơn trình độ đã khai ở mục 32.1 (chuyên môn).",
        )


def _check_training(c: Checker, i: int, row: object, floor: int) -> int | None:
    """Kind-specific rules of one row; the level's rank for a valid chuyen_mon row."""
    kind = getattr(row, "kind", None)
    kind_path = row_path(TABLE, i, "kind")
    if kind not in TRAINING_KINDS or c.has_issue(kind_path):
        return None
    for column, (label, used_by, required_by) in OPTIONAL_COLUMNS.items():
        value = getattr(row, column, None)
        path = row_path(TABLE, i, column)
        if kind in required_by:
            c.require(path, label, value)
        elif kind not in used_by and not is_blank(value):
            c.error(path, f"Loại đào tạo này không dùng cột {label}; hãy để trống.")
    level = getattr(row, "level", None)
    level_path = row_path(TABLE, i, "level")
    if kind not in LEVEL_OPTIONAL_KINDS:
        c.require(level_path, "Trình độ", level)
    if is_blank(level) or c.has_issue(level_path):
        return None
    level_kind = TRAINING_KINDS[kind][1]
    entry = c.refs.item(LEVELS, level, level_kind)
    if entry is None or not entry.active:
        c.error(level_path, "Trình độ không thuộc danh mục của loại đào tạo này.")
        return None
    if kind == PROFESSIONAL:
        if entry.rank is not None and entry.rank < floor:
            c.error(level_path, "Mục 32.1 chỉ ghi trình độ chuyên môn từ Trung cấp trở lên.")
            return None
        return entry.rank
    return None
