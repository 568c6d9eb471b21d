"""The profile workflow: states, allowed transitions, and the one function that writes the status.

Pure domain code: no Flask, no commit. `transition()` validates, sets the status and adds the
history row to the same session, so both land in the caller's single transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models.audit import ProfileHistory
from models.profile import Profile
from models.snapshot import digest, profile_data
from models.snapshot_store import ProfileVersion

DRAFT, PENDING, REJECTED, CONFIRMED = "draft", "pending", "rejected", "confirmed"

# action -> (states it may start from, resulting state)
TRANSITIONS: dict[str, tuple[frozenset[str], str]] = {
    "submit": (frozenset({DRAFT}), PENDING),
    "confirm": (frozenset({PENDING}), CONFIRMED),
    "reject": (frozenset({PENDING}), REJECTED),
    "reopen": (frozenset({REJECTED, CONFIRMED}), DRAFT),  # the employee's "Sửa"
}

ACTION_LABELS = {
    "save": "Lưu",
    "submit": "Gửi xác nhận",
    "confirm": "Xác nhận",
    "reject": "Từ chối",
    "reopen": "Sửa",
}


class TransitionError(Exception):
    """The action is not allowed from the profile's current state (message in Vietnamese)."""


@dataclass(frozen=True)
class Transition:
    action: str
    from_status: str
    to_status: str


def check(profile: Profile, action: str, *, note: str | None = None) -> Transition:
    if action not in TRANSITIONS:
        raise TransitionError(f"Thao tác không hợp lệ: {action}.")
    sources, target = TRANSITIONS[action]
    if profile.status not in sources:
        raise TransitionError(
            f"Không thể {ACTION_LABELS[action].lower()} hồ sơ đang ở trạng thái «{profile.status_label}»."
        )
    if action == "reject" and not (note or "").strip():
        raise TransitionError("Từ chối cần ghi rõ lý do.")
    return Transition(action, profile.status, target)


def transition(
    session: Session,
    profile: Profile,
    action: str,
    *,
    actor_id: int | None,
    now: datetime,
    note: str | None = None,
) -> ProfileHistory:
    """Apply `action` to `profile` and add its history row; raises TransitionError when refused."""
    step = check(profile, action, note=note)
    profile.status = step.to_status
    if step.to_status == PENDING:
        profile.submitted_at = now
    elif step.to_status == CONFIRMED:
        profile.confirmed_at = now
        _freeze_version(session, profile, actor_id=actor_id, now=now)
    entry = ProfileHistory(
        profile_id=profile.id,
        actor_id=actor_id,
        at=now,
        action=action,
        from_status=step.from_status,
        to_status=step.to_status,
        note=(note or "").strip() or None,
    )
    session.add(entry)
    return entry


def _freeze_version(session: Session, profile: Profile, *, actor_id: int | None, now: datetime) -> ProfileVersion:
    """Keep the confirmed data as the official version until a newer one is confirmed."""
    last = session.scalar(select(func.max(ProfileVersion.number)).where(ProfileVersion.profile_id == profile.id))
    data = profile_data(profile)
    version = ProfileVersion(
        profile_id=profile.id,
        number=(last or 0) + 1,
        confirmed_at=now,
        confirmed_by_id=actor_id,
        data=data,
        digest=digest(data),
    )
    session.add(version)
    return version


def official_version(session: Session, profile_id: int) -> ProfileVersion | None:
    """The newest confirmed version, or None if the profile was never confirmed."""
    return session.scalar(
        select(ProfileVersion)
        .where(ProfileVersion.profile_id == profile_id)
        .order_by(ProfileVersion.number.desc())
        .limit(1)
    )
