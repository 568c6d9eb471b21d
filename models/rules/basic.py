"""I. Thông tin cơ bản: name, birth date, CCCD, phone, email and insurance numbers."""

from __future__ import annotations

import re
from datetime import date

from models.cccd import check_cccd
from models.rules.checker import Checker, is_blank

BIRTH_EARLIEST = date(1930, 1, 1)
_PHONE_SEPARATORS = re.compile(r"[\s.\-]")
_PHONE = re.compile(r"0\d{9,10}")
# One address: a dot-atom local part and a domain of dot-separated labels ending in a 2+ letter TLD.
_EMAIL = re.compile(
    r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
    r"@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}"
)
_BHXH = re.compile(r"\d{10}")
_BHYT = re.compile(r"[A-Za-z]{2}[1-5]\d{12}|\d{10}")


def normalize_phone(raw: str | None) -> str | None:
    """Spaces, dots and dashes stripped, "+84" turned into "0"; None for blank. The result may
    still be invalid: `is_valid_phone` says."""
    if raw is None:
        return None
    text = _PHONE_SEPARATORS.sub("", str(raw))
    if text.startswith("+84"):
        text = "0" + text[3:]
    return text or None


def is_valid_phone(raw: str | None) -> bool:
    """0 + 9 digits (mobile) or 0 + 10 digits (landline), after normalisation."""
    text = normalize_phone(raw)
    return bool(text and text.isascii() and _PHONE.fullmatch(text))


def is_valid_email(raw: str | None) -> bool:
    text = (raw or "").strip()
    return len(text) <= 254 and bool(_EMAIL.fullmatch(text))


def is_valid_name(name: str) -> bool:
    """Letters (any script, with Vietnamese marks), spaces, apostrophes and hyphens only."""
    return all(ch.isalpha() or ch in " '-" for ch in name)


def check(c: Checker) -> None:
    p = c.profile
    name = p.full_name
    if not is_blank(name) and not c.has_issue("full_name"):
        if not is_valid_name(name):
            c.error("full_name", "Họ và tên chỉ gồm chữ cái, dấu cách, dấu ' và dấu -.")
        elif len(name.split()) < 2:
            c.error("full_name", "Họ và tên phải có ít nhất 2 từ (họ và tên).")

    birth = p.birth_date
    if birth is not None and not c.has_issue("birth_date") and birth < BIRTH_EARLIEST:
        c.error("birth_date", "Ngày sinh không được trước ngày 01/01/1930.")

    if not is_blank(p.id_number) and not c.has_issue("id_number"):
        sex = p.sex if not c.has_issue("sex") else None
        result = check_cccd(p.id_number, c.birth, sex)
        for message in result.errors:
            c.error("id_number", message)
        for message in result.warnings:
            c.warning("id_number", message)

    issued = p.id_issued_on
    if issued is not None and c.birth is not None and not c.has_issue("id_issued_on") and issued <= c.birth:
        c.error("id_issued_on", "Ngày cấp CCCD phải sau Ngày sinh.")

    if not is_blank(p.phone) and not c.has_issue("phone") and not is_valid_phone(p.phone):
        c.error(
            "phone",
            "Số điện thoại phải gồm số 0 và 9 chữ số (di động) hoặc 10 chữ số (cố định); có thể viết +84 thay cho 0.",
        )

    if not is_blank(p.email) and not c.has_issue("email") and not is_valid_email(p.email):
        c.error("email", "Email không đúng dạng (ví dụ ten@coquan.gov.vn); chỉ nhập một địa chỉ.")

    bhxh = (p.social_insurance_number or "").strip()
    bhxh_valid = bool(bhxh) and bhxh.isascii() and bool(_BHXH.fullmatch(bhxh))
    if bhxh and not bhxh_valid and not c.has_issue("social_insurance_number"):
        c.error("social_insurance_number", "Số BHXH phải gồm đúng 10 chữ số.")

    bhyt = (p.health_insurance_number or "").strip()
    if bhyt and not c.has_issue("health_insurance_number"):
        if not (bhyt.isascii() and _BHYT.fullmatch(bhyt)):
            c.error(
                "health_insurance_number",
                "Số thẻ BHYT phải gồm 2 chữ cái, 1 chữ số từ 1 đến 5 và 12 chữ số (ví dụ DN4010123456789), "
                "hoặc 10 chữ số.",
            )
        elif bhxh_valid and bhyt[-10:] != bhxh:
            c.warning("health_insurance_number", "10 số cuối của thẻ BHYT khác Số BHXH.")
