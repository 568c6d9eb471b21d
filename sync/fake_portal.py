"""A stand-in for the BNV portal, for demos and tests. Never deployed; binds where it is told.

    flask --app sync.fake_portal run --port 5055
    BNV_PORTAL_URL=http://127.0.0.1:5055/api/v1/profiles flask --app app sync run --once

It speaks the protocol of docs/bnv_sync.md: POST JSON with `Authorization: Bearer <token>` (checked
when a token is configured) and `Idempotency-Key`; it stores one record per key and answers a
repeated key with the first record's reference (`"duplicate": true`), which is what makes a retry
after a lost answer harmless. It records every request, so a test can tell how often a key was
sent (`request_count`) from how many records exist (`records`, one per key at most).

Behaviour (the `mode`), set by environment variables at start (FAKE_BNV_MODE, FAKE_BNV_REASON,
FAKE_BNV_FAIL_TIMES, FAKE_BNV_DELAY, FAKE_BNV_TOKEN), by `POST /_config` with a JSON body, or in
process through `portal_state(app).configure(...)`:
- accept: store and answer 201 (200 for a known key);
- reject: answer 422 {"reason": reason} (a record the portal refuses);
- timeout: wait `delay` seconds, then store and answer (a slow portal that still stores);
- flaky: answer 503 to the first `fail_times` requests of each key, then accept;
- error: always 503.
"""

from __future__ import annotations

import os
import threading
import time
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from flask import Flask, jsonify, request

MODES = ("accept", "reject", "timeout", "flaky", "error")
PATH = "/api/v1/profiles"
EXTENSION = "fake_bnv_portal"


@dataclass
class FakePortalState:
    """What the fake portal does and what it has seen; every access holds the lock (threaded server)."""

    mode: str = "accept"
    reason: str = "Giá trị «Chức vụ Đảng» không có trong danh mục quốc gia."
    fail_times: int = 2
    delay: float = 5.0
    token: str = ""
    records: dict[str, dict[str, Any]] = field(default_factory=dict)
    requests: list[dict[str, Any]] = field(default_factory=list)
    _failures: Counter[str] = field(default_factory=Counter)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def configure(self, **settings: Any) -> None:
        with self._lock:
            for name, value in settings.items():
                if name not in ("mode", "reason", "fail_times", "delay", "token"):
                    raise ValueError(f"unknown setting {name}")
                if name == "mode" and value not in MODES:
                    raise ValueError(f"unknown mode {value}")
                setattr(self, name, value)

    def reset(self) -> None:
        with self._lock:
            self.records.clear()
            self.requests.clear()
            self._failures.clear()

    def request_count(self, key: str | None = None) -> int:
        """POSTs received (for one key, or in all), whatever the answer."""
        with self._lock:
            return sum(1 for r in self.requests if key is None or r["key"] == key)

    def accepted_count(self, key: str) -> int:
        """2xx answers given for `key` (a first store and any duplicate replays)."""
        with self._lock:
            return sum(1 for r in self.requests if r["key"] == key and 200 <= r["status"] < 300)

    def snapshot(self) -> dict[str, Any]:
        """What was stored (without the payloads) and every request, for a look from a browser."""
        with self._lock:
            return {
                "records": {
                    key: {"reference": record["reference"], "stored_at": record["stored_at"]}
                    for key, record in self.records.items()
                },
                "requests": list(self.requests),
            }

    def stored_keys(self) -> list[str]:
        with self._lock:
            return list(self.records)

    # --- request handling (called by the view) ----------------------------------------------------

    def _log(self, key: str, status: int) -> None:
        self.requests.append({"key": key, "status": status, "at": datetime.now(UTC).isoformat()})

    def _store(self, key: str, payload: dict[str, Any]) -> tuple[dict[str, Any], int]:
        with self._lock:
            known = self.records.get(key)
            if known is not None:
                self._log(key, 200)
                return {"reference": known["reference"], "duplicate": True}, 200
            reference = f"BNV-{len(self.records) + 1:06d}"
            self.records[key] = {"reference": reference, "payload": payload, "stored_at": datetime.now(UTC).isoformat()}
            self._log(key, 201)
            return {"reference": reference, "duplicate": False}, 201

    def handle(self, key: str, payload: dict[str, Any]) -> tuple[dict[str, Any], int]:
        with self._lock:
            mode, delay, reason = self.mode, self.delay, self.reason
            if mode == "reject":
                self._log(key, 422)
                return {"reason": reason}, 422
            if mode == "error" or (mode == "flaky" and self._failures[key] < self.fail_times):
                self._failures[key] += 1
                self._log(key, 503)
                return {"reason": "Hệ thống đang bận, vui lòng thử lại sau."}, 503
        if mode == "timeout":
            time.sleep(delay)
        return self._store(key, payload)


def portal_state(app: Flask) -> FakePortalState:
    return app.extensions[EXTENSION]


def _env_settings() -> dict[str, Any]:
    return {
        "mode": os.environ.get("FAKE_BNV_MODE", "accept"),
        "reason": os.environ.get("FAKE_BNV_REASON", FakePortalState.reason),
        "fail_times": int(os.environ.get("FAKE_BNV_FAIL_TIMES", 2)),
        "delay": float(os.environ.get("FAKE_BNV_DELAY", 5)),
        "token": os.environ.get("FAKE_BNV_TOKEN", ""),
    }


def create_app(settings: Mapping[str, Any] | None = None) -> Flask:
    """The fake portal; `settings` as for `FakePortalState.configure`, else from the environment."""
    app = Flask(__name__)
    state = FakePortalState()
    state.configure(**(dict(settings) if settings is not None else _env_settings()))
    app.extensions[EXTENSION] = state

    @app.post(PATH)
    def receive():  # type: ignore[no-untyped-def]
        if state.token and request.headers.get("Authorization") != f"Bearer {state.token}":
            return jsonify(reason="Sai hoặc thiếu mã truy cập."), 401
        key = (request.headers.get("Idempotency-Key") or "").strip()
        if not key:
            return jsonify(reason="Thiếu tiêu đề Idempotency-Key."), 400
        payload = request.get_json(silent=True)
        if not isinstance(payload, dict):
            return jsonify(reason="Nội dung không phải JSON."), 400
        if payload.get("idempotency_key") != key:
            return jsonify(reason="Idempotency-Key không khớp với idempotency_key trong nội dung."), 400
        body, status = state.handle(key, payload)
        return jsonify(body), status

    @app.get("/")
    def summary():  # type: ignore[no-untyped-def]
        return jsonify(
            mode=state.mode,
            records=len(state.stored_keys()),
            requests=state.request_count(),
            endpoint=PATH,
        )

    @app.get("/_records")
    def records():  # type: ignore[no-untyped-def]
        return jsonify(state.snapshot())

    @app.post("/_config")
    def configure():  # type: ignore[no-untyped-def]
        try:
            state.configure(**(request.get_json(silent=True) or {}))
        except (TypeError, ValueError) as exc:
            return jsonify(reason=str(exc)), 400
        return jsonify(mode=state.mode, fail_times=state.fail_times, delay=state.delay)

    return app
