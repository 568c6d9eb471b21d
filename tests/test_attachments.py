"""Đính kèm over HTTP: types checked by content, size limits, downloads, and every denial path.

Each denial asserts the status AND that neither the database nor the upload directory changed.
"""

from __future__ import annotations

import io
import re
import zipfile
from datetime import UTC, timedelta
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import func, select

from extensions import db
from models.audit import AuditLog
from models.files import Attachment, Contract
from models.profile import Profile
from models.uploads import clean_filename, format_size
from tests.conftest import csrf_token_from
from tests.factories import make_unit, make_user

PASSWORD = "Mùa thu Hà Nội 1954!"

PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 17
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 16 + b"\xff\xd9"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 64 + b"This program cannot be run in DOS mode."

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
    "</Types>"
)
RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'officeDocument" Target="word/document.xml"/></Relationships>'
)
DOCUMENT = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
    "<w:body><w:p><w:r><w:t>Quyết định nâng lương</w:t></w:r></w:p></w:body></w:document>"
)


def make_zip(parts: dict[str, bytes | str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def make_docx(**extra: bytes | str) -> bytes:
    """The smallest package Word opens: content types, package relationships, the main document."""
    return make_zip({"[Content_Types].xml": CONTENT_TYPES, "_rels/.rels": RELS, "word/document.xml": DOCUMENT, **extra})


DOCX = make_docx()
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


# --- helpers ---------------------------------------------------------------------------------------


def profile_of(user) -> Profile:
    return db.session.scalar(select(Profile).where(Profile.owner_id == user.id))


def upload_dir(app: Flask) -> Path:
    return Path(app.config["INSTANCE_DIR"]) / "uploads"


def stored_files(app: Flask) -> list[str]:
    directory = upload_dir(app)
    return sorted(p.name for p in directory.iterdir()) if directory.exists() else []


def snapshot(app: Flask) -> tuple:
    """Everything a denied request must leave as it was."""
    db.session.expire_all()
    rows = db.session.execute(select(Attachment.id, Attachment.stored_name).order_by(Attachment.id)).all()
    contracts = db.session.execute(select(Contract.id, Contract.number).order_by(Contract.id)).all()
    audit = db.session.scalar(select(func.count()).select_from(AuditLog))
    return [tuple(r) for r in rows], [tuple(c) for c in contracts], audit, stored_files(app)


def list_url(profile_id: int) -> str:
    return f"/ho-so/{profile_id}/dinh-kem/"


def page_token(client, profile_id: int, url: str | None = None) -> str:
    response = client.get(url or list_url(profile_id))
    assert response.status_code == 200
    return csrf_token_from(response.get_data(as_text=True))


def post_upload(client, profile_id: int, name: str, data: bytes, *, description: str = "", token: str | None = None):
    token = token if token is not None else page_token(client, profile_id)
    form = {"file": (io.BytesIO(data), name), "description": description}
    if token:
        form["csrf_token"] = token
    return client.post(f"/ho-so/{profile_id}/dinh-kem/upload", data=form, content_type="multipart/form-data")


def error_text(response) -> str:
    html = response.get_data(as_text=True)
    return " ".join(re.findall(r'class="invalid-feedback[^"]*"[^>]*>([^<]*)<', html))


def only_attachment(profile: Profile) -> Attachment:
    db.session.expire_all()
    return db.session.scalars(select(Attachment).where(Attachment.profile_id == profile.id)).one()


# --- fixtures ------------------------------------------------------------------------------------------


@pytest.fixture
def unit(app):
    return make_unit("UBND xã Bát Tràng", kind="xa")


@pytest.fixture
def owner(app, unit):
    user = make_user("BÙI THỊ THỦY", unit=unit, password=PASSWORD)
    db.session.commit()
    return user


@pytest.fixture
def other(app):
    user = make_user("NGUYỄN NGỌC HUỆ", unit=make_unit("UBND quận Ba Đình"), password=PASSWORD)
    db.session.commit()
    return user


@pytest.fixture
def uploaded(app, client, login_as, owner):
    """The owner's profile with one PDF, uploaded over HTTP."""
    profile = profile_of(owner)
    login_as(owner)
    assert post_upload(client, profile.id, "Bằng đại học.pdf", PDF).status_code == 303
    return profile, only_attachment(profile)


# --- uploads and downloads ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "data", "content_type"),
    [
        ("Bằng tốt nghiệp đại học.pdf", PDF, "application/pdf"),
        ("ảnh thẻ.png", PNG, "image/png"),
        ("CCCD mặt trước.jpg", JPEG, "image/jpeg"),
        ("Quyết định nâng lương.docx", DOCX, DOCX_TYPE),
    ],
)
def test_owner_uploads_lists_and_downloads(app, client, login_as, owner, name, data, content_type):
    profile = profile_of(owner)
    login_as(owner)

    response = post_upload(client, profile.id, name, data, description="Bản scan có công chứng")
    assert response.status_code == 303
    assert response.headers["Location"].endswith(list_url(profile.id))

    attachment = only_attachment(profile)
    assert (attachment.original_name, attachment.content_type, attachment.size) == (name, content_type, len(data))
    assert attachment.uploaded_by_id == owner.id
    # Stored under a random name, never the user's filename.
    assert re.fullmatch(r"[0-9a-f]{32}", attachment.stored_name)
    assert stored_files(app) == [attachment.stored_name]
    assert (upload_dir(app) / attachment.stored_name).read_bytes() == data
    assert db.session.scalar(
        select(func.count()).where(AuditLog.action == "attachment_upload", AuditLog.object_id == str(attachment.id))
    )

    html = client.get(list_url(profile.id)).get_data(as_text=True)
    assert name in html and "Bản scan có công chứng" in html
    assert f"Đính kèm – {owner.full_name}" in html
    assert 'href="/"' in html  # back to the home page

    download = client.get(f"/ho-so/{profile.id}/dinh-kem/{attachment.id}/tai-ve")
    assert download.status_code == 200
    assert download.data == data
    assert download.mimetype == content_type
    assert download.headers["Content-Disposition"].startswith("attachment;")
    assert download.headers["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in download.headers["Cache-Control"]


def test_list_shows_size_local_time_and_uploader(app, client, login_as, uploaded, owner):
    profile, attachment = uploaded
    login_as(owner)
    html = client.get(list_url(profile.id)).get_data(as_text=True)
    uploaded_at = attachment.uploaded_at
    if uploaded_at.tzinfo is None:  # SQLite returns naive UTC
        uploaded_at = uploaded_at.replace(tzinfo=UTC)
    local = (uploaded_at.astimezone(UTC) + timedelta(hours=7)).strftime("%d/%m/%Y %H:%M")
    row = html[html.index(f'id="attachment-{attachment.id}"') :]
    row = row[: row.index("</tr>")]
    assert local in row
    assert format_size(len(PDF)) in row
    assert "BÙI THỊ THỦY" in row


def test_download_name_keeps_vietnamese(app, client, login_as, uploaded, owner):
    profile, attachment = uploaded
    login_as(owner)
    response = client.get(f"/ho-so/{profile.id}/dinh-kem/{attachment.id}/tai-ve")
    # RFC 5987 form carries the exact UTF-8 name.
    assert (
        "filename*=UTF-8''B%E1%BA%B1ng%20%C4%91%E1%BA%A1i%20h%E1%BB%8Dc.pdf" in response.headers["Content-Disposition"]
    )


def test_hostile_filename_is_cleaned(app, client, login_as, owner):
    profile = profile_of(owner)
    login_as(owner)
    name = "..\\..\\etc/passwd\u202egpj.exe"
    assert post_upload(client, profile.id, name, PDF).status_code == 303
    attachment = only_attachment(profile)
    # No path, no right-to-left override, and the extension matches what the bytes are.
    assert attachment.original_name == "passwdgpj.exe.pdf"
    assert stored_files(app) == [attachment.stored_name]


@pytest.mark.parametrize(
    ("raw", "content_type", "expected"),
    [
        ("scan.PDF", "application/pdf", "scan.PDF"),
        ("ảnh.jpeg", "image/jpeg", "ảnh.jpeg"),
        ("", "image/png", "tep-dinh-kem.png"),
        ("   .  ", "application/pdf", "tep-dinh-kem.pdf"),
        ("a" * 300 + ".docx", DOCX_TYPE, "a" * 250 + ".docx"),
        ("Ho\u0301a đơn.pdf", "application/pdf", "Hóa đơn.pdf"),  # NFC
    ],
)
def test_clean_filename(raw, content_type, expected):
    assert clean_filename(raw, content_type) == expected


# --- refused content: nothing stored ---------------------------------------------------------------


def _exe_with_docx_appended() -> bytes:
    return EXE + DOCX


def _docx_with_bomb() -> bytes:
    # 60 MB of zeros compress to a few dozen KB: small upload, huge declared size.
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("word/document.xml", DOCUMENT)
        archive.writestr("word/media/big.bin", b"\x00" * (60 * 1024 * 1024))
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("scan.pdf", EXE, "Chỉ nhận tệp PDF, ảnh JPEG/PNG hoặc tài liệu Word (DOCX)"),
        ("ghi chú.docx", "Đây là một tệp văn bản, không phải Word.\n".encode(), "Chỉ nhận tệp PDF"),
        (
            "bảng tính.docx",
            make_zip({"[Content_Types].xml": "<Types/>", "xl/workbook.xml": "<x/>"}),
            "Chỉ nhận tệp PDF",
        ),
        ("tự giải nén.docx", _exe_with_docx_appended(), "Chỉ nhận tệp PDF"),
        ("macro.docx", make_docx(**{"word/vbaProject.bin": b"\x00" * 32}), "macro"),
        ("hỏng.docx", b"PK\x03\x04" + b"\x00" * 40, "bị hỏng"),
        ("bom.docx", _docx_with_bomb(), "quá lớn khi giải nén"),
        ("rỗng.pdf", b"", "Tệp rỗng"),
    ],
)
def test_refused_content_stores_nothing(app, client, login_as, owner, name, data, message):
    profile = profile_of(owner)
    login_as(owner)
    before = snapshot(app)
    response = post_upload(client, profile.id, name, data, description="Giữ nguyên mô tả")
    assert response.status_code == 400
    assert message in error_text(response)
    assert 'value="Giữ nguyên mô tả"' in response.get_data(as_text=True)  # what was typed stays
    assert snapshot(app) == before
    assert stored_files(app) == []


