"""Each profile's sync state, computed in SQL so the leader's list can filter, count and page on it.

A profile is listed once it has a confirmed version; its state compares the newest confirmed
version (the official one) with the outbox:

| state      | when                                                                   |
|------------|------------------------------------------------------------------------|
| never      | no outbox row for the official version, nothing ever sent              |
| queued     | the official version's row is pending or being sent                    |
| sent       | the official version's row is sent                                     |
| failed     | its row failed (will retry) or is dead (stopped), with the reason      |
| invalid    | its row was refused before sending, with the reason                    |
| outdated   | an older version was sent, the newer official one is not queued yet    |
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, Select, Subquery, and_, case, func, literal, select
from sqlalchemy.orm import aliased

from models.org import OrgUnit
from models.profile import Profile
from models.snapshot_store import ProfileVersion
from models.sync import SyncOutbox

NEVER, QUEUED, SENT, FAILED, INVALID, OUTDATED = "never", "queued", "sent", "failed", "invalid", "outdated"

STATE_LABELS = {
    NEVER: "Chưa gửi",
    QUEUED: "Đang chờ gửi",
    SENT: "Đã gửi",
    FAILED: "Lỗi",
    OUTDATED: "Cần gửi lại",
    INVALID: "Dữ liệu chưa hợp lệ",
}
# Bootstrap badge colour of each state.
STATE_BADGES = {
    NEVER: "secondary",
    QUEUED: "info",
    SENT: "success",
    FAILED: "danger",
    OUTDATED: "warning",
    INVALID: "danger",
}
# States a leader's "send everything not yet synced" picks up.
NOT_SYNCED = (NEVER, OUTDATED, FAILED, INVALID)

_current = aliased(SyncOutbox, name="current_row")


def _newest() -> Subquery:
    return (
        select(ProfileVersion.profile_id, func.max(ProfileVersion.number).label("number"))
        .group_by(ProfileVersion.profile_id)
        .subquery("newest")
    )


def _last_sent() -> Subquery:
    return (
        select(SyncOutbox.profile_id, func.max(SyncOutbox.version_number).label("number"))
        .where(SyncOutbox.status == "sent")
        .group_by(SyncOutbox.profile_id)
        .subquery("last_sent")
    )


@dataclass(frozen=True)
class StateQuery:
    """The listing SELECT and its state expression, for filtering and grouping by state."""

    stmt: Select
    state: ColumnElement[str]


def state_query(scope: ColumnElement[bool]) -> StateQuery:
    """Profiles matching `scope` that have a confirmed version, with what the list shows of them."""
    newest = _newest()
    last_sent = _last_sent()
    state = case(
        (_current.status == "sent", literal(SENT)),
        (_current.status.in_(("pending", "sending")), literal(QUEUED)),
        (_current.status.in_(("failed", "dead")), literal(FAILED)),
        (_current.status == "invalid", literal(INVALID)),
        (last_sent.c.number.is_not(None), literal(OUTDATED)),
        else_=literal(NEVER),
    )
    stmt = (
        select(
            Profile.id.label("profile_id"),
            Profile.full_name,
            OrgUnit.name.label("unit_name"),
            OrgUnit.path.label("unit_path"),
            newest.c.number.label("version"),
            ProfileVersion.id.label("version_id"),
            ProfileVersion.confirmed_at,
            _current.id.label("outbox_id"),
            _current.status.label("outbox_status"),
            _current.attempts,
            _current.last_error,
            _current.sent_at,
            _current.next_attempt_at,
            _current.portal_reference,
            last_sent.c.number.label("sent_version"),
            state.label("state"),
        )
        .join(newest, newest.c.profile_id == Profile.id)
        .join(
            ProfileVersion,
            and_(ProfileVersion.profile_id == Profile.id, ProfileVersion.number == newest.c.number),
        )
        .join(OrgUnit, OrgUnit.id == Profile.org_unit_id)
        .outerjoin(
            _current,
            and_(_current.profile_id == Profile.id, _current.version_number == newest.c.number),
        )
        .outerjoin(last_sent, last_sent.c.profile_id == Profile.id)
        .where(scope)
    )
    return StateQuery(stmt, state)


@dataclass(frozen=True)
class ProfileSyncRow:
    """One line of the leader's list."""

    profile_id: int
    full_name: str
    unit_name: str
    unit_path: str
    version: int
    version_id: int
    confirmed_at: datetime | None
    outbox_id: int | None
    outbox_status: str | None
    attempts: int | None
    last_error: str | None
    sent_at: datetime | None
    next_attempt_at: datetime | None
    portal_reference: str | None
    sent_version: int | None
    state: str

    @property
    def label(self) -> str:
        return STATE_LABELS[self.state]

    @property
    def badge(self) -> str:
        return STATE_BADGES[self.state]

    @property
    def stopped(self) -> bool:
        """A failure the worker will not retry by itself (dead)."""
        return self.outbox_status == "dead"
