"""The send loop against the fake portal on 127.0.0.1: exactly-once delivery through retries,
timeouts, refusals, dead letters, a worker killed mid-batch, and workers running at once.

Time is a settable clock handed to the worker, so leases and backoff are exercised without sleeping.
"""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from extensions import db
from models.snapshot_store import ProfileVersion
from models.sync import SyncBatch, SyncOutbox
from sync.client import PortalConfigError
from sync.outbox import VersionRef, enqueue
from sync.payload import idempotency_key
from sync.worker import WorkerSettings, retry_delay
from tests.test_sync_fake_portal import (
    Clock,
    build_world,
    configure_app,
    reconfirm,
    running_portal,
    worker,
)


class WorkerKilled(BaseException):
    """Stands for the process dying: not an Exception, so nothing in the worker catches it."""


def queue(keys: list[str], world) -> list[SyncOutbox]:  # type: ignore[no-untyped-def]
    """Queue the newest version of each profile as one batch (no validation, as a raw enqueue)."""
    batch = SyncBatch(created_by_id=world.users["leader_gl"].id, note="test", summary={})
    db.session.add(batch)
    db.session.flush()
    versions = []
    for key in keys:
        version = db.session.scalars(
            select(ProfileVersion)
            .where(ProfileVersion.profile_id == world.pid(key))
            .order_by(ProfileVersion.number.desc())
        ).first()
        versions.append(VersionRef(version.profile_id, version.id, version.number))
    enqueue(db.session, versions, batch=batch, now=datetime.now(UTC))
    db.session.commit()
    return rows()


def rows() -> list[SyncOutbox]:
    db.session.expire_all()
    return list(db.session.scalars(select(SyncOutbox).order_by(SyncOutbox.profile_id)))


def row_of(world, key: str) -> SyncOutbox:  # type: ignore[no-untyped-def]
    db.session.expire_all()
    return db.session.scalars(select(SyncOutbox).where(SyncOutbox.profile_id == world.pid(key))).one()


def test_fails_twice_then_succeeds_delivered_exactly_once(app):
    world = build_world()
    queue(["an"], world)
    clock = Clock()
    key = idempotency_key(world.pid("an"), 1)
    with running_portal(mode="flaky", fail_times=2) as (url, portal):
        w = worker(url, clock)
        first = w.run()
        row = row_of(world, "an")
        assert (first.failed, row.status, row.attempts) == (1, "failed", 1)
        assert "HTTP 503" in row.last_error
        # Backoff: not due again at once, so another run now sends nothing.
        assert w.run().processed == 0
        assert portal.request_count(key) == 1
        clock.advance(seconds=WorkerSettings(portal_url=url).retry_max_seconds + 1)
        assert w.run().failed == 1
        clock.advance(hours=2)
        assert w.run().sent == 1
        clock.advance(days=1)
        assert w.run().processed == 0  # a sent row is never sent again

    row = row_of(world, "an")
    assert (row.status, row.attempts, row.last_error) == ("sent", 3, None)
    assert row.portal_reference == "BNV-000001" and row.sent_at is not None
    assert portal.stored_keys() == [key]
    assert portal.request_count(key) == 3 and portal.accepted_count(key) == 1


def test_free_text_in_a_coded_field_is_refused_before_sending(app):
    world = build_world()
    profile = world.profiles["an"]
    reconfirm(profile, world.users["approver"], party_position="Bí thư chi bộ")
    db.session.commit()
    queue(["an"], world)
    with running_portal() as (url, portal):
        stats = worker(url).run()
    row = row_of(world, "an")
    assert stats.invalid == 1 and row.status == "invalid" and row.attempts == 1
    assert "Chức vụ Đảng hiện tại" in row.last_error
    assert "«Bí thư chi bộ» không phải là mã trong danh mục Chức vụ Đảng" in row.last_error
    assert portal.request_count() == 0  # no HTTP call at all


