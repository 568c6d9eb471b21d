"""Quản lý hồ sơ's Excel export over HTTP: exactly the rows the list's filters select, in the HR
officer's scope only, formula-escaped, real dates, and refused (never cut short) above the cap."""

from __future__ import annotations

from datetime import UTC, date, datetime
from io import BytesIO

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from extensions import db
from models.audit import AuditLog
from models.export import build_xlsx, escape_formula
from tests.test_review_lists import BD_KEYS, GL_KEYS, HR_LIST, PEOPLE, Cast, build_cast, database_state

EXPORT = HR_LIST + "xuat-excel"
HEADERS = [
    "STT",
    "Họ và tên",
    "Số CCCD",
    "Ngày sinh",
    "Đơn vị",
    "Loại cán bộ",
    "Ngạch",
    "Trạng thái",
    "Cập nhật lần cuối",
]


@pytest.fixture
def cast(app) -> Cast:
    return build_cast()


def read_sheet(response) -> tuple[list, list[list]]:  # type: ignore[no-untyped-def]
    """(header row, data rows as cells) of the exported workbook."""
    assert response.status_code == 200, response.status_code
    assert response.mimetype == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert "attachment" in response.headers["Content-Disposition"]
    sheet = load_workbook(BytesIO(response.data)).active
    rows = list(sheet.iter_rows())
    return [c.value for c in rows[0]], [list(r) for r in rows[1:]]


def exported_names(response) -> list[str]:  # type: ignore[no-untyped-def]
    _headers, rows = read_sheet(response)
    return [row[1].value for row in rows]


def export_audits() -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(AuditLog).where(AuditLog.action == "profiles_exported"))


# --- who exports what -----------------------------------------------------------------------------

EXPORTS = {"hr_gl": GL_KEYS, "hr_bd": BD_KEYS, "admin": set(PEOPLE)}


@pytest.mark.parametrize("viewer", sorted(PEOPLE))
def test_export_matrix(cast, login_as, viewer):
    client = login_as(cast.users[viewer])
    before = database_state()
    response = client.get(EXPORT)
    if viewer not in EXPORTS:
        assert response.status_code == 403
        assert database_state() == before
        assert export_audits() == 0
        return
    names = exported_names(response)
    assert sorted(names) == sorted(cast.name(k) for k in EXPORTS[viewer])
    assert export_audits() == 1


def test_export_has_vietnamese_headers_masked_cccd_and_real_dates(cast, login_as):
    huong = cast.profiles["huong"]
    huong.birth_date = date(1990, 4, 4)
    huong.updated_at = datetime(2026, 3, 1, 17, 30, tzinfo=UTC)
    db.session.commit()
    response = login_as(cast.users["hr_gl"]).get(EXPORT, query_string={"search": "huong"})
    headers, rows = read_sheet(response)
    assert headers == HEADERS
    assert len(rows) == 1
    number, name, cccd, born, unit, staff_type, rank, state, updated = rows[0]
    assert number.value == 1
    assert name.value == "Nguyễn Thị Hường" and name.data_type == "s"
    assert cccd.value == "********" + huong.id_number[-4:]
    assert born.is_date and born.value.date() == date(1990, 4, 4) and born.number_format == "dd/mm/yyyy"
    assert unit.value == "UBND xã Bát Tràng"
    assert staff_type.value == "Công chức"
    assert rank.value == "Chuyên viên"
    assert state.value == "Chờ xác nhận"
    # Hà Nội wall-clock time: 17:30 UTC is 00:30 the next day.
    assert updated.is_date and updated.value == datetime(2026, 3, 2, 0, 30)
    assert updated.number_format == "dd/mm/yyyy hh:mm"


