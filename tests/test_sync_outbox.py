"""The outbox on its own: one row per version whatever the number of requests, claims that two
workers never share, leases, and outcomes only the claim's owner may record."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import create_engine, event, func, select
from sqlalchemy.orm import Session

from extensions import db
from models.profile import Profile
from models.snapshot_store import ProfileVersion
from models.sync import SyncBatch, SyncOutbox
from sync.outbox import (
    VersionRef,
    claim,
    enqueue,
    mark_dead,
    mark_failed,
    mark_sent,
    release,
)
from tests.conftest import IS_POSTGRES
from tests.factories import make_user
from tests.test_sync_fake_portal import PASSWORD, build_world, confirm

LEASE = timedelta(minutes=5)


def new_batch() -> SyncBatch:
    batch = SyncBatch(note="test", summary={})
    db.session.add(batch)
    db.session.flush()
    return batch


def versions(profile_ids: list[int]) -> list[VersionRef]:
    rows = db.session.scalars(select(ProfileVersion).where(ProfileVersion.profile_id.in_(profile_ids))).all()
    return [VersionRef(v.profile_id, v.id, v.number) for v in rows]


def outbox() -> list[SyncOutbox]:
    db.session.expire_all()
    return list(db.session.scalars(select(SyncOutbox).order_by(SyncOutbox.id)))


def test_enqueue_is_idempotent_and_reuses_rows(app):
    world = build_world()
    refs = versions([world.pid("an"), world.pid("binh")])
    now = datetime.now(UTC)
    first_batch = new_batch()
    first = enqueue(db.session, refs, batch=first_batch, now=now)
    second = enqueue(db.session, refs + refs, batch=new_batch(), now=now)  # duplicates in one call too
    db.session.commit()
    assert len(first.inserted) == 2 and second.inserted == [] and sorted(second.already_open) == sorted(first.inserted)
    rows = outbox()
    assert [r.idempotency_key for r in rows] == sorted(f"{v.profile_id}:{v.number}" for v in refs)
    assert {r.batch_id for r in rows} == {first_batch.id}

    # Sent rows are never queued again; dead and invalid ones go back to pending in the new batch.
    now = datetime.now(UTC)
    db.session.execute(SyncOutbox.__table__.update().where(SyncOutbox.id == rows[0].id).values(status="sent"))
    db.session.execute(
        SyncOutbox.__table__.update()
        .where(SyncOutbox.id == rows[1].id)
        .values(status="dead", attempts=8, last_error="x")
    )
    third_batch = new_batch()
    third = enqueue(db.session, refs, batch=third_batch, now=now)
    db.session.commit()
    assert third.already_sent == [rows[0].id] and third.requeued == [rows[1].id]
    requeued = outbox()[1]
    assert (requeued.status, requeued.attempts, requeued.last_error, requeued.batch_id) == (
        "pending",
        0,
        None,
        third_batch.id,
    )


def test_concurrent_enqueue_of_the_same_versions_makes_one_row_each(app):
    world = build_world()
    refs = versions([world.pid(k) for k in ("an", "binh", "cuong")])
    start = threading.Barrier(2)
    errors: list[BaseException] = []

    def request() -> None:
        try:
            with app.app_context():
                start.wait()
                batch = new_batch()
                enqueue(db.session, list(reversed(refs)), batch=batch, now=datetime.now(UTC))
                db.session.commit()
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=request) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert errors == []
    assert db.session.scalar(select(func.count()).select_from(SyncOutbox)) == 3


def make_many(extra: int) -> list[VersionRef]:
    """The world's confirmed profiles plus `extra` more, confirmed; their versions."""
    world = build_world()
    for n in range(extra):
        user = make_user(f"Nguyễn Văn Số {n}", unit=world.units["BT"], password=PASSWORD)
        confirm(db.session.scalars(select(Profile).where(Profile.owner_id == user.id)).one(), world.users["approver"])
    db.session.commit()
    return versions(list(db.session.scalars(select(ProfileVersion.profile_id))))


