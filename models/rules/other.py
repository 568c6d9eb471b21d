"""XI. Thông tin khác: body measures and military service dates."""

from __future__ import annotations

from models.dates import add_years, format_date, pdate_le, pdate_lt
from models.rules.checker import Checker, is_blank

HEIGHT_CM = (100, 230)
WEIGHT_KG = (30, 200)
ENLIST_AGE = 15


def check(c: Checker) -> None:
    p = c.profile
    c.in_range("height_cm", "Chiều cao (cm)", p.height_cm, *HEIGHT_CM)
    c.in_range("weight_kg", "Cân nặng (kg)", p.weight_kg, *WEIGHT_KG)

    enlisted, discharged = p.enlisted_on, p.discharged_on
    if enlisted is not None and c.birth is not None and not c.has_issue("enlisted_on"):
        earliest = add_years(c.birth, ENLIST_AGE)
        if pdate_lt(enlisted, p.enlisted_on_precision, earliest, "day"):
            c.error("enlisted_on", f"Ngày nhập ngũ phải sau ngày đủ {ENLIST_AGE} tuổi ({format_date(earliest)}).")
    if enlisted is None and (discharged is not None or not is_blank(p.highest_military_rank)):
        c.missing("enlisted_on", "Ngày nhập ngũ")
    if enlisted is not None and discharged is not None and not c.has_issue("discharged_on"):
        if not pdate_le(enlisted, p.enlisted_on_precision, discharged, p.discharged_on_precision):
            c.error("discharged_on", "Ngày xuất ngũ không được trước Ngày nhập ngũ.")
