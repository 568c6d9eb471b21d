"""The default password: given name without diacritics (Đ→D), capitalised, + last 4 CCCD digits + '@'."""

from __future__ import annotations

import unicodedata

import pytest

from auth.passwords import default_password, matches_default, password_problems

# (full name, CCCD, expected default password): real Vietnamese names, both sexes, all vowel marks.
CASES = [
    ("BÙI THỊ THỦY", "038185011234", "Thuy1234@"),  # the README's example
    ("Đặng Văn Đức", "001085005678", "Duc5678@"),
    ("Nguyễn Thị Ánh Tuyết", "001185012345", "Tuyet2345@"),
    ("Lê Văn Ưng", "038090001111", "Ung1111@"),
    ("Trần Thị Yến", "079195000042", "Yen0042@"),
    ("Hoàng Đình Điệp", "034082007890", "Diep7890@"),
    ("NGUYỄN NGỌC HUỆ", "001300012345", "Hue2345@"),
    ("Đỗ Đức Đạt", "036088004321", "Dat4321@"),
    ("Huỳnh Thị Ơn", "083170009999", "On9999@"),
    ("Lý Thị Hằng", "026192001000", "Hang1000@"),
    ("Trịnh Văn Quyết", "040075002468", "Quyet2468@"),
    ("Dương Thị Thu Hương", "031190003579", "Huong3579@"),
    ("Ngô Bảo Châu", "001072000001", "Chau0001@"),
    ("Võ Nguyên Giáp", "044011000007", "Giap0007@"),
    ("Phan Thị Kim Phượng", "052187006543", "Phuong6543@"),
    ("Hồ Thị Ỷ Lan", "040165000808", "Lan0808@"),
    ("Đinh Thị Thuỷ", "037193005555", "Thuy5555@"),  # old-style tone placement (uỷ)
    ("Vũ Thị Ngọc Ánh", "030301001212", "Anh1212@"),
    ("Mạc Đăng Dung", "031080002020", "Dung2020@"),
    ("Lò Văn Giàng", "014088003131", "Giang3131@"),
    ("Nông Thị Đào", "004191000404", "Dao0404@"),
]


@pytest.mark.parametrize(("full_name", "cccd", "expected"), CASES, ids=[c[2] for c in CASES])
def test_default_password_of_real_names(full_name: str, cccd: str, expected: str) -> None:
    assert default_password(full_name, cccd) == expected


@pytest.mark.parametrize(("full_name", "cccd", "expected"), CASES, ids=[c[2] for c in CASES])
def test_decomposed_nfd_input_gives_the_same_password(full_name: str, cccd: str, expected: str) -> None:
    decomposed = unicodedata.normalize("NFD", full_name)
    assert decomposed != full_name  # the test really feeds combining marks
    assert default_password(decomposed, cccd) == expected


@pytest.mark.parametrize(
    "full_name",
    [
        "BÙI THỊ THỦY",
        "bùi thị thủy",
        "Bùi Thị Thủy",
        "bÙI tHỊ tHỦY",
        "  Bùi   Thị  Thủy  ",
        "Bùi\tThị\u00a0Thủy\n",
        unicodedata.normalize("NFD", "  BÙI  THỊ   THỦY "),
    ],
)
def test_case_and_spacing_do_not_matter(full_name: str) -> None:
    assert default_password(full_name, "038185011234") == "Thuy1234@"


def test_only_the_last_four_digits_of_the_cccd_count() -> None:
    assert default_password("Bùi Thị Thủy", "038 185 011 234") == "Thuy1234@"
    assert default_password("Bùi Thị Thủy", "001300019876") == "Thuy9876@"


def test_the_uppercase_letter_d_with_stroke_becomes_d() -> None:
    # NFD does not decompose Đ/đ: a naive strip would keep them.
    assert default_password("ĐẶNG VĂN ĐỨC", "001085005678") == "Duc5678@"
    assert default_password("Đào Thị Đ", "001185000001").startswith("D0001")


def test_empty_name_is_refused() -> None:
    with pytest.raises(ValueError):
        default_password("   ", "038185011234")


def test_login_comparison_accepts_exactly_the_default() -> None:
    assert matches_default("Thuy1234@", "BÙI THỊ THỦY", "038185011234")
    assert matches_default("Thuy1234@", unicodedata.normalize("NFD", "Bùi Thị Thủy"), "038185011234")
    for wrong in ("thuy1234@", "Thủy1234@", "Thuy1234", "Thuy4321@", " Thuy1234@", ""):
        assert not matches_default(wrong, "BÙI THỊ THỦY", "038185011234")


def test_the_default_password_is_never_accepted_as_a_new_password() -> None:
    problems = password_problems("Thuy1234@", full_name="BÙI THỊ THỦY", cccd="038185011234")
    assert "Mật khẩu không được theo mẫu mật khẩu mặc định (tên + số + ký hiệu)." in problems
