"""Tài khoản over HTTP: who may list, create, import and act on which accounts, and what each action
does to the target's sessions and logins.

The world: Hà Nội → {Gia Lâm → {Phòng Nội vụ, xã Bát Tràng}, Ba Đình → phường Ngọc Hà}, an HR
officer for each district, an employee, an approver and a leader of Gia Lâm, a sysadmin, and the
accounts acted on. Every denial asserts the status AND that the database did not change.
"""

from __future__ import annotations

import io
import re
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from openpyxl import Workbook, load_workbook
from sqlalchemy import func, select

from auth.accounts import HR_LOCK_UNTIL, ActionRefused, assign_role, create_account, lock
from auth.passwords import default_password
from extensions import db
from models.audit import AuditLog
from models.org import OrgUnit
from models.profile import Profile
from models.user import RoleAssignment, User
from tests.conftest import csrf_token_from
from tests.factories import make_cccd, make_unit, make_user

PASSWORD = "Mùa thu Hà Nội 1954!"
THUY_CCCD = "038185011234"
HEADER = ["STT", "Số CCCD", "Họ và tên", "Ngày sinh", "Giới tính", "Mã đơn vị", "Vai trò"]


@dataclass
class World:
    hn: OrgUnit
    gl: OrgUnit
    gl_nv: OrgUnit
    gl_bt: OrgUnit
    bd: OrgUnit
    bd_nh: OrgUnit
    hr_gl: User
    hr_bd: User
    employee: User
    approver: User
    leader: User
    sysadmin: User
    target: User  # the Gia Lâm account acted on
    target_bd: User

    def user(self, name: str) -> User:
        return getattr(self, name)


def build_world() -> World:
    hn = make_unit("UBND Thành phố Hà Nội", code="HN")
    gl = make_unit("UBND huyện Gia Lâm", code="GL", parent=hn)
    gl_nv = make_unit("Phòng Nội vụ", code="GL-NV", parent=gl, kind="phong_ban")
    gl_bt = make_unit("UBND xã Bát Tràng", code="GL-BT", parent=gl, kind="xa")
    bd = make_unit("UBND quận Ba Đình", code="BD", parent=hn)
    bd_nh = make_unit("UBND phường Ngọc Hà", code="BD-NH", parent=bd, kind="xa")
    world = World(
        hn=hn,
        gl=gl,
        gl_nv=gl_nv,
        gl_bt=gl_bt,
        bd=bd,
        bd_nh=bd_nh,
        hr_gl=make_user("Phạm Thị Hồng Nhung", unit=gl_nv, password=PASSWORD, roles=[("hr", gl)]),
        hr_bd=make_user("Vũ Đức Thịnh", unit=bd, sex="nam", password=PASSWORD, roles=[("hr", bd)]),
        employee=make_user("Trần Văn Nam", unit=gl_bt, sex="nam", password=PASSWORD),
        approver=make_user("Đặng Minh Tuấn", unit=gl_nv, sex="nam", password=PASSWORD, roles=[("approver", gl)]),
        leader=make_user("Hoàng Trọng Khải", unit=gl, sex="nam", password=PASSWORD, roles=[("leader", gl)]),
        sysadmin=make_user(
            "Quản Trị Viên", unit=hn, sex="nam", password=PASSWORD, roles=[("sysadmin", hn)], with_profile=False
        ),
        target=make_user("Nguyễn Thị Hoa", unit=gl_bt, password=PASSWORD),
        target_bd=make_user("Lê Thị Minh Nguyệt", unit=bd_nh, password=PASSWORD),
    )
    db.session.commit()
    return world


@pytest.fixture
def world(app: Flask) -> World:
    return build_world()


# --- helpers ------------------------------------------------------------------------------------------


def logged_in(app: Flask, user: User) -> FlaskClient:
    """A new browser with a live session of `user` (as login_as does, for tests that need two people)."""
    db.session.expire_all()
    fresh = db.session.get(User, user.id)
    assert fresh is not None
    client = app.test_client()
    now = int(time.time())
    with client.session_transaction() as sess:
        sess["_user_id"] = fresh.get_id()
        sess["_fresh"] = True
        sess["login_at"] = now
        sess["seen_at"] = now
    return client


def token(client: FlaskClient) -> str:
    """A CSRF token of the client's session, from a page every logged-in user may open."""
    return csrf_token_from(client.get("/password").get_data(as_text=True))


def post(client: FlaskClient, url: str, data: dict[str, Any] | None = None, **kwargs: Any):  # type: ignore[no-untyped-def]
    return client.post(url, data={"csrf_token": token(client), **(data or {})}, **kwargs)


def snapshot() -> dict[str, Any]:
    """Everything an account or unit action could change, audit log included."""
    db.session.expire_all()
    return {
        "users": db.session.execute(
            select(
                User.id,
                User.cccd,
                User.full_name,
                User.active,
                User.locked_until,
                User.failed_attempts,
                User.password_hash,
                User.must_change_password,
                User.default_password_issued_at,
                User.session_version,
            ).order_by(User.id)
        ).all(),
        "roles": db.session.execute(
            select(RoleAssignment.user_id, RoleAssignment.role, RoleAssignment.org_unit_id).order_by(
                RoleAssignment.user_id, RoleAssignment.role, RoleAssignment.org_unit_id
            )
        ).all(),
        "units": db.session.execute(
            select(OrgUnit.id, OrgUnit.code, OrgUnit.name, OrgUnit.kind, OrgUnit.parent_id, OrgUnit.path).order_by(
                OrgUnit.id
            )
        ).all(),
        "profiles": db.session.execute(select(Profile.id, Profile.owner_id, Profile.org_unit_id)).all(),
        "audit": db.session.execute(select(AuditLog.action, AuditLog.object_id).order_by(AuditLog.id)).all(),
    }


def fresh(user: User) -> User:
    db.session.expire_all()
    found = db.session.get(User, user.id)
    assert found is not None
    return found


def audit_actions() -> list[tuple[str, str | None]]:
    db.session.expire_all()
    return [tuple(row) for row in db.session.execute(select(AuditLog.action, AuditLog.object_id).order_by(AuditLog.id))]


