"""Bulk Xác nhận / Từ chối on the approval queue over HTTP: the submitted ids are re-filtered through
the approver's scope, each row is checked and moved on its own, and the report names what was
skipped (but never a profile outside the scope). Refusals change nothing."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select, update

import admin_views.review_lists as review_lists
from extensions import db
from models.audit import AuditLog, ProfileHistory
from models.profile import Profile
from models.snapshot_store import ProfileVersion
from tests.conftest import csrf_token_from
from tests.test_review_lists import QUEUE, Cast, build_cast, database_state

ACTION_URL = QUEUE + "action/"
REJECT_URL = QUEUE + "tu-choi"


@pytest.fixture
def cast(app) -> Cast:
    return build_cast()


def status_of(profile_id: int) -> str:
    db.session.expire_all()
    return db.session.scalar(select(Profile.status).where(Profile.id == profile_id))


def row_state(profile_id: int) -> tuple:
    """Status, version and number of history rows of one profile."""
    db.session.expire_all()
    status, version = db.session.execute(
        select(Profile.status, Profile.version_id).where(Profile.id == profile_id)
    ).one()
    history = db.session.scalars(select(ProfileHistory.id).where(ProfileHistory.profile_id == profile_id)).all()
    return status, version, len(history)


def history_of(profile_id: int, action: str) -> list[ProfileHistory]:
    db.session.expire_all()
    return list(
        db.session.scalars(
            select(ProfileHistory).where(ProfileHistory.profile_id == profile_id, ProfileHistory.action == action)
        )
    )


def post_action(client, action: str, ids: list[int], *, token: bool = True):  # type: ignore[no-untyped-def]
    data: dict = {"action": action, "url": QUEUE, "rowid": [str(i) for i in ids]}
    if token:
        data["csrf_token"] = csrf_token_from(client.get(QUEUE).get_data(as_text=True))
    return client.post(ACTION_URL, data=data)


def flashed(client) -> str:  # type: ignore[no-untyped-def]
    """The flash messages the next page shows."""
    html = client.get(QUEUE).get_data(as_text=True)
    return " ".join(
        re.sub(r"\s+", " ", m).strip() for m in re.findall(r'<div class="alert[^"]*">(.*?)</div>', html, re.S)
    )


# --- Xác nhận -------------------------------------------------------------------------------------


def test_bulk_confirm_applies_to_pending_rows_in_scope(cast, login_as):
    client = login_as(cast.users["approver_u1"])
    response = post_action(client, "confirm", [cast.pid("huong"), cast.pid("anh")])
    assert response.status_code == 302
    assert response.headers["Location"].endswith(QUEUE)
    for key in ("huong", "anh"):
        assert status_of(cast.pid(key)) == "confirmed"
        entries = history_of(cast.pid(key), "confirm")
        assert len(entries) == 1 and entries[0].actor_id == cast.users["approver_u1"].id
        assert db.session.scalar(select(ProfileVersion).where(ProfileVersion.profile_id == cast.pid(key)))
    assert "2 hồ sơ đã xác nhận." in flashed(client)


def test_bulk_confirm_skips_wrong_state_own_and_out_of_scope_rows(cast, login_as):
    client = login_as(cast.users["approver_u1"])
    untouched = ("tam", "approver_u1", "duc", "lan", "huy")
    before = {key: row_state(cast.pid(key)) for key in untouched}
    ids = [cast.pid(k) for k in ("huong", "tam", "approver_u1", "duc", "lan", "huy")] + [999999]
    response = post_action(client, "confirm", ids)
    assert response.status_code == 302

    assert status_of(cast.pid("huong")) == "confirmed"
    # Tám is a draft; Duyên's is her own profile; Đức (U2), Lan (Ba Đình) and Huy (district level,
    # above U1) are outside her scope: status, version and history exactly as they were.
    assert {key: row_state(cast.pid(key)) for key in untouched} == before

    message = flashed(client)
    assert "1 hồ sơ đã xác nhận" in message
    assert "1 bỏ qua: không ở trạng thái Chờ xác nhận (Lê Văn Tám)" in message
    assert "1 bỏ qua: hồ sơ của chính bạn (Phạm Thị Duyên)" in message
    # Đức (U2), Lan (Ba Đình), Huy (district level, above U1) and a made-up id: counted, never named.
    assert "4 hồ sơ không thuộc phạm vi" in message
    for key in ("duc", "lan", "huy"):
        assert cast.name(key) not in message

    audit = db.session.scalar(select(AuditLog).where(AuditLog.action == "transition_refused"))
    assert audit is not None and audit.actor_id == cast.users["approver_u1"].id
    assert sorted(audit.details["out_of_scope"]) == sorted([cast.pid("duc"), cast.pid("lan"), cast.pid("huy"), 999999])
    assert audit.details["own"] == [cast.pid("approver_u1")]
    assert audit.details["wrong_state"] == [cast.pid("tam")]


def test_extra_ids_from_another_unit_in_the_wrong_state_are_untouched_and_reported(cast, login_as):
    """A forged POST: the approver of U2 adds ids of Bát Tràng (U1) and Ba Đình profiles, some not even pending."""
    client = login_as(cast.users["approver_u2"])
    foreign = [cast.pid(k) for k in ("tam", "huy", "lan", "huong")]
    before = database_state()
    response = post_action(client, "confirm", foreign)
    assert response.status_code == 302
    assert database_state() == before
    message = flashed(client)
    assert "0 hồ sơ đã xác nhận; 4 hồ sơ không thuộc phạm vi." in message
    for key in ("tam", "huy", "lan", "huong"):
        assert cast.name(key) not in message

    response = post_action(client, "confirm", [cast.pid("duc"), *foreign, "abc", "-1"])  # type: ignore[list-item]
    assert status_of(cast.pid("duc")) == "confirmed"
    assert database_state()[0] == tuple(
        row if row[0] != cast.pid("duc") else (row[0], "confirmed", row[2] + 1) for row in before[0]
    )
    assert "1 hồ sơ đã xác nhận; 6 hồ sơ không thuộc phạm vi." in flashed(client)


def test_bulk_confirm_without_csrf_token_is_refused(cast, login_as):
    client = login_as(cast.users["approver_u1"])
    before = database_state()
    response = post_action(client, "confirm", [cast.pid("huong"), cast.pid("anh")], token=False)
    assert response.status_code == 400
    assert database_state() == before


@pytest.mark.parametrize("viewer", ["tam", "hr_gl", "leader"])
def test_bulk_confirm_by_someone_without_the_approver_role_is_refused(cast, login_as, viewer):
    client = login_as(cast.users[viewer])
    token = csrf_token_from(client.get("/ho-so/").get_data(as_text=True))
    before = database_state()
    response = client.post(
        ACTION_URL, data={"csrf_token": token, "action": "confirm", "url": QUEUE, "rowid": [str(cast.pid("huong"))]}
    )
    assert response.status_code == 403
    assert database_state() == before


def test_hr_list_has_no_workflow_actions(cast, login_as):
    client = login_as(cast.users["hr_gl"])
    token = csrf_token_from(client.get("/quan-ly-ho-so/").get_data(as_text=True))
    assert 'id="bulk-confirm"' not in client.get("/quan-ly-ho-so/").get_data(as_text=True)
    before = database_state()
    for action in ("confirm", "reject", "delete"):
        response = client.post(
            "/quan-ly-ho-so/action/",
            data={"csrf_token": token, "action": action, "url": "/quan-ly-ho-so/", "rowid": [str(cast.pid("huong"))]},
        )
        assert response.status_code == 302
    assert database_state() == before


def test_a_row_lost_to_a_concurrent_approver_is_skipped_and_the_others_applied(cast, login_as, monkeypatch):
    """Another approver moves Ánh between our read and our write: her row is reported, Hường's is applied."""
    real_transition = review_lists.transition
    anh_id = cast.pid("anh")

    def racing_transition(session, profile, action, **kwargs):  # type: ignore[no-untyped-def]
        if profile.id == anh_id:
            with db.engine.begin() as other:  # a second connection: someone else's request
                other.execute(
                    update(Profile)
                    .where(Profile.id == anh_id)
                    .values(status="rejected", version_id=Profile.version_id + 1)
                )
        return real_transition(session, profile, action, **kwargs)

    monkeypatch.setattr(review_lists, "transition", racing_transition)
    client = login_as(cast.users["approver_u1"])
    response = post_action(client, "confirm", [cast.pid("huong"), anh_id])
    assert response.status_code == 302
    assert status_of(cast.pid("huong")) == "confirmed"
    assert status_of(anh_id) == "rejected"  # the other approver's decision stands
    assert history_of(anh_id, "confirm") == []
    assert db.session.scalar(select(ProfileVersion).where(ProfileVersion.profile_id == anh_id)) is None
    message = flashed(client)
    assert "1 hồ sơ đã xác nhận; 1 bỏ qua: vừa được người khác xử lý (Lý Thị Ngọc Ánh)." in message


