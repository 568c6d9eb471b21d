"""First login in a real browser: default password → forced change → home → Thoát → new password."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from extensions import db
from tests.browser import browser_page, serve
from tests.factories import make_unit, make_user

pytestmark = pytest.mark.browser

SHOTS = Path(os.environ.get("SCREENSHOT_DIR", "test-artifacts/screenshots"))


def test_first_login_in_chromium(app):
    unit = make_unit("UBND xã Bát Tràng", kind="xa")
    make_user("BÙI THỊ THỦY", cccd="038185011234", unit=unit)
    db.session.commit()
    SHOTS.mkdir(parents=True, exist_ok=True)

    with serve(app) as base, browser_page() as page:
        page.goto(base + "/")
        assert page.url.startswith(base + "/login")
        page.fill("#username", "038185011234")
        page.fill("#password", "Thuy1234@")
        page.screenshot(path=str(SHOTS / "01-login.png"))
        page.click("main button[type=submit]")
        assert page.url == base + "/password"

        # Every other page sends the user back to the password change.
        page.goto(base + "/")
        assert page.url == base + "/password"

        # The default pattern is refused with a Vietnamese message; the form stays.
        page.fill("#current_password", "Thuy1234@")
        page.fill("#new_password", "Thuy5678@")
        page.fill("#confirm_password", "Thuy5678@")
        page.click("main button[type=submit]")
        assert "mẫu mật khẩu mặc định" in page.inner_text("body")
        page.screenshot(path=str(SHOTS / "02-default-pattern-refused.png"), full_page=True)

        page.fill("#current_password", "Thuy1234@")
        page.fill("#new_password", "Sen hồng Bát Tràng 2026")
        page.fill("#confirm_password", "Sen hồng Bát Tràng 2026")
        page.click("main button[type=submit]")
        assert page.url == base + "/ho-so/"
        assert "Đã đổi mật khẩu thành công" in page.inner_text("body")
        page.screenshot(path=str(SHOTS / "03-home.png"), full_page=True)

        # Top right: the user's name opens the menu with Đổi mật khẩu and Thoát.
        page.click("#user-menu")
        assert page.is_visible("text=Đổi mật khẩu")
        page.screenshot(path=str(SHOTS / "04-user-menu.png"))
        page.click("#logout-button")
        assert page.url.startswith(base + "/login")
        page.goto(base + "/")
        assert page.url.startswith(base + "/login")

        page.fill("#username", "038185011234")
        page.fill("#password", "Sen hồng Bát Tràng 2026")
        page.click("main button[type=submit]")
        assert page.url == base + "/ho-so/"
        assert "BÙI THỊ THỦY" in page.inner_text("nav")
