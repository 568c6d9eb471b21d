"""The outbox: one row per confirmed version to send, keyed "<profile id>:<version number>".

Guarantees, and how:
- Never duplicated: rows are inserted with ON CONFLICT DO NOTHING on the unique idempotency key
  (PostgreSQL and SQLite both support it), so two leaders queueing the same version at once end
  up with one row. Keys are inserted in sorted order, so two such inserts cannot deadlock.
- Never sent by two workers at once: a worker claims a row by setting status 'sending' and a
  lease (`claimed_until`) in an atomic conditional UPDATE that only matches a row still due; on
  PostgreSQL the candidates are also selected FOR UPDATE SKIP LOCKED, so concurrent workers skip
  each other's rows instead of queueing behind them. The claim increments `attempts`, and
  (id, attempts) identifies the claim: a worker whose lease expired and was taken over cannot
  overwrite the new owner's outcome.
- Restart-safe: a worker killed mid-batch leaves its rows 'sending' with a lease in the past once
  it expires; they are due again and the next run takes them. The portal deduplicates by the key
  and a row is marked sent only after a 2xx, so a retried delivery never creates a second record.

Domain functions: they execute statements and never commit; the worker and the views do.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, func, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session, scoped_session

from models.profile import Profile
from models.snapshot_store import ProfileVersion
from models.sync import SyncBatch, SyncOutbox
from sync.payload import idempotency_key

PENDING, SENDING, SENT, FAILED, DEAD, INVALID = "pending", "sending", "sent", "failed", "dead", "invalid"
DUE_STATES = (PENDING, FAILED)  # waiting for their next_attempt_at
OPEN_STATES = (PENDING, SENDING, FAILED)  # the portal may still receive them without anyone acting
REQUEUE_STATES = (DEAD, INVALID)  # final failures a leader may queue again
ERROR_MAX = 4000  # characters of last_error kept

# Flask-SQLAlchemy's scoped `db.session` or a plain Session (tests, scripts).
DbSession = Session | scoped_session[Any]


@dataclass(frozen=True)
class VersionRef:
    """A confirmed version to queue (the newest one of its profile)."""

    profile_id: int
    version_id: int
    number: int

    @property
    def key(self) -> str:
        return idempotency_key(self.profile_id, self.number)


@dataclass
class EnqueueResult:
    """Outbox ids by what happened to each version's row."""

    inserted: list[int] = field(default_factory=list)
    requeued: list[int] = field(default_factory=list)  # dead/invalid rows put back to pending
    already_open: list[int] = field(default_factory=list)  # pending/sending/failed: left alone
    already_sent: list[int] = field(default_factory=list)
    by_profile: dict[int, int] = field(default_factory=dict)  # profile id -> outbox id

    @property
    def queued(self) -> list[int]:
        """Rows this request put on the queue (new or requeued)."""
        return [*self.inserted, *self.requeued]


def _insert(session: DbSession) -> object:
    """INSERT with ON CONFLICT support for the session's database."""
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        return postgresql.insert(SyncOutbox)
    if dialect == "sqlite":
        return sqlite.insert(SyncOutbox)
    raise RuntimeError(f"Unsupported database for the sync outbox: {dialect}")


