"""Bulk account import: files, every kind of bad row, idempotent re-runs, roles, the CLI, and login after it."""

from __future__ import annotations

import csv
import re
import zipfile
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from openpyxl import Workbook
from sqlalchemy import event, func, select

from auth.accounts_import import (
    ImportFileError,
    ImportReport,
    RejectedRow,
    import_accounts,
    parse_birth_date,
    parse_sex,
    read_rows,
)
from extensions import db
from models.audit import AuditLog
from models.org import OrgUnit
from models.profile import Profile
from models.user import RoleAssignment, User
from tests.conftest import csrf_token_from
from tests.factories import make_unit, make_user

NOW = datetime(2023, 4, 20, 8, 0, tzinfo=UTC)
TODAY = NOW.date()
HEADER_VI = ["STT", "Số CCCD", "Họ và tên", "Ngày sinh", "Giới tính", "Mã đơn vị", "Vai trò"]
THUY = ["1", "038185011234", "BÙI THỊ THỦY", "12/06/1985", "Nữ", "GL-NV", ""]
HUE = ["2", "001300012345", "Nguyễn Ngọc Huệ", "04/04/2000", "Nữ", "BD", "approver"]
DUC = ["3", "001085005678", "Đặng Văn Đức", "1985-03-01", "Nam", "GL-THCS", "hr|leader"]


@pytest.fixture
def units(app: Flask) -> dict[str, OrgUnit]:
    """Hà Nội → {Gia Lâm → {Phòng Nội vụ, THCS Cổ Bi}, Ba Đình}; a root unit with no cơ quan; a closed unit."""
    hn = make_unit("UBND Thành phố Hà Nội", code="HN")
    gl = make_unit("UBND huyện Gia Lâm", code="GL", parent=hn)
    made = {
        "HN": hn,
        "GL": gl,
        "GL-NV": make_unit("Phòng Nội vụ", code="GL-NV", parent=gl, kind="phong_ban"),
        "GL-THCS": make_unit("Trường THCS Cổ Bi", code="GL-THCS", parent=gl, kind="truong"),
        "BD": make_unit("UBND quận Ba Đình", code="BD", parent=hn),
        "SN": make_unit("Trung tâm Y tế", code="SN", kind="don_vi_su_nghiep"),
    }
    closed = make_unit("Phòng đã giải thể", code="CLOSED", parent=gl, kind="phong_ban")
    closed.active = False
    made["CLOSED"] = closed
    db.session.commit()
    return made


def write_csv(
    path: Path, rows: list[list[Any]], *, header: list[str] = HEADER_VI, delimiter: str = ",", bom: bool = True
) -> Path:
    with path.open("w", encoding="utf-8-sig" if bom else "utf-8", newline="") as fh:
        writer = csv.writer(fh, delimiter=delimiter)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def write_xlsx(path: Path, rows: list[list[Any]], *, header: list[str] = HEADER_VI, title: str | None = None) -> Path:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    if title:
        sheet.append([title])
        sheet.append([])
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    workbook.save(path)
    return path


def import_file(path: Path) -> ImportReport:
    report = import_accounts(db.session, read_rows(path), now=NOW)
    db.session.commit()
    return report


def count(model: type) -> int:
    return db.session.scalar(select(func.count()).select_from(model)) or 0


def user_by_cccd(cccd: str) -> User | None:
    return db.session.scalar(select(User).where(User.cccd == cccd))


def profile_of(user: User) -> Profile:
    profile = db.session.scalar(select(Profile).where(Profile.owner_id == user.id))
    assert profile is not None
    return profile


def row(**values: Any) -> dict[str, Any]:
    """A parsed row for import_accounts: Thủy's data unless overridden."""
    base: dict[str, Any] = {
        "row": 2,
        "cccd": "038185011234",
        "full_name": "Bùi Thị Thủy",
        "birth_date": "12/06/1985",
        "sex": "Nữ",
        "unit_code": "GL-NV",
        "roles": None,
    }
    return base | values


# --- Good rows -----------------------------------------------------------------------------------