def test_failed_save_leaves_no_file(app, client, login_as, owner, monkeypatch):
    """A file is written before its row: if the transaction fails, the file must go too."""
    import admin_views.files

    def broken_record(*_args, **_kwargs):
        raise RuntimeError("audit log unavailable")

    profile = profile_of(owner)
    login_as(owner)
    token = page_token(client, profile.id)
    monkeypatch.setattr(admin_views.files, "record", broken_record)
    with pytest.raises(RuntimeError):
        post_upload(client, profile.id, "scan.pdf", PDF, token=token)
    assert db.session.scalar(select(func.count()).select_from(Attachment)) == 0
    assert stored_files(app) == []


def test_missing_file_is_refused(app, client, login_as, owner):
    profile = profile_of(owner)
    login_as(owner)
    token = page_token(client, profile.id)
    response = client.post(
        f"/ho-so/{profile.id}/dinh-kem/upload",
        data={"csrf_token": token, "description": "x"},
        content_type="multipart/form-data",
    )
    assert response.status_code == 400
    assert "Hãy chọn tệp" in error_text(response)
    assert db.session.scalar(select(func.count()).select_from(Attachment)) == 0


def test_20_mb_upload_is_refused_with_a_clear_message(app, client, login_as, owner):
    profile = profile_of(owner)
    login_as(owner)
    before = snapshot(app)
    response = post_upload(client, profile.id, "scan lớn.pdf", b"%PDF-1.4\n" + b"0" * (20 * 1024 * 1024))
    assert response.status_code == 413
    html = response.get_data(as_text=True)
    assert "Tệp tải lên quá lớn: mỗi tệp tối đa 10 MB" in html
    assert list_url(profile.id) in html  # a way back to the page
    assert snapshot(app) == before
    assert stored_files(app) == []


