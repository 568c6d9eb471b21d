"""The 4x6 photo: re-encoded, cropped, metadata stripped, and served only to those who may see it."""

from __future__ import annotations

import io

import pytest
from PIL import Image
from sqlalchemy import select

from extensions import db
from models.profile import Profile
from tests.conftest import csrf_token_from
from tests.factories import make_unit, make_user

PASSWORD = "Mật khẩu đủ mạnh 2026"


def image_bytes(size=(800, 600), fmt="JPEG", exif: bytes | None = None) -> bytes:
    buffer = io.BytesIO()
    image = Image.new("RGB", size, (200, 30, 30))
    kwargs = {"exif": exif} if exif else {}
    image.save(buffer, format=fmt, **kwargs)
    return buffer.getvalue()


@pytest.fixture
def two(app):
    unit = make_unit("UBND xã Bát Tràng", kind="xa")
    a = make_user("Bùi Thị Thủy", unit=unit, password=PASSWORD)
    b = make_user("Trần Văn Bình", unit=unit, password=PASSWORD, sex="nam")
    db.session.commit()
    pa = db.session.scalar(select(Profile).where(Profile.owner_id == a.id))
    return a, b, pa


def upload(client, profile_id: int, data: bytes, name="anh.jpg"):
    token = csrf_token_from(client.get(f"/ho-so/muc/basic/edit/?id={profile_id}").get_data(as_text=True))
    return client.post(
        f"/ho-so/{profile_id}/anh",
        data={"csrf_token": token, "photo": (io.BytesIO(data), name)},
        content_type="multipart/form-data",
    )


def test_photo_is_cropped_to_4x6_and_metadata_stripped(client, login_as, two):
    a, _b, pa = two
    login_as(a)
    exif = Image.Exif()
    exif[0x010F] = "Camera maker"  # Make
    exif[0x0131] = "Secret software"  # Software
    response = upload(client, pa.id, image_bytes((800, 600), exif=exif.tobytes()))
    assert response.status_code == 302
    served = client.get(f"/ho-so/{pa.id}/anh")
    assert served.status_code == 200 and served.mimetype == "image/jpeg"
    assert served.headers["X-Content-Type-Options"] == "nosniff"
    image = Image.open(io.BytesIO(served.data))
    assert image.size == (400, 600)
    assert not image.getexif()
    assert b"Secret software" not in served.data


def test_tall_photo_is_scaled_down(client, login_as, two):
    a, _b, pa = two
    login_as(a)
    upload(client, pa.id, image_bytes((1000, 3000), fmt="PNG"), name="anh.png")
    image = Image.open(io.BytesIO(client.get(f"/ho-so/{pa.id}/anh").data))
    assert image.size == (800, 1200)


def test_non_image_is_refused(client, login_as, two):
    a, _b, pa = two
    login_as(a)
    response = upload(client, pa.id, b"MZ\x90\x00 not a picture", name="anh.jpg")
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Profile, pa.id).photo_path is None
    page = client.get(f"/ho-so/muc/basic/edit/?id={pa.id}").get_data(as_text=True)
    assert "JPEG hoặc PNG" in page


def test_other_employee_cannot_see_or_replace_the_photo(client, login_as, two):
    a, b, pa = two
    login_as(a)
    upload(client, pa.id, image_bytes())
    db.session.expire_all()
    before = db.session.get(Profile, pa.id).photo_path
    login_as(b)
    assert client.get(f"/ho-so/{pa.id}/anh").status_code == 404
    own = db.session.scalar(select(Profile).where(Profile.owner_id == b.id))
    token = csrf_token_from(client.get(f"/ho-so/muc/basic/edit/?id={own.id}").get_data(as_text=True))
    response = client.post(
        f"/ho-so/{pa.id}/anh",
        data={"csrf_token": token, "photo": (io.BytesIO(image_bytes()), "x.jpg")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 404
    db.session.expire_all()
    assert db.session.get(Profile, pa.id).photo_path == before


def test_photo_cannot_change_once_submitted(client, login_as, two):
    a, _b, pa = two
    login_as(a)
    token = csrf_token_from(client.get(f"/ho-so/muc/basic/edit/?id={pa.id}").get_data(as_text=True))
    pa.status = "pending"  # test setup
    db.session.commit()
    response = client.post(
        f"/ho-so/{pa.id}/anh",
        data={"csrf_token": token, "photo": (io.BytesIO(image_bytes()), "x.jpg")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 403
    db.session.expire_all()
    assert db.session.get(Profile, pa.id).photo_path is None