def test_csv_rows_create_accounts_on_the_default_password_and_draft_profiles(
    units: dict[str, OrgUnit], tmp_path: Path
) -> None:
    path = write_csv(tmp_path / "ds.csv", [THUY, HUE, DUC])

    report = import_file(path)

    assert (report.created, report.unchanged, report.rejected) == (3, 0, [])
    assert count(User) == count(Profile) == 3
    thuy = user_by_cccd("038185011234")
    assert thuy is not None
    assert (thuy.full_name, thuy.full_name_search) == ("BÙI THỊ THỦY", "bui thi thuy")
    assert (thuy.birth_date, thuy.sex) == (date(1985, 6, 12), "nu")
    assert thuy.password_hash is None and thuy.must_change_password
    assert thuy.default_password_issued_at is not None
    assert thuy.default_password_issued_at.replace(tzinfo=UTC) == NOW
    assert thuy.active and thuy.session_version == 1 and thuy.failed_attempts == 0
    assert thuy.created_at is not None and thuy.roles == []
    profile = profile_of(thuy)
    assert profile.status == "draft" and profile.version_id == 1
    assert (profile.full_name, profile.full_name_search) == ("BÙI THỊ THỦY", "bui thi thuy")
    assert (profile.birth_date, profile.sex, profile.id_number) == (date(1985, 6, 12), "nu", "038185011234")
    assert profile.org_unit_id == units["GL-NV"].id
    assert profile.managing_agency_id == units["GL"].id
    assert profile.policy_groups == [] and profile.created_at is not None
    duc = user_by_cccd("001085005678")
    assert duc is not None and (duc.birth_date, duc.sex) == (date(1985, 3, 1), "nam")


@pytest.mark.parametrize(
    ("unit_code", "agency_code"),
    [
        ("GL-NV", "GL"),  # a phòng ban: its cơ quan above it
        ("GL-THCS", "GL"),  # a school: the district above it
        ("GL", "GL"),  # a cơ quan manages its own staff
        ("BD", "BD"),
        ("HN", "HN"),
        ("SN", "SN"),  # no cơ quan above: the unit itself
    ],
)
def test_managing_agency_is_the_nearest_co_quan_at_or_above_the_unit(
    units: dict[str, OrgUnit], unit_code: str, agency_code: str
) -> None:
    report = import_accounts(db.session, [row(unit_code=unit_code)], now=NOW)
    assert report.created == 1
    user = user_by_cccd("038185011234")
    assert user is not None
    profile = profile_of(user)
    assert profile.org_unit_id == units[unit_code].id
    assert profile.managing_agency_id == units[agency_code].id


def test_xlsx_with_a_title_row_excel_date_cells_and_numeric_cccd(units: dict[str, OrgUnit], tmp_path: Path) -> None:
    rows = [
        [1, "038185011234", "Bùi Thị Thủy", datetime(1985, 6, 12), "Nữ", "GL-NV", None],
        [2, 1300012345, "Nguyễn Ngọc Huệ", date(2000, 4, 4), "nữ", "BD", None],  # Excel dropped "00"
        [3, "001085005678", "Đặng Văn Đức", 31107, "NAM", "GL-THCS", "leader"],  # date serial number
        [4, "003185011234", "Lê Văn Ưng", "01/01/1985", "Nam", "GL", None],  # row 7 of the sheet
    ]
    path = write_xlsx(tmp_path / "ds.xlsx", rows, title="DANH SÁCH TÀI KHOẢN CBCCVC")

    report = import_file(path)

    assert (report.created, report.unchanged) == (3, 0)
    assert [(r.row, r.cccd) for r in report.rejected] == [(7, "********1234")]
    assert "Mã tỉnh 003" in report.rejected[0].reason
    hue = user_by_cccd("001300012345")
    assert hue is not None and hue.birth_date == date(2000, 4, 4)
    duc = user_by_cccd("001085005678")
    assert duc is not None and duc.birth_date == date(1985, 3, 1)
    assert [(r.role, r.org_unit_id) for r in duc.roles] == [("leader", units["GL-THCS"].id)]


def test_xlsx_with_a_wrong_dimension_record_is_read_to_the_end(units: dict[str, OrgUnit], tmp_path: Path) -> None:
    """Some generators write <dimension ref="A1"/>; read-only openpyxl would then see one row only."""
    source = write_xlsx(tmp_path / "src.xlsx", [THUY, HUE, DUC])
    path = tmp_path / "dim.xlsx"
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(path, "w") as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data, replaced = re.subn(rb'<dimension ref="[^"]+"', b'<dimension ref="A1"', data)
                assert replaced == 1
            zout.writestr(item, data)

    assert [r["row"] for r in read_rows(path)] == [2, 3, 4]