def post_login(client: FlaskClient, username: str, password: str):  # type: ignore[no-untyped-def]
    page = client.get("/login").get_data(as_text=True)
    return client.post("/login", data={"username": username, "password": password, "csrf_token": csrf_token_from(page)})


def xlsx_bytes(rows: list[list[Any]], header: list[str] = HEADER) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(header)
    for row in rows:
        sheet.append(row)
        for cell in sheet[sheet.max_row]:
            if isinstance(cell.value, str) and cell.value.startswith("="):
                cell.data_type = "s"  # text someone typed, as a hostile list would carry it
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def upload(client: FlaskClient, content: bytes, filename: str = "danh-sach.xlsx", *, csrf: bool = True):  # type: ignore[no-untyped-def]
    data: dict[str, Any] = {"file": (io.BytesIO(content), filename)}
    if csrf:
        data["csrf_token"] = token(client)
    return client.post("/tai-khoan/nhap-tu-tep", data=data, content_type="multipart/form-data")


def field_errors(response) -> str:  # type: ignore[no-untyped-def]
    html = response.get_data(as_text=True)
    found = re.findall(r'class="[^"]*(?:field-error|form-error)[^"]*"[^>]*>([^<]+)<', html)
    found += re.findall(r'id="action-error"[^>]*>([^<]+)<', html)
    return " | ".join(found)


# --- access to the pages ---------------------------------------------------------------------------


PAGES = ["/tai-khoan/", "/tai-khoan/tao-moi", "/tai-khoan/nhap-tu-tep", "/don-vi/", "/don-vi/them"]


@pytest.mark.parametrize("url", PAGES)
def test_anonymous_is_sent_to_login(client: FlaskClient, world: World, url: str) -> None:
    response = client.get(url)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")


@pytest.mark.parametrize("actor", ["employee", "approver", "leader"])
@pytest.mark.parametrize("url", [*PAGES, "/tai-khoan/{target}/", "/don-vi/{gl_bt}/"])
def test_users_without_hr_role_get_403(app: Flask, world: World, actor: str, url: str) -> None:
    client = logged_in(app, world.user(actor))
    url = url.format(target=world.target.id, gl_bt=world.gl_bt.id)
    assert client.get(url).status_code == 403


@pytest.mark.parametrize(
    ("actor", "visible"),
    [("hr_gl", True), ("sysadmin", True), ("employee", False), ("approver", False), ("leader", False)],
)
def test_menu_entries_only_for_hr_and_sysadmin(app: Flask, world: World, actor: str, visible: bool) -> None:
    client = logged_in(app, world.user(actor))
    html = client.get("/ho-so/", follow_redirects=True).get_data(as_text=True)
    assert ('href="/tai-khoan/"' in html) is visible
    assert ('href="/don-vi/"' in html) is visible


# --- the list ----------------------------------------------------------------------------------------


def test_hr_lists_only_the_accounts_of_its_subtree(app: Flask, world: World) -> None:
    html = logged_in(app, world.hr_gl).get("/tai-khoan/").get_data(as_text=True)
    for name in ("Nguyễn Thị Hoa", "Trần Văn Nam", "Đặng Minh Tuấn", "Hoàng Trọng Khải", "Phạm Thị Hồng Nhung"):
        assert name in html
    for name in ("Lê Thị Minh Nguyệt", "Vũ Đức Thịnh", "Quản Trị Viên"):
        assert name not in html
    html = logged_in(app, world.hr_bd).get("/tai-khoan/").get_data(as_text=True)
    assert "Lê Thị Minh Nguyệt" in html and "Vũ Đức Thịnh" in html
    assert "Nguyễn Thị Hoa" not in html and "Phạm Thị Hồng Nhung" not in html


def test_sysadmin_lists_every_account_even_without_a_profile(app: Flask, world: World) -> None:
    html = logged_in(app, world.sysadmin).get("/tai-khoan/").get_data(as_text=True)
    for name in ("Nguyễn Thị Hoa", "Lê Thị Minh Nguyệt", "Quản Trị Viên"):
        assert name in html


def test_list_masks_cccd_and_shows_state_roles_and_last_login(app: Flask, world: World) -> None:
    on_default = make_user("Bùi Văn Dũng", unit=world.gl_bt, sex="nam")
    locked = make_user("Cao Thị Yến", unit=world.gl_bt)
    locked.locked_until = HR_LOCK_UNTIL
    gone = make_user("Chu Văn Bình", unit=world.gl_bt, sex="nam", password=PASSWORD)
    gone.active = False
    fresh_target = db.session.get(User, world.target.id)
    assert fresh_target is not None
    fresh_target.last_login_at = datetime(2026, 1, 2, 3, 4, tzinfo=UTC)
    db.session.commit()
    html = logged_in(app, world.hr_gl).get("/tai-khoan/").get_data(as_text=True)

    def row(user: User) -> str:
        start = html.index(f'id="account-{user.id}"')
        return html[start : html.index("</tr>", start)]

    target_row = row(world.target)
    assert world.target.cccd not in html
    assert "********" + world.target.cccd[-4:] in target_row
    assert "UBND xã Bát Tràng" in target_row
    assert "Đã đổi mật khẩu" in target_row
    assert "02/01/2026 10:04" in target_row  # Asia/Ho_Chi_Minh
    assert "Đang dùng mật khẩu mặc định" in row(on_default) and "Chưa đăng nhập" in row(on_default)
    assert "Bị khóa" in row(locked)
    assert "Ngừng hoạt động" in row(gone)
    assert "Người phê duyệt – UBND huyện Gia Lâm" in row(world.approver)


@pytest.mark.parametrize("query", ["nguyen thi hoa", "NGUYỄN THỊ HOA", "Nguyên thi  hoà", "hoa"])
def test_search_ignores_diacritics_and_case(app: Flask, world: World, query: str) -> None:
    html = logged_in(app, world.hr_gl).get("/tai-khoan/", query_string={"q": query}).get_data(as_text=True)
    assert "Nguyễn Thị Hoa" in html
    assert "Trần Văn Nam" not in html