# --- Từ chối --------------------------------------------------------------------------------------


def test_bulk_reject_action_only_opens_the_note_page(cast, login_as):
    client = login_as(cast.users["approver_u1"])
    before = database_state()
    response = post_action(client, "reject", [cast.pid("huong"), cast.pid("anh")])
    assert response.status_code == 302
    location = response.headers["Location"]
    assert location.startswith(REJECT_URL)
    assert f"id={cast.pid('huong')}" in location and f"id={cast.pid('anh')}" in location
    page = client.get(location)
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Nguyễn Thị Hường" in html and "Lý Thị Ngọc Ánh" in html
    assert 'name="note"' in html and 'name="csrf_token"' in html
    assert database_state() == before


def test_note_page_names_only_profiles_in_scope(cast, login_as):
    client = login_as(cast.users["approver_u1"])
    before = database_state()
    ids = [cast.pid("huong"), cast.pid("duc"), cast.pid("lan"), cast.pid("approver_u1")]
    html = client.get(REJECT_URL, query_string={"id": ids}).get_data(as_text=True)
    assert "Nguyễn Thị Hường" in html
    for key in ("duc", "lan", "approver_u1"):
        assert cast.name(key) not in html.split('id="reject-selection"')[1]
    assert "3 hồ sơ không thuộc phạm vi của bạn sẽ được bỏ qua" in html
    assert database_state() == before