def test_english_headers_semicolons_and_no_bom(units: dict[str, OrgUnit], tmp_path: Path) -> None:
    header = ["cccd", "full_name", "birth_date", "sex", "unit_code", "roles"]
    path = write_csv(tmp_path / "en.csv", [THUY[1:], HUE[1:]], header=header, delimiter=";", bom=False)

    report = import_file(path)

    assert (report.created, report.rejected) == (2, [])


def test_headers_match_without_case_or_diacritics_and_extra_columns_are_ignored(
    units: dict[str, OrgUnit], tmp_path: Path
) -> None:
    header = ["Ghi chú", "SO CCCD", "ho va ten", "NGÀY SINH", "gioi tinh", "Mã  đơn vị"]
    path = write_csv(tmp_path / "vi.csv", [["x", *THUY[1:6]]], header=header)

    rows = read_rows(path)

    assert rows == [
        {
            "row": 2,
            "cccd": "038185011234",
            "full_name": "BÙI THỊ THỦY",
            "birth_date": "12/06/1985",
            "sex": "Nữ",
            "unit_code": "GL-NV",
        }
    ]
    assert import_file(path).created == 1


def test_row_numbers_are_spreadsheet_rows_and_blank_rows_are_skipped(units: dict[str, OrgUnit], tmp_path: Path) -> None:
    path = write_csv(tmp_path / "ds.csv", [THUY, [], ["", "", "", "", "", "", ""], HUE])

    assert [r["row"] for r in read_rows(path)] == [2, 5]


@pytest.mark.parametrize(
    "raw",
    [
        "12/06/1985",
        "12/6/1985",
        "12.06.1985",
        "12-06-1985",
        "1985-06-12",
        "1985/6/12",
        " 12/06/1985 ",
        "1985-06-12 00:00:00",
        datetime(1985, 6, 12),
        date(1985, 6, 12),
        31210,  # Excel serial of 12/06/1985
        31210.0,
    ],
)
def test_accepted_birth_date_forms(raw: object) -> None:
    assert parse_birth_date(raw, today=TODAY) == (date(1985, 6, 12), None)


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("12/06/85", "Ngày sinh «12/06/85» phải ghi năm đủ 4 chữ số (ví dụ 01/03/1985)."),
        ("1/6/85", "Ngày sinh «1/6/85» phải ghi năm đủ 4 chữ số (ví dụ 01/03/1985)."),
        ("31/02/1985", "Ngày sinh «31/02/1985» không phải ngày có thật."),
        ("06/13/1985", "Ngày sinh «06/13/1985» không phải ngày có thật."),
        ("12/06-1985", "Ngày sinh «12/06-1985» không hợp lệ (ghi theo dạng ngày/tháng/năm, ví dụ 01/03/1985)."),
        (
            "tháng 6 năm 1985",
            "Ngày sinh «tháng 6 năm 1985» không hợp lệ (ghi theo dạng ngày/tháng/năm, ví dụ 01/03/1985).",
        ),
        ("01/01/2030", "Ngày sinh 01/01/2030 không hợp lý."),
        ("01/01/1850", "Ngày sinh 01/01/1850 không hợp lý."),
        ("", "Thiếu ngày sinh."),
        (None, "Thiếu ngày sinh."),
    ],
)
def test_refused_birth_dates(raw: object, message: str) -> None:
    assert parse_birth_date(raw, today=TODAY) == (None, message)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("Nam", "nam"), ("NAM", "nam"), ("nam", "nam"), ("Nữ", "nu"), ("NỮ", "nu"), ("nữ", "nu"), ("nu", "nu"),
     ("Nu", "nu"), (" Nữ ", "nu"), ("nỮ", "nu")],
)  # fmt: skip
def test_accepted_sex_values(raw: str, expected: str) -> None:
    assert parse_sex(raw) == (expected, None)


def test_sex_in_decomposed_unicode_is_accepted() -> None:
    import unicodedata

    assert parse_sex(unicodedata.normalize("NFD", "Nữ")) == ("nu", None)


