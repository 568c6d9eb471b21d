"""Đồng bộ BNV in a real browser, on the demo data: the Gia Lâm leader syncs the confirmed profiles
of a school and sees them become "đã gửi bản số 1"; then one more profile by ticking it, and the
history. The fake portal runs in a thread on 127.0.0.1; nothing leaves the machine."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from sqlalchemy import select

from demo.seed import seed_demo_data
from extensions import db
from models.org import OrgUnit
from models.profile import Profile
from models.user import User
from sync.payload import idempotency_key
from tests.browser import browser_page, serve
from tests.test_sync_fake_portal import configure_app, reconfirm, running_portal

pytestmark = pytest.mark.browser

SHOTS = Path(os.environ.get("SCREENSHOT_DIR", "test-artifacts/screenshots"))
LEADER = ("030072005106", "LanhDao#GiaLam24")
SCHOOL = "Trường THCS Cổ Bi"


def navigate(page, selector: str) -> None:  # type: ignore[no-untyped-def]
    """Click something that loads a new page, and wait for that page before reading it."""
    with page.expect_navigation():
        page.click(selector)


def test_gia_lam_leader_syncs_a_unit_in_chromium(app):
    seed_demo_data(db.session)
    db.session.commit()
    school = db.session.scalars(select(OrgUnit).where(OrgUnit.name == SCHOOL)).one()
    school_profiles = list(
        db.session.scalars(select(Profile).where(Profile.org_unit_id == school.id, Profile.status == "confirmed"))
    )
    assert len(school_profiles) >= 2
    other = db.session.scalars(
        select(Profile)
        .join(OrgUnit, OrgUnit.id == Profile.org_unit_id)
        .where(OrgUnit.name == "Phòng Nội vụ", Profile.status == "confirmed")
    ).first()
    SHOTS.mkdir(parents=True, exist_ok=True)

    with running_portal() as (portal_url, portal), serve(app) as base, browser_page() as page:
        configure_app(app, portal_url)
        page.on("dialog", lambda dialog: dialog.accept())  # the unit-wide send asks for confirmation
        page.goto(base + "/login")
        page.fill("#username", LEADER[0])
        page.fill("#password", LEADER[1])
        navigate(page, "main button[type=submit]")
        navigate(page, "text=Đồng bộ BNV")
        assert page.url.startswith(base + "/dong-bo/")
        assert page.inner_text("#page-title") == "Đồng bộ lên cổng BNV"
        for profile in school_profiles:
            assert page.inner_text(f"#profile-{profile.id} .sync-state") == "Chưa gửi"
        page.screenshot(path=str(SHOTS / "sync-01-list.png"), full_page=True)

        # Narrow the list to the school, then send everything of the school not yet synced.
        page.select_option("#filter-unit", label=SCHOOL)
        navigate(page, "#sync-filters button[type=submit]")
        assert page.input_value("#send-unit") == str(school.id)
        navigate(page, "#send-unit-button")
        body = page.inner_text("body")
        assert f"{len(school_profiles)} hồ sơ đưa vào hàng đợi gửi lên cổng BNV" in body
        assert f"Kết quả gửi: {len(school_profiles)} hồ sơ đã gửi." in body
        for profile in school_profiles:
            state = page.inner_text(f"#profile-{profile.id} .sync-state")
            assert "đã gửi bản số 1" in state.lower(), state
        page.screenshot(path=str(SHOTS / "sync-02-unit-sent.png"), full_page=True)

        # One more profile, ticked in the full list.
        navigate(page, "text=Bỏ lọc")
        page.check("#select-all")  # ticks every row of the page…
        assert page.locator("#sync-list .row-select:checked").count() == page.locator("#sync-list tbody tr").count()
        page.uncheck("#select-all")  # …and clears them again
        assert page.locator("#sync-list .row-select:checked").count() == 0
        page.check(f"#profile-{other.id} .row-select")
        navigate(page, "#send-selected")
        assert "đã gửi bản số 1" in page.inner_text(f"#profile-{other.id} .sync-state").lower()
        page.select_option("#filter-state", value="sent")
        navigate(page, "#sync-filters button[type=submit]")
        assert page.locator("#sync-list tbody tr").count() == len(school_profiles) + 1
        page.screenshot(path=str(SHOTS / "sync-03-sent-filter.png"), full_page=True)

        navigate(page, "#history-link")
        assert page.locator("#batches tbody tr").count() == 2
        page.screenshot(path=str(SHOTS / "sync-04-history.png"), full_page=True)
        navigate(page, "#batches tbody tr:last-child >> text=Chi tiết")
        assert "Hoàng Trọng Khải" in page.inner_text("#batch-facts")
        assert page.locator("#batch-rows tbody tr[data-status=sent]").count() == len(school_profiles)
        page.screenshot(path=str(SHOTS / "sync-05-batch.png"), full_page=True)

    expected = {idempotency_key(p.id, 1) for p in [*school_profiles, other]}
    assert set(portal.stored_keys()) == expected
    assert all(portal.request_count(key) == 1 for key in expected)


def test_the_leader_sees_every_state_in_chromium(app):
    """Sent, out of date, refused by the portal, refused before sending, never sent: one screen."""
    seed_demo_data(db.session)
    db.session.commit()
    approver = db.session.scalars(select(User).where(User.cccd == "001079003812")).one()
    school = db.session.scalars(select(OrgUnit).where(OrgUnit.name == SCHOOL)).one()
    tam, phuc = db.session.scalars(
        select(Profile)
        .where(Profile.org_unit_id == school.id, Profile.status == "confirmed")
        .order_by(Profile.full_name_search)
    ).all()[:2]
    interior = db.session.scalars(
        select(Profile)
        .join(OrgUnit, OrgUnit.id == Profile.org_unit_id)
        .where(OrgUnit.name == "Phòng Nội vụ", Profile.status == "confirmed")
        .order_by(Profile.full_name_search)
    ).all()
    rejected, invalid = interior[0], interior[1]
    reconfirm(invalid, approver, party_position="Bí thư chi bộ")
    db.session.commit()
    SHOTS.mkdir(parents=True, exist_ok=True)

    with running_portal() as (portal_url, portal), serve(app) as base, browser_page() as page:
        configure_app(app, portal_url)
        page.goto(base + "/login")
        page.fill("#username", LEADER[0])
        page.fill("#password", LEADER[1])
        navigate(page, "main button[type=submit]")
        page.goto(base + "/dong-bo/")
        for profile in (tam, phuc, invalid):
            page.check(f"#profile-{profile.id} .row-select")
        navigate(page, "#send-selected")
        assert "1 hồ sơ dữ liệu chưa hợp lệ, không gửi" in page.inner_text("body")
        portal.configure(mode="reject", reason="Số hiệu CBCCVC đã tồn tại trên cổng")
        page.check(f"#profile-{rejected.id} .row-select")
        navigate(page, "#send-selected")
        reconfirm(phuc, approver, other_names="Phúc Nguyễn")
        db.session.commit()
        page.goto(base + "/dong-bo/")
        states = {p.id: page.inner_text(f"#profile-{p.id} .sync-state") for p in (tam, phuc, rejected, invalid)}
        assert states[tam.id].startswith("Đã gửi bản số 1 lúc")
        assert states[phuc.id].startswith("Cần gửi lại: có bản xác nhận mới hơn (bản số 2)")
        assert "Số hiệu CBCCVC đã tồn tại trên cổng" in states[rejected.id]
        assert "«Bí thư chi bộ» không phải là mã trong danh mục Chức vụ Đảng" in states[invalid.id]
        page.screenshot(path=str(SHOTS / "sync-06-states.png"), full_page=True)
