"""The print routes over HTTP: who may download the 2C form of whom, which version prints, the
download headers, the "In" menu, and the bulk ZIP (scope filter, CSRF, cap)."""

from __future__ import annotations

import io
import re
import zipfile
from urllib.parse import unquote

import docx
import pypdf
import pytest
from flask import Flask
from sqlalchemy import event, func, select

from admin_views.printing import register_print_views
from demo.seed import seed_demo_data
from extensions import db
from models.audit import AuditLog
from models.profile import Profile
from models.sections import WorkHistory
from models.snapshot_store import ProfileVersion
from models.user import User
from tests.conftest import csrf_token_from

HUE = "001300012345"  # NGUYỄN NGỌC HUỆ, UBND quận Ba Đình, confirmed
THUY = "038185011234"  # BÙI THỊ THỦY, UBND xã Bát Tràng (Gia Lâm), draft, never confirmed
APPROVER_BA_DINH = "036182007415"
APPROVER_GIA_LAM = "001079003812"
HR_BA_DINH = "001090011358"
PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@pytest.fixture
def app_with_printing(app: Flask) -> Flask:
    """The app with the print views, whether or not admin_views/__init__.py registers them yet."""
    if "printing" not in app.blueprints:
        register_print_views(app.extensions["admin"][0])
    return app


@pytest.fixture
def seeded(app_with_printing: Flask) -> Flask:
    seed_demo_data(db.session)
    # Thủy is still on her default password, which would send every request to the change form.
    db.session.scalar(select(User).where(User.cccd == THUY)).must_change_password = False
    db.session.commit()
    return app_with_printing


def user(cccd: str) -> User:
    return db.session.scalar(select(User).where(User.cccd == cccd))


def profile_of(cccd: str) -> Profile:
    return db.session.scalar(select(Profile).join(User, Profile.owner_id == User.id).where(User.cccd == cccd))


def pdf_text(data: bytes) -> str:
    pages = pypdf.PdfReader(io.BytesIO(data)).pages
    return re.sub(r"\s+", " ", " ".join(page.extract_text() for page in pages))


def prints(cccd: str | None = None) -> int:
    actions = ("profile_print", "profile_bulk_print")
    stmt = select(func.count()).select_from(AuditLog).where(AuditLog.action.in_(actions))
    if cccd is not None:
        stmt = stmt.where(AuditLog.actor_id == user(cccd).id)
    return db.session.scalar(stmt)


def test_owner_downloads_the_confirmed_version(seeded, client, login_as):
    hue = profile_of(HUE)
    version = db.session.scalar(select(ProfileVersion).where(ProfileVersion.profile_id == hue.id))
    login_as(user(HUE))
    response = client.get(f"/in/ho-so/{hue.id}/2c.pdf")
    assert response.status_code == 200
    assert response.mimetype == PDF
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response.headers["Cache-Control"]
    disposition = response.headers["Content-Disposition"]
    match = re.fullmatch(r"attachment; filename=\"([^\"]+)\"; filename\*=UTF-8''(\S+)", disposition)
    assert match, disposition
    ascii_name, utf8_name = match.group(1), unquote(match.group(2))
    assert re.fullmatch(r"SYLL-2C_NGUYEN-NGOC-HUE_\d{8}\.pdf", ascii_name)
    assert utf8_name == ascii_name.replace("NGUYEN-NGOC-HUE", "NGUYỄN-NGỌC-HUỆ")
    assert HUE not in disposition
    text = pdf_text(response.data)
    assert "NGUYỄN NGỌC HUỆ" in text and "Sinh ngày: 04 tháng 04 năm 2000" in text
    assert f"Phiên bản {version.number}" in text and version.digest[:10] in text
    assert "Bản nháp" not in text
    assert prints(HUE) == 1


def test_draft_on_request_and_when_never_confirmed(seeded, client, login_as):
    hue = profile_of(HUE)
    login_as(user(HUE))
    text = pdf_text(client.get(f"/in/ho-so/{hue.id}/2c.pdf?ban=nhap").data)
    assert "Bản nháp – chưa xác nhận" in text and "Phiên bản" not in text
    thuy = profile_of(THUY)
    assert db.session.scalar(select(ProfileVersion.id).where(ProfileVersion.profile_id == thuy.id)) is None
    login_as(user(THUY))
    response = client.get(f"/in/ho-so/{thuy.id}/2c.pdf")  # the default, but nothing was confirmed
    assert response.status_code == 200
    assert "Bản nháp – chưa xác nhận" in pdf_text(response.data)


