"""The send loop: claim due outbox rows, validate, POST, record the outcome; retries with backoff.

Run it with `flask --app app sync run` (a daemon that polls), `--once` (until nothing is due) and
`--limit N` (at most N rows). The leader's page also runs it inline for a small batch, restricted
to that batch's rows and bounded in time.

Transactions: claiming commits before any HTTP call (the lease must be visible to other workers),
no transaction is open while waiting on the portal, and each outcome commits on its own. So a
worker killed at any point loses at most the outcome of the row in flight: that row stays
'sending' until its lease expires, is claimed again, and the portal's deduplication by the
idempotency key turns the second delivery into a no-op.
"""

from __future__ import annotations

import logging
import os
import random
import time
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Protocol

from sqlalchemy import select

from models.base import utcnow
from models.org import OrgUnit
from models.refs import RefLookup
from models.snapshot_store import ProfileVersion
from sync.client import PortalClient, PortalConfigError, PortalResult, check_portal_url
from sync.outbox import (
    Claim,
    DbSession,
    claim,
    close_finished_batches,
    mark_dead,
    mark_failed,
    mark_invalid,
    mark_sent,
    release,
)
from sync.payload import UnitRef, build_payload, unit_ids_of

log = logging.getLogger(__name__)

DEFAULTS: dict[str, Any] = {
    "BNV_TIMEOUT_SECONDS": 10.0,
    "BNV_MAX_ATTEMPTS": 8,
    "BNV_LEASE_SECONDS": 300.0,
    "BNV_RETRY_BASE_SECONDS": 30.0,
    "BNV_RETRY_MAX_SECONDS": 3600.0,
    "BNV_CLAIM_SIZE": 5,
    "BNV_POLL_SECONDS": 10.0,
}
INTERNAL_ERROR = "Lỗi nội bộ khi chuẩn bị hoặc gửi dữ liệu; hệ thống sẽ thử lại."


class Sender(Protocol):
    def send(self, key: str, payload: dict[str, Any]) -> PortalResult: ...


@dataclass(frozen=True)
class WorkerSettings:
    portal_url: str
    token: str = ""
    timeout: float = DEFAULTS["BNV_TIMEOUT_SECONDS"]
    max_attempts: int = DEFAULTS["BNV_MAX_ATTEMPTS"]
    lease_seconds: float = DEFAULTS["BNV_LEASE_SECONDS"]
    retry_base_seconds: float = DEFAULTS["BNV_RETRY_BASE_SECONDS"]
    retry_max_seconds: float = DEFAULTS["BNV_RETRY_MAX_SECONDS"]
    claim_size: int = DEFAULTS["BNV_CLAIM_SIZE"]
    poll_seconds: float = DEFAULTS["BNV_POLL_SECONDS"]
    proxy: str | None = None
    require_https: bool = False

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> WorkerSettings:
        def get(name: str) -> Any:
            return setting(config, name, DEFAULTS[name])

        return cls(
            portal_url=str(config.get("BNV_PORTAL_URL") or "").strip(),
            token=str(config.get("BNV_PORTAL_TOKEN") or "").strip(),
            timeout=float(get("BNV_TIMEOUT_SECONDS")),
            max_attempts=max(1, int(get("BNV_MAX_ATTEMPTS"))),
            lease_seconds=float(get("BNV_LEASE_SECONDS")),
            retry_base_seconds=max(1.0, float(get("BNV_RETRY_BASE_SECONDS"))),
            retry_max_seconds=float(get("BNV_RETRY_MAX_SECONDS")),
            claim_size=max(1, int(get("BNV_CLAIM_SIZE"))),
            poll_seconds=float(get("BNV_POLL_SECONDS")),
            proxy=str(setting(config, "BNV_HTTP_PROXY", "")).strip() or None,
            require_https=config.get("ENV_NAME") == "production",
        )

    @property
    def lease(self) -> timedelta:
        """Long enough for a whole claimed group to time out one by one, twice over: a lease that
        expires while its worker is still busy would let a second worker send the same rows."""
        return timedelta(seconds=max(self.lease_seconds, 2 * self.claim_size * self.timeout + 30))

    def client(self) -> PortalClient:
        """The HTTP client; PortalConfigError (Vietnamese) when the settings cannot work."""
        url = check_portal_url(self.portal_url, require_https=self.require_https)
        if self.require_https and not self.token:
            raise PortalConfigError("Chưa cấu hình mã truy cập cổng BNV (BNV_PORTAL_TOKEN).")
        return PortalClient(url, self.token, timeout=self.timeout, proxy=self.proxy)


