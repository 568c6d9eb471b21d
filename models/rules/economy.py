"""X. Hoàn cảnh kinh tế gia đình: house and land areas are positive."""

from __future__ import annotations

from decimal import Decimal

from models.rules.checker import Checker, row_path

AREAS = {"houses": ("floor_area_m2", "Tổng diện tích sử dụng (m2)"), "lands": ("area_m2", "Diện tích (m2)")}


def check(c: Checker) -> None:
    for table, (column, label) in AREAS.items():
        for i, row in c.for_rows(table):
            area = getattr(row, column, None)
            if area is not None and Decimal(str(area)) <= 0:
                c.error(row_path(table, i, column), f"{label} phải lớn hơn 0.")
