"""Thủy's first declaration in a real browser: password change, section I, Lưu, reload, the rest of
the required fields, Gửi xác nhận, then Chờ xác nhận highlighted and every field read-only."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from demo.seed import seed_demo_data
from extensions import db
from tests.browser import browser_page, serve

pytestmark = pytest.mark.browser

SHOTS = Path(os.environ.get("SCREENSHOT_DIR", "test-artifacts/screenshots"))
NEW_PASSWORD = "Gốm Bát Tràng men lam 1985"


def choose(page, selector: str, value: str) -> None:
    """Pick a value of a select2-enhanced select (the visible widget mirrors the hidden select)."""
    page.select_option(selector, value, force=True)


def save(page) -> None:
    page.click("#btn-save")
    page.wait_for_load_state()
    assert "Đã lưu" in page.inner_text(".alert-success"), page.inner_text("body")[:2000]


def test_employee_declares_and_submits(app):
    seed_demo_data(db.session)
    db.session.commit()
    SHOTS.mkdir(parents=True, exist_ok=True)

    with serve(app) as base, browser_page() as page:
        page.goto(base + "/login")
        page.fill("#username", "038185011234")
        page.fill("#password", "Thuy1234@")
        page.click("main button[type=submit]")
        page.fill("#current_password", "Thuy1234@")
        page.fill("#new_password", NEW_PASSWORD)
        page.fill("#confirm_password", NEW_PASSWORD)
        page.click("main button[type=submit]")
        assert page.url == base + "/ho-so/"
        assert page.inner_text("#current-state") == "Đang cập nhật"
        page.screenshot(path=str(SHOTS / "10-profile-draft.png"), full_page=True)

        # Section I: type, Lưu, reload: it is still there.
        page.click("#tab-basic")
        choose(page, "#birth_place_province", "01")
        page.fill("#birth_place_commune", "xã Bát Tràng")
        choose(page, "#hometown_province", "01")
        page.fill("#hometown_legacy", "xã Bát Tràng, huyện Gia Lâm, TP Hà Nội")
        choose(page, "#ethnicity", "01")
        choose(page, "#religion", "00")
        page.fill("#id_issued_on", "12.6.2021")
        page.fill("#phone", "0912 345 678")
        choose(page, "#current_address_province", "01")
        page.fill("#current_address_commune", "xã Bát Tràng")
        page.fill("#current_address_detail", "Thôn Giang Cao")
        save(page)
        page.reload()
        assert page.input_value("#id_issued_on") == "12/06/2021"
        assert page.input_value("#current_address_detail") == "Thôn Giang Cao"
        page.screenshot(path=str(SHOTS / "11-section-1-saved.png"), full_page=True)

        # The other required values: II, IV, V (with one work-history row).
        page.click("#tab-salary")
        choose(page, "#rank_code", "01.003")
        page.fill("#salary_step", "3")
        page.fill("#salary_coefficient", "3,00")
        page.fill("#salary_since", "01/01/2020")
        save(page)

        page.click("#tab-education")
        choose(page, "#general_education", "12/12")
        choose(page, "#highest_qualification", "dh")
        page.fill("#highest_qualification_major", "Quản lý nhà nước")
        save(page)

        page.click("#tab-employment")
        page.fill("#first_recruited_on", "01/09/2008")
        page.fill("#first_recruiting_agency", "UBND huyện Gia Lâm")
        page.fill("#joined_current_agency_on", "01/09/2008")
        page.fill("#main_duties", "Văn thư – lưu trữ của UBND xã.\nTiếp nhận và trả kết quả hồ sơ.")
        page.click("#work_history-button")
        page.fill("#work_history-0-from_period", "9/2008")
        page.fill("#work_history-0-unit", "UBND xã Bát Tràng")
        page.fill("#work_history-0-title", "Công chức Văn phòng – Thống kê")
        save(page)
        page.screenshot(path=str(SHOTS / "12-section-5-saved.png"), full_page=True)

        # Gửi xác nhận: Chờ xác nhận is highlighted and the fields are read-only.
        page.goto(base + "/ho-so/")
        page.click("#btn-submit")
        assert "Đã gửi hồ sơ để xác nhận" in page.inner_text("body"), page.inner_text("body")[:3000]
        assert page.inner_text("#current-state") == "Chờ xác nhận"
        assert page.locator("#btn-submit").count() == 0
        page.screenshot(path=str(SHOTS / "13-submitted.png"), full_page=True)
        page.click("#tab-basic")
        assert page.is_disabled("#other_names") and page.is_disabled("#id_issued_on")
        assert page.locator("#btn-save-bottom").count() == 0
        assert "chỉ xem" in page.inner_text("#readonly-note")
        page.screenshot(path=str(SHOTS / "14-read-only.png"), full_page=True)
