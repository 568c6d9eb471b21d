"""RefLookup: the in-memory reference lists the rules and forms read (three queries to build)."""

from __future__ import annotations

from dataclasses import asdict
from datetime import date
from decimal import Decimal

from sqlalchemy import event, update

from extensions import db
from models.refdata import RefItem, load_reference_data
from models.refs import RefLookup
from models.rules import check_profile
from tests.test_rules import REFS, TODAY, valid_profile


def test_names_and_kinds() -> None:
    assert REFS.name("religions", "00") == "Không"
    assert REFS.name("education_levels", "dh", "chuyen_mon") == "Đại học"
    assert REFS.name("education_levels", "a", "tin_hoc") == "Trình độ A"
    # an empty kind finds the code in any kind
    assert REFS.name("family_relations", "me_chong") == "Mẹ chồng"
    assert REFS.item("family_relations", "me_chong").kind == "ben_vo_chong"  # type: ignore[union-attr]
    assert REFS.name("religions", "zz") is None
    assert REFS.name("religions", None) is None


def test_exists_by_kind() -> None:
    assert REFS.exists("education_levels", "dh")
    assert REFS.exists("education_levels", "dh", "chuyen_mon")
    assert not REFS.exists("education_levels", "dh", "tin_hoc")
    assert REFS.exists("disciplines", "bai_nhiem", "can_bo")
    assert not REFS.exists("disciplines", "bai_nhiem", "vien_chuc")
    assert not REFS.exists("religions", "")
    assert REFS.exists("ranks", "01.003") and REFS.exists("ranks", "V.07.04.10")
    assert not REFS.exists("ranks", "99.999")


def test_choices_leave_out_legacy_and_hidden_codes() -> None:
    staff = dict(REFS.choices("staff_types"))
    assert "cong_chuc" in staff and "cong_chuc_cap_xa" not in staff
    assert "cong_chuc_cap_xa" in dict(REFS.choices("staff_types", include_legacy=True))
    ethnic = REFS.choices("ethnic_groups")
    assert ethnic[0] == ("01", "Kinh") and len(ethnic) == 54
    assert ("55", "Người nước ngoài") in REFS.choices("ethnic_groups", include_hidden=True)
    levels = REFS.choices("education_levels", "chuyen_mon")
    assert levels[0] == ("tskh", "Tiến sĩ khoa học") and len(levels) == 8
    assert len(REFS.choices("family_relations")) == 21
    evaluation = [code for code, _ in REFS.choices("evaluation_levels")]
    assert "htnv_han_che" not in evaluation and "khong_danh_gia" in evaluation


def test_rank_by_date() -> None:
    assert REFS.rank("01.004", date(2021, 7, 31)).salary_group == "B"  # type: ignore[union-attr]
    assert REFS.rank("01.004", date(2021, 8, 1)).salary_group == "A0"  # type: ignore[union-attr]
    assert REFS.rank("01.004").salary_group == "A0"  # type: ignore[union-attr]
    assert REFS.rank("V.07.04.10", date(2022, 1, 1)) is None
    assert REFS.rank("V.07.04.10").valid_to == date(2021, 3, 19)  # type: ignore[union-attr]
    assert REFS.rank("V.07.05.13", date(1990, 1, 1)) is not None  # no validity bounds
    assert REFS.rank("99.999") is None and REFS.rank(None) is None
    assert REFS.name("ranks", "01.003") == "Chuyên viên"


def test_rank_choices_are_the_ranks_in_force() -> None:
    codes = dict(REFS.rank_choices(date(2025, 1, 1)))
    assert "01.003" in codes and "V.07.04.10" not in codes
    assert codes["01.005"] == "Nhân viên"
    assert dict(REFS.rank_choices(date(2020, 1, 1)))["01.005"] == "Kỹ thuật viên đánh máy"


def test_salary_table() -> None:
    assert REFS.coefficient("A1", 1) == Decimal("2.34")
    assert REFS.coefficient("A3.2", 1) == Decimal("5.75")
    assert REFS.coefficient("A1", 10) is None
    assert REFS.steps("A1") == 9 and REFS.steps("B") == 12 and REFS.steps("ZZ") is None


def test_lookup_from_plain_rows() -> None:
    refs = RefLookup.from_rows(
        items=[
            {"list_name": "religions", "code": "00", "name": "Không"},
            {"list_name": "religions", "code": "98", "name": "Cũ", "active": False},
            {"list_name": "education_levels", "code": "dh", "name": "Đại học", "kind": "chuyen_mon", "rank": 5},
        ],
        ranks=[{"code": "01.003", "name": "Chuyên viên", "salary_group": "A1", "steps": 9}],
        salary_steps=[("A1", 1, "2.34"), ("A1", 2, "2.67")],
    )
    assert refs.choices("religions") == [("00", "Không")]
    assert not refs.exists("religions", "98") and refs.exists("religions", "98", active_only=False)
    assert refs.item("education_levels", "dh", "chuyen_mon").rank == 5  # type: ignore[union-attr]
    assert refs.coefficient("A1", 2) == Decimal("2.67") and refs.steps("A1") == 2


def test_deactivated_code_is_reported_apart() -> None:
    rows = [asdict(entry) | {"active": entry.code != "00"} for entry in REFS.entries("religions")]
    refs = RefLookup.from_rows(items=rows)
    assert not refs.exists("religions", "00")
    assert refs.exists("religions", "00", active_only=False)
    assert refs.name("religions", "00") == "Không"


def test_load_uses_three_queries_and_keeps_inactive_rows(app: object) -> None:
    load_reference_data(db.session)
    db.session.execute(
        update(RefItem).where(RefItem.list_name == "religions", RefItem.code == "99").values(active=False)
    )
    db.session.commit()
    statements: list[str] = []

    def count(*args: object) -> None:
        statements.append(str(args[2]))

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        refs = RefLookup.load(db.session)
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    assert len(statements) == 3
    assert refs.exists("religions", "99", active_only=False) and not refs.exists("religions", "99")
    assert "99" not in dict(refs.choices("religions"))
    # after a commit the lookup still answers without touching the database
    db.session.commit()
    assert refs.name("religions", "99") == "Khác"
    profile = valid_profile()
    profile.religion = "99"
    issues = check_profile(profile, refs, TODAY).issues
    assert [(i.field, i.level, i.message) for i in issues] == [
        ("religion", "error", "Mã đã ngừng sử dụng trong danh mục Tôn giáo; hãy chọn lại.")
    ]
