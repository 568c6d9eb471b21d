"""An approver rejects three pending profiles in one go with a note, in a real browser; one of the
employees then reads the note on the profile and in Lịch sử cập nhật."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from sqlalchemy import select

from auth.passwords import default_password
from demo.seed import seed_demo_data
from extensions import db
from models.profile import Profile
from models.user import User
from tests.browser import browser_page, serve

pytestmark = pytest.mark.browser

SHOTS = Path(os.environ.get("SCREENSHOT_DIR", "test-artifacts/screenshots"))
NOTE = "Thiếu năm sinh của con và ngày vào Đảng; đề nghị bổ sung."


def login(page, base: str, cccd: str, password: str) -> None:
    page.goto(base + "/login")
    page.fill("#username", cccd)
    page.fill("#password", password)
    page.click("main button[type=submit]")


def test_bulk_reject_with_a_note_reaches_the_employee(app):
    seed_demo_data(db.session)
    db.session.commit()
    SHOTS.mkdir(parents=True, exist_ok=True)

    with serve(app) as base, browser_page() as page:
        page.on("dialog", lambda dialog: dialog.accept())
        login(page, base, "001079003812", "PheDuyet#GiaLam24")
        page.goto(base + "/phe-duyet/")
        state_filter = page.locator("#list-filters select").filter(has_text="Chờ xác nhận").first
        state_filter.select_option(label="Chờ xác nhận")
        page.click("#list-filters button[type=submit]")
        rows = page.locator("table tbody tr")
        assert rows.count() >= 3
        names = []
        for i in range(3):
            row = rows.nth(i)
            row.locator("input.action-checkbox").check()
            names.append(row.locator("a").filter(has_not_text="").first.inner_text().strip())
        page.screenshot(path=str(SHOTS / "20-approval-queue.png"), full_page=True)
        page.click("#bulk-reject")
        page.wait_for_selector("#reject-form")
        page.fill("#note", NOTE)
        page.screenshot(path=str(SHOTS / "21-reject-note.png"), full_page=True)
        page.click("#reject-form button[type=submit]")
        assert "3 hồ sơ đã từ chối" in page.inner_text("body"), page.inner_text("body")[:1500]
        page.screenshot(path=str(SHOTS / "22-rejected.png"), full_page=True)

        db.session.expire_all()
        rejected = db.session.scalars(
            select(Profile).where(Profile.full_name.in_(names), Profile.status == "rejected")
        ).all()
        assert len(rejected) == 3
        employee = db.session.get(User, rejected[0].owner_id)

        page.click("#user-menu")
        page.click("#logout-button")
        password = default_password(employee.full_name, employee.cccd)
        login(page, base, employee.cccd, password)
        new_password = "Sen hồng Hồ Tây mùa hạ 2026"
        page.fill("#current_password", password)
        page.fill("#new_password", new_password)
        page.fill("#confirm_password", new_password)
        page.click("main button[type=submit]")
        assert page.url == base + "/ho-so/"
        assert page.inner_text("#current-state") == "Từ chối"
        assert NOTE in page.inner_text("#rejection-note")
        page.screenshot(path=str(SHOTS / "23-employee-sees-note.png"), full_page=True)
        page.click("#btn-history")
        history = page.inner_text("#history-table")
        assert NOTE in history and "Từ chối" in history
        page.screenshot(path=str(SHOTS / "24-history-note.png"), full_page=True)
