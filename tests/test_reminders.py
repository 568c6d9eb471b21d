"""Nhắc nhở: HR of the unit sends (POST + CSRF), it is recorded (Reminder + audit), the employees of
that unit whose profile is not submitted see it on their profile page until they submit, and the
dashboard shows when the unit was last reminded. Everyone else is refused with nothing written.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select

from extensions import db
from models.audit import AuditLog
from models.campaign import Reminder
from models.profile import Profile
from models.workflow import transition
from oversight.reminders import (
    MESSAGE_MAX_LENGTH,
    ReminderError,
    active_reminder,
    clean_message,
    default_message,
    send_reminder,
)
from tests.conftest import csrf_token_from
from tests.test_progress import DEADLINE, World, build_world, database_state

MESSAGE = "Đề nghị các đồng chí hoàn thiện hồ sơ trước thứ Sáu."


@pytest.fixture
def world(app) -> World:  # type: ignore[no-untyped-def]
    return build_world()


def unit_page(client: FlaskClient, world: World, key: str) -> str:
    return client.get(f"/tien-do/don-vi/{world.units[key].id}?dot={world.campaign.id}").get_data(as_text=True)


def post_reminder(client: FlaskClient, world: World, key: str, message: str = MESSAGE):  # type: ignore[no-untyped-def]
    """POST the reminder form of a unit with the session's CSRF token (from the logout form that
    every logged-in page carries, so it works for users who may not open the unit page)."""
    token = csrf_token_from(client.get("/ho-so/").get_data(as_text=True))
    return client.post(
        f"/tien-do/don-vi/{world.units[key].id}/nhac-nho",
        data={"csrf_token": token, "dot": str(world.campaign.id), "message": message},
    )


def profile_page(client: FlaskClient) -> str:
    return client.get("/ho-so/").get_data(as_text=True)


def owners(world: World, key: str, status: str) -> list:  # type: ignore[type-arg]
    return [p.owner for p in world.profiles[key] if p.status == status]


# --- sending ---------------------------------------------------------------------------------------------------


def test_hr_sends_a_reminder(world: World, login_as) -> None:  # type: ignore[no-untyped-def]
    client = login_as(world.users["hr_gl"])
    page = unit_page(client, world, "BT")
    assert 'id="reminder-form"' in page
    assert "Đề nghị đồng chí" in page  # the default Vietnamese text is proposed
    assert re.search(r'id="reminder-recipients">3<', page)  # 2 draft + 1 rejected
    response = post_reminder(client, world, "BT")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/tien-do/don-vi/{world.units['BT'].id}?dot={world.campaign.id}")
    reminder = db.session.scalar(select(Reminder))
    assert reminder.org_unit_id == world.units["BT"].id
    assert reminder.campaign_id == world.campaign.id
    assert reminder.sent_by_id == world.users["hr_gl"].id
    assert reminder.message == MESSAGE
    audit = db.session.scalar(select(AuditLog).where(AuditLog.action == "reminder_sent"))
    assert audit.actor_id == world.users["hr_gl"].id and audit.object_id == str(world.units["BT"].id)
    assert audit.details["recipients"] == 3 and audit.details["reminder_id"] == reminder.id
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Đã gửi nhắc nhở tới UBND xã Bát Tràng: 3 người" in page
    assert MESSAGE in page  # the unit's reminder history


def test_dashboard_shows_when_the_unit_was_last_reminded(world: World, login_as) -> None:  # type: ignore[no-untyped-def]
    client = login_as(world.users["hr_gl"])
    sent = datetime(2023, 5, 15, 1, 30, tzinfo=UTC)  # 08:30 in Hà Nội
    send_reminder(
        db.session, campaign=world.campaign, unit=world.units["BT"], sender=world.users["hr_gl"], message="A", now=sent
    )
    send_reminder(
        db.session,
        campaign=world.campaign,
        unit=world.units["BT"],
        sender=world.users["hr_gl"],
        message="B",
        now=sent + timedelta(days=1),
    )
    db.session.commit()
    html = client.get("/tien-do/").get_data(as_text=True)
    row = re.search(rf'<tr id="unit-{world.units["BT"].id}".*?</tr>', html, re.S).group(0)  # type: ignore[union-attr]
    assert "16/05/2023 08:30" in row
    other = re.search(rf'<tr id="unit-{world.units["BT1"].id}".*?</tr>', html, re.S).group(0)  # type: ignore[union-attr]
    assert "Chưa nhắc" in other
    late = client.get("/tien-do/cham").get_data(as_text=True)
    assert "16/05/2023 08:30" in late


@pytest.mark.parametrize("who", ["approver_bt", "leader_gl"])
def test_approvers_and_leaders_cannot_send(world: World, login_as, who: str) -> None:  # type: ignore[no-untyped-def]
    client = login_as(world.users[who])
    assert 'id="reminder-form"' not in unit_page(client, world, "BT")
    before = database_state()
    assert post_reminder(client, world, "BT").status_code == 403
    assert database_state() == before


def test_employee_cannot_send(world: World, login_as) -> None:  # type: ignore[no-untyped-def]
    client = login_as(world.users["employee"])
    before = database_state()
    assert post_reminder(client, world, "BT").status_code == 403
    assert database_state() == before


def test_anonymous_cannot_send(world: World, client: FlaskClient) -> None:
    before = database_state()
    response = client.post(
        f"/tien-do/don-vi/{world.units['BT'].id}/nhac-nho", data={"dot": world.campaign.id, "message": MESSAGE}
    )
    assert response.status_code in (302, 400)
    assert database_state() == before


def test_hr_outside_the_unit_gets_404(world: World, login_as) -> None:  # type: ignore[no-untyped-def]
    # HR of Bát Tràng may remind its own subunit, not a sibling unit of the district.
    client = login_as(world.users["hr_bt"])
    before = database_state()
    assert post_reminder(client, world, "CB").status_code == 404
    assert post_reminder(client, world, "GL").status_code == 404
    assert database_state() == before
    assert post_reminder(client, world, "BT1").status_code == 302


def test_hr_of_another_district_gets_404(world: World, login_as) -> None:  # type: ignore[no-untyped-def]
    client = login_as(world.users["hr_bd"])
    before = database_state()
    assert post_reminder(client, world, "BT").status_code == 404
    assert database_state() == before


def test_post_without_csrf_token_is_refused(world: World, login_as) -> None:  # type: ignore[no-untyped-def]
    client = login_as(world.users["hr_gl"])
    before = database_state()
    response = client.post(
        f"/tien-do/don-vi/{world.units['BT'].id}/nhac-nho", data={"dot": world.campaign.id, "message": MESSAGE}
    )
    assert response.status_code == 400
    assert database_state() == before


def test_get_does_not_send(world: World, login_as) -> None:  # type: ignore[no-untyped-def]
    client = login_as(world.users["hr_gl"])
    before = database_state()
    assert client.get(f"/tien-do/don-vi/{world.units['BT'].id}/nhac-nho").status_code == 405
    assert database_state() == before


@pytest.mark.parametrize(
    ("message", "error"),
    [
        ("   ", "Nhập nội dung nhắc nhở."),
        ("x" * (MESSAGE_MAX_LENGTH + 1), f"tối đa {MESSAGE_MAX_LENGTH} ký tự"),
        ("bad\x07bell", "ký tự không hợp lệ"),
    ],
)
def test_bad_message_is_refused_and_kept(world: World, login_as, message: str, error: str) -> None:  # type: ignore[no-untyped-def]
    client = login_as(world.users["hr_gl"])
    before = database_state()
    response = post_reminder(client, world, "BT", message)
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert error in html
    assert database_state() == before


def test_unit_with_nobody_to_remind_is_refused(world: World, login_as) -> None:  # type: ignore[no-untyped-def]
    client = login_as(world.users["hr_gl"])
    before = database_state()
    response = post_reminder(client, world, "CB")  # everything confirmed
    assert response.status_code == 400
    assert "không cần nhắc nhở" in response.get_data(as_text=True)
    assert database_state() == before


def test_message_helpers(world: World) -> None:
    assert clean_message("  Dòng 1  \r\n\r\n  Dòng 2 ") == "Dòng 1\nDòng 2"
    with pytest.raises(ReminderError):
        clean_message("")
    assert "đã hết hạn ngày 12/05/2023" in default_message(world.campaign, DEADLINE + timedelta(days=1))
    assert "trước ngày 12/05/2023" in default_message(world.campaign, DEADLINE)
    with pytest.raises(ReminderError):  # Ba Đình is not in the Gia Lâm campaign
        send_reminder(
            db.session,
            campaign=world.campaign,
            unit=world.units["BD"],
            sender=world.users["admin"],
            message="x",
            now=datetime.now(UTC),
        )


# --- who sees it -------------------------------------------------------------------------------------------------


def test_shown_to_unsubmitted_employees_of_the_unit_only(world: World, login_as) -> None:  # type: ignore[no-untyped-def]
    hr = login_as(world.users["hr_gl"])
    assert post_reminder(hr, world, "BT", "Nhắc <b>khẩn</b>: hoàn thiện hồ sơ").status_code == 302

    def sees(user) -> bool:  # type: ignore[no-untyped-def]
        html = profile_page(login_as(user))
        return 'id="reminder-banner"' in html

    for owner in owners(world, "BT", "draft") + owners(world, "BT", "rejected"):
        assert sees(owner), owner.full_name
    for owner in owners(world, "BT", "pending") + owners(world, "BT", "confirmed"):
        assert not sees(owner), owner.full_name
    # A subunit and other units are not reminded: their rows and reminders are their own.
    for key in ("BT1", "GL", "CB", "BD"):
        for profile in world.profiles[key]:
            assert not sees(profile.owner), (key, profile.full_name)
    html = profile_page(login_as(owners(world, "BT", "draft")[0]))
    assert "Nhắc &lt;b&gt;khẩn&lt;/b&gt;" in html  # user text is escaped
    assert "Cập nhật hồ sơ CBCCVC 2023" in html and "12/05/2023" in html


def test_hr_viewing_a_profile_does_not_see_the_employees_banner(world: World, login_as) -> None:  # type: ignore[no-untyped-def]
    hr = login_as(world.users["hr_gl"])
    assert post_reminder(hr, world, "BT").status_code == 302
    draft = next(p for p in world.profiles["BT"] if p.status == "draft")
    assert 'id="reminder-banner"' not in hr.get(f"/ho-so/{draft.id}/").get_data(as_text=True)


def test_gone_after_submit_and_back_with_a_newer_reminder(world: World, login_as) -> None:  # type: ignore[no-untyped-def]
    hr = login_as(world.users["hr_gl"])
    assert post_reminder(hr, world, "BT").status_code == 302
    profile = next(p for p in world.profiles["BT"] if p.status == "draft")
    owner = profile.owner
    assert 'id="reminder-banner"' in profile_page(login_as(owner))

    transition(db.session, profile, "submit", actor_id=owner.id, now=datetime.now(UTC) + timedelta(seconds=1))
    db.session.commit()
    assert 'id="reminder-banner"' not in profile_page(login_as(owner))

    # Rejected after submitting: the old reminder was answered by the submission; it stays gone.
    transition(
        db.session, profile, "reject", actor_id=None, now=datetime.now(UTC) + timedelta(seconds=2), note="Thiếu."
    )
    db.session.commit()
    db.session.refresh(profile)
    assert active_reminder(db.session, profile) is None
    assert 'id="reminder-banner"' not in profile_page(login_as(owner))

    # A newer reminder shows again.
    send_reminder(
        db.session,
        campaign=world.campaign,
        unit=world.units["BT"],
        sender=world.users["hr_gl"],
        message="Lần hai",
        now=datetime.now(UTC) + timedelta(seconds=3),
    )
    db.session.commit()
    html = profile_page(login_as(owner))
    assert 'id="reminder-banner"' in html and "Lần hai" in html


def test_latest_reminder_is_the_one_shown(world: World) -> None:
    now = datetime.now(UTC)
    for n, text in enumerate(("Cũ", "Mới")):
        send_reminder(
            db.session,
            campaign=world.campaign,
            unit=world.units["BT"],
            sender=world.users["hr_gl"],
            message=text,
            now=now + timedelta(minutes=n),
        )
    db.session.commit()
    profile = db.session.scalar(
        select(Profile).where(Profile.org_unit_id == world.units["BT"].id, Profile.status == "draft").limit(1)
    )
    shown = active_reminder(db.session, profile)
    assert shown is not None and shown.message == "Mới" and shown.sender_name == "Cán Bộ hr_gl"