# --- Bad rows ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("overrides", "masked", "reason"),
    [
        ({"cccd": "03818501123"}, "*******1123", "Số CCCD phải gồm đúng 12 chữ số."),
        ({"cccd": "03818501123A"}, "********123A", "Số CCCD phải gồm đúng 12 chữ số."),
        ({"cccd": "003185011234"}, "********1234", "Mã tỉnh 003 ở 3 chữ số đầu của CCCD không tồn tại."),
        ({"cccd": ""}, "", "Thiếu số CCCD."),
        ({"birth_date": "12/06/1986"}, "********1234", "CCCD cho năm sinh 1985, khác năm sinh đã khai (1986)."),
        ({"sex": "Nam"}, "********1234", "CCCD cho giới tính Nữ, khác giới tính đã khai."),
        ({"cccd": "038585011234"}, "********1234", "Chữ số thứ 4 của CCCD cho năm sinh sau 2099."),
        ({"unit_code": "XYZ"}, "********1234", "Không có đơn vị mã «XYZ»."),
        ({"unit_code": "CLOSED"}, "********1234", "Đơn vị mã «CLOSED» đã ngừng hoạt động."),
        ({"unit_code": None}, "********1234", "Thiếu mã đơn vị."),
        ({"full_name": "  "}, "********1234", "Thiếu họ và tên."),
        ({"full_name": "Thủy"}, "********1234", "Họ và tên «Thủy» phải có ít nhất 2 từ (họ và tên)."),
        ({"full_name": "Bùi Thị Thủy 2"}, "********1234", "Họ và tên «Bùi Thị Thủy 2» chỉ được chứa chữ cái."),
        ({"full_name": "=HYPERLINK(x) A"}, "********1234", "Họ và tên «=HYPERLINK(x) A» chỉ được chứa chữ cái."),
        ({"birth_date": "31/02/1985"}, "********1234", "Ngày sinh «31/02/1985» không phải ngày có thật."),
        ({"birth_date": "12/06/85"}, "********1234", "Ngày sinh «12/06/85» phải ghi năm đủ 4 chữ số"),
        ({"sex": "F"}, "********1234", "Giới tính «F» không hợp lệ (ghi Nam hoặc Nữ)."),
        ({"sex": "1"}, "********1234", "Giới tính «1» không hợp lệ (ghi Nam hoặc Nữ)."),
        ({"sex": None}, "********1234", "Thiếu giới tính."),
        ({"roles": "admin"}, "********1234", "Vai trò không hợp lệ: «admin» (chỉ nhận approver, hr, leader)."),
        ({"roles": "hr|sysadmin"}, "********1234", "Vai trò không hợp lệ: «sysadmin»"),
    ],
)
def test_each_bad_row_is_rejected_with_its_row_number_and_reason(
    units: dict[str, OrgUnit], overrides: dict[str, Any], masked: str, reason: str
) -> None:
    good = row(row=3, cccd="001300012345", full_name="Nguyễn Ngọc Huệ", birth_date="04/04/2000", unit_code="BD")
    report = import_accounts(db.session, [good, row(row=7, **overrides)], now=NOW)
    db.session.commit()

    assert (report.created, report.unchanged, report.rejected_count) == (1, 0, 1)
    rejected = report.rejected[0]
    assert (rejected.row, rejected.cccd) == (7, masked)
    assert reason in rejected.reason
    assert count(User) == count(Profile) == 1  # only the good row
    assert count(RoleAssignment) == 0


def test_a_row_with_several_problems_reports_all_of_them(units: dict[str, OrgUnit]) -> None:
    report = import_accounts(
        db.session, [row(row=4, full_name="X", birth_date="1/1/85", sex="?", unit_code="NONE")], now=NOW
    )
    reason = report.rejected[0].reason
    for part in ("ít nhất 2 từ", "năm đủ 4 chữ số", "Giới tính «?»", "Không có đơn vị mã «NONE»"):
        assert part in reason


def test_a_numeric_cccd_with_lost_zeros_that_still_fails_gets_a_hint(units: dict[str, OrgUnit]) -> None:
    report = import_accounts(db.session, [row(cccd="38185011234")], now=NOW)  # text cell, not a number
    assert "định dạng cột CCCD là Văn bản" in report.rejected[0].reason


