"""Đồng bộ BNV over HTTP: who reaches the pages, the states the list shows, sending selected
profiles or a whole unit, scope and CSRF refusals (status AND an unchanged database), two leaders
at once, and the history."""

from __future__ import annotations

import html
import re
import threading
from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from extensions import db
from models.audit import AuditLog
from models.profile import Profile
from models.snapshot_store import ProfileVersion
from models.sync import SyncBatch, SyncOutbox
from models.workflow import transition
from sync.payload import idempotency_key
from tests.conftest import csrf_token_from
from tests.factories import make_user
from tests.test_sync_fake_portal import (
    PASSWORD,
    build_world,
    configure_app,
    confirm,
    login,
    reconfirm,
    running_portal,
)

LIST = "/dong-bo/"
SEND = "/dong-bo/gui"
SEND_UNIT = "/dong-bo/gui-don-vi"
HISTORY = "/dong-bo/lich-su"


def page_text(body: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", body)).split())


def row_text(body: str, profile_id: int) -> str | None:
    match = re.search(rf'<tr id="profile-{profile_id}"[^>]*>(.*?)</tr>', body, re.S)
    return page_text(match.group(1)) if match else None


def sync_counts() -> tuple[int, int]:
    db.session.expire_all()
    return (
        db.session.scalar(select(func.count()).select_from(SyncOutbox)),
        db.session.scalar(select(func.count()).select_from(SyncBatch)),
    )


def post_send(client, ids, *, token=True, url=LIST):  # type: ignore[no-untyped-def]
    data = {"profile_id": [str(i) for i in ids], "url": url}
    if token:
        data["csrf_token"] = csrf_token_from(client.get(LIST).get_data(as_text=True))
    return client.post(SEND, data=data, follow_redirects=True)


def post_unit(client, unit_id, *, token=True):  # type: ignore[no-untyped-def]
    data = {"unit_id": str(unit_id), "url": LIST}
    if token:
        data["csrf_token"] = csrf_token_from(client.get(LIST).get_data(as_text=True))
    return client.post(SEND_UNIT, data=data, follow_redirects=True)


# --- access -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "status"),
    [("leader_gl", 200), ("admin", 200), ("hr_gl", 403), ("approver", 403), ("an", 403)],
)
def test_only_leaders_and_sysadmin_reach_the_pages(app, client, who, status):
    world = build_world()
    login(client, world.users[who])
    for path in (LIST, HISTORY):
        assert client.get(path).status_code == status
    nav = client.get("/quan-ly-ho-so/" if who == "hr_gl" else LIST).get_data(as_text=True)
    if status == 200:
        assert "Đồng bộ BNV" in nav


def test_anonymous_is_sent_to_login(app, client):
    response = client.get(LIST)
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_the_menu_entry_is_hidden_from_others(app, client):
    world = build_world()
    login(client, world.users["an"])
    page = client.get("/ho-so/", follow_redirects=True).get_data(as_text=True)
    assert "Đồng bộ BNV" not in page


@pytest.mark.parametrize("who", ["hr_gl", "an"])
def test_posts_by_others_are_refused_and_change_nothing(app, client, who):
    world = build_world()
    login(client, world.users["leader_gl"])
    token = csrf_token_from(client.get(LIST).get_data(as_text=True))
    login(client, world.users[who])
    for path, data in ((SEND, {"profile_id": [str(world.pid("an"))]}), (SEND_UNIT, {"unit_id": "1"})):
        response = client.post(path, data={**data, "csrf_token": token})
        assert response.status_code in (400, 403)
    assert sync_counts() == (0, 0)


def test_post_without_csrf_token_is_400_and_nothing_is_queued(app, client):
    world = build_world()
    login(client, world.users["leader_gl"])
    assert post_send(client, [world.pid("an")], token=False).status_code == 400
    assert post_unit(client, world.units["BT"].id, token=False).status_code == 400
    assert sync_counts() == (0, 0)


# --- scope ---------------------------------------------------------------------------------------------


def test_a_ba_dinh_leader_cannot_queue_gia_lam_profiles(app, client):
    world = build_world()
    versions_before = db.session.scalar(select(func.count()).select_from(ProfileVersion))
    login(client, world.users["leader_bd"])
    page = page_text(post_send(client, [world.pid("an"), world.pid("binh")]).get_data(as_text=True))
    assert "2 hồ sơ không thuộc phạm vi, bỏ qua" in page
    assert world.profiles["an"].full_name not in page  # an out-of-scope name is never revealed
    page = page_text(post_unit(client, world.units["GL"].id).get_data(as_text=True))
    assert "Đơn vị đã chọn không thuộc phạm vi đồng bộ của bạn" in page
    assert sync_counts() == (0, 0)
    assert db.session.scalar(select(func.count()).select_from(ProfileVersion)) == versions_before
    refusals = db.session.scalars(select(AuditLog).where(AuditLog.action == "sync_refused")).all()
    assert len(refusals) == 2  # the refusal itself is audited


