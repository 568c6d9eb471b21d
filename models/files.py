"""Files attached to a profile (Đính kèm) and the employee's contracts (Hợp đồng)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, DateTime, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from extensions import db
from models.base import TimestampMixin, utcnow

CONTRACT_KINDS = {
    "hd_lam_viec_xac_dinh": "Hợp đồng làm việc xác định thời hạn",
    "hd_lam_viec_khong_xac_dinh": "Hợp đồng làm việc không xác định thời hạn",
    "hd_lao_dong_xac_dinh": "Hợp đồng lao động xác định thời hạn",
    "hd_lao_dong_khong_xac_dinh": "Hợp đồng lao động không xác định thời hạn",
    "hd_thu_viec": "Hợp đồng thử việc",
}


class Attachment(db.Model):
    """A stored file: kept outside the web root under a random name, served only as a download."""

    __tablename__ = "attachment"

    id: Mapped[int] = mapped_column(primary_key=True)
    profile_id: Mapped[int] = mapped_column(ForeignKey("profile.id", ondelete="CASCADE"), index=True)
    original_name: Mapped[str] = mapped_column(String(255))
    stored_name: Mapped[str] = mapped_column(String(64), unique=True)
    content_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column()
    description: Mapped[str | None] = mapped_column(String(255))
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    uploaded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Contract(TimestampMixin, db.Model):
    __tablename__ = "contract"

    id: Mapped[int] = mapped_column(primary_key=True)
    profile_id: Mapped[int] = mapped_column(ForeignKey("profile.id", ondelete="CASCADE"), index=True)
    number: Mapped[str] = mapped_column(String(50))
    kind: Mapped[str] = mapped_column(String(40))
    valid_from: Mapped[date | None] = mapped_column(Date)
    valid_to: Mapped[date | None] = mapped_column(Date)
    signing_unit: Mapped[str | None] = mapped_column(String(255))
    attachment_id: Mapped[int | None] = mapped_column(ForeignKey("attachment.id", ondelete="SET NULL"))

    attachment: Mapped[Attachment | None] = relationship()