def test_duplicate_cccd_within_the_file(units: dict[str, OrgUnit], tmp_path: Path) -> None:
    twin = ["4", "038185011234", "Bùi Thị Thủy", "12/06/1985", "Nữ", "GL-NV", ""]
    path = write_csv(tmp_path / "dup.csv", [THUY, HUE, twin])

    report = import_file(path)

    assert (report.created, report.unchanged) == (2, 0)
    assert report.rejected == [RejectedRow(4, "********1234", "Trùng số CCCD với dòng 2.")]
    assert count(User) == 2


# --- Re-running ----------------------------------------------------------------------------------


def _snapshot() -> list[tuple[Any, ...]]:
    users = db.session.execute(
        select(User.id, User.cccd, User.full_name, User.updated_at, User.session_version).order_by(User.id)
    ).all()
    profiles = db.session.execute(
        select(Profile.id, Profile.owner_id, Profile.org_unit_id, Profile.version_id, Profile.updated_at).order_by(
            Profile.id
        )
    ).all()
    roles = db.session.execute(select(RoleAssignment.user_id, RoleAssignment.role).order_by(RoleAssignment.id)).all()
    return [*users, *profiles, *roles]


@pytest.mark.parametrize("suffix", ["csv", "xlsx"])
def test_re_running_the_same_file_changes_nothing(units: dict[str, OrgUnit], tmp_path: Path, suffix: str) -> None:
    bad = ["4", "003185011234", "Lê Văn Ưng", "01/01/1985", "Nam", "GL", ""]
    rows = [THUY, HUE, DUC, bad]
    path = write_csv(tmp_path / "ds.csv", rows) if suffix == "csv" else write_xlsx(tmp_path / "ds.xlsx", rows)

    first = import_file(path)
    before = _snapshot()
    db.session.expire_all()
    second = import_file(path)

    assert (first.created, first.unchanged, first.rejected_count) == (3, 0, 1)
    assert (second.created, second.unchanged, second.rejected_count) == (0, 3, 1)
    assert second.rejected == first.rejected
    assert (count(User), count(Profile), count(RoleAssignment)) == (3, 3, 3)
    assert _snapshot() == before


def test_existing_account_with_the_same_data_in_other_letter_case_is_unchanged(units: dict[str, OrgUnit]) -> None:
    make_user("Bùi Thị Thủy", cccd="038185011234", birth_date=date(1985, 6, 12), unit=units["GL-NV"])
    db.session.commit()

    report = import_accounts(db.session, [row(full_name="BÙI  THỊ THỦY")], now=NOW)

    assert (report.created, report.unchanged, report.rejected) == (0, 1, [])


@pytest.mark.parametrize(
    ("overrides", "differences"),
    [
        ({"full_name": "Bùi Thị Thu"}, "họ và tên"),
        ({"birth_date": "13/06/1985"}, "ngày sinh"),
        ({"unit_code": "BD"}, "đơn vị"),
        ({"roles": "approver"}, "vai trò"),
        ({"full_name": "Bùi Thu Thủy", "unit_code": "GL"}, "họ và tên, đơn vị"),
    ],
)
def test_existing_account_with_different_data_is_rejected_and_left_alone(
    units: dict[str, OrgUnit], overrides: dict[str, Any], differences: str
) -> None:
    user = make_user("Bùi Thị Thủy", cccd="038185011234", birth_date=date(1985, 6, 12), unit=units["GL-NV"])
    db.session.commit()
    before = _snapshot()

    report = import_accounts(db.session, [row(row=9, **overrides)], now=NOW)
    db.session.commit()
    db.session.expire_all()

    assert (report.created, report.unchanged) == (0, 0)
    assert report.rejected == [
        RejectedRow(
            9, "********1234", f"Số CCCD đã có tài khoản với thông tin khác ({differences}); không thay đổi gì."
        )
    ]
    assert _snapshot() == before
    assert db.session.get(User, user.id).full_name == "Bùi Thị Thủy"  # type: ignore[union-attr]