def test_out_of_scope_ids_are_ignored_and_counted_in_a_mixed_request(app, client):
    world = build_world()
    login(client, world.users["leader_bd"])
    with running_portal() as (url, portal):
        configure_app(app, url)
        page = page_text(post_send(client, [world.pid("hoa"), world.pid("an"), 999999, "x"]).get_data(as_text=True))
    assert "1 hồ sơ đưa vào hàng đợi" in page and "3 hồ sơ không thuộc phạm vi, bỏ qua" in page
    assert [o.profile_id for o in db.session.scalars(select(SyncOutbox))] == [world.pid("hoa")]
    assert portal.stored_keys() == [idempotency_key(world.pid("hoa"), 1)]


def test_the_list_shows_only_confirmed_profiles_in_scope(app, client):
    world = build_world()
    login(client, world.users["leader_gl"])
    body = client.get(LIST).get_data(as_text=True)
    for key in ("an", "binh", "cuong"):
        assert row_text(body, world.pid(key)) is not None
    assert row_text(body, world.pid("dung")) is None  # never confirmed
    assert row_text(body, world.pid("hoa")) is None  # Ba Đình


# --- states ---------------------------------------------------------------------------------------------


def test_the_list_shows_each_sync_state(app, client):
    world = build_world()
    approver = world.users["approver"]
    giang = make_user("Đỗ Thị Giang", unit=world.units["BT"], password=PASSWORD)
    em = make_user("Lý Văn Em", unit=world.units["BT"], password=PASSWORD)
    profiles = {p.owner_id: p for p in db.session.scalars(select(Profile))}
    giang_profile, em_profile = profiles[giang.id], profiles[em.id]
    confirm(giang_profile, approver)
    em_profile.party_position = "Bí thư chi bộ"  # free text where a code is required
    confirm(em_profile, approver)
    db.session.commit()
    pid = {"giang": giang_profile.id, "em": em_profile.id, **{k: world.pid(k) for k in world.profiles}}

    login(client, world.users["leader_gl"])
    with running_portal() as (url, portal):
        configure_app(app, url)
        post_send(client, [pid["an"], pid["cuong"]])
        portal.configure(mode="reject", reason="Số CCCD đã được dùng cho hồ sơ khác")
        post_send(client, [pid["binh"]])
        portal.configure(mode="error")
        post_send(client, [pid["giang"]])
        page = page_text(post_send(client, [pid["em"]]).get_data(as_text=True))
        assert "1 hồ sơ dữ liệu chưa hợp lệ, không gửi (Lý Văn Em)" in page
    assert portal.request_count(idempotency_key(pid["em"], 1)) == 0
    reconfirm(world.profiles["cuong"], approver, other_names="Cường Lê")
    confirm(world.profiles["dung"], approver)
    db.session.commit()

    body = client.get(LIST).get_data(as_text=True)
    rows = {key: row_text(body, pid[key]) for key in ("an", "binh", "cuong", "dung", "giang", "em")}
    assert re.search(r"Đã gửi bản số 1 lúc \d\d/\d\d/\d{4} \d\d:\d\d", rows["an"]), rows["an"]
    assert "Mã tiếp nhận: BNV-" in rows["an"]
    assert "Lỗi : Cổng BNV từ chối hồ sơ (HTTP 422): Số CCCD đã được dùng cho hồ sơ khác." in rows["binh"]
    assert "Đã dừng gửi sau 1 lần thử" in rows["binh"]
    assert "Lỗi : Cổng BNV báo lỗi máy chủ (HTTP 503)" in rows["giang"]
    assert "Đã thử 1 lần; sẽ tự thử lại lúc" in rows["giang"]
    assert "Cần gửi lại : có bản xác nhận mới hơn (bản số 2) so với bản đã gửi (bản số 1)" in rows["cuong"]
    assert rows["dung"].endswith("Chưa gửi")
    assert "Dữ liệu chưa hợp lệ : Chức vụ Đảng hiện tại: «Bí thư chi bộ» không phải là mã" in rows["em"]

    # The state filter and its counts.
    sent_only = client.get(LIST + "?trang_thai=sent").get_data(as_text=True)
    assert row_text(sent_only, pid["an"]) and not row_text(sent_only, pid["cuong"])
    assert "Đã gửi (1)" in page_text(sent_only) and "Lỗi (2)" in page_text(sent_only)
    outdated = client.get(LIST + "?trang_thai=outdated").get_data(as_text=True)
    assert row_text(outdated, pid["cuong"]) and not row_text(outdated, pid["an"])
    # The unit filter.
    gl_only = client.get(LIST + f"?don_vi={world.units['GL'].id}").get_data(as_text=True)
    assert row_text(gl_only, pid["an"]) is not None  # Bát Tràng is below Gia Lâm