def enqueue(session: DbSession, versions: Sequence[VersionRef], *, batch: SyncBatch, now: datetime) -> EnqueueResult:
    """Queue each version once: insert missing rows, requeue dead/invalid ones, leave the rest.

    A requeued row moves to `batch` (its newest request); a row already open or sent keeps the
    batch that queued it. `batch` must be flushed (it needs its id).
    """
    result = EnqueueResult()
    ordered = sorted({v.key: v for v in versions}.values(), key=lambda v: v.key)
    if not ordered:
        return result
    insert = _insert(session)
    inserted = session.execute(
        insert.values(  # type: ignore[attr-defined]
            [
                {
                    "profile_id": v.profile_id,
                    "profile_version_id": v.version_id,
                    "version_number": v.number,
                    "idempotency_key": v.key,
                    "batch_id": batch.id,
                    "status": PENDING,
                    "attempts": 0,
                    "next_attempt_at": now,
                    "created_at": now,
                }
                for v in ordered
            ]
        )
        .on_conflict_do_nothing(index_elements=["idempotency_key"])
        .returning(SyncOutbox.id, SyncOutbox.profile_id)
    ).all()
    for outbox_id, profile_id in inserted:
        result.inserted.append(outbox_id)
        result.by_profile[profile_id] = outbox_id

    existing_keys = [v.key for v in ordered if v.profile_id not in result.by_profile]
    if not existing_keys:
        return result
    existing = session.execute(
        select(SyncOutbox.id, SyncOutbox.profile_id, SyncOutbox.status)
        .where(SyncOutbox.idempotency_key.in_(existing_keys))
        .order_by(SyncOutbox.id)
    ).all()
    to_requeue = [row.id for row in existing if row.status in REQUEUE_STATES]
    requeued = set()
    if to_requeue:
        # Conditional: of two leaders requeueing one dead row at once, one wins; the other sees it open.
        requeued = set(
            session.scalars(
                update(SyncOutbox)
                .where(SyncOutbox.id.in_(to_requeue), SyncOutbox.status.in_(REQUEUE_STATES))
                .values(
                    status=PENDING,
                    attempts=0,
                    next_attempt_at=now,
                    claimed_until=None,
                    last_error=None,
                    batch_id=batch.id,
                )
                .returning(SyncOutbox.id)
                .execution_options(synchronize_session=False)
            ).all()
        )
    for row in existing:
        result.by_profile[row.profile_id] = row.id
        if row.id in requeued:
            result.requeued.append(row.id)
        elif row.status == SENT:
            result.already_sent.append(row.id)
        else:
            result.already_open.append(row.id)
    return result


