"""The CCCD checks against the examples of shared/data/cccd.md: errors block, warnings only inform."""

from __future__ import annotations

from datetime import date

import pytest

from models.cccd import check_cccd, decode, normalize_cccd, province_codes


@pytest.mark.parametrize(
    ("number", "province", "birth_year", "sex"),
    [
        ("038185011234", "038", 1985, "nu"),  # Thanh Hóa, BÙI THỊ THỦY
        ("001300012345", "001", 2000, "nu"),  # Hà Nội, NGUYỄN NGỌC HUỆ
        ("079095001234", "079", 1995, "nam"),  # Hồ Chí Minh
    ],
)
def test_valid_numbers_decode_birth_year_and_sex(number: str, province: str, birth_year: int, sex: str) -> None:
    result = check_cccd(number)
    assert result.ok and result.errors == [] and result.warnings == []
    assert number[:3] == province and province in province_codes()
    assert (result.birth_year, result.sex) == (birth_year, sex)
    assert decode(number) == (birth_year, sex)


def test_matching_birth_date_and_sex_give_no_warning() -> None:
    assert check_cccd("001300012345", date(2000, 4, 4), "nu").warnings == []
    assert check_cccd("038185011234", date(1985, 12, 31), "nu").warnings == []


def test_province_code_003_does_not_exist() -> None:
    result = check_cccd("003185011234")
    assert not result.ok
    assert result.errors == ["Mã tỉnh 003 ở 3 chữ số đầu của CCCD không tồn tại."]


def test_there_are_63_legacy_province_codes() -> None:
    codes = province_codes()
    assert len(codes) == 63
    assert {"001", "038", "079", "096"} <= codes
    assert "003" not in codes


@pytest.mark.parametrize(
    "raw",
    [
        "03818501123",  # 11 digits
        "0381850112345",  # 13 digits
        "03818501123A",  # a letter
        "O38185011234",  # letter O for zero
        "０３８１８５０１１２３４",  # full-width digits are not ASCII
        "038-185-011-234",
        "",
        None,
    ],
)
def test_anything_but_12_ascii_digits_is_an_error(raw: str | None) -> None:
    result = check_cccd(raw)
    assert not result.ok
    assert result.errors == ["Số CCCD phải gồm đúng 12 chữ số."]
    assert result.birth_year is None and result.warnings == []


@pytest.mark.parametrize("raw", [" 038185011234 ", "038 185 011 234", "0381\t8501\n1234", "038\u00a0185011234"])
def test_spaces_are_stripped_before_checking(raw: str) -> None:
    assert normalize_cccd(raw) == "038185011234"
    result = check_cccd(raw)
    assert result.ok and result.number == "038185011234"


def test_sex_mismatch_is_a_warning_not_an_error() -> None:
    result = check_cccd("038085011234", date(1985, 1, 1), "nu")  # digit 4 = 0 means Nam
    assert result.ok
    assert result.sex == "nam"
    assert result.warnings == ["CCCD cho giới tính Nam, khác giới tính đã khai."]


def test_female_number_declared_male_warns_with_label_nu() -> None:
    result = check_cccd("038185011234", date(1985, 1, 1), "nam")
    assert result.warnings == ["CCCD cho giới tính Nữ, khác giới tính đã khai."]


def test_birth_year_mismatch_is_a_warning() -> None:
    result = check_cccd("038185011234", date(1986, 1, 1), "nu")
    assert result.ok
    assert result.warnings == ["CCCD cho năm sinh 1985, khác năm sinh đã khai (1986)."]


def test_century_digit_matters_for_the_birth_year() -> None:
    # 001 3 00: born 2000; declaring 1900 is a mismatch even though digits 5-6 agree.
    result = check_cccd("001300012345", date(1900, 4, 4), "nu")
    assert result.warnings == ["CCCD cho năm sinh 2000, khác năm sinh đã khai (1900)."]


@pytest.mark.parametrize(("digit", "year", "sex"), [("4", 2185, "nam"), ("5", 2185, "nu"), ("9", 2385, "nu")])
def test_digit_4_from_4_up_is_a_birth_after_2099_and_warns(digit: str, year: int, sex: str) -> None:
    result = check_cccd(f"038{digit}85011234")
    assert result.ok
    assert (result.birth_year, result.sex) == (year, sex)
    assert result.warnings == ["Chữ số thứ 4 của CCCD cho năm sinh sau 2099."]


@pytest.mark.parametrize("digit", ["0", "1", "2", "3"])
def test_digits_0_to_3_do_not_warn(digit: str) -> None:
    assert check_cccd(f"038{digit}85011234").warnings == []
