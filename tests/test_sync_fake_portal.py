"""The fake BNV portal itself, and the helpers the other sync tests share (a running portal on
127.0.0.1, a small organisation with confirmed profiles, a worker with a controllable clock).

The helpers live here rather than in conftest.py so the sync tests stay self-contained; they are
plain functions and context managers, not fixtures, so importing them is explicit.
"""

from __future__ import annotations

import json
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from extensions import db
from models.org import OrgUnit
from models.profile import Profile
from models.refdata import load_reference_data
from models.user import User
from models.workflow import transition
from sync.client import PortalClient
from sync.fake_portal import PATH, FakePortalState, create_app, portal_state
from sync.worker import Worker, WorkerSettings
from tests.browser import serve
from tests.factories import make_unit, make_user

PASSWORD = "Mật khẩu đủ mạnh 2026"
TOKEN = "test-bnv-token"


# --- helpers shared by the sync tests ----------------------------------------------------------------


@contextmanager
def running_portal(**settings: Any) -> Iterator[tuple[str, FakePortalState]]:
    """A fake portal on a free 127.0.0.1 port; yields (endpoint URL, its state)."""
    portal = create_app({"token": TOKEN, **settings})
    with serve(portal) as base:
        yield base + PATH, portal_state(portal)


class Clock:
    """A settable UTC clock for the worker: lease expiry and backoff without sleeping."""

    def __init__(self) -> None:
        self.now = datetime.now(UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> datetime:
        self.now += timedelta(**delta)
        return self.now


def worker(url: str, clock: Clock | None = None, **settings: Any) -> Worker:
    """A worker on the test's session against `url` (short timeout, no jitter unless asked)."""
    merged = {"portal_url": url, "token": TOKEN, "timeout": 2.0, **settings}
    config = WorkerSettings(**merged)
    client = PortalClient(config.portal_url, config.token, timeout=config.timeout)
    return Worker(db.session, client, config, clock=clock or Clock(), rand=lambda: 1.0)


def confirm(profile: Profile, approver: User) -> None:
    """Walk a draft profile to confirmed (a new confirmed version), as the employee and approver would."""
    now = datetime.now(UTC)
    transition(db.session, profile, "submit", actor_id=profile.owner_id, now=now)
    transition(db.session, profile, "confirm", actor_id=approver.id, now=now)


def reconfirm(profile: Profile, approver: User, **changes: Any) -> None:
    """Sửa → change → Gửi xác nhận → Xác nhận: the next confirmed version."""
    transition(db.session, profile, "reopen", actor_id=profile.owner_id, now=datetime.now(UTC))
    for name, value in changes.items():
        setattr(profile, name, value)
    confirm(profile, approver)


@dataclass
class World:
    units: dict[str, OrgUnit]
    users: dict[str, User]
    profiles: dict[str, Profile] = field(default_factory=dict)

    def pid(self, key: str) -> int:
        return self.profiles[key].id


# key: (full name, unit, confirmed?)
PEOPLE = {
    "an": ("Nguyễn Văn An", "BT", True),
    "binh": ("Trần Thị Bình", "BT", True),
    "cuong": ("Lê Văn Cường", "GL", True),
    "dung": ("Phạm Thị Dung", "BT", False),
    "hoa": ("Vũ Thị Hoa", "BD", True),
}


def build_world() -> World:
    """Hà Nội ⊃ {Gia Lâm ⊃ Bát Tràng, Ba Đình}; a leader each for Gia Lâm and Ba Đình; the profiles
    of PEOPLE, confirmed (version 1) where marked. Committed."""
    load_reference_data(db.session)
    hn = make_unit("UBND Thành phố Hà Nội", code="HN")
    gl = make_unit("UBND huyện Gia Lâm", parent=hn, code="GL")
    units = {
        "HN": hn,
        "GL": gl,
        "BT": make_unit("UBND xã Bát Tràng", parent=gl, code="GL-BT", kind="xa"),
        "BD": make_unit("UBND quận Ba Đình", parent=hn, code="BD"),
    }
    users = {
        "approver": make_user("Đặng Minh Tuấn", unit=hn, password=PASSWORD, roles=[("approver", hn)]),
        "leader_gl": make_user("Hoàng Trọng Khải", unit=gl, password=PASSWORD, roles=[("leader", gl)]),
        "leader_gl2": make_user("Ngô Quang Huy", unit=gl, password=PASSWORD, roles=[("leader", gl)]),
        "leader_bd": make_user("Lê Văn Ba", unit=units["BD"], password=PASSWORD, roles=[("leader", units["BD"])]),
        "hr_gl": make_user("Phạm Thị Nhung", unit=gl, password=PASSWORD, roles=[("hr", gl)]),
        "admin": make_user("Quản Trị Viên", unit=hn, password=PASSWORD, roles=[("sysadmin", hn)]),
    }
    world = World(units, users)
    for key, (name, unit, confirmed) in PEOPLE.items():
        user = make_user(name, unit=units[unit], password=PASSWORD)
        users[key] = user
        profile = db.session.query(Profile).filter_by(owner_id=user.id).one()
        world.profiles[key] = profile
        if confirmed:
            confirm(profile, users["approver"])
    db.session.commit()
    return world


def login(client: FlaskClient, user: User) -> FlaskClient:
    """A logged-in session in `client`'s cookie (as tests/conftest.py's login_as, for any client)."""
    import time

    now = int(time.time())
    with client.session_transaction() as sess:
        sess.clear()
        sess["_user_id"] = user.get_id()
        sess["_fresh"] = True
        sess["login_at"] = now
        sess["seen_at"] = now
    return client


def configure_app(app: Flask, url: str, **extra: Any) -> None:
    app.config.update(BNV_PORTAL_URL=url, BNV_PORTAL_TOKEN=TOKEN, BNV_TIMEOUT_SECONDS=2.0, **extra)


# --- the fake portal's own behaviour -------------------------------------------------------------------


def _post(url: str, key: str | None, body: dict[str, Any], token: str = TOKEN) -> tuple[int, dict[str, Any]]:
    headers = {"Content-Type": "application/json", "Authorization": f"Bearer {token}"}
    if key is not None:
        headers["Idempotency-Key"] = key
    request = urllib.request.Request(url, data=json.dumps(body).encode(), headers=headers, method="POST")
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    try:
        with opener.open(request, timeout=5) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read())


