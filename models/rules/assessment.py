"""VII. Kết quả đánh giá, phân loại: one row per year, legacy levels only up to 2019."""

from __future__ import annotations

from models.rules.checker import Checker, row_path

TABLE = "annual_results"
EVALUATION_LEVELS = "evaluation_levels"
# The "còn hạn chế về năng lực" level left the law with the 2019 amendment.
LEGACY_LEVEL_LAST_YEAR = 2019
# Emulation titles presume at least "Hoàn thành tốt nhiệm vụ".
GOOD_RATING_CODE = "httnv"
GOOD_RATING_RANK_FALLBACK = 3


def check(c: Checker) -> None:
    good = c.refs.item(EVALUATION_LEVELS, GOOD_RATING_CODE)
    good_rank = good.rank if good and good.rank is not None else GOOD_RATING_RANK_FALLBACK
    years: dict[int, int] = {}
    for i, row in c.for_rows(TABLE):
        year_path = row_path(TABLE, i, "year")
        if row.year is not None and not c.has_issue(year_path):
            if row.year in years:
                c.error(year_path, f"Năm {row.year} đã khai ở dòng {years[row.year] + 1}; mỗi năm chỉ khai một dòng.")
            else:
                years[row.year] = i
        rating_path = row_path(TABLE, i, "professional_rating")
        rating = c.refs.item(EVALUATION_LEVELS, row.professional_rating) if not c.has_issue(rating_path) else None
        if rating is None:
            continue
        if rating.status == "legacy" and row.year is not None and row.year > LEGACY_LEVEL_LAST_YEAR:
            c.error(rating_path, f"Mức “{rating.name}” chỉ dùng cho các năm đến {LEGACY_LEVEL_LAST_YEAR}.")
        if row.emulation_title and rating.rank is not None and rating.rank < good_rank:
            c.warning(
                row_path(TABLE, i, "emulation_title"),
                "Có danh hiệu thi đua nhưng xếp loại chuyên môn dưới mức Hoàn thành tốt nhiệm vụ.",
            )
