"""IX. Đặc điểm lịch sử bản thân: work for the old regime ends by 30/04/1975."""

from __future__ import annotations

from datetime import date

from models.rules.checker import Checker, row_path

TABLE = "old_regime_work"
REUNIFICATION = date(1975, 4, 30)
MESSAGE = "Thời gian làm việc cho chế độ cũ thường trước ngày 30/04/1975; kiểm tra lại."


def check(c: Checker) -> None:
    for i, row in c.for_rows(TABLE):
        if row.from_date is None:
            continue
        if row.from_date > REUNIFICATION:
            c.warning(row_path(TABLE, i, "from_date"), MESSAGE)
        elif row.to_date is None or row.to_date > REUNIFICATION:
            c.warning(row_path(TABLE, i, "to_date"), MESSAGE)