def test_timeout_is_a_temporary_failure_and_the_retry_does_not_duplicate(app):
    world = build_world()
    queue(["an"], world)
    key = idempotency_key(world.pid("an"), 1)
    clock = Clock()
    with running_portal(mode="timeout", delay=1.5) as (url, portal):
        w = worker(url, clock, timeout=0.3)
        started = time.monotonic()
        assert w.run().failed == 1
        assert time.monotonic() - started < 1.4  # the worker did not wait for the slow portal
        row = row_of(world, "an")
        assert row.status == "failed" and "không phản hồi trong 0,3 giây" in row.last_error
        due = row.next_attempt_at
        assert (due if due.tzinfo else due.replace(tzinfo=UTC)) > clock.now
        # The slow portal stored the record after we gave up; the retry must not create a second one.
        deadline = time.monotonic() + 5
        while key not in portal.stored_keys() and time.monotonic() < deadline:
            time.sleep(0.05)
        portal.configure(mode="accept")
        clock.advance(hours=2)
        assert w.run().sent == 1
    assert row_of(world, "an").status == "sent"
    assert portal.stored_keys() == [key] and portal.request_count(key) == 2


def test_a_4xx_refusal_is_dead_with_the_portal_reason_and_never_retried(app):
    world = build_world()
    queue(["an"], world)
    clock = Clock()
    with running_portal(mode="reject", reason="Mã đơn vị không tồn tại trên cổng") as (url, portal):
        w = worker(url, clock)
        assert w.run().dead == 1
        clock.advance(days=3)
        assert w.run().processed == 0
    row = row_of(world, "an")
    assert row.status == "dead" and row.attempts == 1
    assert row.last_error == "Cổng BNV từ chối hồ sơ (HTTP 422): Mã đơn vị không tồn tại trên cổng."
    assert portal.request_count() == 1 and portal.stored_keys() == []


def test_dead_letter_after_max_attempts_with_backoff(app):
    world = build_world()
    queue(["an"], world)
    clock = Clock()
    with running_portal(mode="error") as (url, portal):
        w = worker(url, clock, max_attempts=3)
        for _ in range(3):
            w.run()
            clock.advance(hours=2)
        assert w.run().processed == 0
    row = row_of(world, "an")
    assert row.status == "dead" and row.attempts == 3
    assert row.last_error.startswith("Đã thử gửi 3 lần không thành công, dừng gửi. Lần cuối: Cổng BNV báo lỗi")
    assert portal.request_count() == 3


def test_connection_refused_is_retried(app):
    world = build_world()
    queue(["an"], world)
    # A port nothing listens on (the portal is started and stopped to find a free one).
    with running_portal() as (url, _portal):
        pass
    stats = worker(url).run()
    row = row_of(world, "an")
    assert stats.failed == 1 and row.status == "failed" and "Không kết nối được cổng BNV" in row.last_error


def test_backoff_is_exponential_capped_and_jittered():
    settings = WorkerSettings(portal_url="http://127.0.0.1:1/", retry_base_seconds=30, retry_max_seconds=600)
    full = [retry_delay(n, settings, lambda: 1.0).total_seconds() for n in range(1, 7)]
    assert full == [30, 60, 120, 240, 480, 600]
    assert retry_delay(3, settings, lambda: 0.0).total_seconds() == 60  # jitter keeps at least half
    assert 60 < retry_delay(3, settings, lambda: 0.5).total_seconds() < 120


@pytest.mark.parametrize("portal_stored_it", [False, True], ids=["killed-before-post", "killed-after-post"])
def test_worker_killed_mid_batch_delivers_the_rest_nothing_twice(app, portal_stored_it):
    world = build_world()
    keys = ["an", "binh", "cuong", "hoa"]
    queue(keys, world)
    clock = Clock()
    with running_portal() as (url, portal):
        w = worker(url, clock, claim_size=4)
        real_send = w.sender.send
        calls = []

        def dying_send(key, payload):  # type: ignore[no-untyped-def]
            calls.append(key)
            if len(calls) == 3:
                if portal_stored_it:
                    real_send(key, payload)  # the portal stored it; we die before recording that
                raise WorkerKilled()
            return real_send(key, payload)

        w.sender.send = dying_send  # type: ignore[method-assign]
        with pytest.raises(WorkerKilled):
            w.run()
        db.session.rollback()
        states = {r.idempotency_key: r.status for r in rows()}
        assert sorted(states.values()) == ["sending", "sending", "sent", "sent"]

        # A restart while the leases still hold takes nothing (the dead worker might be alive).
        w.sender.send = real_send  # type: ignore[method-assign]
        assert w.run().processed == 0
        # After the lease: the rest is delivered.
        clock.advance(seconds=w.settings.lease.total_seconds() + 1)
        again = w.run()
        assert again.sent == 2

    final = rows()
    assert all(r.status == "sent" for r in final)
    assert sorted(portal.stored_keys()) == sorted(r.idempotency_key for r in final)
    for r in final:
        expected = 2 if (portal_stored_it and r.idempotency_key == calls[2]) else 1
        assert portal.request_count(r.idempotency_key) == expected, r.idempotency_key
        assert len([k for k in portal.stored_keys() if k == r.idempotency_key]) == 1
    reclaimed = {r.idempotency_key: r.attempts for r in final}
    assert sorted(reclaimed.values()) == [1, 1, 2, 2]


