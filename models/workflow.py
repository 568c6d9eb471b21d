"""The profile workflow: states, allowed transitions, and the one function that writes the status.

Pure domain code: no Flask, no commit. `transition()` validates, sets the status and adds the
history row to the same session, so both land in the caller's single transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

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


class ConcurrentTransition(TransitionError):
    """Someone else changed the profile between our read and our write; nothing was written."""

    def __init__(self) -> None:
        super().__init__("Hồ sơ vừa được người khác cập nhật hoặc xử lý. Hãy tải lại trang để xem trạng thái mới.")


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
    """Apply `action` to `profile` and add its history row; raises TransitionError when refused.

    The status is written by a compare-and-set UPDATE (same id, same status, same version as we
    read), so of two people acting on one profile at once exactly one wins; the other gets
    ConcurrentTransition and writes nothing. This also covers bulk actions, which the ORM's own
    version check would not.
    """
    step = check(profile, action, note=note)
    session.flush()  # our own pending edits first, so the version we compare against is current
    values: dict = {"status": step.to_status, "version_id": Profile.version_id + 1, "updated_at": now}
    if step.to_status == PENDING:
        values["submitted_at"] = now
    elif step.to_status == CONFIRMED:
        values["confirmed_at"] = now
    result = session.execute(
        update(Profile)
        .where(
            Profile.id == profile.id,
            Profile.status == step.from_status,
            Profile.version_id == profile.version_id,
        )
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        raise ConcurrentTransition()
    # Keep the loaded object in step with the row without issuing another UPDATE.
    for key, value in {**values, "version_id": profile.version_id + 1}.items():
        set_committed_value(profile, key, value)
    if step.to_status == CONFIRMED:
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
