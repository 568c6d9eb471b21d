"""The BNV portal sync: an outbox of confirmed versions to send, and the batches a leader starts.

A row is written in the same transaction as the request that queues it, so nothing is lost if
the worker is down; the worker sends each row at most once successfully (idempotency key =
profile id + version number), retries with backoff, and parks rows it cannot deliver as dead.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, DateTime, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from extensions import db
from models.base import utcnow

OUTBOX_STATES = {
    "pending": "Chờ gửi",
    "sending": "Đang gửi",
    "sent": "Đã gửi",
    "failed": "Lỗi, sẽ thử lại",
    "dead": "Lỗi, dừng gửi",
    "invalid": "Dữ liệu chưa hợp lệ",
}


class SyncBatch(db.Model):
    """One "Đồng bộ lên cổng BNV" request of a leader (or a worker run)."""

    __tablename__ = "sync_batch"

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    org_unit_id: Mapped[int | None] = mapped_column(ForeignKey("org_unit.id"), index=True)
    note: Mapped[str | None] = mapped_column(String(255))
    summary: Mapped[dict] = mapped_column(JSON, default=dict)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class SyncOutbox(db.Model):
    __tablename__ = "sync_outbox"

    id: Mapped[int] = mapped_column(primary_key=True)
    profile_id: Mapped[int] = mapped_column(ForeignKey("profile.id", ondelete="CASCADE"), index=True)
    profile_version_id: Mapped[int] = mapped_column(ForeignKey("profile_version.id", ondelete="CASCADE"))
    version_number: Mapped[int] = mapped_column()
    # "<profile id>:<version number>": the portal deduplicates on it, and so does our unique index.
    idempotency_key: Mapped[str] = mapped_column(String(64), unique=True)
    batch_id: Mapped[int | None] = mapped_column(ForeignKey("sync_batch.id", ondelete="SET NULL"), index=True)
    status: Mapped[str] = mapped_column(String(10), default="pending")
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    claimed_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    portal_reference: Mapped[str | None] = mapped_column(String(100))

    __table_args__ = (Index("ix_sync_outbox_status_next", "status", "next_attempt_at"),)