def test_sending_again_the_newer_version_after_an_update(app, client):
    world = build_world()
    login(client, world.users["leader_gl"])
    with running_portal() as (url, portal):
        configure_app(app, url)
        post_send(client, [world.pid("an")])
        page = page_text(post_send(client, [world.pid("an")]).get_data(as_text=True))
        assert "Không có hồ sơ nào cần gửi: 1 hồ sơ đã gửi bản xác nhận mới nhất trước đó" in page
        reconfirm(world.profiles["an"], world.users["approver"], other_names="An Nguyễn")
        db.session.commit()
        post_send(client, [world.pid("an")])
    assert portal.stored_keys() == [idempotency_key(world.pid("an"), 1), idempotency_key(world.pid("an"), 2)]
    body = client.get(LIST).get_data(as_text=True)
    assert "Đã gửi bản số 2 lúc" in row_text(body, world.pid("an"))


# --- sending ----------------------------------------------------------------------------------------------


def test_send_selected_is_delivered_inline(app, client):
    world = build_world()
    login(client, world.users["leader_gl"])
    with running_portal() as (url, portal):
        configure_app(app, url)
        page = page_text(post_send(client, [world.pid("an"), world.pid("binh")]).get_data(as_text=True))
    assert "2 hồ sơ đưa vào hàng đợi gửi lên cổng BNV" in page
    assert "Kết quả gửi: 2 hồ sơ đã gửi." in page
    assert sorted(portal.stored_keys()) == sorted(idempotency_key(world.pid(k), 1) for k in ("an", "binh"))
    batch = db.session.scalars(select(SyncBatch)).one()
    assert batch.created_by_id == world.users["leader_gl"].id and batch.finished_at is not None
    assert batch.org_unit_id == world.units["BT"].id  # both profiles are in Bát Tràng
    assert batch.summary["queued"] == 2


def test_send_all_confirmed_and_not_yet_synced_of_a_unit(app, client):
    world = build_world()
    login(client, world.users["leader_gl"])
    with running_portal() as (url, portal):
        configure_app(app, url)
        page = page_text(post_unit(client, world.units["BT"].id).get_data(as_text=True))
        assert "2 hồ sơ đưa vào hàng đợi" in page  # An and Bình; Dung was never confirmed
        again = page_text(post_unit(client, world.units["BT"].id).get_data(as_text=True))
        assert "Không có hồ sơ nào cần gửi." in again
        whole = page_text(post_unit(client, world.units["GL"].id).get_data(as_text=True))
        assert "1 hồ sơ đưa vào hàng đợi" in whole  # only Cường is left in the district
    keys = {idempotency_key(world.pid(k), 1) for k in ("an", "binh", "cuong")}
    assert set(portal.stored_keys()) == keys
    assert all(portal.request_count(k) == 1 for k in keys)
    assert db.session.scalar(select(func.count()).select_from(SyncBatch)) == 2  # no empty batch


def test_without_a_portal_url_rows_wait_on_the_queue(app, client):
    world = build_world()
    login(client, world.users["leader_gl"])
    assert "Chưa cấu hình địa chỉ cổng BNV" in page_text(client.get(LIST).get_data(as_text=True))
    page = page_text(post_send(client, [world.pid("an")]).get_data(as_text=True))
    assert "Hồ sơ đã ở trong hàng đợi và sẽ được gửi khi cấu hình xong" in page
    assert [o.status for o in db.session.scalars(select(SyncOutbox))] == ["pending"]
    assert "Đang chờ gửi bản số 1" in row_text(client.get(LIST).get_data(as_text=True), world.pid("an"))