def test_export_selects_exactly_what_the_filters_and_search_select(cast, login_as):
    client = login_as(cast.users["hr_gl"])
    query = {"flt0_unit": cast.units["U1"].id, "flt1_status": "pending"}
    page = client.get(HR_LIST, query_string=query).get_data(as_text=True)
    # The list's own export button carries its filters.
    assert 'id="export-xlsx" href="/quan-ly-ho-so/xuat-excel?' in page
    assert sorted(exported_names(client.get(EXPORT, query_string=query))) == sorted(
        cast.name(k) for k in ("huong", "anh", "approver_u1")
    )
    assert exported_names(client.get(EXPORT, query_string={"search": "ĐỖ VĂN"})) == ["Đỗ Văn Khoa"]
    # Sorted as the list: by name, diacritics folded.
    names = exported_names(client.get(EXPORT))
    assert names.index("Đỗ Văn Khoa") < names.index("Hoàng Thị Nga")


def test_export_cannot_be_widened_by_a_filter_outside_the_scope(cast, login_as):
    client = login_as(cast.users["hr_gl"])
    response = client.get(EXPORT, query_string={"flt0_unit": cast.units["BD"].id, "search": "vu"})
    assert exported_names(response) == []


# --- formula injection ------------------------------------------------------------------------------


def test_a_name_that_is_a_formula_exports_as_text(cast, login_as):
    profile = cast.profiles["huong"]
    profile.full_name = '=HYPERLINK("http://x")'  # test setup: straight into the column
    db.session.commit()
    response = login_as(cast.users["hr_gl"]).get(EXPORT, query_string={"flt0_unit": cast.units["U1"].id})
    _headers, rows = read_sheet(response)
    cells = [row[1] for row in rows if "HYPERLINK" in str(row[1].value)]
    assert len(cells) == 1
    assert cells[0].value == '\'=HYPERLINK("http://x")'
    assert cells[0].data_type == "s"
    # Nothing in the file is stored as a formula.
    assert b"<f>" not in _sheet_xml(response.data)


def _sheet_xml(content: bytes) -> bytes:
    from zipfile import ZipFile

    with ZipFile(BytesIO(content)) as archive:
        return archive.read("xl/worksheets/sheet1.xml")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+84912345678", "'+84912345678"),
        ("-2", "'-2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("Nguyễn Văn A", "Nguyễn Văn A"),
        ("a=1", "a=1"),
        ("", ""),
    ],
)
def test_escape_formula(text, expected):
    assert escape_formula(text) == expected


def test_build_xlsx_escapes_every_text_cell_and_keeps_numbers_and_dates():
    content = build_xlsx(["=Tiêu đề", "Số"], [["-1", 5, date(2023, 5, 12)]], sheet_title="Danh sách: [HR]/2026")
    sheet = load_workbook(BytesIO(content)).active
    assert sheet["A1"].value == "'=Tiêu đề"
    assert sheet["A2"].value == "'-1" and sheet["A2"].data_type == "s"
    assert sheet["B2"].value == 5
    assert sheet["C2"].is_date and sheet["C2"].number_format == "dd/mm/yyyy"
    assert len(sheet.title) <= 31 and "[" not in sheet.title


# --- the cap ----------------------------------------------------------------------------------------


def test_export_above_the_cap_is_refused_not_truncated(cast, app, login_as):
    app.config["EXPORT_MAX_ROWS"] = 3
    client = login_as(cast.users["hr_gl"])
    before = database_state()
    response = client.get(EXPORT, query_string={"flt0_status": "all"})
    assert response.status_code == 302
    assert response.headers["Location"].startswith(HR_LIST)
    assert "flt0_status=all" in response.headers["Location"]  # back to the same selection
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    assert f"Bộ lọc hiện tại chọn {len(GL_KEYS)} hồ sơ, vượt quá giới hạn xuất Excel (3 hồ sơ)" in html
    assert "thu hẹp bộ lọc" in html
    assert database_state() == before
    assert export_audits() == 0

    # Narrowed to three rows: exported, all of them.
    response = client.get(EXPORT, query_string={"flt0_unit": cast.units["U1"].id, "flt1_status": "pending"})
    assert len(exported_names(response)) == 3


def test_export_cap_defaults_to_5000(cast, app, login_as):
    app.config.pop("EXPORT_MAX_ROWS", None)
    from admin_views.review_lists import DEFAULT_EXPORT_MAX_ROWS

    assert DEFAULT_EXPORT_MAX_ROWS == 5000
    assert len(exported_names(login_as(cast.users["hr_gl"]).get(EXPORT))) == len(GL_KEYS)
