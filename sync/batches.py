"""A leader's "Đồng bộ lên cổng BNV": the selected profiles, or every confirmed and not yet synced
profile of a unit (with its subtree), queued as one SyncBatch.

The batch row and its outbox rows are written in the caller's one transaction, so a request is
queued whole or not at all. Every submitted id is re-filtered through the leader's scope
(`profile_scope_clause(user, {"leader"})`); ids outside it are only counted, never named, and the
refusal is audited. Each profile contributes its newest confirmed version; a version already sent
or already queued is not queued again (the outbox's idempotency key), and the payload is
validated right away so a refused profile shows its reason before any worker runs.

Domain code: adds and executes, never commits.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, false, or_, select

from auth.audit import record
from auth.permissions import profile_scope_clause, scope_paths, scope_units
from models.org import OrgUnit, subtree_ids
from models.profile import Profile
from models.refs import RefLookup
from models.snapshot_store import ProfileVersion
from models.sync import SyncBatch, SyncOutbox
from models.user import User
from sync.outbox import DbSession, EnqueueResult, VersionRef, enqueue, mark_invalid_queued
from sync.payload import build_payload, unit_ids_of
from sync.status import NOT_SYNCED, ProfileSyncRow, state_query
from sync.worker import load_units

SYNC_ROLES = frozenset({"leader"})
NAMES_SHOWN = 20  # a message listing hundreds of names helps nobody
VALIDATE_CHUNK = 100  # versions loaded at once when checking a large batch


def can_sync(user: Any) -> bool:
    """Who may open the sync pages: leaders (on their subtrees) and the sysadmin."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return user.has_role("leader") or user.has_role("sysadmin")


def sync_scope(user: User) -> ColumnElement[bool]:
    """The profiles `user` may sync: THE policy's clause for the leader role (their own record only
    when it lies in a unit they lead)."""
    return profile_scope_clause(user, SYNC_ROLES, include_own=False)


def sync_units(user: User) -> Select[OrgUnit]:
    """Units `user` may sync as a whole (the subtrees where they lead; all for sysadmin)."""
    return scope_units(select(OrgUnit), user, SYNC_ROLES)


def batch_scope(user: User) -> ColumnElement[bool]:
    """History: the batches `user` started, and those of units in their leader subtrees."""
    if user.has_role("sysadmin"):
        return SyncBatch.id.is_not(None)
    paths = scope_paths(user, SYNC_ROLES)
    in_units = SyncBatch.org_unit_id.in_(subtree_ids(*paths)) if paths else false()
    return or_(SyncBatch.created_by_id == user.id, in_units)


def parse_ids(raw: Iterable[Any]) -> tuple[list[int], int]:
    """Distinct positive integer ids in submission order, and how many values were not ids."""
    ids: list[int] = []
    invalid = 0
    for value in raw:
        text = str(value).strip()
        if text.isascii() and text.isdigit() and int(text) > 0:
            if int(text) not in ids:
                ids.append(int(text))
        else:
            invalid += 1
    return ids, invalid


def _names(names: Sequence[str]) -> str:
    shown = ", ".join(names[:NAMES_SHOWN])
    rest = len(names) - NAMES_SHOWN
    return f"{shown} và {rest} hồ sơ khác" if rest > 0 else shown


@dataclass
class SyncRequestOutcome:
    """What a request did, per profile (by name) and in counts; `due_ids` are the rows to send."""

    batch_id: int | None = None
    queued: list[str] = field(default_factory=list)
    invalid: list[str] = field(default_factory=list)
    already_sent: list[str] = field(default_factory=list)
    already_queued: list[str] = field(default_factory=list)
    no_version: list[str] = field(default_factory=list)
    outside: int = 0
    unit_refused: bool = False
    due_ids: list[int] = field(default_factory=list)

    def message(self) -> str:
        """E.g. "Đợt đồng bộ số 7: 5 hồ sơ đưa vào hàng đợi gửi lên cổng BNV; 1 hồ sơ dữ liệu chưa hợp lệ,
        không gửi (Lê Văn A); 1 hồ sơ không thuộc phạm vi, bỏ qua." Out-of-scope rows are only counted."""
        if self.unit_refused:
            return "Đơn vị đã chọn không thuộc phạm vi đồng bộ của bạn; không có hồ sơ nào được gửi."
        head = f"Đợt đồng bộ số {self.batch_id}: " if self.batch_id else ""
        parts = []
        if self.queued:
            parts.append(f"{len(self.queued)} hồ sơ đưa vào hàng đợi gửi lên cổng BNV")
        if self.invalid:
            parts.append(f"{len(self.invalid)} hồ sơ dữ liệu chưa hợp lệ, không gửi ({_names(self.invalid)})")
        if self.already_sent:
            parts.append(
                f"{len(self.already_sent)} hồ sơ đã gửi bản xác nhận mới nhất trước đó, bỏ qua "
                f"({_names(self.already_sent)})"
            )
        if self.already_queued:
            parts.append(
                f"{len(self.already_queued)} hồ sơ đã ở trong hàng đợi (chờ gửi hoặc chờ thử lại), bỏ qua "
                f"({_names(self.already_queued)})"
            )
        if self.no_version:
            parts.append(f"{len(self.no_version)} hồ sơ chưa có bản xác nhận, bỏ qua ({_names(self.no_version)})")
        if self.outside:
            parts.append(f"{self.outside} hồ sơ không thuộc phạm vi, bỏ qua")
        if not parts:
            return "Không có hồ sơ nào cần gửi."
        if not self.queued and not self.invalid:
            return "Không có hồ sơ nào cần gửi: " + "; ".join(parts) + "."
        return head + "; ".join(parts) + "."

    @property
    def category(self) -> str:
        if self.unit_refused or not (self.queued or self.already_sent or self.already_queued):
            return "error"
        return "warning" if self.invalid or self.outside or self.no_version else "success"