def test_a_cccd_already_written_in_someone_elses_profile_is_refused(units: dict[str, OrgUnit]) -> None:
    other = make_user("Trần Thị Yến", unit=units["BD"])
    profile_of(other).id_number = "038185011234"
    db.session.commit()

    report = import_accounts(db.session, [row()], now=NOW)

    assert report.created == 0
    assert report.rejected[0].reason == "Số CCCD đã được ghi trong hồ sơ của người khác."


# --- Roles ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("approver", {"approver"}),
        ("approver|hr", {"approver", "hr"}),
        ("leader, approver", {"leader", "approver"}),
        ("HR | Leader", {"hr", "leader"}),
        ("Lãnh đạo", {"leader"}),
        ("Người phê duyệt|can bo to chuc", {"approver", "hr"}),
        ("hr|hr", {"hr"}),
        ("", set()),
    ],
)
def test_roles_are_assigned_on_the_rows_unit(units: dict[str, OrgUnit], raw: str, expected: set[str]) -> None:
    report = import_accounts(db.session, [row(roles=raw)], now=NOW)
    db.session.commit()

    assert report.created == 1
    user = user_by_cccd("038185011234")
    assert user is not None
    assert {r.role for r in user.roles} == expected
    assert {r.org_unit_id for r in user.roles} <= {units["GL-NV"].id}
    assert count(RoleAssignment) == len(expected)


# --- Files that cannot be used -------------------------------------------------------------------


def test_missing_required_column_is_a_clear_error(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "thieu.csv", [THUY[:4]], header=HEADER_VI[:4])

    with pytest.raises(ImportFileError) as error:
        read_rows(path)

    message = str(error.value)
    assert "thiếu cột «Giới tính», «Mã đơn vị»" in message
    assert "Số CCCD, Họ và tên, Ngày sinh, Giới tính, Mã đơn vị" in message


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("ansi.csv", "CCCD,Ngày sinh\n".encode("cp1252"), "UTF-8"),
        ("ds.txt", b"cccd", "Chỉ nhận tệp Excel (.xlsx) hoặc CSV (.csv)."),
        ("ds.xls", b"\xd0\xcf\x11\xe0", "Không hỗ trợ tệp .xls"),
        ("hong.xlsx", b"PK\x03\x04 not really a zip", "Không đọc được tệp Excel"),
        ("trong.csv", b"", "Tệp không có dữ liệu."),
        ("tieude.csv", ",".join(HEADER_VI).encode(), "không có dòng dữ liệu nào"),
        ("lap.csv", "Số CCCD,CCCD,Họ và tên,Ngày sinh,Giới tính,Mã đơn vị\n1,2,3,4,5,6".encode(), "cột trùng tên"),
    ],
)
def test_unreadable_files_raise_a_vietnamese_error(tmp_path: Path, name: str, content: bytes, message: str) -> None:
    path = tmp_path / name
    path.write_bytes(content)

    with pytest.raises(ImportFileError) as error:
        read_rows(path)

    assert message in str(error.value)