def mark_invalid_queued(session: DbSession, outbox_id: int, reason: str) -> bool:
    """Refuse a row still pending (checked at queue time, before any worker saw it)."""
    result = session.execute(
        update(SyncOutbox)
        .where(SyncOutbox.id == outbox_id, SyncOutbox.status == PENDING)
        .values(status=INVALID, last_error=reason[:ERROR_MAX], claimed_until=None)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1  # type: ignore[attr-defined]


# --- claiming --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Claim:
    """A row a worker owns until `claimed_until`; (outbox_id, attempts) identifies the claim."""

    outbox_id: int
    profile_id: int
    profile_version_id: int
    version_number: int
    idempotency_key: str
    attempts: int
    batch_id: int | None
    claimed_until: datetime


def due_clause(now: datetime) -> ColumnElement[bool]:
    """Rows to send now: waiting and due, or claimed by a worker whose lease has run out."""
    return or_(
        and_(SyncOutbox.status.in_(DUE_STATES), SyncOutbox.next_attempt_at <= now),
        and_(SyncOutbox.status == SENDING, or_(SyncOutbox.claimed_until.is_(None), SyncOutbox.claimed_until < now)),
    )


def claim(
    session: DbSession,
    *,
    now: datetime,
    lease: timedelta,
    limit: int,
    only_ids: Collection[int] | None = None,
) -> list[Claim]:
    """Claim up to `limit` due rows, oldest due first. The caller commits to make the claims visible.

    Each row is taken by a conditional UPDATE that matches only while the row is still due, so of
    two workers racing for a row exactly one gets it, on either database.
    """
    if limit <= 0:
        return []
    base = select(SyncOutbox.id).where(due_clause(now)).order_by(SyncOutbox.next_attempt_at, SyncOutbox.id)
    if only_ids is not None:
        if not only_ids:
            return []
        base = base.where(SyncOutbox.id.in_(list(only_ids)))
    skip_locked = session.get_bind().dialect.name == "postgresql"
    until = now + lease
    claims: list[Claim] = []
    lost: list[int] = []
    # A candidate another worker took between our SELECT and our UPDATE is skipped, and we look
    # again: losing a race must not make a worker believe nothing is due.
    while len(claims) < limit:
        candidates = base.where(SyncOutbox.id.not_in(lost)) if lost else base
        candidates = candidates.limit(limit - len(claims))
        if skip_locked:
            candidates = candidates.with_for_update(skip_locked=True)
        ids = list(session.scalars(candidates).all())
        if not ids:
            break
        for outbox_id in ids:
            row = session.execute(
                update(SyncOutbox)
                .where(SyncOutbox.id == outbox_id, due_clause(now))
                .values(status=SENDING, claimed_until=until, attempts=SyncOutbox.attempts + 1)
                .returning(
                    SyncOutbox.id,
                    SyncOutbox.profile_id,
                    SyncOutbox.profile_version_id,
                    SyncOutbox.version_number,
                    SyncOutbox.idempotency_key,
                    SyncOutbox.attempts,
                    SyncOutbox.batch_id,
                )
                .execution_options(synchronize_session=False)
            ).one_or_none()
            if row is None:
                lost.append(outbox_id)
            else:
                claims.append(Claim(*row, claimed_until=until))
    return claims


def _owned(c: Claim) -> ColumnElement[bool]:
    return and_(SyncOutbox.id == c.outbox_id, SyncOutbox.status == SENDING, SyncOutbox.attempts == c.attempts)


def _finish(session: DbSession, where: ColumnElement[bool], **values: object) -> bool:
    result = session.execute(
        update(SyncOutbox)
        .where(where)
        .values(claimed_until=None, **values)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1  # type: ignore[attr-defined]


def mark_sent(session: DbSession, c: Claim, *, reference: str | None, now: datetime) -> bool:
    """The portal answered 2xx: the version is delivered, whoever holds the claim by now.

    Not restricted to our own claim: a 2xx is the truth about the portal's store, and a worker
    that took over after our lease expired will get the same answer (the portal deduplicates).
    """
    return _finish(
        session,
        and_(SyncOutbox.id == c.outbox_id, SyncOutbox.status != SENT),
        status=SENT,
        sent_at=now,
        portal_reference=(reference or None) and reference[:100],
        last_error=None,
    )


def mark_failed(session: DbSession, c: Claim, reason: str, *, retry_at: datetime) -> bool:
    """A temporary failure: due again at `retry_at`."""
    return _finish(session, _owned(c), status=FAILED, next_attempt_at=retry_at, last_error=reason[:ERROR_MAX])


def mark_dead(session: DbSession, c: Claim, reason: str) -> bool:
    """A final failure (refused by the portal, or out of attempts): only a leader's new request retries it."""
    return _finish(session, _owned(c), status=DEAD, last_error=reason[:ERROR_MAX])


def mark_invalid(session: DbSession, c: Claim, reason: str) -> bool:
    """Refused before sending: the data breaks a rule the portal enforces."""
    return _finish(session, _owned(c), status=INVALID, last_error=reason[:ERROR_MAX])


def release(session: DbSession, c: Claim) -> bool:
    """Give a claimed row back unsent (a run that ran out of time): due now, the attempt not counted."""
    return _finish(session, _owned(c), status=PENDING, attempts=SyncOutbox.attempts - 1)


# --- batches ------------------------------------------------------------------------------------


def close_finished_batches(session: DbSession, batch_ids: Collection[int], *, now: datetime) -> None:
    """Stamp `finished_at` on the batches none of whose rows can still be sent without a new request."""
    ids = [i for i in batch_ids if i is not None]
    if not ids:
        return
    still_open = (
        select(SyncOutbox.id).where(SyncOutbox.batch_id == SyncBatch.id, SyncOutbox.status.in_(OPEN_STATES)).exists()
    )
    session.execute(
        update(SyncBatch)
        .where(SyncBatch.id.in_(ids), SyncBatch.finished_at.is_(None), ~still_open)
        .values(finished_at=now)
        .execution_options(synchronize_session=False)
    )


def latest_versions_stmt(where: ColumnElement[bool]) -> Select[int, int, int]:
    """SELECT (profile id, version id, number) of the newest confirmed version of each profile
    matching `where` (a clause over Profile)."""
    newest = (
        select(ProfileVersion.profile_id, func.max(ProfileVersion.number).label("number"))
        .join(Profile, Profile.id == ProfileVersion.profile_id)
        .where(where)
        .group_by(ProfileVersion.profile_id)
        .subquery("newest")
    )
    return select(ProfileVersion.profile_id, ProfileVersion.id, ProfileVersion.number).join(
        newest,
        and_(newest.c.profile_id == ProfileVersion.profile_id, newest.c.number == ProfileVersion.number),
    )