def test_attachment_limit_below_request_limit(app, client, login_as, owner):
    """ATTACHMENT_MAX_BYTES is enforced while streaming, even when the request itself is allowed."""
    app.config["ATTACHMENT_MAX_BYTES"] = 1024
    profile = profile_of(owner)
    login_as(owner)
    before = snapshot(app)
    response = post_upload(client, profile.id, "scan.pdf", PDF + b"0" * 2048)
    assert response.status_code == 400
    assert "vượt quá dung lượng cho phép (tối đa 1 KB)" in error_text(response)
    assert snapshot(app) == before
    assert stored_files(app) == []


# --- deletion --------------------------------------------------------------------------------------


def test_owner_deletes_while_draft(app, client, login_as, uploaded, owner):
    profile, attachment = uploaded
    attachment_id = attachment.id
    login_as(owner)
    token = page_token(client, profile.id)
    response = client.post(f"/ho-so/{profile.id}/dinh-kem/{attachment_id}/xoa", data={"csrf_token": token})
    assert response.status_code == 303
    db.session.expire_all()
    assert db.session.get(Attachment, attachment_id) is None
    assert stored_files(app) == []
    assert db.session.scalar(select(func.count()).where(AuditLog.action == "attachment_delete")) == 1


def test_delete_and_upload_refused_once_not_draft(app, client, login_as, uploaded, owner):
    profile, attachment = uploaded
    login_as(owner)
    token = page_token(client, profile.id)
    # Test data setup only: the workflow module is the one writer of the status in the app.
    profile = db.session.get(Profile, profile.id)
    profile.status = "pending"
    db.session.commit()
    before = snapshot(app)

    html = client.get(list_url(profile.id)).get_data(as_text=True)
    assert "upload-form" not in html and "/xoa" not in html

    response = client.post(f"/ho-so/{profile.id}/dinh-kem/{attachment.id}/xoa", data={"csrf_token": token})
    assert response.status_code == 403
    assert post_upload(client, profile.id, "thêm.pdf", PDF, token=token).status_code == 403
    assert snapshot(app) == before
    # Still downloadable: reading does not depend on the state.
    assert client.get(f"/ho-so/{profile.id}/dinh-kem/{attachment.id}/tai-ve").status_code == 200