def test_search_by_cccd_digits_and_filter_by_state_and_unit(app: Flask, world: World) -> None:
    client = logged_in(app, world.hr_gl)
    html = client.get("/tai-khoan/", query_string={"q": world.target.cccd[-6:]}).get_data(as_text=True)
    assert "Nguyễn Thị Hoa" in html and "Trần Văn Nam" not in html
    make_user("Bùi Văn Dũng", unit=world.gl_bt, sex="nam")
    db.session.commit()
    html = client.get("/tai-khoan/", query_string={"trang_thai": "default_password"}).get_data(as_text=True)
    assert "Bùi Văn Dũng" in html and "Nguyễn Thị Hoa" not in html
    html = client.get("/tai-khoan/", query_string={"don_vi": world.gl_nv.id}).get_data(as_text=True)
    assert "Đặng Minh Tuấn" in html and "Nguyễn Thị Hoa" not in html
    # A unit outside the scope is ignored, not used to peek at Ba Đình.
    html = client.get("/tai-khoan/", query_string={"don_vi": world.bd.id}).get_data(as_text=True)
    assert "Lê Thị Minh Nguyệt" not in html and "Nguyễn Thị Hoa" in html


def test_account_outside_scope_is_404(app: Flask, world: World) -> None:
    assert logged_in(app, world.hr_gl).get(f"/tai-khoan/{world.target_bd.id}/").status_code == 404
    assert logged_in(app, world.hr_bd).get(f"/tai-khoan/{world.target.id}/").status_code == 404
    assert logged_in(app, world.hr_gl).get("/tai-khoan/999999/").status_code == 404
    assert logged_in(app, world.hr_gl).get(f"/tai-khoan/{world.target.id}/").status_code == 200


# --- create one account ------------------------------------------------------------------------------


def account_form(world: World, **overrides: Any) -> dict[str, Any]:
    return {
        "cccd": THUY_CCCD,
        "full_name": "BÙI THỊ THỦY",
        "birth_date": "12/06/1985",
        "sex": "nu",
        "unit_id": str(world.gl_bt.id),
    } | overrides


@pytest.mark.parametrize("birth_date", ["12/06/1985", "12.06.1985", "12-6-1985"])
def test_hr_creates_an_account_on_the_default_password_with_a_draft_profile(
    app: Flask, world: World, birth_date: str
) -> None:
    client = logged_in(app, world.hr_gl)
    response = post(client, "/tai-khoan/tao-moi", account_form(world, birth_date=birth_date))
    assert response.status_code == 303, field_errors(response)
    db.session.expire_all()
    user = db.session.scalar(select(User).where(User.cccd == THUY_CCCD))
    assert user is not None
    assert response.headers["Location"].endswith(f"/tai-khoan/{user.id}/")
    assert user.full_name == "BÙI THỊ THỦY" and user.full_name_search == "bui thi thuy"
    assert user.password_hash is None and user.must_change_password is True
    assert user.default_password_issued_at is not None
    profile = db.session.scalar(select(Profile).where(Profile.owner_id == user.id))
    assert profile is not None
    assert profile.status == "draft" and profile.org_unit_id == world.gl_bt.id
    assert profile.managing_agency_id == world.gl.id  # the nearest cơ quan above the xã, as the import does
    assert profile.id_number == THUY_CCCD and profile.birth_date == user.birth_date
    assert ("account_create", str(user.id)) in audit_actions()

    # The new account logs in with the default password and must change it first.
    newcomer = app.test_client()
    response = post_login(newcomer, THUY_CCCD, "Thuy1234@")
    assert response.status_code == 302 and response.headers["Location"].endswith("/password")


def test_created_account_matches_an_imported_one(app: Flask, world: World) -> None:
    """Same user and profile columns as the spreadsheet import makes (shared code, not a copy)."""
    from auth.accounts_import import import_accounts

    now = datetime(2023, 4, 20, 8, 0, tzinfo=UTC)
    hr = db.session.get(User, world.hr_gl.id)
    assert hr is not None
    made = create_account(
        db.session,
        hr,
        cccd=THUY_CCCD,
        full_name="Bùi Thị Thủy",
        birth_date=datetime(1985, 6, 12).date(),
        sex="nu",
        unit=world.gl_nv,
        now=now,
    )
    other = make_cccd(1985, "nu")
    import_accounts(
        db.session,
        [
            {
                "row": 2,
                "cccd": other,
                "full_name": "Bùi Thị Thủy",
                "birth_date": "12/06/1985",
                "sex": "Nữ",
                "unit_code": "GL-NV",
            }
        ],
        now=now,
    )
    db.session.commit()
    imported = db.session.scalar(select(User).where(User.cccd == other))
    assert imported is not None

    def shape(user: User) -> tuple:
        profile = db.session.scalar(select(Profile).where(Profile.owner_id == user.id))
        assert profile is not None
        return (
            user.full_name,
            user.full_name_search,
            user.password_hash,
            user.must_change_password,
            user.active,
            profile.status,
            profile.org_unit_id,
            profile.managing_agency_id,
            profile.full_name_search,
        )

    assert shape(made) == shape(imported)


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"cccd": "03818501123"}, "đúng 12 chữ số"),
        ({"cccd": "999185011234"}, "Mã tỉnh 999"),
        ({"birth_date": "12/06/1986"}, "khác năm sinh đã khai (1986)"),
        ({"sex": "nam"}, "khác giới tính đã khai"),
        ({"birth_date": "31/02/1985"}, "không tồn tại"),
        ({"birth_date": "12/06/85"}, "4 chữ số"),
        ({"birth_date": ""}, "Nhập ngày sinh"),
        ({"full_name": "Thủy"}, "ít nhất 2 từ"),
        ({"full_name": "Bùi Thị Thủy 2"}, "chỉ được chứa chữ cái"),
        ({"sex": ""}, "Chọn giới tính"),
        ({"unit_id": ""}, "Chọn đơn vị"),
    ],
)
def test_create_refuses_bad_input_keeps_what_was_typed(
    app: Flask, world: World, overrides: dict[str, str], message: str
) -> None:
    client = logged_in(app, world.hr_gl)
    before = snapshot()
    response = post(client, "/tai-khoan/tao-moi", account_form(world, **overrides))
    assert response.status_code == 400
    assert message in field_errors(response)
    html = response.get_data(as_text=True)
    typed = account_form(world, **overrides)["full_name"]
    assert f'value="{typed}"' in html
    assert snapshot() == before