def setting(config: Mapping[str, Any], name: str, default: Any) -> Any:
    """A sync setting: the Flask config, else the environment variable of the same name, else `default`.

    config.py carries the main BNV_* keys; the tuning knobs are read here so they need no entry there.
    """
    value = config.get(name)
    if value is None or value == "":
        value = os.environ.get(name, "").strip()
    return default if value is None or value == "" else value


def retry_delay(attempts: int, settings: WorkerSettings, rand: Callable[[], float] = random.random) -> timedelta:
    """Exponential backoff with jitter: base × 2^(attempts − 1), capped, then a random 50–100 % of it.

    The jitter spreads the retries of a batch that failed together (a portal outage), so they do
    not all hit the recovering portal in the same second; keeping at least half keeps the backoff.
    """
    raw = min(settings.retry_max_seconds, settings.retry_base_seconds * 2 ** max(attempts - 1, 0))
    return timedelta(seconds=raw * (0.5 + 0.5 * rand()))


@dataclass
class RunStats:
    sent: int = 0
    failed: int = 0
    dead: int = 0
    invalid: int = 0
    released: int = 0  # claimed but given back unsent (out of time, or asked to stop)
    lost: int = 0  # our lease had expired and another worker owned the row by the time we finished

    @property
    def processed(self) -> int:
        return self.sent + self.failed + self.dead + self.invalid + self.lost

    def summary(self) -> str:
        """E.g. "Kết quả gửi: 4 hồ sơ đã gửi; 1 lỗi, sẽ tự thử lại." (zero counts left out)."""
        parts = [
            f"{count} {text}"
            for count, text in (
                (self.sent, "hồ sơ đã gửi"),
                (self.failed, "lỗi, sẽ tự thử lại"),
                (self.dead, "lỗi, dừng gửi"),
                (self.invalid, "dữ liệu chưa hợp lệ, không gửi"),
                (self.released, "chưa kịp gửi, để lại cho tiến trình đồng bộ"),
                (self.lost, "do tiến trình khác xử lý"),
            )
            if count
        ]
        if not parts:
            return "Không có hồ sơ nào đến hạn gửi."
        return "Kết quả gửi: " + "; ".join(parts) + "."


def load_units(session: DbSession, ids: Collection[int]) -> dict[int, UnitRef]:
    if not ids:
        return {}
    rows = session.execute(select(OrgUnit.id, OrgUnit.code, OrgUnit.name).where(OrgUnit.id.in_(list(ids))))
    return {row.id: UnitRef(row.code, row.name) for row in rows}


