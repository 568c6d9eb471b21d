"""I. Thông tin cơ bản: each rule flips exactly one issue on an otherwise valid profile."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest

from models.profile import Profile
from models.rules.basic import is_valid_email, is_valid_phone, normalize_phone
from tests.test_rules import assert_flips, run, valid_profile


def set_(**values: object) -> Callable[[Profile], None]:
    def mutate(p: Profile) -> None:
        for name, value in values.items():
            setattr(p, name, value)

    return mutate


@pytest.mark.parametrize(
    ("mutate", "field", "level"),
    [
        # required "yes"
        (set_(staff_type=None), "staff_type", "missing"),
        (set_(org_unit_id=None), "org_unit_id", "missing"),
        (set_(managing_agency_id=None), "managing_agency_id", "missing"),
        (set_(full_name=""), "full_name", "missing"),
        (set_(sex=None), "sex", "missing"),
        (set_(ethnicity=""), "ethnicity", "missing"),
        (set_(religion=None), "religion", "missing"),
        (set_(id_number=None), "id_number", "missing"),
        (set_(id_issued_on=None), "id_issued_on", "missing"),
        # addresses: province + commune, or the legacy wording
        (set_(birth_place_province=None, birth_place_commune=None), "birth_place", "missing"),
        (set_(birth_place_commune=None), "birth_place_commune", "missing"),
        (set_(birth_place_province=None), "birth_place_province", "missing"),
        (set_(hometown_legacy=None), "hometown", "missing"),
        (set_(current_address_province="99"), "current_address_province", "error"),
        (set_(permanent_address_province="99"), "permanent_address_province", "error"),
        (set_(current_address_commune="x" * 101), "current_address_commune", "error"),
        # coded values
        (set_(staff_type="giam_doc"), "staff_type", "error"),
        (set_(sex="khac"), "sex", "error"),
        (set_(ethnicity="56"), "ethnicity", "error"),
        (set_(religion="Phật giáo"), "religion", "error"),
        (set_(policy_groups=["con_thuong_binh", "khong_co"]), "policy_groups", "error"),
        # name
        (set_(full_name="Hoa"), "full_name", "error"),
        (set_(full_name="Nguyễn Thị Hoa 2"), "full_name", "error"),
        (set_(full_name="Nguyễn Thị Hoa."), "full_name", "error"),
        (set_(full_name="Nguyễn " + "A" * 100), "full_name", "error"),
        # CCCD: structure (error), digits 4–6 against birth date and sex (warning)
        (set_(id_number="00118501234"), "id_number", "error"),
        (set_(id_number="003185012345"), "id_number", "error"),
        (set_(id_number="001186012345"), "id_number", "warning"),
        (set_(id_number="001085012345"), "id_number", "warning"),
        # id_issued_on after birth date
        (set_(id_issued_on=date(1985, 3, 1)), "id_issued_on", "error"),
        # phone, email, insurance numbers
        (set_(phone="091234567"), "phone", "error"),
        (set_(phone="+84 91234567"), "phone", "error"),
        (set_(phone="1912345678"), "phone", "error"),
        (set_(phone="0912 345 678 9012"), "phone", "error"),
        (set_(phone="0912a45678"), "phone", "error"),
        (set_(email="hoa.nt@"), "email", "error"),
        (set_(email="hoa nt@gialam.gov.vn"), "email", "error"),
        (set_(email="a@b.vn, c@d.vn"), "email", "error"),
        (set_(email="hoa..nt@gialam.gov.vn"), "email", "error"),
        (set_(social_insurance_number="012345678"), "social_insurance_number", "error"),
        (set_(social_insurance_number="01234567ab"), "social_insurance_number", "error"),
        (set_(health_insurance_number="DN6010123456789"), "health_insurance_number", "error"),
        (set_(health_insurance_number="D54010123456789"), "health_insurance_number", "error"),
        (set_(health_insurance_number="DN401012345678"), "health_insurance_number", "error"),
        (set_(health_insurance_number="DN4019999999999"), "health_insurance_number", "warning"),
        (set_(health_insurance_number="9999999999"), "health_insurance_number", "warning"),
        # text
        (set_(other_names="Bí danh\x07"), "other_names", "error"),
        (set_(id_issued_by="x" * 256), "id_issued_by", "error"),
    ],
)
def test_basic_rules(mutate: Callable[[Profile], None], field: str, level: str) -> None:
    assert_flips(mutate, field, level, section="basic")


@pytest.mark.parametrize(
    "changes",
    [
        {"hometown_legacy": None, "hometown_province": "01", "hometown_commune": "Xã Bát Tràng"},
        {
            "birth_place_province": None,
            "birth_place_commune": None,
            "birth_place_legacy": "xã Bát Tràng, huyện Gia Lâm",
        },
        {"phone": "024 3825 1234"},
        {"phone": "0912345678"},
        {"phone": None, "email": None, "social_insurance_number": None, "health_insurance_number": None},
        {"health_insurance_number": "0123456789"},
        {"social_insurance_number": None},
        {"full_name": "Lê Thị Ngọc-Ánh"},
        {"full_name": "H'Hen Niê"},
        {"ethnicity": "55"},
        {"religion": "00"},
        {"policy_groups": []},
        {"policy_groups": None},
        {
            "staff_type": "can_bo",
            "rank_code": None,
            "salary_step": None,
            "salary_coefficient": None,
            "salary_since": None,
        },
    ],
)
def test_basic_values_that_pass(changes: dict[str, object]) -> None:
    profile = valid_profile()
    for name, value in changes.items():
        setattr(profile, name, value)
    if "rank_code" in changes:
        profile.salary_history = []
    assert run(profile).issues == []


def test_messages_are_vietnamese_and_use_labels() -> None:
    issue = assert_flips(set_(birth_place_commune=None), "birth_place_commune", "missing")
    assert issue.message == "Chưa nhập Xã/Phường/Đặc khu của Nơi sinh."
    issue = assert_flips(set_(ethnicity="56"), "ethnicity", "error")
    assert issue.message == "Giá trị không có trong danh mục Dân tộc."
    issue = assert_flips(set_(id_number="001085012345"), "id_number", "warning")
    assert issue.message == "CCCD cho giới tính Nam, khác giới tính đã khai."


@pytest.mark.parametrize(
    ("raw", "normal", "valid"),
    [
        ("0912 345 678", "0912345678", True),
        ("0912.345.678", "0912345678", True),
        ("+84-912-345-678", "0912345678", True),
        ("024 3825 1234", "02438251234", True),
        ("091234567", "091234567", False),
        ("84912345678", "84912345678", False),
        ("", None, False),
    ],
)
def test_phone_normalisation(raw: str, normal: str | None, valid: bool) -> None:
    assert normalize_phone(raw) == normal
    assert is_valid_phone(raw) is valid


@pytest.mark.parametrize(
    ("raw", "valid"),
    [
        ("ten@coquan.gov.vn", True),
        ("ten.ho+tag@sub.example.com", True),
        ("ten@localhost", False),
        ("@coquan.gov.vn", False),
        ("ten@coquan..vn", False),
        (".ten@coquan.vn", False),
        ("tên@coquan.vn", False),
    ],
)
def test_email_syntax(raw: str, valid: bool) -> None:
    assert is_valid_email(raw) is valid