def test_create_refuses_a_duplicate_cccd(app: Flask, world: World) -> None:
    client = logged_in(app, world.hr_gl)
    before = snapshot()
    response = post(
        client,
        "/tai-khoan/tao-moi",
        account_form(world, cccd=world.target.cccd, full_name="Nguyễn Thị Hoa", birth_date="01/03/1985"),
    )
    assert response.status_code == 400
    assert "đã có tài khoản" in field_errors(response)
    assert snapshot() == before


def test_create_refuses_a_unit_outside_scope(app: Flask, world: World) -> None:
    before = snapshot()
    response = post(logged_in(app, world.hr_gl), "/tai-khoan/tao-moi", account_form(world, unit_id=str(world.bd_nh.id)))
    assert response.status_code == 400
    assert "phạm vi quản lý" in field_errors(response)
    assert snapshot() == before
    # The domain function refuses too, whatever a caller passes.
    hr = db.session.get(User, world.hr_gl.id)
    assert hr is not None
    with pytest.raises(ActionRefused) as refused:
        create_account(
            db.session,
            hr,
            cccd=THUY_CCCD,
            full_name="Bùi Thị Thủy",
            birth_date=datetime(1985, 6, 12).date(),
            sex="nu",
            unit=world.bd_nh,
            now=datetime.now(UTC),
        )
    assert refused.value.status == 403
    db.session.rollback()
    assert snapshot() == before


@pytest.mark.parametrize(("actor", "status"), [("hr_bd", 400), ("employee", 403), ("approver", 403), ("leader", 403)])
def test_create_denied(app: Flask, world: World, actor: str, status: int) -> None:
    """Ba Đình's HR cannot pick a Gia Lâm unit; the others may not create accounts at all."""
    before = snapshot()
    response = post(logged_in(app, world.user(actor)), "/tai-khoan/tao-moi", account_form(world))
    assert response.status_code == status
    assert snapshot() == before


# --- import from a file ------------------------------------------------------------------------------


def import_rows(world: World) -> list[list[Any]]:
    return [
        ["1", THUY_CCCD, "BÙI THỊ THỦY", "12/06/1985", "Nữ", "GL-BT", ""],
        ["2", world.target.cccd, "Nguyễn Thị Hoa", "01/03/1985", "Nữ", "GL-BT", ""],
        ["3", make_cccd(1990, "nam"), "Lê Văn Hùng", "05/05/1990", "Nam", "BD-NH", ""],
        ["4", make_cccd(1988, "nu"), '=HYPERLINK("http://x","y")', "05/05/1988", "Nữ", "GL-BT", ""],
        ["5", make_cccd(1985, "nu"), "Đặng Thị Tâm", "05/05/1992", "Nữ", "GL-NV", "approver"],
        ["6", make_cccd(1991, "nam"), "Đặng Văn Đức", "1991-03-01", "Nam", "GL-NV", "approver"],
    ]