@pytest.mark.parametrize("note", ["", "   \n  "])
def test_empty_note_is_refused_and_keeps_the_selection(cast, login_as, note):
    client = login_as(cast.users["approver_u1"])
    ids = [cast.pid("huong"), cast.pid("anh")]
    page = client.get(REJECT_URL, query_string={"id": ids, "url": QUEUE}).get_data(as_text=True)
    before = database_state()
    response = client.post(
        REJECT_URL, data={"csrf_token": csrf_token_from(page), "id": [str(i) for i in ids], "url": QUEUE, "note": note}
    )
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Hãy ghi rõ lý do từ chối" in html
    for pid in ids:
        assert f'name="id" value="{pid}"' in html
    assert "Nguyễn Thị Hường" in html and "Lý Thị Ngọc Ánh" in html
    assert database_state() == before


def test_bulk_reject_with_a_note_rejects_each_row_with_one_history_row(cast, login_as):
    client = login_as(cast.users["approver_u1"])
    ids = [cast.pid(k) for k in ("huong", "anh", "tam", "lan")]
    page = client.get(REJECT_URL, query_string={"id": ids, "url": QUEUE}).get_data(as_text=True)
    note = "Thiếu quá trình đào tạo, bồi dưỡng; bổ sung bằng tốt nghiệp."
    response = client.post(
        REJECT_URL, data={"csrf_token": csrf_token_from(page), "id": [str(i) for i in ids], "url": QUEUE, "note": note}
    )
    assert response.status_code == 302
    assert response.headers["Location"].endswith(QUEUE)
    for key in ("huong", "anh"):
        assert status_of(cast.pid(key)) == "rejected"
        entries = history_of(cast.pid(key), "reject")
        assert len(entries) == 1
        assert entries[0].note == note
        assert entries[0].actor_id == cast.users["approver_u1"].id
    assert status_of(cast.pid("tam")) == "draft" and history_of(cast.pid("tam"), "reject") == []
    assert status_of(cast.pid("lan")) == "pending" and history_of(cast.pid("lan"), "reject") == []
    message = flashed(client)
    assert (
        "2 hồ sơ đã từ chối; 1 bỏ qua: không ở trạng thái Chờ xác nhận (Lê Văn Tám); 1 hồ sơ không thuộc phạm vi."
        in (message)
    )
    assert "Vũ Thị Lan" not in message


def test_bulk_reject_without_csrf_token_is_refused(cast, login_as):
    client = login_as(cast.users["approver_u1"])
    before = database_state()
    response = client.post(REJECT_URL, data={"id": [str(cast.pid("huong"))], "url": QUEUE, "note": "Thiếu ảnh."})
    assert response.status_code == 400
    assert database_state() == before


@pytest.mark.parametrize("viewer", ["tam", "hr_gl", "leader"])
def test_bulk_reject_by_someone_without_the_approver_role_is_refused(cast, login_as, viewer):
    client = login_as(cast.users[viewer])
    token = csrf_token_from(client.get("/ho-so/").get_data(as_text=True))
    before = database_state()
    assert client.get(REJECT_URL, query_string={"id": cast.pid("huong")}).status_code == 403
    response = client.post(REJECT_URL, data={"csrf_token": token, "id": [str(cast.pid("huong"))], "note": "Sai."})
    assert response.status_code == 403
    assert database_state() == before


def test_reject_page_never_redirects_off_site(cast, login_as):
    client = login_as(cast.users["approver_u1"])
    page = client.get(REJECT_URL, query_string={"id": cast.pid("huong"), "url": "https://evil.example/"})
    html = page.get_data(as_text=True)
    assert "evil.example" not in html
    response = client.post(
        REJECT_URL,
        data={
            "csrf_token": csrf_token_from(html),
            "id": [str(cast.pid("huong"))],
            "url": "//evil.example/",
            "note": "Thiếu ảnh 4x6.",
        },
    )
    assert response.status_code == 302
    assert response.headers["Location"].endswith(QUEUE)