def test_word_download(seeded, client, login_as):
    hue = profile_of(HUE)
    login_as(user(HUE))
    response = client.get(f"/in/ho-so/{hue.id}/2c.docx")
    assert response.status_code == 200
    assert response.mimetype == DOCX
    assert re.search(r'filename="SYLL-2C_NGUYEN-NGOC-HUE_\d{8}\.docx"', response.headers["Content-Disposition"])
    document = docx.Document(io.BytesIO(response.data))
    text = " ".join(p.text for p in document.paragraphs)
    assert "Cơ quan quản lý cán bộ, công chức: UBND quận Ba Đình" in text


@pytest.mark.parametrize("kind", ["pdf", "docx"])
def test_another_employee_gets_404(seeded, client, login_as, kind):
    hue = profile_of(HUE)
    login_as(user(THUY))
    for query in ("", "?ban=nhap", "?ban=chinh-thuc"):
        assert client.get(f"/in/ho-so/{hue.id}/2c.{kind}{query}").status_code == 404
    assert client.get(f"/in/ho-so/999999/2c.{kind}").status_code == 404
    assert prints() == 0


def test_anonymous_is_sent_to_login(seeded, client):
    hue = profile_of(HUE)
    response = client.get(f"/in/ho-so/{hue.id}/2c.pdf")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")
    assert "2c.pdf" in unquote(response.headers["Location"])
    assert client.post("/in/hang-loat", data={"ids": [hue.id]}).status_code in (302, 400)
    assert prints() == 0


@pytest.mark.parametrize(
    ("cccd", "status"),
    [(APPROVER_BA_DINH, 200), (HR_BA_DINH, 200), (APPROVER_GIA_LAM, 404)],
)
def test_staff_of_the_unit_may_print(seeded, client, login_as, cccd, status):
    hue = profile_of(HUE)
    login_as(user(cccd))
    assert client.get(f"/in/ho-so/{hue.id}/2c.pdf").status_code == status
    assert client.get(f"/in/ho-so/{hue.id}/2c.docx?ban=nhap").status_code == status


def test_print_menu_on_the_profile_page(seeded, client, login_as):
    hue = profile_of(HUE)
    login_as(user(HUE))
    html = client.get("/ho-so/").get_data(as_text=True)
    menu = html[html.index('id="print-menu"') :]
    menu = menu[: menu.index("</div>")]
    assert "Sơ yếu lý lịch 2C – Hợp nhất" in menu
    for label, href in (
        ("PDF (bản chính thức)", f"/in/ho-so/{hue.id}/2c.pdf"),
        ("PDF (bản nháp hiện tại)", f"/in/ho-so/{hue.id}/2c.pdf?ban=nhap"),
        ("In Word", f"/in/ho-so/{hue.id}/2c.docx"),
    ):
        assert re.search(rf'href="{re.escape(href)}"[^>]*>\s*{re.escape(label)}<', menu), label
    assert "Chưa có mẫu in" not in menu


def test_query_count_does_not_grow_with_rows(seeded, client, login_as):
    """Snapshot and layout issue no query per child row: 60 more rows, the same number of queries."""
    hue_id = profile_of(HUE).id
    login_as(user(HUE))

    def count_queries() -> int:
        statements: list[str] = []

        def before(conn, cursor, statement, *args):  # type: ignore[no-untyped-def]
            statements.append(statement)

        event.listen(db.engine, "before_cursor_execute", before)
        try:
            assert client.get(f"/in/ho-so/{hue_id}/2c.pdf?ban=nhap").status_code == 200
        finally:
            event.remove(db.engine, "before_cursor_execute", before)
        return len(statements)

    few = count_queries()
    for n in range(60):
        db.session.add(WorkHistory(profile_id=hue_id, sort_order=10 + n, unit=f"Đơn vị {n}", from_date=None))
    db.session.commit()
    assert count_queries() == few