def test_hr_imports_a_file_and_sees_every_row(app: Flask, world: World) -> None:
    client = logged_in(app, world.hr_gl)
    rows = import_rows(world)
    response = upload(client, xlsx_bytes(rows))
    assert response.status_code == 200, field_errors(response)
    html = response.get_data(as_text=True)
    assert "tạo mới 2 tài khoản, 1 dòng đã có tài khoản" in html and "3 dòng bị từ chối" in html

    def result(row: int) -> str:
        start = html.index(f'id="row-{row}"')
        return html[start : html.index("</tr>", start)]

    assert "Tạo mới" in result(2) and "********1234" in result(2)
    assert "Đã có tài khoản (không thay đổi)" in result(3)
    assert "Từ chối" in result(4) and "không thuộc phạm vi quản lý của bạn" in result(4)
    assert "chỉ được chứa chữ cái" in result(5)
    assert "khác năm sinh" in result(6)
    assert "Tạo mới" in result(7)

    db.session.expire_all()
    created = db.session.scalar(select(User).where(User.cccd == THUY_CCCD))
    assert created is not None and created.password_hash is None and created.must_change_password
    assert db.session.scalar(select(User).where(User.cccd == rows[2][1])) is None  # Ba Đình row
    duc = db.session.scalar(select(User).where(User.cccd == rows[5][1]))
    assert duc is not None and [(r.role, r.org_unit_id) for r in duc.roles] == [("approver", world.gl_nv.id)]
    assert ("accounts_import", None) in audit_actions()

    # The result file: every row, formula-escaped, parsed by openpyxl.
    link = re.search(r'id="download-result" href="([^"]+)"', html)
    assert link
    download = client.get(link.group(1))
    assert download.status_code == 200
    assert download.headers["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in download.headers["Content-Disposition"]
    assert "no-store" in download.headers["Cache-Control"]
    sheet = load_workbook(io.BytesIO(download.data)).active
    assert sheet is not None
    values = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert values[0] == ["Dòng", "Số CCCD", "Họ và tên", "Mã đơn vị", "Kết quả", "Lý do"]
    assert [r[0] for r in values[1:]] == [2, 3, 4, 5, 6, 7]
    assert values[1][1:5] == ["********1234", "BÙI THỊ THỦY", "GL-BT", "Tạo mới"]
    assert values[4][2] == "'" + '=HYPERLINK("http://x","y")'  # shown as text, never run as a formula
    assert values[3][4] == "Từ chối" and "phạm vi" in values[3][5]

    # Another officer cannot fetch it, even with the link.
    assert logged_in(app, world.hr_bd).get(link.group(1)).status_code == 404
    assert logged_in(app, world.employee).get(link.group(1)).status_code == 403


def test_import_csv_and_rerun_is_unchanged(app: Flask, world: World) -> None:
    client = logged_in(app, world.hr_gl)
    content = ("\ufeff" + ",".join(HEADER) + "\n" + f"1,{THUY_CCCD},Bùi Thị Thủy,12/06/1985,Nữ,GL-BT,\n").encode()
    assert "tạo mới 1 tài khoản" in upload(client, content, "ds.csv").get_data(as_text=True)
    before = snapshot()
    html = upload(client, content, "ds.csv").get_data(as_text=True)
    assert "tạo mới 0 tài khoản, 1 dòng đã có tài khoản" in html
    after = snapshot()
    assert {k: v for k, v in after.items() if k != "audit"} == {k: v for k, v in before.items() if k != "audit"}


def test_import_by_other_district_hr_rejects_every_row(app: Flask, world: World) -> None:
    before = snapshot()
    response = upload(logged_in(app, world.hr_bd), xlsx_bytes(import_rows(world)[:1]))
    assert response.status_code == 200
    assert "không thuộc phạm vi quản lý của bạn" in response.get_data(as_text=True)
    after = snapshot()
    assert after["users"] == before["users"] and after["profiles"] == before["profiles"]
    assert after["roles"] == before["roles"]


@pytest.mark.parametrize("actor", ["employee", "approver", "leader"])
def test_import_denied_to_users_without_hr_role(app: Flask, world: World, actor: str) -> None:
    before = snapshot()
    response = upload(logged_in(app, world.user(actor)), xlsx_bytes(import_rows(world)[:1]))
    assert response.status_code == 403
    assert snapshot() == before


@pytest.mark.parametrize(
    ("filename", "content", "message"),
    [
        ("danh-sach.txt", b"abc", "Chỉ nhận tệp Excel (.xlsx) hoặc CSV"),
        ("danh-sach.xls", b"\xd0\xcf\x11\xe0", "Không hỗ trợ tệp .xls"),
        ("danh-sach.xlsx", b"PK\x03\x04 not really a zip", "Không đọc được tệp Excel"),
        ("danh-sach.csv", "Họ và tên;Ngày sinh\nA;B\n".encode(), "Không tìm thấy dòng tiêu đề"),
        ("danh-sach.csv", "Mã,Tên,Ngày\n".encode("latin-1"), "UTF-8"),
    ],
)
def test_bad_file_gets_a_clear_message(app: Flask, world: World, filename: str, content: bytes, message: str) -> None:
    before = snapshot()
    response = upload(logged_in(app, world.hr_gl), content, filename)
    assert response.status_code == 400
    assert message in field_errors(response)
    assert "Chưa có tài khoản nào được tạo" in field_errors(response)
    assert snapshot() == before


def test_missing_file_is_refused(app: Flask, world: World) -> None:
    client = logged_in(app, world.hr_gl)
    before = snapshot()
    response = client.post("/tai-khoan/nhap-tu-tep", data={"csrf_token": token(client)})
    assert response.status_code == 400
    assert "Hãy chọn tệp" in field_errors(response)
    assert snapshot() == before


def test_import_size_limits(app: Flask, world: World) -> None:
    client = logged_in(app, world.hr_gl)
    before = snapshot()
    app.config["ACCOUNTS_IMPORT_MAX_BYTES"] = 1024
    response = upload(client, xlsx_bytes(import_rows(world)))
    assert response.status_code == 400
    assert "Tệp quá lớn: tối đa 1 KB" in field_errors(response)
    # Above the request limit the request never reaches the view: the page still says why.
    app.config["MAX_CONTENT_LENGTH"] = 2048
    response = upload(client, b"0" * 4096, "ds.csv")
    assert response.status_code == 413
    assert "Tệp quá lớn" in field_errors(response)
    assert snapshot() == before


# --- actions on one account: the permission matrix ----------------------------------------------------


def action_request(world: World, action: str) -> tuple[str, dict[str, Any]]:
    base = f"/tai-khoan/{world.target.id}"
    if action == "revoke":
        assignment = db.session.scalar(select(RoleAssignment).where(RoleAssignment.user_id == world.target.id))
        assert assignment is not None
        return f"{base}/vai-tro/{assignment.id}/thu-hoi", {}
    return {
        "reset": (f"{base}/dat-lai-mat-khau", {}),
        "lock": (f"{base}/khoa", {}),
        "unlock": (f"{base}/mo-khoa", {}),
        "deactivate": (f"{base}/ngung-hoat-dong", {}),
        "reactivate": (f"{base}/kich-hoat", {}),
        "assign_in_scope": (f"{base}/vai-tro", {"role": "approver", "unit_id": world.gl_bt.id}),
        "assign_out_of_scope": (f"{base}/vai-tro", {"role": "approver", "unit_id": world.bd.id}),
        "assign_sysadmin": (f"{base}/vai-tro", {"role": "sysadmin", "unit_id": world.gl_bt.id}),
    }[action]


def prepare(world: World, action: str) -> None:
    """The state an action needs to be meaningful (unlock a locked account…)."""
    target = db.session.get(User, world.target.id)
    assert target is not None
    if action == "unlock":
        target.locked_until = HR_LOCK_UNTIL
        target.failed_attempts = 3
    elif action == "reactivate":
        target.active = False
    elif action == "revoke":
        target.roles.append(RoleAssignment(role="leader", org_unit=world.gl_bt))
    db.session.commit()


def check_done(world: World, action: str, before: dict[str, Any]) -> None:
    target = fresh(world.target)
    old_version = next(u.session_version for u in before["users"] if u.id == target.id)
    roles = {(r.role, r.org_unit_id) for r in target.roles}
    if action == "reset":
        assert target.password_hash is None and target.must_change_password
        assert target.session_version > old_version
    elif action == "lock":
        assert target.locked_until is not None and target.locked_until.year == 9999
        assert target.session_version > old_version
    elif action == "unlock":
        assert target.locked_until is None and target.failed_attempts == 0
    elif action == "deactivate":
        assert target.active is False and target.session_version > old_version
    elif action == "reactivate":
        assert target.active is True
    elif action == "assign_in_scope":
        assert roles == {("approver", world.gl_bt.id)} and target.session_version > old_version
    elif action == "assign_out_of_scope":
        assert roles == {("approver", world.bd.id)}
    elif action == "revoke":
        assert roles == set() and target.session_version > old_version
    else:
        raise AssertionError(action)
    audit = {
        "reset": "account_reset_password",
        "lock": "account_lock",
        "unlock": "account_unlock",
        "deactivate": "account_deactivate",
        "reactivate": "account_reactivate",
        "assign_in_scope": "role_assign",
        "assign_out_of_scope": "role_assign",
        "revoke": "role_revoke",
    }[action]
    assert audit_actions()[len(before["audit"]) :] == [(audit, str(target.id))]


ACTION_NAMES = [
    "reset",
    "lock",
    "unlock",
    "deactivate",
    "reactivate",
    "assign_in_scope",
    "assign_out_of_scope",
    "assign_sysadmin",
    "revoke",
]
# Expected status per actor; 303 means done (then redirected to the account page).
EXPECTED = {
    "hr_gl": {"assign_out_of_scope": 400, "assign_sysadmin": 403} | {"*": 303},
    "sysadmin": {"assign_sysadmin": 403} | {"*": 303},
    "hr_bd": {"*": 404},
    "employee": {"*": 403},
    "approver": {"*": 403},
    "leader": {"*": 403},
}


@pytest.mark.parametrize("action", ACTION_NAMES)
@pytest.mark.parametrize("actor", list(EXPECTED))
def test_account_action_matrix(app: Flask, world: World, actor: str, action: str) -> None:
    prepare(world, action)
    expected = EXPECTED[actor].get(action, EXPECTED[actor]["*"])
    client = logged_in(app, world.user(actor))
    url, data = action_request(world, action)
    before = snapshot()
    response = post(client, url, data)
    assert response.status_code == expected, field_errors(response)
    if expected == 303:
        assert response.headers["Location"].endswith(f"/tai-khoan/{world.target.id}/")
        check_done(world, action, before)
    else:
        assert snapshot() == before


@pytest.mark.parametrize("action", ["reset", "lock", "deactivate", "assign_in_scope"])
def test_actions_need_a_csrf_token(app: Flask, world: World, action: str) -> None:
    client = logged_in(app, world.hr_gl)
    url, data = action_request(world, action)
    before = snapshot()
    assert client.post(url, data=data).status_code == 400
    assert client.post("/tai-khoan/tao-moi", data=account_form(world)).status_code == 400
    assert upload(client, xlsx_bytes(import_rows(world)[:1]), csrf=False).status_code == 400
    assert snapshot() == before


@pytest.mark.parametrize("action", ["reset", "lock", "deactivate"])
def test_actions_are_never_a_get(app: Flask, world: World, action: str) -> None:
    url, _ = action_request(world, action)
    before = snapshot()
    assert logged_in(app, world.hr_gl).get(url).status_code == 405
    assert snapshot() == before


# --- never on oneself, never on someone more powerful ---------------------------------------------------


@pytest.mark.parametrize(
    ("path", "data", "message"),
    [
        ("khoa", {}, "chính mình"),
        ("ngung-hoat-dong", {}, "chính mình"),
        ("dat-lai-mat-khau", {}, "chính mình"),
        ("vai-tro", {"role": "approver", "unit_id": "{gl}"}, "chính mình"),
        ("vai-tro/{own_role}/thu-hoi", {}, "chính mình"),
    ],
)
def test_nobody_acts_on_their_own_account(app: Flask, world: World, path: str, data: dict, message: str) -> None:
    own_role = world.hr_gl.roles[0].id
    url = f"/tai-khoan/{world.hr_gl.id}/" + path.format(own_role=own_role)
    data = {k: v.format(gl=world.gl.id) for k, v in data.items()}
    before = snapshot()
    response = post(logged_in(app, world.hr_gl), url, data)
    assert response.status_code == 403
    assert message in field_errors(response)
    assert snapshot() == before


def test_own_page_offers_no_actions(app: Flask, world: World) -> None:
    html = logged_in(app, world.hr_gl).get(f"/tai-khoan/{world.hr_gl.id}/").get_data(as_text=True)
    assert 'id="self-note"' in html
    assert 'id="lock-button"' not in html and 'id="role-form"' not in html


@pytest.mark.parametrize("path", ["khoa", "dat-lai-mat-khau", "ngung-hoat-dong"])
def test_a_lower_hr_cannot_act_on_the_district_hr(app: Flask, world: World, path: str) -> None:
    """HR of Phòng Nội vụ sees the district officer (whose profile sits there) but may not touch them."""
    department_hr = make_user("Lý Thị Ngọc Ánh", unit=world.gl_nv, password=PASSWORD, roles=[("hr", world.gl_nv)])
    db.session.commit()
    client = logged_in(app, department_hr)
    assert client.get(f"/tai-khoan/{world.hr_gl.id}/").status_code == 200
    before = snapshot()
    response = post(client, f"/tai-khoan/{world.hr_gl.id}/{path}")
    assert response.status_code == 403
    assert "ngoài phạm vi quản lý" in field_errors(response)
    assert snapshot() == before


def test_domain_functions_refuse_sysadmin_grants_and_foreign_units(app: Flask, world: World) -> None:
    hr = db.session.get(User, world.hr_gl.id)
    target = db.session.get(User, world.target.id)
    assert hr is not None and target is not None
    before = snapshot()
    for role, unit, status in [("sysadmin", world.gl_bt, 403), ("approver", world.bd, 403), ("owner", world.gl, 400)]:
        with pytest.raises(ActionRefused) as refused:
            assign_role(db.session, hr, target, role, unit)
        assert refused.value.status == status
    with pytest.raises(ActionRefused):
        lock(db.session, hr, hr)
    db.session.rollback()
    assert snapshot() == before


# --- what the actions do to the target's sessions and logins -------------------------------------------


def test_reset_forces_a_password_change_at_next_login(app: Flask, world: World) -> None:
    victim = logged_in(app, world.target)
    assert victim.get("/ho-so/").status_code == 200
    assert post(logged_in(app, world.hr_gl), f"/tai-khoan/{world.target.id}/dat-lai-mat-khau").status_code == 303
    # The old session is over.
    response = victim.get("/ho-so/")
    assert response.status_code == 302 and response.headers["Location"].startswith("/login")
    # The chosen password no longer works; the default does, straight to /password.
    assert post_login(app.test_client(), world.target.cccd, PASSWORD).status_code == 200
    target = fresh(world.target)
    browser = app.test_client()
    response = post_login(browser, target.cccd, default_password(target.full_name, target.cccd))
    assert response.status_code == 302 and response.headers["Location"].endswith("/password")
    assert browser.get("/ho-so/").headers["Location"].endswith("/password")


def test_lock_ends_the_session_at_once_and_blocks_login_until_unlocked(app: Flask, world: World) -> None:
    victim = logged_in(app, world.target)
    assert victim.get("/ho-so/").status_code == 200
    hr = logged_in(app, world.hr_gl)
    assert post(hr, f"/tai-khoan/{world.target.id}/khoa").status_code == 303
    assert victim.get("/ho-so/").headers["Location"].startswith("/login")
    response = post_login(app.test_client(), world.target.cccd, PASSWORD)
    assert response.status_code == 200 and "bị khóa" in response.get_data(as_text=True)
    page = hr.get(f"/tai-khoan/{world.target.id}/").get_data(as_text=True)
    assert "Bị khóa" in page and 'id="unlock-button"' in page and 'id="lock-button"' not in page

    assert post(hr, f"/tai-khoan/{world.target.id}/mo-khoa").status_code == 303
    response = post_login(app.test_client(), world.target.cccd, PASSWORD)
    assert response.status_code == 302 and response.headers["Location"] == "/"


def test_unlock_lifts_the_lock_after_failed_logins(app: Flask, world: World) -> None:
    for _ in range(5):
        post_login(app.test_client(), world.target.cccd, "Sai mật khẩu 123")
    target = fresh(world.target)
    assert target.locked_until is not None
    assert "Bị khóa" in logged_in(app, world.hr_gl).get(f"/tai-khoan/{world.target.id}/").get_data(as_text=True)
    assert post(logged_in(app, world.hr_gl), f"/tai-khoan/{world.target.id}/mo-khoa").status_code == 303
    target = fresh(world.target)
    assert target.locked_until is None and target.failed_attempts == 0
    assert post_login(app.test_client(), world.target.cccd, PASSWORD).status_code == 302


def test_unlocking_an_unlocked_account_is_refused(app: Flask, world: World) -> None:
    before = snapshot()
    response = post(logged_in(app, world.hr_gl), f"/tai-khoan/{world.target.id}/mo-khoa")
    assert response.status_code == 400
    assert "không bị khóa" in field_errors(response)
    assert snapshot() == before


def test_deactivated_user_is_logged_out_and_cannot_log_in(app: Flask, world: World) -> None:
    victim = logged_in(app, world.target)
    assert victim.get("/ho-so/").status_code == 200
    hr = logged_in(app, world.hr_gl)
    assert post(hr, f"/tai-khoan/{world.target.id}/ngung-hoat-dong").status_code == 303
    assert victim.get("/ho-so/").headers["Location"].startswith("/login")
    # Even a session cookie carrying the current version is refused: the account is inactive.
    assert logged_in(app, world.target).get("/ho-so/").headers["Location"].startswith("/login")
    response = post_login(app.test_client(), world.target.cccd, PASSWORD)
    assert response.status_code == 200 and "ngừng hoạt động" in response.get_data(as_text=True)

    assert post(hr, f"/tai-khoan/{world.target.id}/kich-hoat").status_code == 303
    assert post_login(app.test_client(), world.target.cccd, PASSWORD).status_code == 302


def test_role_assignment_takes_effect_on_the_next_request(app: Flask, world: World) -> None:
    """The new approver of Bát Tràng sees a Bát Tràng profile; the change also ends their old session."""
    colleague_profile = db.session.scalar(select(Profile.id).where(Profile.owner_id == world.employee.id))
    before = logged_in(app, world.target)
    assert before.get(f"/ho-so/{colleague_profile}/").status_code == 404
    hr = logged_in(app, world.hr_gl)
    response = post(hr, f"/tai-khoan/{world.target.id}/vai-tro", {"role": "approver", "unit_id": world.gl_bt.id})
    assert response.status_code == 303
    assert before.get("/ho-so/").headers["Location"].startswith("/login")
    after = logged_in(app, world.target)
    assert after.get(f"/ho-so/{colleague_profile}/").status_code == 200

    # Made HR of Bát Tràng: the Tài khoản page opens, limited to Bát Tràng.
    response = post(hr, f"/tai-khoan/{world.target.id}/vai-tro", {"role": "hr", "unit_id": world.gl_bt.id})
    assert response.status_code == 303
    as_hr = logged_in(app, world.target)
    html = as_hr.get("/tai-khoan/").get_data(as_text=True)
    assert "Trần Văn Nam" in html and "Đặng Minh Tuấn" not in html

    # Revoked: the next session is back to an employee's.
    assignment = db.session.scalar(
        select(RoleAssignment).where(RoleAssignment.user_id == world.target.id, RoleAssignment.role == "hr")
    )
    assert assignment is not None
    assert post(hr, f"/tai-khoan/{world.target.id}/vai-tro/{assignment.id}/thu-hoi").status_code == 303
    assert as_hr.get("/tai-khoan/").headers["Location"].startswith("/login")
    assert logged_in(app, world.target).get("/tai-khoan/").status_code == 403


def test_assigning_a_role_twice_is_refused(app: Flask, world: World) -> None:
    hr = logged_in(app, world.hr_gl)
    data = {"role": "leader", "unit_id": world.gl_bt.id}
    assert post(hr, f"/tai-khoan/{world.target.id}/vai-tro", data).status_code == 303
    before = snapshot()
    response = post(hr, f"/tai-khoan/{world.target.id}/vai-tro", data)
    assert response.status_code == 400
    assert "đã có vai trò Lãnh đạo" in field_errors(response)
    assert snapshot() == before


def test_revoking_a_role_of_another_account_by_id_is_404(app: Flask, world: World) -> None:
    """An assignment id under the wrong account's URL is not found, even in scope."""
    approver_role = world.approver.roles[0].id
    before = snapshot()
    response = post(logged_in(app, world.hr_gl), f"/tai-khoan/{world.target.id}/vai-tro/{approver_role}/thu-hoi")
    assert response.status_code == 404
    assert snapshot() == before


def test_sysadmin_role_cannot_be_revoked_here(app: Flask, world: World) -> None:
    other_admin = make_user(
        "Kiều Văn Quản", unit=world.gl_bt, sex="nam", password=PASSWORD, roles=[("sysadmin", world.hn)]
    )
    db.session.commit()
    role_id = other_admin.roles[0].id
    before = snapshot()
    response = post(logged_in(app, world.sysadmin), f"/tai-khoan/{other_admin.id}/vai-tro/{role_id}/thu-hoi")
    assert response.status_code == 403
    assert snapshot() == before
    # And HR may not touch a sysadmin's account at all.
    response = post(logged_in(app, world.hr_gl), f"/tai-khoan/{other_admin.id}/khoa")
    assert response.status_code == 403
    assert snapshot() == before


def test_temporary_lock_shows_its_end(app: Flask, world: World) -> None:
    target = db.session.get(User, world.target.id)
    assert target is not None
    target.locked_until = datetime.now(UTC) + timedelta(minutes=10)
    db.session.commit()
    html = logged_in(app, world.hr_gl).get(f"/tai-khoan/{world.target.id}/").get_data(as_text=True)
    assert "tạm khóa do đăng nhập sai" in html and 'id="lock-button"' in html and 'id="unlock-button"' in html


def test_list_paginates(app: Flask, world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    import admin_views.accounts as accounts_view

    monkeypatch.setattr(accounts_view, "PAGE_SIZE", 2)
    client = logged_in(app, world.hr_gl)
    count = db.session.scalar(
        select(func.count())
        .select_from(Profile)
        .where(Profile.org_unit_id.in_([world.gl.id, world.gl_nv.id, world.gl_bt.id]))
    )
    first = client.get("/tai-khoan/").get_data(as_text=True)
    assert f"{count} tài khoản · trang 1/{-(-count // 2)}" in first
    second = client.get("/tai-khoan/", query_string={"trang": 2}).get_data(as_text=True)
    shown = lambda html: set(re.findall(r'id="account-(\d+)"', html))  # noqa: E731
    assert len(shown(first)) == 2 and len(shown(second)) == 2 and not shown(first) & shown(second)


def test_too_many_rows_are_refused(app: Flask, world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    import admin_views.accounts as accounts_view

    monkeypatch.setattr(accounts_view, "IMPORT_MAX_ROWS", 2)
    before = snapshot()
    response = upload(logged_in(app, world.hr_gl), xlsx_bytes(import_rows(world)[:3]))
    assert response.status_code == 400
    assert "Tệp có 3 dòng dữ liệu, nhiều hơn mức tối đa 2 dòng" in field_errors(response)
    assert snapshot() == before


# --- in a real browser, with the demo data ------------------------------------------------------------------


@pytest.mark.browser
def test_accounts_and_units_pages_in_chromium(app: Flask, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """The district HR officer of the demo: list, search, one account, an import, the unit tree (screenshots)."""
    import os
    from pathlib import Path

    from demo.seed import seed_demo_data
    from tests.browser import browser_page, serve

    shots = Path(os.environ.get("SCREENSHOT_DIR", "test-artifacts/screenshots"))
    shots.mkdir(parents=True, exist_ok=True)
    seed_demo_data(db.session)
    db.session.commit()
    sheet = tmp_path / "danh-sach.xlsx"
    sheet.write_bytes(
        xlsx_bytes(
            [
                ["1", make_cccd(1990, "nam"), "Đỗ Văn Thành", "15/08/1990", "Nam", "GL-BT", ""],
                ["2", "038185011234", "Bùi Thị Thủy", "12/06/1985", "Nữ", "GL-BT", ""],
                ["3", make_cccd(1992, "nu"), "Ngô Thị Lan", "01/02/1992", "Nữ", "BD-NH", ""],
                ["4", "00118501234", "Phan Văn Tú", "01/02/1985", "Nam", "GL-TQ", ""],
            ]
        )
    )

    with serve(app) as base, browser_page() as page:
        page.goto(base + "/login")
        page.fill("#username", "034188009267")  # Phạm Thị Hồng Nhung, HR of Gia Lâm
        page.fill("#password", "ToChuc#GiaLam24")
        page.click("main button[type=submit]")
        page.click("nav >> text=Tài khoản")
        assert page.url == base + "/tai-khoan/"
        assert "Bùi Thị Thủy" in page.inner_text("#accounts")
        assert "Nguyễn Ngọc Huệ" not in page.inner_text("body")  # Ba Đình
        page.screenshot(path=str(shots / "accounts-01-list.png"), full_page=True)

        page.fill("#q", "bui thi thuy")
        page.click("#account-search button[type=submit]")
        assert page.locator("#accounts tbody tr").count() == 1
        page.click("#accounts >> text=Bùi Thị Thủy")
        assert "Đang dùng mật khẩu mặc định" in page.inner_text("#account-info")
        page.screenshot(path=str(shots / "accounts-02-detail.png"), full_page=True)

        page.goto(base + "/tai-khoan/nhap-tu-tep")
        page.set_input_files("#file", str(sheet))
        page.click("#import-form button[type=submit]")
        assert "tạo mới 1 tài khoản" in page.inner_text("#import-summary")
        assert "không thuộc phạm vi" in page.inner_text("#row-4")
        page.screenshot(path=str(shots / "accounts-03-import-result.png"), full_page=True)

        page.click("nav >> text=Đơn vị")
        assert page.url == base + "/don-vi/"
        assert "UBND xã Bát Tràng" in page.inner_text("#units")
        assert "UBND quận Ba Đình" not in page.inner_text("#units")
        page.screenshot(path=str(shots / "units-01-tree.png"), full_page=True)


def test_messages_survive_braces_in_names(app: Flask, world: World) -> None:
    """Unit and person names are user text: they are never used as a format string."""
    unit = db.session.get(OrgUnit, world.gl_bt.id)
    assert unit is not None
    unit.name = "UBND xã {Bát} Tràng {0}"
    db.session.commit()
    hr = logged_in(app, world.hr_gl)
    assert post(hr, f"/tai-khoan/{world.target.id}/vai-tro", {"role": "leader", "unit_id": unit.id}).status_code == 303
    role_id = fresh(world.target).roles[0].id
    response = post(hr, f"/tai-khoan/{world.target.id}/vai-tro/{role_id}/thu-hoi", follow_redirects=True)
    assert response.status_code == 200
    assert "Đã thu hồi vai trò Lãnh đạo tại «UBND xã {Bát} Tràng {0}»" in response.get_data(as_text=True)