def test_two_workers_at_once_send_each_version_once(app):
    world = build_world()
    queue(["an", "binh", "cuong", "hoa"], world)
    start = threading.Barrier(2)
    results = []

    errors: list[BaseException] = []

    def run_worker(url: str) -> None:
        try:
            with app.app_context():
                w = worker(url, claim_size=1)
                start.wait()
                results.append(w.run())
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    with running_portal(mode="timeout", delay=0.2) as (url, portal):
        threads = [threading.Thread(target=run_worker, args=(url,)) for _ in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=60)
    assert errors == []
    assert sum(r.sent for r in results) == 4 and len(results) == 2
    for r in rows():
        assert r.status == "sent" and r.attempts == 1
        assert portal.request_count(r.idempotency_key) == 1


def test_cli_sync_run_once_and_limit(app):
    world = build_world()
    queue(["an", "binh", "cuong"], world)
    runner = app.test_cli_runner()
    result = runner.invoke(args=["sync", "run", "--once"])
    assert result.exit_code != 0 and "Chưa cấu hình địa chỉ cổng BNV" in result.output
    with running_portal() as (url, portal):
        configure_app(app, url)
        limited = runner.invoke(args=["sync", "run", "--once", "--limit", "1"])
        assert limited.exit_code == 0, limited.output
        assert "Kết quả gửi: 1 hồ sơ đã gửi." in limited.output
        rest = runner.invoke(args=["sync", "run", "--once"])
        assert "Kết quả gửi: 2 hồ sơ đã gửi." in rest.output
    assert portal.request_count() == 3
    assert db.session.scalar(select(func.count()).where(SyncOutbox.status == "sent")) == 3


def test_batch_is_finished_when_no_row_is_left_to_send(app):
    world = build_world()
    queue(["an", "binh"], world)
    batch = db.session.scalars(select(SyncBatch)).one()
    clock = Clock()
    with running_portal(mode="flaky", fail_times=1) as (url, _portal):
        w = worker(url, clock)
        w.run()
        db.session.refresh(batch)
        assert batch.finished_at is None  # two rows wait for their retry
        clock.advance(hours=2)
        w.run()
    db.session.refresh(batch)
    assert batch.finished_at is not None


def test_settings_from_config_and_production_rules():
    settings = WorkerSettings.from_config({"BNV_PORTAL_URL": "http://127.0.0.1:5055/x", "BNV_MAX_ATTEMPTS": 4})
    assert settings.max_attempts == 4 and settings.timeout == 10.0
    assert settings.lease >= timedelta(seconds=2 * settings.claim_size * settings.timeout)
    with pytest.raises(PortalConfigError, match="https"):
        WorkerSettings.from_config({"BNV_PORTAL_URL": "http://bnv.example/x", "ENV_NAME": "production"}).client()
    with pytest.raises(PortalConfigError, match="BNV_PORTAL_TOKEN"):
        WorkerSettings.from_config({"BNV_PORTAL_URL": "https://bnv.example/x", "ENV_NAME": "production"}).client()
    with pytest.raises(PortalConfigError):
        WorkerSettings.from_config({"BNV_PORTAL_URL": "file:///etc/passwd"}).client()


def test_tuning_settings_come_from_config_then_environment(monkeypatch):
    monkeypatch.setenv("BNV_RETRY_BASE_SECONDS", "5")
    monkeypatch.setenv("BNV_CLAIM_SIZE", "3")
    settings = WorkerSettings.from_config({"BNV_PORTAL_URL": "http://127.0.0.1:1/", "BNV_CLAIM_SIZE": 7})
    assert settings.retry_base_seconds == 5 and settings.claim_size == 7  # the config wins over the env


def test_a_polling_worker_stops_within_a_second_when_asked(app):
    build_world()
    naps: list[float] = []
    stop_after = 3
    with running_portal() as (url, _portal):
        w = worker(url, poll_seconds=30)
        w.sleep = naps.append  # type: ignore[method-assign]
        stats = w.run(once=False, stop=lambda: len(naps) >= stop_after)
    assert stats.processed == 0 and naps == [1.0] * stop_after