def _common_unit(paths: Iterable[str]) -> int | None:
    """The deepest unit above every given unit path ("/1/2/3/" and "/1/2/5/" → 2)."""
    split = [p.strip("/").split("/") for p in paths if p]
    if not split:
        return None
    common: list[str] = []
    for parts in zip(*split, strict=False):
        if len(set(parts)) != 1:
            break
        common.append(parts[0])
    return int(common[-1]) if common else None


def request_sync(
    session: DbSession,
    user: User,
    *,
    now: datetime,
    refs: RefLookup,
    profile_ids: Sequence[Any] | None = None,
    unit_id: int | None = None,
) -> SyncRequestOutcome:
    """Queue the newest confirmed version of the selected profiles (`profile_ids`), or of every
    profile of the unit's subtree that is not yet synced (`unit_id`). The caller commits."""
    outcome = SyncRequestOutcome()
    scope = sync_scope(user)
    unit: OrgUnit | None = None
    if unit_id is not None:
        unit = session.scalar(sync_units(user).where(OrgUnit.id == unit_id))
        if unit is None:
            outcome.unit_refused = True
            record("sync_refused", actor=user, object_type="org_unit", object_id=unit_id, details={"unit": unit_id})
            return outcome
        query = state_query(and_(scope, Profile.org_unit_id.in_(subtree_ids(unit.path))))
        rows = [ProfileSyncRow(**r._mapping) for r in session.execute(query.stmt.where(query.state.in_(NOT_SYNCED)))]
        note = f"Tất cả hồ sơ đã xác nhận, chưa đồng bộ của {unit.name}"
    else:
        ids, outcome.outside = parse_ids(profile_ids or [])
        visible = dict(session.execute(select(Profile.id, Profile.full_name).where(Profile.id.in_(ids), scope)).all())
        outside_ids = [i for i in ids if i not in visible]
        outcome.outside += len(outside_ids)
        if outside_ids:
            record("sync_refused", actor=user, object_type="profile", details={"out_of_scope": outside_ids})
        query = state_query(and_(scope, Profile.id.in_(list(visible))))
        rows = [ProfileSyncRow(**r._mapping) for r in session.execute(query.stmt)] if visible else []
        with_version = {r.profile_id for r in rows}
        outcome.no_version = sorted(name for pid, name in visible.items() if pid not in with_version)
        note = f"Chọn {len(ids)} hồ sơ"
    if not rows:
        return outcome

    batch = SyncBatch(
        created_by_id=user.id,
        org_unit_id=unit.id if unit is not None else _common_unit(r.unit_path for r in rows),
        note=note[:255],
        summary={},
        created_at=now,
    )
    session.add(batch)
    session.flush()
    versions = [VersionRef(r.profile_id, r.version_id, r.version) for r in rows]
    result = enqueue(session, versions, batch=batch, now=now)
    invalid = validate_queued(session, result.queued, refs)
    _sort_outcome(outcome, rows, result, invalid)
    if not result.queued:
        # Nothing of ours on the queue (all sent or queued by someone else meanwhile): no empty batch.
        session.delete(batch)
        session.flush()
        return outcome
    outcome.batch_id = batch.id
    batch.summary = {
        "requested": len(rows) + len(outcome.no_version) + outcome.outside,
        "queued": len(outcome.queued),
        "invalid": len(outcome.invalid),
        "already_sent": len(outcome.already_sent),
        "already_queued": len(outcome.already_queued),
        "no_version": len(outcome.no_version),
        "outside": outcome.outside,
    }
    if not outcome.due_ids:
        batch.finished_at = now
    record("sync_requested", actor=user, object_type="sync_batch", object_id=batch.id, details=batch.summary)
    return outcome


def _sort_outcome(
    outcome: SyncRequestOutcome, rows: Sequence[ProfileSyncRow], result: EnqueueResult, invalid: set[int]
) -> None:
    queued, sent = set(result.queued), set(result.already_sent)
    for row in sorted(rows, key=lambda r: (r.full_name, r.profile_id)):
        outbox_id = result.by_profile.get(row.profile_id)
        if outbox_id in invalid:
            outcome.invalid.append(row.full_name)
        elif outbox_id in queued:
            outcome.queued.append(row.full_name)
            outcome.due_ids.append(outbox_id)
        elif outbox_id in sent:
            outcome.already_sent.append(row.full_name)
        else:
            outcome.already_queued.append(row.full_name)


def validate_queued(session: DbSession, outbox_ids: Sequence[int], refs: RefLookup) -> set[int]:
    """Check the payload of each newly queued row now, marking the refused ones invalid; returns their ids.

    The worker checks again before sending (the lists may change in between); checking here too
    lets the leader see the reason at once instead of after the worker's next round.
    """
    refused: set[int] = set()
    for start in range(0, len(outbox_ids), VALIDATE_CHUNK):
        chunk = list(outbox_ids[start : start + VALIDATE_CHUNK])
        pairs = session.execute(
            select(SyncOutbox.id, ProfileVersion)
            .join(ProfileVersion, ProfileVersion.id == SyncOutbox.profile_version_id)
            .where(SyncOutbox.id.in_(chunk))
        ).all()
        unit_ids: set[int] = set()
        for _outbox_id, version in pairs:
            unit_ids |= unit_ids_of(version.data or {})
        units = load_units(session, unit_ids)
        for outbox_id, version in pairs:
            result = build_payload(version, refs, units)
            if not result.ok and mark_invalid_queued(session, outbox_id, result.reason()):
                refused.add(outbox_id)
            session.expunge(version)  # keep memory flat on a unit-wide batch
    return refused
