"""VIII. Thông tin Đảng, Đoàn: Party fields only for members, and the order of Party dates."""

from __future__ import annotations

from datetime import date

from models.dates import add_years, age_on, format_date
from models.rules.checker import Checker, is_blank, row_path

PARTY_ADULT_AGE = 18
PARTY_FIELDS = {
    "party_joined_on": "Ngày vào Đảng Cộng sản Việt Nam",
    "party_official_on": "Ngày chính thức",
    "party_card_number": "Số thẻ đảng viên",
    "party_card_issued_on": "Ngày cấp thẻ",
    "party_cell": "Chi bộ/Đảng bộ đang sinh hoạt",
    "party_position": "Chức vụ Đảng hiện tại",
    "party_position_title": "Chức vụ Đảng (ghi đầy đủ)",
}
PARTY_TABLES = ("party_concurrent_positions",)
PARTY_ORG = "dang"


def check(c: Checker) -> None:
    p = c.profile
    if p.is_party_member:
        c.require("party_joined_on", "Ngày vào Đảng Cộng sản Việt Nam", p.party_joined_on)
    else:
        for name, label in PARTY_FIELDS.items():
            if not is_blank(c.get(name)):
                c.error(name, f"Chưa đánh dấu Là đảng viên nên không khai {label}.")
        for table in PARTY_TABLES:
            for i, _row in c.for_rows(table):
                c.error(
                    row_path(table, i, "position"), "Chưa đánh dấu Là đảng viên nên không khai chức vụ Đảng kiêm nhiệm."
                )

    joined, official = p.party_joined_on, p.party_official_on
    if isinstance(joined, date) and c.birth is not None and not c.has_issue("party_joined_on"):
        age = age_on(c.birth, joined)
        if age < PARTY_ADULT_AGE:
            c.warning("party_joined_on", f"Ngày vào Đảng khi mới {age} tuổi (dưới {PARTY_ADULT_AGE} tuổi).")
    if isinstance(joined, date) and isinstance(official, date) and not c.has_issue("party_official_on"):
        if official < joined:
            c.error("party_official_on", f"Ngày chính thức không được trước Ngày vào Đảng ({format_date(joined)}).")
        elif official < add_years(joined, 1):
            c.warning("party_official_on", "Ngày chính thức chưa đủ 12 tháng sau Ngày vào Đảng.")

    first_on = p.first_org_joined_on
    if isinstance(first_on, date) and c.birth is not None and first_on <= c.birth:
        if not c.has_issue("first_org_joined_on"):
            c.error("first_org_joined_on", "Ngày tham gia tổ chức chính trị - xã hội đầu tiên phải sau Ngày sinh.")
    if first_on is not None:
        c.require("first_org", "Tổ chức tham gia đầu tiên", p.first_org)
    if p.first_org == PARTY_ORG:
        c.error("first_org", "Tổ chức tham gia đầu tiên không ghi Đảng; ngày vào Đảng khai ở mục 15.")
