"""V. Tuyển dụng, quá trình công tác: recruitment age and order of dates, the current position, work history."""

from __future__ import annotations

from datetime import date

from models.dates import age_on
from models.rules.checker import Checker, is_blank

WORKING_AGE_MIN = 15  # Bộ luật Lao động: below it recruitment is impossible (error)
ADULT_AGE = 18  # below it only in special cases (warning)


def check(c: Checker) -> None:
    p = c.profile
    recruited = p.first_recruited_on
    if isinstance(recruited, date) and c.birth is not None and not c.has_issue("first_recruited_on"):
        age = age_on(c.birth, recruited)
        if age < WORKING_AGE_MIN:
            c.error(
                "first_recruited_on", f"Ngày được tuyển dụng lần đầu khi mới {age} tuổi (dưới {WORKING_AGE_MIN} tuổi)."
            )
        elif age < ADULT_AGE:
            c.warning("first_recruited_on", f"Ngày được tuyển dụng lần đầu khi mới {age} tuổi (dưới {ADULT_AGE} tuổi).")

    joined = p.joined_current_agency_on
    if isinstance(joined, date) and isinstance(recruited, date) and joined < recruited:
        if not c.has_issue("joined_current_agency_on"):
            c.error(
                "joined_current_agency_on",
                "Ngày vào cơ quan hiện đang công tác không được trước Ngày được tuyển dụng lần đầu.",
            )

    if not is_blank(p.current_position):
        c.require("position_appointed_on", "Ngày bổ nhiệm/ngày phê chuẩn", p.position_appointed_on)
    appointed, reappointed = p.position_appointed_on, p.position_reappointed_on
    if isinstance(appointed, date) and isinstance(reappointed, date) and reappointed <= appointed:
        if not c.has_issue("position_reappointed_on"):
            c.error("position_reappointed_on", "Ngày bổ nhiệm lại phải sau Ngày bổ nhiệm/ngày phê chuẩn.")

    rows = c.rows("work_history")
    if not rows:
        c.missing("work_history", "Tóm tắt quá trình công tác (ít nhất một dòng)")
    elif all(row.to_date is not None for row in rows):
        c.warning("work_history", "Không có dòng nào đang công tác (Đến tháng/năm để trống = nay).")