def test_a_large_batch_is_left_to_the_worker(app, client):
    world = build_world()
    login(client, world.users["leader_gl"])
    with running_portal() as (url, portal):
        configure_app(app, url, BNV_INLINE_MAX=1)
        page = page_text(post_send(client, [world.pid("an"), world.pid("binh")]).get_data(as_text=True))
    assert "2 hồ sơ sẽ được tiến trình đồng bộ gửi dần lên cổng BNV" in page
    assert portal.request_count() == 0
    assert {o.status for o in db.session.scalars(select(SyncOutbox))} == {"pending"}


def test_two_leaders_syncing_the_same_profiles_at_once_send_each_version_once(app):
    world = build_world()
    ids = [world.pid(k) for k in ("an", "binh", "cuong")]
    clients = [login(app.test_client(), world.users[k]) for k in ("leader_gl", "leader_gl2")]
    tokens = [csrf_token_from(c.get(LIST).get_data(as_text=True)) for c in clients]
    start = threading.Barrier(2)
    statuses = []

    def leader(index: int) -> None:
        start.wait()
        response = clients[index].post(
            SEND, data={"csrf_token": tokens[index], "profile_id": [str(i) for i in ids], "url": LIST}
        )
        statuses.append(response.status_code)

    with running_portal(mode="timeout", delay=0.1) as (url, portal):
        configure_app(app, url)
        threads = [threading.Thread(target=leader, args=(i,)) for i in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=60)
    assert statuses == [302, 302]
    outbox = list(db.session.scalars(select(SyncOutbox)))
    assert len(outbox) == 3 and {o.status for o in outbox} == {"sent"}
    for pid in ids:
        key = idempotency_key(pid, 1)
        assert portal.request_count(key) == 1, key  # each version POSTed once, by one of the two
    assert sorted(portal.stored_keys()) == sorted(idempotency_key(pid, 1) for pid in ids)


def test_the_return_url_stays_on_the_page(app, client):
    world = build_world()
    login(client, world.users["leader_gl"])
    token = csrf_token_from(client.get(LIST).get_data(as_text=True))
    for target in ("https://evil.example/", "//evil.example/dong-bo/", "/quan-ly-ho-so/"):
        response = client.post(SEND, data={"csrf_token": token, "profile_id": [], "url": target})
        assert response.headers["Location"].endswith(LIST)


# --- history ----------------------------------------------------------------------------------------------


def test_history_lists_batches_and_their_per_profile_results(app, client):
    world = build_world()
    login(client, world.users["leader_gl"])
    with running_portal() as (url, portal):
        configure_app(app, url)
        post_send(client, [world.pid("an")])
        portal.configure(mode="reject", reason="Thiếu mã định danh")
        post_send(client, [world.pid("binh")])
    history = client.get(HISTORY).get_data(as_text=True)
    batches = list(db.session.scalars(select(SyncBatch).order_by(SyncBatch.id)))
    assert len(batches) == 2
    first = re.search(rf'<tr id="batch-{batches[0].id}"[^>]*>(.*?)</tr>', history, re.S)
    assert first and "Hoàng Trọng Khải" in page_text(first.group(1))
    assert re.search(r'count-sent">1<', first.group(1))
    second = re.search(rf'<tr id="batch-{batches[1].id}"[^>]*>(.*?)</tr>', history, re.S)
    assert second and re.search(r'count-failed">1<', second.group(1))

    detail = page_text(client.get(f"{HISTORY}/{batches[1].id}").get_data(as_text=True))
    assert "Trần Thị Bình" in detail and "Lỗi, dừng gửi" in detail
    assert "Cổng BNV từ chối hồ sơ (HTTP 422): Thiếu mã định danh." in detail

    # Another district's leader sees neither the batches nor their details.
    login(client, world.users["leader_bd"])
    assert f"batch-{batches[0].id}" not in client.get(HISTORY).get_data(as_text=True)
    assert client.get(f"{HISTORY}/{batches[0].id}").status_code == 404


def test_versions_are_frozen_what_was_confirmed_is_what_is_sent(app, client):
    """Editing the live profile after confirmation does not change the payload of that version."""
    world = build_world()
    profile = world.profiles["an"]
    transition(db.session, profile, "reopen", actor_id=profile.owner_id, now=datetime.now(UTC))
    profile.other_names = "Tên sửa sau khi xác nhận"
    db.session.commit()
    login(client, world.users["leader_gl"])
    with running_portal() as (url, portal):
        configure_app(app, url)
        post_send(client, [world.pid("an")])
        with portal._lock:
            payload = portal.records[idempotency_key(world.pid("an"), 1)]["payload"]
    assert payload["sections"]["basic"]["other_names"] is None
    assert payload["sections"]["basic"]["full_name"] == "Nguyễn Văn An"