# --- access control ------------------------------------------------------------------------------------


def test_anonymous_is_sent_to_login(app, client, uploaded):
    profile, attachment = uploaded
    with client.session_transaction() as session:
        session.clear()
    before = snapshot(app)
    response = client.get(list_url(profile.id))
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    response = client.get(f"/ho-so/{profile.id}/dinh-kem/{attachment.id}/tai-ve")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    assert snapshot(app) == before


def test_other_employee_is_denied_everything(app, client, login_as, uploaded, other):
    profile, attachment = uploaded
    login_as(other)
    token = page_token(client, profile_of(other).id)  # a valid token, so only the permission decides
    before = snapshot(app)

    assert client.get(list_url(profile.id)).status_code == 404
    assert client.get(f"/ho-so/{profile.id}/dinh-kem/{attachment.id}/tai-ve").status_code == 404
    assert post_upload(client, profile.id, "chèn.pdf", PDF, token=token).status_code == 404
    response = client.post(f"/ho-so/{profile.id}/dinh-kem/{attachment.id}/xoa", data={"csrf_token": token})
    assert response.status_code == 404
    assert client.get("/ho-so/999999/dinh-kem/").status_code == 404  # unknown and foreign look the same

    assert snapshot(app) == before


def test_attachment_id_under_another_profile_url_is_404(app, client, login_as, uploaded, other):
    profile, attachment = uploaded
    login_as(other)
    own = profile_of(other)
    token = page_token(client, own.id)
    before = snapshot(app)
    assert client.get(f"/ho-so/{own.id}/dinh-kem/{attachment.id}/tai-ve").status_code == 404
    response = client.post(f"/ho-so/{own.id}/dinh-kem/{attachment.id}/xoa", data={"csrf_token": token})
    assert response.status_code == 404
    assert snapshot(app) == before


def test_hr_in_scope_can_read_and_other_hr_cannot(app, client, login_as, unit, uploaded):
    profile, attachment = uploaded
    hr = make_user("Trần Văn Tổ Chức", unit=unit, password=PASSWORD, roles=[("hr", unit)])
    outsider_unit = make_unit("UBND quận Ba Đình")
    outsider = make_user("Lê Văn Ngoài", unit=outsider_unit, password=PASSWORD, roles=[("hr", outsider_unit)])
    db.session.commit()

    login_as(hr)
    assert client.get(list_url(profile.id)).status_code == 200
    assert client.get(f"/ho-so/{profile.id}/dinh-kem/{attachment.id}/tai-ve").status_code == 200

    login_as(outsider)
    before = snapshot(app)
    assert client.get(list_url(profile.id)).status_code == 404
    assert client.get(f"/ho-so/{profile.id}/dinh-kem/{attachment.id}/tai-ve").status_code == 404
    assert snapshot(app) == before


def test_approver_in_scope_reads_but_may_not_upload(app, client, login_as, unit, uploaded):
    """In scope but not allowed: 403, not 404."""
    profile, attachment = uploaded
    approver = make_user("Phạm Thị Duyệt", unit=unit, password=PASSWORD, roles=[("approver", unit)])
    db.session.commit()
    login_as(approver)
    token = page_token(client, profile.id)
    before = snapshot(app)
    assert post_upload(client, profile.id, "x.pdf", PDF, token=token).status_code == 403
    response = client.post(f"/ho-so/{profile.id}/dinh-kem/{attachment.id}/xoa", data={"csrf_token": token})
    assert response.status_code == 403
    assert snapshot(app) == before


def test_posts_without_csrf_token_are_refused(app, client, login_as, uploaded, owner):
    profile, attachment = uploaded
    login_as(owner)
    before = snapshot(app)
    assert post_upload(client, profile.id, "x.pdf", PDF, token="").status_code == 400
    assert client.post(f"/ho-so/{profile.id}/dinh-kem/{attachment.id}/xoa").status_code == 400
    assert snapshot(app) == before


def test_deleting_via_get_is_not_possible(app, client, login_as, uploaded, owner):
    profile, attachment = uploaded
    login_as(owner)
    before = snapshot(app)
    assert client.get(f"/ho-so/{profile.id}/dinh-kem/{attachment.id}/xoa").status_code == 405
    assert snapshot(app) == before
