"""Login, forced password change, logout and lockout over HTTP, as a browser would use them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from auth.passwords import Hasher
from extensions import db
from models.audit import AuditLog
from models.user import User
from tests.conftest import csrf_token_from
from tests.factories import make_user

THUY_CCCD = "038185011234"
STRONG = "Mùa thu Hà Nội 1954!"


@pytest.fixture
def thuy(app):
    user = make_user("BÙI THỊ THỦY", cccd=THUY_CCCD)
    db.session.commit()
    return user


def post_login(client, username: str, password: str, **kwargs):
    token = csrf_token_from(client.get("/login").get_data(as_text=True))
    return client.post("/login", data={"username": username, "password": password, "csrf_token": token}, **kwargs)


def change_password(client, current: str, new: str, confirm: str | None = None):
    token = csrf_token_from(client.get("/password").get_data(as_text=True))
    return client.post(
        "/password",
        data={
            "current_password": current,
            "new_password": new,
            "confirm_password": new if confirm is None else confirm,
            "csrf_token": token,
        },
    )


def error_text(response) -> str:
    html = response.get_data(as_text=True)
    start = html.find('id="form-error"')
    return html[start : html.find("</div>", start)] if start >= 0 else ""


def test_login_page_in_vietnamese(client):
    html = client.get("/login").get_data(as_text=True)
    assert "Đăng nhập" in html and "Số CCCD" in html and "Mật khẩu" in html


def test_login_without_csrf_token_is_refused(client, thuy):
    response = client.post("/login", data={"username": THUY_CCCD, "password": "Thuy1234@"})
    assert response.status_code == 400
    assert db.session.scalar(select(User.last_login_at).where(User.id == thuy.id)) is None


def test_default_password_login_forces_change_everywhere(client, thuy):
    response = post_login(client, THUY_CCCD, "Thuy1234@")
    assert response.status_code == 302 and response.headers["Location"].endswith("/password")
    for url in ["/", "/?x=1", "/login"]:
        r = client.get(url)
        assert r.status_code == 302, url
        assert r.headers["Location"].endswith("/password") or r.headers["Location"].endswith("/"), url
    assert client.get("/").headers["Location"].endswith("/password")
    assert "Đổi mật khẩu" in client.get("/password").get_data(as_text=True)


@pytest.mark.parametrize(
    ("new", "message"),
    [
        ("Thuy5678@", "mẫu mật khẩu mặc định"),
        ("thủy2024!!", "mẫu mật khẩu mặc định"),
        ("x" + THUY_CCCD + "y", "CCCD"),
        ("password123", "phổ biến"),
        ("Ngắn1!", "ít nhất 8"),
        ("a" * 129, "128"),
    ],
)
def test_weak_new_passwords_are_refused(client, thuy, new, message):
    post_login(client, THUY_CCCD, "Thuy1234@")
    response = change_password(client, "Thuy1234@", new)
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(User, thuy.id).must_change_password is True
    assert client.get("/").headers["Location"].endswith("/password")


def test_mismatched_confirmation_and_wrong_current_are_refused(client, thuy):
    post_login(client, THUY_CCCD, "Thuy1234@")
    assert "không khớp" in change_password(client, "Thuy1234@", STRONG, STRONG + "x").get_data(as_text=True)
    assert "hiện tại không đúng" in change_password(client, "Thuy9999@", STRONG).get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(User, thuy.id).password_hash is None


def test_full_first_login_flow(client, thuy):
    post_login(client, THUY_CCCD, "Thuy1234@")
    response = change_password(client, "Thuy1234@", STRONG)
    assert response.status_code == 302 and response.headers["Location"].endswith("/")
    home = client.get("/", follow_redirects=True)
    assert home.status_code == 200 and "BÙI THỊ THỦY" in home.get_data(as_text=True)
    db.session.expire_all()
    user = db.session.get(User, thuy.id)
    assert user.must_change_password is False and user.password_hash.startswith("$argon2id$")

    # Thoát (POST) ends the session; the old cookie no longer works.
    old_cookie = client.get_cookie("session").value
    token = csrf_token_from(home.get_data(as_text=True))
    assert client.post("/logout", data={"csrf_token": token}).headers["Location"].endswith("/login")
    client.set_cookie("session", old_cookie)
    assert client.get("/").headers["Location"].startswith("/login")

    # The default password is gone; the new one logs in straight to the home page.
    assert "không đúng" in error_text(post_login(client, THUY_CCCD, "Thuy1234@"))
    response = post_login(client, THUY_CCCD, STRONG)
    assert response.status_code == 302 and response.headers["Location"] == "/"


def test_logout_needs_post_and_csrf(client, login_as):
    thuy = make_user("BÙI THỊ THỦY", password=STRONG)
    db.session.commit()
    login_as(thuy)
    assert client.get("/logout").status_code == 405
    assert client.post("/logout").status_code == 400
    db.session.expire_all()
    assert db.session.get(User, thuy.id).session_version == thuy.session_version


def test_unknown_cccd_and_wrong_password_look_identical(client, thuy):
    unknown = post_login(client, "001185099999", "Thuy1234@")
    wrong = post_login(client, THUY_CCCD, "Sai-mat-khau-1")
    assert unknown.status_code == wrong.status_code == 200
    assert error_text(unknown) == error_text(wrong) != ""
    assert "Số CCCD hoặc mật khẩu không đúng." in error_text(unknown)


def test_every_login_path_costs_one_hash_verification(app, client, thuy, monkeypatch):
    """Similar timing by construction: unknown CCCD, wrong password, default and real passwords
    each run exactly one argon2 verification."""
    other = make_user("Trần Văn Nam", password=STRONG, sex="nam")
    db.session.commit()
    calls: list[int] = []
    original = Hasher.verify

    def counting(self, stored, password):
        calls.append(1)
        return original(self, stored, password)

    monkeypatch.setattr(Hasher, "verify", counting)
    cases = [("001185099999", "x" * 10), (THUY_CCCD, "wrong-pass"), (THUY_CCCD, "Thuy1234@"), (other.cccd, "nope-nope")]
    for username, password in cases:
        client.get("/login")
        calls.clear()
        token = csrf_token_from(client.get("/login").get_data(as_text=True))
        calls.clear()
        client.post("/login", data={"username": username, "password": password, "csrf_token": token})
        assert len(calls) == 1, (username, password)
        client.delete_cookie("session")


def test_repeated_failures_lock_the_account(app, client, thuy):
    for _ in range(app.config["LOGIN_MAX_FAILURES"] - 1):
        assert "không đúng" in error_text(post_login(client, THUY_CCCD, "wrong-password"))
    assert "tạm thời bị khóa" in error_text(post_login(client, THUY_CCCD, "wrong-password"))
    # Even the right password is refused while locked.
    response = post_login(client, THUY_CCCD, "Thuy1234@")
    assert "tạm thời bị khóa" in error_text(response)
    db.session.expire_all()
    user = db.session.get(User, thuy.id)
    assert user.locked_until is not None and user.last_login_at is None
    # When the lock expires the account works again.
    user.locked_until = datetime.now(UTC) - timedelta(seconds=1)
    db.session.commit()
    assert post_login(client, THUY_CCCD, "Thuy1234@").headers["Location"].endswith("/password")


def test_unknown_cccd_locks_the_same_way(app, client):
    messages = [error_text(post_login(client, "001185099999", "x1234567")) for _ in range(6)]
    assert all("không đúng" in m for m in messages[:4])
    assert all("tạm thời bị khóa" in m for m in messages[4:])


def test_per_ip_rate_limit(app, client, thuy):
    app.config["LOGIN_RATE_LIMIT_IP"] = "3 per minute"
    responses = [post_login(client, f"00118509999{i}", "x1234567") for i in range(4)]
    assert [r.status_code for r in responses] == [200, 200, 200, 429]
    assert "quá nhanh" in responses[-1].get_data(as_text=True)


def test_per_account_rate_limit(app, client, thuy):
    app.config["LOGIN_RATE_LIMIT_ACCOUNT"] = "2 per minute"
    app.config["LOGIN_MAX_FAILURES"] = 100
    statuses = [post_login(client, THUY_CCCD, "wrong-password").status_code for _ in range(3)]
    assert statuses == [200, 200, 429]
    assert post_login(client, "001185099999", "x1234567").status_code == 200


def test_password_change_ends_other_sessions(app, thuy):
    first, second = app.test_client(), app.test_client()
    for c in (first, second):
        post_login(c, THUY_CCCD, "Thuy1234@")
    assert change_password(first, "Thuy1234@", STRONG).status_code == 302
    assert first.get("/ho-so/").status_code == 200
    assert second.get("/ho-so/").headers["Location"].startswith("/login")


def test_deactivated_or_bumped_session_is_refused(client, thuy, login_as):
    user = make_user("Lê Thị Mai", password=STRONG)
    db.session.commit()
    login_as(user)
    assert client.get("/ho-so/").status_code == 200
    user.end_all_sessions()
    db.session.commit()
    assert client.get("/").headers["Location"].startswith("/login")
    login_as(user)
    user.active = False
    db.session.commit()
    assert client.get("/").headers["Location"].startswith("/login")


def test_idle_timeout_ends_session(app, client, login_as):
    user = make_user("Phạm Văn Hùng", password=STRONG, sex="nam")
    db.session.commit()
    login_as(user)
    with client.session_transaction() as sess:
        sess["seen_at"] -= app.config["SESSION_IDLE_MINUTES"] * 60 + 5
    response = client.get("/")
    assert response.headers["Location"].startswith("/login")


def test_expired_default_password_is_refused(app, client, thuy):
    thuy.default_password_issued_at = datetime.now(UTC) - timedelta(
        days=app.config["DEFAULT_PASSWORD_MAX_AGE_DAYS"] + 1
    )
    db.session.commit()
    assert "hết hạn" in error_text(post_login(client, THUY_CCCD, "Thuy1234@"))


@pytest.mark.parametrize("target", ["//evil.example/x", "https://evil.example/", "\\\\evil"])
def test_next_parameter_cannot_leave_the_site(client, target):
    user = make_user("Đỗ Thị Lan", password=STRONG)
    db.session.commit()
    token = csrf_token_from(client.get("/login").get_data(as_text=True))
    response = client.post(
        "/login?next=" + target, data={"username": user.cccd, "password": STRONG, "csrf_token": token}
    )
    assert response.headers["Location"] == "/"


def test_logins_are_audited(client, thuy):
    post_login(client, THUY_CCCD, "wrong-password")
    post_login(client, THUY_CCCD, "Thuy1234@")
    actions = db.session.scalars(select(AuditLog.action).order_by(AuditLog.id)).all()
    assert actions == ["login_failed", "login"]
    assert db.session.scalar(select(func.count()).select_from(AuditLog).where(AuditLog.ip.is_not(None))) == 2


def test_hr_lock_and_deactivation_are_explained_only_with_the_right_password(app, client):
    from auth.login import ADMIN_LOCK_UNTIL

    user = make_user("Ngô Thị Lan", password=STRONG)
    user.locked_until = ADMIN_LOCK_UNTIL
    db.session.commit()
    assert "liên hệ cán bộ tổ chức" in error_text(post_login(client, user.cccd, STRONG))
    assert error_text(post_login(client, user.cccd, "wrong-password")) == error_text(
        post_login(client, "001185099999", "wrong-password")
    )
    user.locked_until = None
    user.active = False
    db.session.commit()
    for _ in range(app.config["LOGIN_MAX_FAILURES"] + 1):
        post_login(client, user.cccd, "wrong-password")
    db.session.expire_all()
    assert db.session.get(User, user.id).locked_until is None  # no counting while deactivated
    assert "ngừng hoạt động" in error_text(post_login(client, user.cccd, STRONG))