def test_racing_workers_never_claim_the_same_row(app):
    refs = make_many(20)
    enqueue(db.session, refs, batch=new_batch(), now=datetime.now(UTC))
    db.session.commit()
    now = datetime.now(UTC) + timedelta(seconds=1)
    start = threading.Barrier(3)
    claimed: list[list[int]] = [[], [], []]

    def worker(index: int) -> None:
        with app.app_context():
            start.wait()
            while True:
                got = claim(db.session, now=now, lease=LEASE, limit=2)
                db.session.commit()
                if not got:
                    return
                claimed[index].extend(c.outbox_id for c in got)

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    everything = [i for ids in claimed for i in ids]
    assert len(everything) == len(refs) == len(set(everything))
    assert {r.status for r in outbox()} == {"sending"}


def test_a_lease_blocks_others_until_it_expires_and_the_old_owner_cannot_overwrite(app):
    world = build_world()
    enqueue(db.session, versions([world.pid("an")]), batch=new_batch(), now=datetime.now(UTC))
    db.session.commit()
    t0 = datetime.now(UTC) + timedelta(seconds=1)
    (first,) = claim(db.session, now=t0, lease=LEASE, limit=5)
    db.session.commit()
    assert claim(db.session, now=t0 + LEASE - timedelta(seconds=1), lease=LEASE, limit=5) == []
    (second,) = claim(db.session, now=t0 + LEASE + timedelta(seconds=1), lease=LEASE, limit=5)
    db.session.commit()
    assert (first.attempts, second.attempts) == (1, 2)
    # The first worker wakes up late: its failure must not overwrite the second worker's claim.
    assert not mark_failed(db.session, first, "late", retry_at=t0)
    assert not mark_dead(db.session, first, "late")
    assert not release(db.session, first)
    row = outbox()[0]
    assert row.status == "sending" and row.last_error is None
    # A 2xx is the truth whoever holds the claim: the portal has the record.
    assert mark_sent(db.session, first, reference="BNV-1", now=t0)
    db.session.commit()
    assert not mark_failed(db.session, second, "after sent", retry_at=t0)
    row = outbox()[0]
    assert (row.status, row.portal_reference, row.claimed_until) == ("sent", "BNV-1", None)


def test_release_gives_the_row_back_without_counting_the_attempt(app):
    world = build_world()
    enqueue(db.session, versions([world.pid("an")]), batch=new_batch(), now=datetime.now(UTC))
    db.session.commit()
    now = datetime.now(UTC) + timedelta(seconds=1)
    (c,) = claim(db.session, now=now, lease=LEASE, limit=1)
    assert release(db.session, c)
    db.session.commit()
    row = outbox()[0]
    assert (row.status, row.attempts, row.claimed_until) == ("pending", 0, None)
    assert len(claim(db.session, now=now, lease=LEASE, limit=1)) == 1


@pytest.mark.skipif(IS_POSTGRES, reason="PostgreSQL locks the candidates (SKIP LOCKED): the race cannot happen")
def test_a_worker_that_loses_a_race_for_a_row_takes_the_next_one(app):
    """Another worker claims our first candidate between our SELECT and our UPDATE (on SQLite)."""
    world = build_world()
    enqueue(db.session, versions([world.pid("an"), world.pid("binh")]), batch=new_batch(), now=datetime.now(UTC))
    db.session.commit()
    first_id = outbox()[0].id
    now = datetime.now(UTC) + timedelta(seconds=1)
    rival = create_engine(app.config["SQLALCHEMY_DATABASE_URI"])
    fired: list[bool] = []

    @event.listens_for(db.engine, "before_cursor_execute")
    def rival_claims_first(conn, cursor, statement, parameters, context, executemany):  # type: ignore[no-untyped-def]
        if statement.startswith("UPDATE sync_outbox") and not fired:
            fired.append(True)
            with Session(rival) as other:
                claim(other, now=now, lease=LEASE, limit=1)
                other.commit()

    try:
        got = claim(db.session, now=now, lease=LEASE, limit=1)
        db.session.commit()
    finally:
        event.remove(db.engine, "before_cursor_execute", rival_claims_first)
        rival.dispose()
    assert fired and len(got) == 1 and got[0].outbox_id != first_id
    assert {r.status for r in outbox()} == {"sending"}