def test_fake_portal_stores_once_per_key_and_replays_the_reference():
    with running_portal() as (url, state):
        first = _post(url, "7:1", {"idempotency_key": "7:1"})
        again = _post(url, "7:1", {"idempotency_key": "7:1"})
        other = _post(url, "7:2", {"idempotency_key": "7:2"})
    assert first == (201, {"reference": "BNV-000001", "duplicate": False})
    assert again == (200, {"reference": "BNV-000001", "duplicate": True})
    assert other[0] == 201 and other[1]["reference"] == "BNV-000002"
    assert state.stored_keys() == ["7:1", "7:2"]
    assert state.request_count("7:1") == 2 and state.accepted_count("7:1") == 2


@pytest.mark.parametrize(
    ("key", "body", "token", "status"),
    [
        (None, {"idempotency_key": "1:1"}, TOKEN, 400),  # no Idempotency-Key
        ("1:1", {"idempotency_key": "1:2"}, TOKEN, 400),  # header and body disagree
        ("1:1", {"idempotency_key": "1:1"}, "wrong", 401),
    ],
)
def test_fake_portal_refuses_malformed_requests(key, body, token, status):
    with running_portal() as (url, state):
        assert _post(url, key, body, token)[0] == status
    assert state.stored_keys() == []


def test_fake_portal_modes():
    with running_portal(mode="flaky", fail_times=2) as (url, state):
        codes = [_post(url, "1:1", {"idempotency_key": "1:1"})[0] for _ in range(3)]
        assert codes == [503, 503, 201]
        state.configure(mode="reject", reason="Sai mã")
        assert _post(url, "2:1", {"idempotency_key": "2:1"}) == (422, {"reason": "Sai mã"})
        state.configure(mode="error")
        assert _post(url, "3:1", {"idempotency_key": "3:1"})[0] == 503
    assert state.stored_keys() == ["1:1"]
    with pytest.raises(ValueError):
        state.configure(mode="nonsense")
