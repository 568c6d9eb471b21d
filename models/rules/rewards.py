"""VI. Khen thưởng, kỷ luật: each state title once and at adult age; discipline forms by scope."""

from __future__ import annotations

from models.rules.checker import Checker, row_path

ADULT_AGE = 18
DISCIPLINES = "disciplines"


def discipline_kind(c: Checker, scope: str | None) -> str | None:
    """The `applies_to` a discipline form must have: the scope itself for the Party and mass
    organisations, the staff type's `discipline_group` for the government scope."""
    if scope in ("dang", "doan_the"):
        return scope
    if scope == "chinh_quyen":
        entry = c.refs.item("staff_types", c.profile.staff_type)
        group = entry.extra.get("discipline_group") if entry else None
        return group or None
    return None


def check(c: Checker) -> None:
    seen: dict[str, int] = {}
    for i, row in c.for_rows("state_titles"):
        title_path = row_path("state_titles", i, "title")
        if row.title and not c.has_issue(title_path):
            if row.title in seen:
                c.error(
                    title_path, f"Danh hiệu này đã khai ở dòng {seen[row.title] + 1}; mỗi danh hiệu chỉ khai một lần."
                )
            else:
                seen[row.title] = i
        year_path = row_path("state_titles", i, "year")
        if c.birth is not None and row.year is not None and not c.has_issue(year_path):
            if row.year < c.birth.year + ADULT_AGE:
                c.error(
                    year_path, f"Năm phong tặng phải từ năm {c.birth.year + ADULT_AGE} (đủ {ADULT_AGE} tuổi) trở đi."
                )

    for i, row in c.for_rows(DISCIPLINES):
        form_path = row_path(DISCIPLINES, i, "form")
        if not row.form or c.has_issue(form_path) or c.has_issue(row_path(DISCIPLINES, i, "scope")):
            continue
        kind = discipline_kind(c, row.scope)
        if kind is not None and not c.refs.exists(DISCIPLINES, row.form, kind):
            c.error(form_path, "Hình thức kỷ luật này không áp dụng cho cấp kỷ luật và loại cán bộ đã chọn.")