class Worker:
    """One worker: a session, a sender and the settings; `run()` is the loop."""

    def __init__(
        self,
        session: DbSession,
        sender: Sender,
        settings: WorkerSettings,
        *,
        clock: Callable[[], datetime] = utcnow,
        sleep: Callable[[float], None] = time.sleep,
        rand: Callable[[], float] = random.random,
    ) -> None:
        self.session = session
        self.sender = sender
        self.settings = settings
        self.clock = clock
        self.sleep = sleep
        self.rand = rand

    def run(
        self,
        *,
        once: bool = True,
        limit: int | None = None,
        only_ids: Collection[int] | None = None,
        deadline: float | None = None,
        stop: Callable[[], bool] = lambda: False,
    ) -> RunStats:
        """Send due rows. `once`: stop when nothing is due (else poll forever); `limit`: at most that
        many rows; `only_ids`: only these outbox rows; `deadline`: a time.monotonic() value after
        which claimed rows are released unsent; `stop`: checked between rows (signal handlers)."""
        stats = RunStats()
        while not stop():
            if deadline is not None and time.monotonic() >= deadline:
                break
            room = self.settings.claim_size if limit is None else min(self.settings.claim_size, limit - stats.processed)
            if room <= 0:
                break
            # Per round: a daemon must see list updates. (A scoped_session proxies a Session.)
            refs = RefLookup.load(self.session)  # type: ignore[arg-type]
            claims = claim(self.session, now=self.clock(), lease=self.settings.lease, limit=room, only_ids=only_ids)
            self.session.commit()
            if not claims:
                if once:
                    break
                self._idle(stop)
                continue
            for index, c in enumerate(claims):
                if stop() or (deadline is not None and time.monotonic() >= deadline):
                    for rest in claims[index:]:
                        stats.released += int(release(self.session, rest))
                    self.session.commit()
                    break
                self._process(c, refs, stats)
            close_finished_batches(self.session, {c.batch_id for c in claims if c.batch_id}, now=self.clock())
            self.session.commit()
        return stats

    def _idle(self, stop: Callable[[], bool]) -> None:
        """Wait for the next poll in short steps, so a stop request is honoured within a second."""
        waited = 0.0
        while waited < self.settings.poll_seconds and not stop():
            step = min(1.0, self.settings.poll_seconds - waited)
            self.sleep(step)
            waited += step

    # --- one row ---------------------------------------------------------------------------------

    def _process(self, c: Claim, refs: RefLookup, stats: RunStats) -> None:
        try:
            version = self.session.get(ProfileVersion, c.profile_version_id)
            if version is None:  # the profile was deleted: its outbox rows went with it
                self.session.commit()
                return
            result = build_payload(version, refs, load_units(self.session, unit_ids_of(version.data or {})))
            self.session.commit()  # no transaction stays open while we wait on the portal
        except Exception:
            log.exception("sync %s: could not build the payload", c.idempotency_key)
            self.session.rollback()
            self._retry_or_dead(c, INTERNAL_ERROR, stats)
            return
        if not result.ok:
            log.info("sync %s: invalid, not sent", c.idempotency_key)
            self._record(mark_invalid(self.session, c, result.reason()), stats, "invalid")
            return
        try:
            answer = self.sender.send(c.idempotency_key, result.payload)
        except Exception:
            log.exception("sync %s: the client failed", c.idempotency_key)
            answer = PortalResult("retry", reason=INTERNAL_ERROR)
        log.info("sync %s: %s (HTTP %s)", c.idempotency_key, answer.outcome, answer.status)
        if answer.outcome == "sent":
            self._record(mark_sent(self.session, c, reference=answer.reference, now=self.clock()), stats, "sent")
        elif answer.outcome == "rejected":
            self._record(mark_dead(self.session, c, answer.reason or "Cổng BNV từ chối hồ sơ."), stats, "dead")
        else:
            self._retry_or_dead(c, answer.reason or "Gửi không thành công.", stats)

    def _retry_or_dead(self, c: Claim, reason: str, stats: RunStats) -> None:
        if c.attempts >= self.settings.max_attempts:
            final = f"Đã thử gửi {c.attempts} lần không thành công, dừng gửi. Lần cuối: {reason}"
            self._record(mark_dead(self.session, c, final), stats, "dead")
            return
        retry_at = self.clock() + retry_delay(c.attempts, self.settings, self.rand)
        self._record(mark_failed(self.session, c, reason, retry_at=retry_at), stats, "failed")

    def _record(self, applied: bool, stats: RunStats, outcome: str) -> None:
        self.session.commit()
        if applied:
            setattr(stats, outcome, getattr(stats, outcome) + 1)
        else:
            stats.lost += 1


def worker_for(config: Mapping[str, Any], session: DbSession, **kwargs: Any) -> Worker:
    """A worker from the app config; PortalConfigError when the portal is not configured."""
    settings = WorkerSettings.from_config(config)
    return Worker(session, settings.client(), settings, **kwargs)