def bulk_token(client) -> str:
    return csrf_token_from(client.get("/ho-so/").get_data(as_text=True))


def test_bulk_zip_holds_only_profiles_in_scope(seeded, client, login_as):
    hue, thuy = profile_of(HUE), profile_of(THUY)
    ba_dinh = list(
        db.session.scalars(select(Profile.id).join(Profile.org_unit).where(Profile.org_unit_id == hue.org_unit_id))
    )
    login_as(user(APPROVER_BA_DINH))
    ids = [hue.id, thuy.id, *ba_dinh, 999999, "x", "-3", "9" * 5000]
    response = client.post("/in/hang-loat", data={"ids": ids, "csrf_token": bulk_token(client)})
    assert response.status_code == 200
    assert response.mimetype == "application/zip"
    assert response.headers["Content-Disposition"].startswith("attachment;")
    archive = zipfile.ZipFile(io.BytesIO(response.data))
    names = archive.namelist()
    assert len(names) == len(set(ba_dinh) | {hue.id})  # Thủy (Gia Lâm) and the unknown id are dropped
    assert names[0].startswith("SYLL-2C_NGUYEN-NGOC-HUE_") and names[0].endswith(".pdf")
    assert not any("BUI-THI-THUY" in name for name in names)
    assert "NGUYỄN NGỌC HUỆ" in pdf_text(archive.read(names[0]))
    entry = db.session.scalar(select(AuditLog).where(AuditLog.action == "profile_bulk_print"))
    assert entry.details["count"] == len(names) and thuy.id not in entry.details["ids"]


def test_bulk_needs_csrf_and_respects_the_cap(seeded, client, login_as):
    hue = profile_of(HUE)
    login_as(user(HR_BA_DINH))
    assert client.post("/in/hang-loat", data={"ids": [hue.id]}).status_code == 400  # no CSRF token
    token = bulk_token(client)
    seeded.config["BULK_PRINT_MAX"] = 2
    response = client.post("/in/hang-loat", data={"ids": [1, 2, 3], "csrf_token": token})
    assert response.status_code == 400
    assert "tối đa 2 hồ sơ" in response.get_data(as_text=True)
    assert client.post("/in/hang-loat", data={"csrf_token": token}).status_code == 400  # nothing chosen
    assert client.get("/in/hang-loat").status_code == 405
    assert prints() == 0


def test_bulk_outside_scope_is_404(seeded, client, login_as):
    thuy = profile_of(THUY)
    login_as(user(HUE))
    response = client.post("/in/hang-loat", data={"rowid": [thuy.id], "csrf_token": bulk_token(client)})
    assert response.status_code == 404
    assert prints() == 0


def test_list_action_prints_the_selected_profiles_as_a_zip(app, client, login_as):
    """The HR list's "In 2C" action re-posts the selection to the bulk print route."""
    import io
    import zipfile

    from sqlalchemy import select

    from demo.seed import seed_demo_data
    from extensions import db
    from models.profile import Profile
    from models.user import User
    from tests.conftest import csrf_token_from

    seed_demo_data(db.session)
    db.session.commit()
    hr = db.session.scalar(select(User).where(User.cccd == "001090011358"))  # HR of Ba Đình
    login_as(hr)
    page = client.get("/quan-ly-ho-so/").get_data(as_text=True)
    ids = [str(i) for i in db.session.scalars(select(Profile.id).where(Profile.full_name == "Nguyễn Ngọc Huệ"))]
    form = {"csrf_token": csrf_token_from(page), "action": "print_2c", "rowid": ids}
    hop = client.post("/quan-ly-ho-so/action/", data=form)
    # 307: a browser re-posts the same body to the new address (the test client does not keep it).
    assert hop.status_code == 307 and hop.headers["Location"].endswith("/in/hang-loat")
    response = client.post(hop.headers["Location"], data=form)
    assert response.status_code == 200 and response.mimetype == "application/zip"
    names = zipfile.ZipFile(io.BytesIO(response.data)).namelist()
    assert len(names) == 1 and names[0].endswith(".pdf")