def test_a_damaged_sheet_inside_a_valid_xlsx_is_a_clear_error(tmp_path: Path) -> None:
    source = write_xlsx(tmp_path / "src.xlsx", [THUY, HUE])
    path = tmp_path / "damaged.xlsx"
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(path, "w") as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            zout.writestr(item, data[: len(data) // 2] if item.filename == "xl/worksheets/sheet1.xml" else data)

    with pytest.raises(ImportFileError, match="Không đọc được tệp Excel"):
        read_rows(path)


# --- Speed ---------------------------------------------------------------------------------------


@pytest.fixture
def statements(app: Flask) -> Iterator[list[str]]:
    seen: list[str] = []

    def before_execute(conn, clauseelement, multiparams, params, execution_options):  # type: ignore[no-untyped-def]
        seen.append(str(clauseelement))

    event.listen(db.engine, "before_execute", before_execute)
    yield seen
    event.remove(db.engine, "before_execute", before_execute)


def _generated_rows(n: int) -> list[dict[str, Any]]:
    return [
        row(row=i + 2, cccd=f"001085{i:06d}", full_name="Đặng Văn Đức", birth_date="01/03/1985", sex="Nam", roles="hr")
        for i in range(n)
    ]


def test_the_number_of_statements_does_not_grow_with_the_rows(units: dict[str, OrgUnit], statements: list[str]) -> None:
    """No per-row SELECT or INSERT: a few lookups, then one INSERT per table per batch."""
    import_accounts(db.session, _generated_rows(5), now=NOW)
    few = len(statements)
    db.session.rollback()
    statements.clear()

    import_accounts(db.session, _generated_rows(400), now=NOW)

    assert len(statements) == few <= 8
    assert count(User) == 400 and count(RoleAssignment) == 400


def test_progress_is_reported_for_every_row(units: dict[str, OrgUnit]) -> None:
    steps: list[int] = []
    rows = _generated_rows(250) + [row(row=300, cccd="bad")]

    import_accounts(db.session, rows, now=NOW, on_progress=steps.append)

    assert sum(steps) == 251 and len(steps) == 3


# --- Command line and login ----------------------------------------------------------------------


def test_cli_imports_commits_and_prints_the_summary_and_rejected_rows(
    app: Flask, units: dict[str, OrgUnit], tmp_path: Path
) -> None:
    bad_unit = ["4", "079095001234", "Lê Văn Ưng", "01/01/1995", "Nam", "KHONGCO", ""]
    path = write_xlsx(tmp_path / "ds.xlsx", [THUY, HUE, bad_unit])

    result = app.test_cli_runner().invoke(args=["accounts", "import", str(path)])

    assert result.exit_code == 0, result.output
    assert "Đã xử lý 3 dòng: tạo mới 2 tài khoản, 0 dòng đã có tài khoản" in result.output
    assert "1 dòng bị từ chối." in result.output
    assert "Dòng 4 (CCCD ********1234): Không có đơn vị mã «KHONGCO»." in result.output
    assert "079095001234" not in result.output  # the full CCCD is personal data
    db.session.remove()
    assert count(User) == 2 and user_by_cccd("038185011234") is not None
    audit = db.session.scalar(select(AuditLog).where(AuditLog.action == "accounts_import"))
    assert audit is not None and audit.details == {"file": "ds.xlsx", "created": 2, "unchanged": 0, "rejected": 1}

    again = app.test_cli_runner().invoke(args=["accounts", "import", str(path)])
    assert again.exit_code == 0
    assert "tạo mới 0 tài khoản, 2 dòng đã có tài khoản (bỏ qua, không thay đổi), 1 dòng bị từ chối." in again.output
    db.session.remove()
    assert count(User) == count(Profile) == 2


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("hong.xlsx", b"not an xlsx", "Lỗi: Không đọc được tệp Excel"),
        ("thieu.csv", "Số CCCD,Họ và tên\n038185011234,Bùi Thị Thủy\n".encode(), "Lỗi: Không tìm thấy dòng tiêu đề"),
    ],
)
def test_cli_exits_non_zero_when_the_file_cannot_be_used(
    app: Flask, units: dict[str, OrgUnit], tmp_path: Path, name: str, content: bytes, message: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content)

    result = app.test_cli_runner().invoke(args=["accounts", "import", str(path)])

    assert result.exit_code == 1
    assert message in result.stderr
    assert "Traceback" not in result.output
    assert count(User) == 0


def test_an_imported_user_logs_in_with_the_default_password_and_must_change_it(
    app: Flask, client: FlaskClient, units: dict[str, OrgUnit], tmp_path: Path
) -> None:
    path = write_csv(tmp_path / "ds.csv", [THUY, DUC])
    assert app.test_cli_runner().invoke(args=["accounts", "import", str(path)]).exit_code == 0

    def login(username: str, password: str):  # type: ignore[no-untyped-def]
        token = csrf_token_from(client.get("/login").get_data(as_text=True))
        return client.post("/login", data={"csrf_token": token, "username": username, "password": password})

    wrong = login("038185011234", "Thuy9999@")
    assert wrong.status_code == 200
    assert "Số CCCD hoặc mật khẩu không đúng." in wrong.get_data(as_text=True)

    response = login("038185011234", "Thuy1234@")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/password")
    assert client.get("/").status_code == 302  # every page sends back to the change form
    assert client.get("/password").status_code == 200

    client.post("/logout", data={"csrf_token": csrf_token_from(client.get("/password").get_data(as_text=True))})
    duc = login("001085005678", "Duc5678@")
    assert duc.headers["Location"].endswith("/password")
