"""The demo scenario in a real browser: HR of Gia Lâm opens Tiến độ, sees the district's units with
the 2023 campaign late (deadline 12/05/2023) and the chart drawn by the vendored Chart.js, opens
the late list, drills into UBND xã Cổ Bi and sends a reminder; then an employee of Cổ Bi whose
profile is a draft logs in (first login: forced password change) and sees the reminder."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from sqlalchemy import select

from demo.people import EMPLOYEES
from demo.seed import seed_demo_data
from extensions import db
from models.campaign import Reminder
from models.org import OrgUnit
from tests.browser import browser_page, serve

pytestmark = pytest.mark.browser

SHOTS = Path(os.environ.get("SCREENSHOT_DIR", "test-artifacts/screenshots"))
HR_CCCD, HR_PASSWORD = "034188009267", "ToChuc#GiaLam24"
GIA_LAM_UNITS = (
    "UBND huyện Gia Lâm",
    "Phòng Nội vụ",
    "UBND xã Bát Tràng",
    "UBND xã Cổ Bi",
    "Trường THCS Cổ Bi",
    "Trường Mầm non Hoa Sữa",
)
MESSAGE_EXTRA = "Hạn chót nộp báo cáo huyện: thứ Sáu tuần này."
NEW_PASSWORD = "Hoa sen nở giữa đầm 1986"


def login(page, base: str, cccd: str, password: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(base + "/login")
    page.fill("#username", cccd)
    page.fill("#password", password)
    page.click("main button[type=submit]")
    page.wait_for_load_state()


def test_hr_reminds_a_late_unit_and_the_employee_sees_it(app) -> None:  # type: ignore[no-untyped-def]
    seed_demo_data(db.session)
    db.session.commit()
    co_bi = db.session.scalar(select(OrgUnit).where(OrgUnit.code == "GL-CB"))
    assert co_bi is not None
    employee = next(p for p in EMPLOYEES if p.unit == "GL-CB" and p.status == "draft")
    given = employee.full_name.split()[-1]
    default = f"{given}{employee.cccd[-4:]}@"  # Oanh + last 4 digits + @ (no diacritics in this name)
    SHOTS.mkdir(parents=True, exist_ok=True)

    with serve(app) as base, browser_page() as page:
        # HR of Gia Lâm: the menu leads to the dashboard.
        login(page, base, HR_CCCD, HR_PASSWORD)
        page.click("text=Tiến độ")
        page.wait_for_load_state()
        assert page.url.startswith(base + "/tien-do/")
        assert page.inner_text("#campaign-name") == "Cập nhật hồ sơ CBCCVC 2023"
        assert "Đã quá hạn" in page.inner_text("#deadline-state")
        table = page.inner_text("#progress-table")
        for name in GIA_LAM_UNITS:
            assert name in table, name
        assert "Ba Đình" not in table
        row = page.locator(f"#unit-{co_bi.id}")
        assert row.get_attribute("data-late") == "true"
        assert re.match(r"Chậm \d+ ngày", row.locator(".col-state").inner_text())
        assert row.locator(".col-reminded").inner_text().startswith("Chưa nhắc")
        # The chart is really drawn, from the app's own copy of Chart.js, in the state colours of app.css.
        page.wait_for_function("window.progressChart !== undefined")
        colours = page.evaluate("window.progressChart.data.datasets.map(d => d.backgroundColor)")
        assert colours == ["rgb(33, 136, 56)", "rgb(240, 173, 0)", "rgb(200, 35, 51)", "rgb(108, 117, 125)"]
        labels = page.evaluate("window.progressChart.data.labels")
        assert "UBND xã Cổ Bi" in labels
        assert page.evaluate("document.getElementById('progress-chart').width") > 300
        page.screenshot(path=str(SHOTS / "oversight-01-dashboard.png"), full_page=True)

        page.click("#tab-late")
        page.wait_for_load_state()
        assert "UBND xã Cổ Bi" in page.inner_text("#late-table")
        page.screenshot(path=str(SHOTS / "oversight-02-late-units.png"), full_page=True)

        # Drill into Cổ Bi and send the reminder (the default text, plus a line).
        page.click("#tab-progress")
        page.click(f"#unit-{co_bi.id} .unit-link")
        page.wait_for_load_state()
        assert page.inner_text("#page-title") == "UBND xã Cổ Bi"
        assert employee.full_name in page.inner_text("#unit-profiles")
        default_text = page.input_value("#message")
        assert "Đề nghị đồng chí" in default_text
        page.fill("#message", default_text + "\n" + MESSAGE_EXTRA)
        page.screenshot(path=str(SHOTS / "oversight-03-unit.png"), full_page=True)
        page.click("#btn-remind")
        page.wait_for_load_state()
        assert "Đã gửi nhắc nhở tới UBND xã Cổ Bi" in page.inner_text("body")
        assert MESSAGE_EXTRA in page.inner_text("#reminder-history")
        page.screenshot(path=str(SHOTS / "oversight-04-reminder-sent.png"), full_page=True)

        page.click("text=Tiến độ – Cập nhật hồ sơ CBCCVC 2023")
        page.wait_for_load_state()
        assert re.match(r"\d{2}/\d{2}/\d{4} \d{2}:\d{2}", page.locator(f"#unit-{co_bi.id} .col-reminded").inner_text())

        page.click("#user-menu")
        page.click("#logout-button")
        page.wait_for_load_state()

        # The employee of Cổ Bi with a draft profile: first login, new password, then the profile page.
        login(page, base, employee.cccd, default)
        page.fill("#current_password", default)
        page.fill("#new_password", NEW_PASSWORD)
        page.fill("#confirm_password", NEW_PASSWORD)
        page.click("main button[type=submit]")
        page.wait_for_load_state()
        assert page.url == base + "/ho-so/"
        assert page.inner_text("#current-state") == "Đang cập nhật"
        banner = page.inner_text("#reminder-banner")
        assert "Cập nhật hồ sơ CBCCVC 2023" in banner and MESSAGE_EXTRA in banner
        assert "Phạm Thị Hồng Nhung" in banner and "12/05/2023" in banner
        page.screenshot(path=str(SHOTS / "oversight-05-employee-sees-reminder.png"), full_page=True)

    assert db.session.scalar(select(Reminder.org_unit_id)) == co_bi.id
